"""`python -m tests.outbox_process`: Telegram polling plus the broadcast worker in one process.

What `bot.py telegram` runs once the broadcast worker is wired into it (the fault tests use
bot.py itself as soon as it is).
"""

from __future__ import annotations

import asyncio
import sys

from bot import open_deps
from channels.telegram.app import TelegramChannel
from channels.telegram.polling import stop_on_signals
from handlers import Assistant
from handlers.broadcast.worker import BroadcastWorker
from logsetup import configure_logging
from settings import load_settings


async def main() -> int:
    settings = load_settings()
    configure_logging(settings.log_level, settings.secrets())
    deps = await open_deps(settings)
    stop = asyncio.Event()
    stop_on_signals(stop)
    channel = TelegramChannel(Assistant(deps))
    try:
        await channel.start_polling()
        async with BroadcastWorker(deps):
            await stop.wait()
    finally:
        await channel.stop()
        await deps.storage.close()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
