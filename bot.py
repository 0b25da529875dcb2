"""Entry point: `python bot.py [command]` — see README.md for the commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable

from channels.telegram.polling import add_arguments as add_telegram_arguments
from channels.telegram.polling import run_polling
from channels.web import add_arguments as add_serve_arguments
from channels.web import run_serve
from handlers import Assistant, Deps
from handlers.faq import load_phrasings
from handlers.staff.lookup import stored_roles
from knowledge import KnowledgeError, load_knowledge
from knowledge.cli import add_ask_arguments, add_check_arguments, run_ask, run_check
from logsetup import configure_logging
from settings import Settings, SettingsError, load_settings
from storage import StorageError, open_storage


async def open_deps(settings: Settings) -> Deps:
    """Open the database and load the knowledge: everything a handler needs."""
    knowledge = load_knowledge()
    storage = await open_storage(settings.database_path)
    deps = Deps(settings=settings, storage=storage, knowledge=knowledge)
    deps.services["role_lookup"] = stored_roles(storage)
    await load_phrasings(deps)  # curated FAQ phrasings from the database
    return deps


async def run_console_command(settings: Settings, args: argparse.Namespace) -> int:
    from channels.broadcasting import ConsoleSender
    from channels.console import run_console
    from handlers.broadcast.worker import BroadcastWorker

    if args.admin:
        settings = settings.model_copy(
            update={"admin_ids": settings.admin_ids | {f"console:{args.user}"}}
        )
    deps = await open_deps(settings)
    deps.senders["console"] = ConsoleSender(sys.stdout)  # broadcasts to console users
    try:
        async with BroadcastWorker(deps):
            await run_console(Assistant(deps), user_id=args.user)
    finally:
        await deps.storage.close()
    return 0


async def run_default(settings: Settings, args: argparse.Namespace) -> int:
    """Telegram polling with a token, else the console."""
    if settings.telegram_bot_token is not None:
        return await run_polling(settings, args)
    args.user, args.admin = "console-user", False
    return await run_console_command(settings, args)


def add_console_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", default="console-user", help="user id to chat as")
    parser.add_argument("--admin", action="store_true", help="chat as an admin")


Runner = Callable[[Settings, argparse.Namespace], Awaitable[int]]
# name -> (add_arguments, runner, help)
COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Runner, str]] = {
    "console": (add_console_arguments, run_console_command, "chat in the terminal"),
    "ask": (add_ask_arguments, run_ask, "answer FAQ questions (arguments or stdin)"),
    "check-knowledge": (add_check_arguments, run_check, "validate the knowledge files"),
    "telegram": (add_telegram_arguments, run_polling, "run on Telegram by long polling"),
    "serve": (add_serve_arguments, run_serve, "web server for webhooks and /healthz"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot.py", description="Bandung SME assistant")
    sub = parser.add_subparsers(dest="command")
    for name, (add_arguments, _runner, help_text) in COMMANDS.items():
        add_arguments(sub.add_parser(name, help=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.secrets())
    runner = COMMANDS[args.command][1] if args.command else run_default
    try:
        return asyncio.run(runner(settings, args))
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except SettingsError as exc:  # found at start-up, e.g. WhatsApp without its app secret
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except (KnowledgeError, StorageError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
