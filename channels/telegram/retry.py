"""Calling the Bot API: retry timeouts and network errors with backoff, wait out 429s."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

log = logging.getLogger(__name__)
T = TypeVar("T")


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter.retry_after in seconds, whether PTB gives an int or a timedelta."""
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def is_transient(exc: TelegramError) -> bool:
    """Timeouts, dropped connections and 5xx answers: worth trying again."""
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)


class Outage:
    """Logs a Bot API outage once when it starts and once when it ends, not on every failure."""

    def __init__(self) -> None:
        self.failures = 0

    def failed(self, exc: TelegramError) -> None:
        if self.failures == 0:
            log.warning("Telegram Bot API failing (%s); retrying with backoff", type(exc).__name__)
        self.failures += 1

    def succeeded(self) -> None:
        if self.failures:
            log.warning("Telegram Bot API reachable again after %d failed calls", self.failures)
            self.failures = 0


@dataclass(frozen=True)
class RetryPolicy:
    """How often to try one Bot API call: `attempts` in all, backoff doubling from `backoff`.

    With the defaults a reply keeps trying for about 15 s (0.5 + 1 + 2 + 4 + 8).
    """

    attempts: int = 6
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0  # a longer 429 wait is given up (and raised)
    outage: Outage = field(default_factory=Outage, compare=False)

    async def call(self, fn: Callable[..., Awaitable[T]], **kwargs) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                result = await fn(**kwargs)
            except RetryAfter as exc:
                wait = retry_seconds(exc)
                if attempt == self.attempts or wait > self.max_retry_after:
                    raise
                log.info("Telegram asked to wait %.1f s (429); waiting", wait)
                await asyncio.sleep(wait)
            except NetworkError as exc:  # includes TimedOut; RetryAfter is caught above
                if not is_transient(exc):
                    raise
                self.outage.failed(exc)
                if attempt == self.attempts:
                    raise
                delay = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
                await asyncio.sleep(delay * random.uniform(0.8, 1.2))
            else:
                self.outage.succeeded()
                return result
        raise AssertionError("unreachable")


ONCE = RetryPolicy(attempts=1)  # the caller (the broadcast outbox) decides about retries
