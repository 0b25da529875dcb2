"""The Sender for Telegram: replies to a user by id, with platform errors mapped to the core's."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.constants import MessageLimit
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)

from channels.common.language import user_language
from channels.common.retry import RetryPolicy
from channels.common.uploads import Uploads
from channels.telegram import CHANNEL
from channels.telegram.render import ChatKeyboards, Renderer
from channels.telegram.retry import ONCE, retry_seconds
from handlers.outbound import (
    ChannelDown,
    PermanentFailure,
    RecipientBlocked,
    RetryLater,
    SendError,
)
from handlers.types import Reply
from knowledge import Knowledge
from storage import Storage

log = logging.getLogger(__name__)


class TelegramSender:
    """Sends replies to `telegram:<user_id>` outside a conversation (broadcasts, notifications).

    One attempt per message: the caller's outbox decides when to retry. A 403 marks the user
    blocked in storage (they are unblocked when they write again).
    """

    channel = CHANNEL

    def __init__(
        self,
        bot: Bot,
        storage: Storage,
        knowledge: Knowledge,
        keyboards: ChatKeyboards | None = None,
        policy: RetryPolicy = ONCE,
        uploads: Uploads | None = None,
    ) -> None:
        self.storage = storage
        self.knowledge = knowledge
        self.uploads = uploads or Uploads(storage.media, CHANNEL)
        self.renderer = Renderer(
            bot, self._share_label, policy, keyboards or ChatKeyboards(), self.uploads
        )

    def _share_label(self, lang: str) -> str:
        return self.knowledge.texts.render(lang, "telegram.share_contact")

    async def send(self, user_id: str, replies: list[Reply]) -> list[str]:
        """Send the replies in order; return the message ids; raise a SendError subclass."""
        try:
            chat_id = int(user_id)
        except ValueError:
            chat_id = 0
        if chat_id <= 0:  # never chat 0 (or a group): we talk to users in private chats
            raise PermanentFailure("not a Telegram user id")
        lang = await user_language(self.storage.users, CHANNEL, user_id, None)
        try:
            sent = await self.renderer.send(chat_id, replies, lang)
        except TelegramError as exc:
            raise await self.translate(user_id, exc) from exc
        return [str(message.message_id) for message in sent]

    async def edit(self, user_id: str, message_id: str, reply: Reply) -> None:
        """Replace the text of a message sent earlier (broadcast progress); raise SendError."""
        try:
            await self.renderer.bot.edit_message_text(
                reply.text[: MessageLimit.MAX_TEXT_LENGTH],
                chat_id=int(user_id),
                message_id=int(message_id),
            )
        except TelegramError as exc:
            raise await self.translate(user_id, exc) from exc

    async def translate(self, user_id: str, exc: TelegramError) -> SendError:
        """The core's error for a Bot API error; a 403 also marks the user blocked."""
        if isinstance(exc, RetryAfter):
            return RetryLater(retry_seconds(exc))
        if isinstance(exc, Forbidden):
            await self.storage.users.set_blocked_by_key(CHANNEL, user_id, True)
            return RecipientBlocked(str(exc))
        if isinstance(exc, BadRequest | ChatMigrated):
            return PermanentFailure(str(exc))
        if isinstance(exc, InvalidToken):  # 401: nobody can be sent to (handlers/breaker.py)
            return ChannelDown("Telegram refused the bot token (401)")
        return SendError(f"{type(exc).__name__}: {exc}")
