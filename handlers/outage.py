"""Log a failing dependency once per outage (with a reminder now and then), and its recovery."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable


class OutageLog:
    """`failed(exc)` on every failure, `ok()` on every success; the log stays readable."""

    def __init__(
        self,
        log: logging.Logger,
        what: str,
        every: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.log, self.what, self.every, self.clock = log, what, every, clock
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
            self.log.error("%s failing: %s; users get a polite apology meanwhile", self.what, exc)
        elif now - self._reminded >= self.every:
            self._reminded = now
            self.log.error(
                "%s still failing after %d messages (%.0f s): %s",
                self.what, self.failures, now - self._since, exc,
            )  # fmt: skip

    def ok(self) -> None:
        if self.failures:
            self.log.warning(
                "%s works again after %d failed messages (%.0f s)",
                self.what, self.failures, self.clock() - self._since,
            )  # fmt: skip
            self.failures = 0
