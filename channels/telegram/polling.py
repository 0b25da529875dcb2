"""Telegram by long polling, as a part the composition root starts and stops."""

from __future__ import annotations

import logging

from telegram.error import InvalidToken, NetworkError

from channels.telegram.app import TelegramChannel
from channels.web import PartUnavailable, WebPart
from handlers import Assistant
from settings import SettingsError

log = logging.getLogger(__name__)


def polling_part(assistant: Assistant) -> WebPart:
    """Log in and fetch updates on start; on stop, in-flight updates finish first."""
    if assistant.deps.settings.telegram_bot_token is None:
        raise SettingsError("TELEGRAM_BOT_TOKEN: not set")
    channel = TelegramChannel(assistant)

    async def start() -> None:
        try:
            await channel.start_polling()
        except InvalidToken:  # PTB's message quotes the token: never let it reach a log
            raise SettingsError("TELEGRAM_BOT_TOKEN: Telegram refused this token") from None
        except NetworkError as exc:
            log.error("cannot reach the Telegram Bot API (%s); is it up?", type(exc).__name__)
            raise PartUnavailable("telegram") from None

    return WebPart("telegram", [], on_startup=[start], on_shutdown=[channel.stop])
