"""Sending to a user outside a reply (broadcasts, review verdicts): the channel-free contract."""

from __future__ import annotations

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


class Sender(Protocol):
    """A channel's way to send replies to one of its users by id."""

    channel: str

    async def send(self, user_id: str, replies: list[Reply]) -> list[str]:
        """Send the replies in order; return the platform message ids; raise SendError."""
        ...

