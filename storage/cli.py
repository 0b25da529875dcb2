"""`python bot.py migrate [--check]` and `python bot.py copy-data --from URL --to URL`."""

from __future__ import annotations

import argparse
import sys

from storage.copy import CopyRefused, copy_data
from storage.db import Database


def add_migrate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check", action="store_true",
        help="apply nothing; list pending migrations and exit 1 if there are any",
    )
    parser.add_argument("--database", metavar="URL", help="default: DATABASE_URL")


async def run_migrate(settings, args: argparse.Namespace) -> int:
    """Apply the pending migrations (or, with --check, only report them)."""
    url = args.database or settings.database_url
    db = await Database.open(url, migrate=False, pool_size=2)
    try:
        pending = await db.pending_migrations()
        if args.check:
            for name in pending:
                print(f"pending: {name}")
            print(f"{db.url}: {len(pending)} migration(s) pending")
            return 1 if pending else 0
        applied = await db.migrate()
        for name in applied:
            print(f"applied: {name}")
        print(f"{db.url}: {len(applied)} migration(s) applied, schema up to date")
        return 0
    finally:
        await db.close()


def add_copy_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="source", required=True, metavar="URL",
                        help="the database to read, e.g. sqlite:///data/bot.sqlite3")
    parser.add_argument("--to", dest="target", required=True, metavar="URL",
                        help="an empty database to fill, e.g. postgresql://bot@db:5432/bot")


async def run_copy_data(settings, args: argparse.Namespace) -> int:
    """Copy every table from one database into an empty one; verify the row counts."""
    try:
        counts = await copy_data(args.source, args.target, progress=print)
    except CopyRefused as exc:
        print(f"copy-data: {exc}", file=sys.stderr)
        return 1
    total = sum(counts.values())
    print(f"copied {total} rows in {len(counts)} tables; row counts verified")
    return 0
