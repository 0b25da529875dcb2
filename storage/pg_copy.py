"""copy-data's writing side on PostgreSQL: rows from SQLite, typed as the target's columns."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg


async def load_batches(
    conn: asyncpg.Connection, batches: AsyncIterator[tuple[str, list[str], list[tuple]]]
) -> None:
    """Write (table, columns, rows) batches as they are, ids included, on `conn` (in the
    caller's transaction); then move every identity sequence past the largest id."""
    types: dict[str, dict[str, str]] = {}
    async for table, columns, rows in batches:
        if table not in types:
            types[table] = await _column_types(conn, table)
        kinds = [types[table][c] for c in columns]
        records = [tuple(_coerce(v, k) for v, k in zip(row, kinds, strict=True)) for row in rows]
        await conn.copy_records_to_table(table, records=records, columns=columns)
    for table, column in await conn.fetch(
        """SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = current_schema() AND is_identity = 'YES'"""
    ):
        await conn.execute(
            f"""SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                  COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"""  # noqa: S608 -- names from the catalogue
        )


async def _column_types(conn: asyncpg.Connection, table: str) -> dict[str, str]:
    rows = await conn.fetch(
        """SELECT column_name, data_type FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name = $1""",
        table,
    )
    return {row[0]: row[1] for row in rows}


def _coerce(value: Any, kind: str) -> Any:
    """A SQLite value (loosely typed) as the PostgreSQL column's type wants it."""
    if value is None:
        return None
    if kind == "text":
        return value if isinstance(value, str) else str(value)
    if kind in ("bigint", "integer", "smallint"):
        return int(value)
    if kind in ("double precision", "real", "numeric"):
        return float(value)
    if kind == "bytea":
        return bytes(value) if not isinstance(value, str) else value.encode()
    return value
