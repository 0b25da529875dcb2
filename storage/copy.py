"""copy-data: a city's SQLite database into a fresh PostgreSQL one, every table, counts checked.

The tables come from the schema itself (not a list kept here), so a table added by a new
migration is copied too. Both sides are brought to the same migrations first; the target
must hold no rows at all; everything is written in one transaction, ids kept, identity
sequences moved past them, and every table's row count compared at the end.
"""

from __future__ import annotations

from collections.abc import Callable

from storage.db import Database, is_postgres

BATCH = 2000


class CopyRefused(Exception):
    """The copy cannot start (or did not verify); the message says why."""


async def copy_data(
    source_url: str, target_url: str, progress: Callable[[str], object] = lambda _line: None
) -> dict[str, int]:
    """Copy every table from `source_url` to the empty PostgreSQL `target_url`; rows per table."""
    if not is_postgres(target_url):
        raise CopyRefused("the target must be a postgresql:// database")
    if is_postgres(source_url):
        raise CopyRefused("the source must be a sqlite:/// database")
    source = await Database.open(source_url, migrate=False)
    try:
        pending = await source.pending_migrations()
        if pending:
            raise CopyRefused(
                f"the source has {len(pending)} pending migration(s) ({', '.join(pending)}): "
                f"run `python bot.py migrate --database {source_url}` first"
            )
        target = await Database.open(target_url, pool_size=2)
        try:
            return await _copy(source, target, progress)
        finally:
            await target.close()
    finally:
        await source.close()


async def _copy(source: Database, target, progress: Callable[[str], object]) -> dict[str, int]:
    tables = await source.tables()
    missing = sorted(set(tables) - set(await target.tables()))
    if missing:
        raise CopyRefused(f"the target lacks tables {missing}: is it on another schema version?")
    nonempty = await target.nonempty_tables()
    if nonempty:
        raise CopyRefused(f"the target already holds data (tables {', '.join(nonempty)})")
    order = await target.dependency_order(tables)
    counts = {table: 0 for table in order}

    async def batches():
        for table in order:
            columns = None
            async for rows in source.iter_rows(table, BATCH):
                columns = columns or [k for k in rows[0].keys() if k != "_rowid_"]  # noqa: SIM118
                counts[table] += len(rows)
                yield table, columns, [tuple(row[c] for c in columns) for row in rows]
            progress(f"{table}: {counts[table]} rows")

    await target.load(batches())
    for table in order:
        got = await target.fetchone(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 -- from the schema
        want = await source.fetchone(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 -- from the schema
        if got[0] != want[0] or got[0] != counts[table]:
            raise CopyRefused(f"{table}: {want[0]} rows in the source, {got[0]} in the target")
    return counts
