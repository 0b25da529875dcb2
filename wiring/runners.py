"""The runners of `bot.py`, `bot.py console` and `bot.py telegram`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from channels.console import CHANNEL as CONSOLE
from channels.console import ConsoleSender, run_console
from handlers import Assistant
from handlers.direct import drain
from settings import Settings
from wiring.deps import opened
from wiring.lifecycle import broadcast_part, running, stop_on_signals, until_signalled

INTERRUPTED = 130  # the exit code of a program stopped by Ctrl-C
CONSOLE_DRAIN = 10.0  # seconds the console waits at the end of its input for messages due


async def run_console_command(settings: Settings, args: argparse.Namespace) -> int:
    """Chat in the terminal until stdin ends; broadcasts to console users print here too."""
    if args.admin:
        settings = settings.model_copy(
            update={"admin_ids": settings.admin_ids | {f"{CONSOLE}:{args.user}"}}
        )
    stop = asyncio.Event()
    stop_on_signals(stop)  # Ctrl-C: the chat stops, the worker and the database close cleanly
    async with opened(settings) as deps:
        shown: dict = {}  # the buttons each console user was shown, replies and outbox alike
        deps.senders[CONSOLE] = ConsoleSender(sys.stdout, shown)
        async with running([broadcast_part(deps)]):
            chat = asyncio.create_task(run_console(
                Assistant(deps), user_id=args.user, shown=shown,
                settle=lambda: drain(deps, CONSOLE, CONSOLE_DRAIN)))  # fmt: skip
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait([chat, stopping], return_when=asyncio.FIRST_COMPLETED)
            for task in (chat, stopping):
                task.cancel()
            await asyncio.gather(chat, stopping, return_exceptions=True)
            if not stop.is_set():  # input over: staff replies and ticket cards still due
                await drain(deps, CONSOLE, CONSOLE_DRAIN)
    if stop.is_set():
        print(file=sys.stderr)
        return INTERRUPTED
    chat.result()  # an error in the chat is raised here
    return 0


async def run_telegram(settings: Settings, args: argparse.Namespace) -> int:
    """Answer Telegram users by long polling until SIGINT/SIGTERM."""
    # imported here: python-telegram-bot costs the console and `ask` ~0.1 s of start-up CPU
    from channels.telegram.polling import polling_part

    async with opened(settings) as deps:
        # Telegram gives each update to one getUpdates caller: with several workers on one
        # database, one polls and the rest serve webhooks (docs/deploy.md).
        polling = deps.storage.db.leadership("telegram-polling")
        if not await polling.lead():
            print("Error: another worker on this database already polls Telegram; run "
                  "`python bot.py serve` with PUBLIC_URL (webhooks) here instead",
                  file=sys.stderr)
            return 1
        try:
            assistant = Assistant(deps)
            await until_signalled([polling_part(assistant), broadcast_part(deps)])
        finally:
            await polling.resign()
    return 0


async def run_default(settings: Settings, args: argparse.Namespace) -> int:
    """Telegram polling with a token, else the console."""
    if settings.telegram_bot_token is not None:
        return await run_telegram(settings, args)
    args.user, args.admin = "console-user", False
    return await run_console_command(settings, args)


def add_console_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", default="console-user", help="user id to chat as")
    parser.add_argument("--admin", action="store_true", help="chat as an admin")


def add_telegram_arguments(parser: argparse.ArgumentParser) -> None:
    """`telegram` takes no options: everything comes from the environment."""
