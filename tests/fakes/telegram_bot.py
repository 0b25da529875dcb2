"""The real bot (PTB Application, polling) running in-process against the stand-in Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from channels.common.retry import RetryPolicy
from channels.telegram.app import TelegramChannel
from channels.telegram.retry import policy
from handlers import Assistant
from tests.fakes.telegram_api import FakeBotApi


def fast_policy() -> RetryPolicy:
    """Fast backoff for tests: the behaviour is the same, the waits are shorter."""
    return policy(attempts=4, backoff=0.05, max_backoff=0.2)


class BotUnderTest:
    """Talk to the running bot as user `chat_id`; each call waits until the update is answered."""

    def __init__(self, api: FakeBotApi, channel: TelegramChannel) -> None:
        self.api = api
        self.channel = channel
        self.handled: set[int] = set()  # update ids the bot has finished answering
        channel.bridge.on_handled = self._handled

    def _handled(self, update_id: int) -> None:
        self.handled.add(update_id)
        self.api.notify()

    async def _exchange(self, chat_id: int, push: Callable[[], int]) -> list[str]:
        before = len(self.api.sent_to(chat_id))
        update_id = push()
        await self.api.wait_until(lambda: update_id in self.handled)
        return self.api.texts(chat_id)[before:]

    async def send(self, user: Any, text: str) -> list[str]:
        """The user types `text`; returns the texts the bot sent back."""
        return await self._exchange(_chat(user), lambda: self.api.send_text(user, text))

    async def reply_to(self, user: Any, text: str, to: dict) -> list[str]:
        """The user answers the bot's message `to` with a Telegram reply."""
        return await self._exchange(_chat(user), lambda: self.api.send_reply(user, text, to))

    async def press(self, user: Any, label_or_data: str) -> list[str]:
        return await self._exchange(_chat(user), lambda: self.api.press(user, label_or_data))

    async def share_contact(self, user: Any, phone: str, own: bool = True) -> list[str]:
        return await self._exchange(
            _chat(user), lambda: self.api.share_contact(user, phone, own=own)
        )

    async def send_photo(self, user: Any, data: bytes, caption: str | None = None,
                         **extra: Any) -> list[str]:
        return await self._exchange(
            _chat(user), lambda: self.api.send_photo(user, data, caption, **extra)
        )

    async def send_document(self, user: Any, data: bytes, file_name: str, mime_type: str,
                            caption: str | None = None, **extra: Any) -> list[str]:
        return await self._exchange(
            _chat(user),
            lambda: self.api.send_document(user, data, file_name, mime_type, caption, **extra),
        )

    async def send_fixture(self, user: Any, name: str, **fields: Any) -> list[str]:
        return await self._exchange(
            _chat(user), lambda: self.api.send_fixture(name, user, **fields)
        )


def _chat(user: Any) -> int:
    return user["id"] if isinstance(user, dict) else int(user)


@asynccontextmanager
async def running_bot(
    api: FakeBotApi, assistant: Assistant, policy: RetryPolicy | None = None
) -> AsyncIterator[BotUnderTest]:
    """Start the bot in polling mode against `api`; stop it cleanly afterwards.

    The assistant's settings must carry TELEGRAM_BOT_TOKEN=api.token and
    TELEGRAM_API_URL=api.base_url.
    """
    channel = TelegramChannel(assistant, policy=policy or fast_policy())
    await channel.start_polling()
    try:
        yield BotUnderTest(api, channel)
    finally:
        await channel.stop()
