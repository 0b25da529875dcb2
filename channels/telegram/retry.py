"""Calling the Bot API: retry timeouts and network errors with backoff, wait out 429s."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class RetryPolicy:
    """How often to try one Bot API call: `attempts` in all, backoff doubling from `backoff`."""

    attempts: int = 4
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0  # a longer 429 wait is given up (and raised)

    async def call(self, fn: Callable[..., Awaitable[T]], **kwargs) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return await fn(**kwargs)
            except RetryAfter as exc:
                wait = retry_seconds(exc)
                if attempt == self.attempts or wait > self.max_retry_after:
                    raise
                log.warning("Telegram asked to wait %.1f s (429); waiting", wait)
                await asyncio.sleep(wait)
            except NetworkError as exc:  # includes TimedOut; RetryAfter is caught above
                if attempt == self.attempts or not is_transient(exc):
                    raise
                delay = min(self.backoff * 2 ** (attempt - 1), self.max_backoff)
                log.info(
                    "Telegram call failed (%s); retry %d in %.1fs",
                    type(exc).__name__,
                    attempt,
                    delay,
                )
                await asyncio.sleep(delay * random.uniform(0.8, 1.2))
        raise AssertionError("unreachable")


ONCE = RetryPolicy(attempts=1)  # the caller (the broadcast outbox) decides about retries
