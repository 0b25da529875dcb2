"""`python bot.py telegram`: long polling until SIGINT/SIGTERM, then a clean stop."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from telegram.error import InvalidToken, NetworkError

from channels.telegram.app import TelegramChannel
from handlers import Assistant
from settings import Settings, SettingsError

log = logging.getLogger(__name__)


def stop_on_signals(event: asyncio.Event) -> None:
    """Set `event` on SIGINT or SIGTERM (instead of raising KeyboardInterrupt)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, event.set)


async def run_polling(settings: Settings, args: argparse.Namespace) -> int:
    """Answer Telegram users by long polling; in-flight updates finish on shutdown."""
    from bot import open_deps  # late: bot.py imports the channels' runners
    from channels.broadcasting import broadcast_web_part  # late: it imports channels.web

    if settings.telegram_bot_token is None:
        raise SettingsError("TELEGRAM_BOT_TOKEN: not set")
    deps = await open_deps(settings)
    stop = asyncio.Event()
    stop_on_signals(stop)
    assistant = Assistant(deps)
    channel = TelegramChannel(assistant)
    background = broadcast_web_part(assistant)  # the broadcast worker, as under `serve`
    try:
        try:
            await channel.start_polling()
        except InvalidToken:
            raise SettingsError("TELEGRAM_BOT_TOKEN: Telegram refused this token") from None
        except NetworkError as exc:
            log.error("cannot reach the Telegram Bot API (%s); is it up?", type(exc).__name__)
            return 1
        for hook in background.on_startup:
            await hook()
        await stop.wait()
        log.info("stopping: finishing updates in progress")
    finally:
        for hook in reversed(background.on_shutdown):
            await hook()
        await channel.stop()
        await deps.storage.close()
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`telegram` takes no options: everything comes from the environment."""
