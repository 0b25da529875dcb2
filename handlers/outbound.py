"""Sending to a user outside a reply (broadcasts, review verdicts): the channel-free contract."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from handlers.types import Reply


class SendError(Exception):
    """A message could not be sent; `permanent` says whether retrying can help."""

    permanent = False


class RetryLater(SendError):
    """The platform asked us to slow down; try again after `retry_after` seconds."""

    def __init__(self, retry_after: float, message: str = "rate limited") -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RecipientRetryLater(SendError):
    """Only this recipient must wait (WhatsApp's pair rate limit): the others go on."""

    def __init__(self, retry_after: float, message: str = "recipient rate limited") -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ChannelDown(SendError):
    """The platform refuses the whole channel (expired token, account blocked): nothing can
    be sent to anyone until it accepts again. Not the recipient's fault: never permanent."""


class RecipientBlocked(SendError):
    """The user blocked the bot or can no longer be reached; do not try again."""

    permanent = True


class PermanentFailure(SendError):
    """The platform refused this message for good (bad request, unknown chat...)."""

    permanent = True


PROBE_EVERY = 60.0  # seconds between tries while a channel is refused (handlers/breaker.py)


@dataclass
class Breaker:
    """Open while the channel's platform refuses it; `probe_every` seconds between tries."""

    channel: str
    probe_every: float = PROBE_EVERY
    opened_at: float | None = None
    next_probe: float = 0.0
    recovered_at: float = float("-inf")  # monotonic time it last closed

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def trip(self, began: float | None = None) -> bool:
        """The platform refused the channel again; True if the breaker just opened.

        A refusal of a call that `began` before the channel last recovered is stale (a later
        call went through) and changes nothing.
        """
        if began is not None and began < self.recovered_at:
            return False
        now = time.monotonic()
        self.next_probe = now + self.probe_every
        if self.opened_at is not None:
            return False
        self.opened_at = now
        return True

    def may_probe(self) -> bool:
        """True when it is time for the next try (the caller sends one message)."""
        return time.monotonic() >= self.next_probe

    def reset(self) -> bool:
        """A message went through; True if the breaker was open (the channel recovered)."""
        was_open, self.opened_at = self.opened_at is not None, None
        if was_open:
            self.recovered_at = time.monotonic()
        return was_open


class Sender(Protocol):
    """A channel's way to send replies to one of its users by id."""

    channel: str

    async def send(self, user_id: str, replies: list[Reply]) -> list[str]:
        """Send the replies in order; return the platform message ids; raise SendError."""
        ...

