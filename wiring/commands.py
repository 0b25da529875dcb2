"""Every command of `bot.py`: its arguments, its runner; and running one with clean exit codes.

To add a command: write `add_arguments(parser)` and `async runner(settings, args) -> int`,
and list them in COMMANDS.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from channels.web import PartUnavailable
from handlers.registration.fields import texts_needed
from knowledge import KnowledgeError
from knowledge.cli import add_ask_arguments, add_check_arguments, run_ask, run_check
from logsetup import configure_logging
from settings import Settings, SettingsError, load_settings
from storage import StorageError
from storage.cli import add_copy_arguments, add_migrate_arguments, run_copy_data, run_migrate
from wiring.runners import (
    add_console_arguments,
    add_telegram_arguments,
    run_console_command,
    run_default,
    run_telegram,
)

Runner = Callable[[Settings, argparse.Namespace], Awaitable[int]]


@dataclass(frozen=True)
class Command:
    add_arguments: Callable[[argparse.ArgumentParser], None]
    runner: Runner
    help: str


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=None, help="address to listen on (default HOST)")
    parser.add_argument("--port", type=int, default=None, help="port (default PORT)")


async def run_serve(settings: Settings, args: argparse.Namespace) -> int:
    """`serve` (wiring/web.py), imported when run: the web stack and the channels' libraries
    cost every other command's start-up ~0.2 s of CPU."""
    from wiring import web

    return await web.run_serve(settings, args)


async def run_check_knowledge(settings: Settings, args: argparse.Namespace) -> int:
    """The knowledge files, and every UI text the code declares it needs, in every language."""
    return run_check(args.folder, texts_needed())


COMMANDS: dict[str, Command] = {
    "console": Command(add_console_arguments, run_console_command, "chat in the terminal"),
    "ask": Command(add_ask_arguments, run_ask, "answer FAQ questions (arguments or stdin)"),
    "check-knowledge": Command(add_check_arguments, run_check_knowledge,
                               "validate the knowledge files"),
    "telegram": Command(add_telegram_arguments, run_telegram, "run on Telegram by long polling"),
    "serve": Command(add_serve_arguments, run_serve, "web server for webhooks and /healthz"),
    "migrate": Command(add_migrate_arguments, run_migrate,
                       "apply database migrations (--check: list them, exit 1 if pending)"),
    "copy-data": Command(add_copy_arguments, run_copy_data,
                         "copy a SQLite database into an empty PostgreSQL one"),
}


def run(args: argparse.Namespace) -> int:
    """Load the settings, run `args.command` (none: Telegram or the console); the exit code."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.secrets())
    runner = COMMANDS[args.command].runner if args.command else run_default
    try:
        return asyncio.run(runner(settings, args))
    except KeyboardInterrupt:  # Ctrl-C before a runner took over the signals (they stop cleanly)
        print(file=sys.stderr)
        return 130
    except SettingsError as exc:  # found at start-up, e.g. WhatsApp without its app secret
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except PartUnavailable:  # already logged
        return 1
    except (KnowledgeError, StorageError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
