"""One retry policy for every platform call; each channel says what its errors mean.

A channel's classifier turns an exception into a `Failure`: wait what the platform asked (a
rate limit), back off (a transient fault, part of an outage), or give up (anything else).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from handlers.outage import OutageLog

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Failure:
    """What a failed call means: `wait` seconds asked by the platform, or a transient fault."""

    wait: float | None = None  # the platform asked to wait this long (429 and the like)
    transient: bool = False  # timeouts, dropped connections, 5xx: back off and try again


GIVE_UP = None  # a classifier's answer for an error that retrying cannot help
Classifier = Callable[[BaseException], Failure | None]


def _quiet_outage() -> OutageLog:
    return OutageLog(log, "platform API", level=logging.WARNING, consequence="retrying")


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` tries in all; backoff doubling from `backoff` (jittered, at most
    `max_backoff`); a platform's wait honoured up to `max_wait`.

    With the defaults one call keeps trying for about 15 s (0.5 + 1 + 2 + 4 + 8).
    """

    classify: Classifier
    attempts: int = 6
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_wait: float = 60.0  # a longer wait is given up (and the error raised)
    outage: OutageLog = field(default_factory=_quiet_outage, compare=False)

    async def call(self, fn: Callable[..., Awaitable[T]], *args, **kwargs) -> T:
        """`await fn(*args, **kwargs)`, tried again as the classifier allows."""
        for attempt in range(1, self.attempts + 1):
            try:
                result = await fn(*args, **kwargs)
            except Exception as exc:
                failure = self.classify(exc)
                if failure is None or attempt == self.attempts:
                    if failure is not None and failure.transient:
                        self.outage.failed(exc)
                    raise
                await asyncio.sleep(self._delay(failure, attempt, exc))
            else:
                self.outage.ok()
                return result
        raise AssertionError("unreachable")

    def _delay(self, failure: Failure, attempt: int, exc: BaseException) -> float:
        if failure.wait is not None:
            if failure.wait > self.max_wait:
                raise exc
            log.info("the platform asked to wait %.1f s; waiting", failure.wait)
            return failure.wait
        if failure.transient:
            self.outage.failed(exc)
        delay = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
        return delay * random.uniform(0.8, 1.2)
