"""What Bot API errors mean to the shared retry policy (channels/common/retry.py)."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from channels.common.retry import GIVE_UP, Failure, RetryPolicy
from handlers.outage import OutageLog, error_type

log = logging.getLogger(__name__)


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter.retry_after in seconds, whether PTB gives an int or a timedelta."""
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def is_transient(exc: TelegramError) -> bool:
    """Timeouts, dropped connections and 5xx answers: worth trying again."""
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest | RetryAfter)


def classify(exc: BaseException) -> Failure | None:
    """429: wait what Telegram asks; network faults and 5xx: back off; the rest: give up."""
    if isinstance(exc, RetryAfter):
        return Failure(wait=retry_seconds(exc))
    if isinstance(exc, TelegramError) and is_transient(exc):
        return Failure(transient=True)
    return GIVE_UP


def outage_log() -> OutageLog:
    """The Bot API's outage log: a warning when it starts and when it ends."""
    return OutageLog(log, "Telegram Bot API", level=logging.WARNING,
                     consequence="retrying with backoff", describe=error_type)  # fmt: skip


def policy(attempts: int = 6, **kwargs) -> RetryPolicy:
    """The shared retry policy with the Bot API's classifier and outage log."""
    return RetryPolicy(classify, attempts=attempts, outage=outage_log(), **kwargs)


ONCE = policy(attempts=1)  # the caller (the broadcast outbox) decides about retries
