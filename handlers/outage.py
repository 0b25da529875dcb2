"""Log a failing dependency once per outage (with a reminder now and then), and its recovery."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable


def error_type(exc: BaseException) -> str:
    """Only the exception's type: a platform error's message may quote a URL with a token."""
    return type(exc).__name__


class OutageLog:
    """`failed(exc)` on every failure, `ok()` on every success; the log stays readable.

    Used for storage (by the core) and for each platform's API (by the channels' retry policy).
    """

    def __init__(
        self,
        log: logging.Logger,
        what: str,
        every: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        *,
        level: int = logging.ERROR,
        consequence: str = "users get a polite apology meanwhile",
        describe: Callable[[BaseException], object] = str,
    ) -> None:
        self.log, self.what, self.every, self.clock = log, what, every, clock
        self.level, self.consequence, self.describe = level, consequence, describe
        self.failures = 0
        self._since = self._reminded = 0.0

    @property
    def down(self) -> bool:
        return self.failures > 0

    def failed(self, exc: BaseException) -> None:
        now = self.clock()
        self.failures += 1
        if self.failures == 1:
            self._since = self._reminded = now
            self.log.log(self.level, "%s failing: %s; %s", self.what, self.describe(exc),
                         self.consequence)  # fmt: skip
        elif now - self._reminded >= self.every:
            self._reminded = now
            self.log.log(
                self.level, "%s still failing after %d failures (%.0f s): %s",
                self.what, self.failures, now - self._since, self.describe(exc),
            )  # fmt: skip

    def ok(self) -> None:
        if self.failures:
            self.log.warning(
                "%s works again after %d failures (%.0f s)",
                self.what, self.failures, self.clock() - self._since,
            )  # fmt: skip
            self.failures = 0
