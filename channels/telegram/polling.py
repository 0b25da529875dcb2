"""`python bot.py telegram`: long polling until SIGINT/SIGTERM, then a clean stop."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from channels.telegram.app import TelegramChannel
from handlers import Assistant
from settings import Settings

log = logging.getLogger(__name__)


def stop_on_signals(event: asyncio.Event) -> None:
    """Set `event` on SIGINT or SIGTERM (instead of raising KeyboardInterrupt)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, event.set)


async def run_polling(settings: Settings, args: argparse.Namespace) -> int:
    """Answer Telegram users by long polling; in-flight updates finish on shutdown."""
    from bot import open_deps  # late: bot.py imports the channels' runners

    if settings.telegram_bot_token is None:
        log.error("TELEGRAM_BOT_TOKEN is not set")
        return 2
    deps = await open_deps(settings)
    stop = asyncio.Event()
    stop_on_signals(stop)
    channel = TelegramChannel(Assistant(deps))
    try:
        await channel.start_polling()
        await stop.wait()
        log.info("stopping: finishing updates in progress")
    finally:
        await channel.stop()
        await deps.storage.close()
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`telegram` takes no options: everything comes from the environment."""
