"""The SQLite engine: one connection, pragmas, numbered migrations, serialised access."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import aiosqlite

from storage.db import (
    ENGINES,
    Database,
    Params,
    Query,
    Result,
    Step,
    StorageError,
    migration_scripts,
)
from storage.dialect import SQLITE

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


# SQLite results that mean "the database cannot be used right now", not "this query is wrong".
_UNUSABLE = ("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CORRUPT", "SQLITE_NOTADB",
             "SQLITE_CANTOPEN", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_PERM")  # fmt: skip


@asynccontextmanager
async def unusable_as_storage_error(path: str) -> AsyncIterator[None]:
    """Turn a full, read-only, locked or damaged database into StorageError (naming it)."""
    try:
        yield
    except sqlite3.Error as exc:
        name = getattr(exc, "sqlite_errorname", "") or ""
        if name.startswith(_UNUSABLE):
            raise StorageError(f"database {path!r}: {exc} ({name})") from exc
        raise


def _rows(conn: sqlite3.Connection, sql: str, params: Params, one: bool):
    """In the connection's thread: run a query, fetch its row(s), close the cursor."""
    cursor = conn.execute(sql, params)
    try:
        return cursor.fetchone() if one else cursor.fetchall()
    finally:
        cursor.close()


def _write(conn: sqlite3.Connection, sql: str, params: Params) -> Result:
    """In the connection's thread: run a statement; the rows it changed and the id it added."""
    cursor = conn.execute(sql, params)
    try:
        return Result(cursor.rowcount, cursor.lastrowid)
    finally:
        cursor.close()


def _write_many(conn: sqlite3.Connection, sql: str, rows: Iterable[Params]) -> None:
    conn.executemany(sql, rows).close()


async def _in_thread(conn: aiosqlite.Connection, fn: Callable, *args):
    """fn(the sqlite3 connection, *args) in aiosqlite's thread: one hand-over to that thread
    and back, where aiosqlite's own execute, fetch and close take one each (a FAQ message ran
    ten of them; each costs the event loop a wake-up). aiosqlite's queue (`_execute`) is the
    one it uses itself; its connection is only ever touched in that thread."""
    return await conn._execute(fn, conn._conn, *args)  # noqa: SLF001


def _first_rows(conn: sqlite3.Connection, queries: list[Query]) -> list:
    """In the connection's thread: each query's first row (or None), in order; a query with a
    `skip` (Database.fetch_each) is not run when skip(the previous row) is True."""
    rows: list = []
    for sql, params, *skip in queries:
        run = not (skip and skip[0](rows[-1] if rows else None))
        rows.append(_rows(conn, sql, params, True) if run else None)
    return rows


def _atomically(conn: sqlite3.Connection, steps: list[Step]) -> None:
    """In the connection's thread: BEGIN, the steps, COMMIT (ROLLBACK if one fails)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for step in steps:
            if step.many:
                _write_many(conn, step.sql, step.params)
            else:
                _write(conn, step.sql, step.params)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # as in transaction(): the next BEGIN must find none open
            conn.execute("ROLLBACK")
        raise


class SqliteTx:
    """Statements inside one transaction (see SqliteDatabase.transaction)."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> Result:
        """Run one statement; the Result has `rowcount` and `lastrowid`."""
        return await _in_thread(self._conn, _write, sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await _in_thread(self._conn, _write_many, sql, list(rows))

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        return await _in_thread(self._conn, _rows, sql, params, True)

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        return await _in_thread(self._conn, _rows, sql, params, False)


class SqliteDatabase(Database):
    """One aiosqlite connection shared by all repositories; access is serialised by a lock.

    Single statements run in autocommit; `transaction()` groups several atomically.
    """

    dialect = SQLITE

    def __init__(self, conn: aiosqlite.Connection, path: str, clock: Callable[[], datetime]):
        self._conn = conn
        self._lock = asyncio.Lock()
        self.path = path
        self.url = f"sqlite:///{path}"
        self.now = clock

    @classmethod
    async def connect(
        cls, path: str, clock: Callable[[], datetime], migrate: bool = True
    ) -> SqliteDatabase:
        """Open (creating folder and file) and migrate the database at `path`."""
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the folder of database {path!r}: {exc}") from exc
        conn = aiosqlite.connect(path, isolation_level=None)
        try:
            await conn
        except Exception as exc:  # sqlite3.OperationalError: unable to open
            await _worker_stopped(conn)
            raise StorageError(f"cannot open database {path!r}: {exc}") from exc
        conn.row_factory = aiosqlite.Row
        db = cls(conn, path, clock)
        try:
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten
            if path != ":memory:":
                await conn.execute("PRAGMA journal_mode = WAL")
                await conn.execute("PRAGMA synchronous = NORMAL")
            if migrate:
                await db.migrate()
        except Exception as exc:
            await conn.close()
            raise StorageError(f"cannot prepare database {path!r}: {exc}") from exc
        return db

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    async def _applied(self) -> set[str]:
        await self._conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        async with self._conn.execute("SELECT name FROM schema_migrations") as cursor:
            return {row[0] for row in await cursor.fetchall()}

    async def pending_migrations(self) -> list[str]:
        done = await self._applied()
        return [name for name, _sql in migration_scripts() if name not in done]

    async def migrate(self) -> list[str]:
        """Apply migrations not applied yet, each in its own transaction; return their names.

        Another process doing the same waits on SQLite's write lock (BEGIN IMMEDIATE); a
        migration it applied meanwhile is recorded and skipped here.
        """
        done = await self._applied()
        applied = []
        for name, sql in migration_scripts():
            if name in done:
                continue
            stamp = self.now().isoformat()
            # executescript takes no parameters; name is checked above, stamp is ours.
            record = f"INSERT INTO schema_migrations VALUES ('{name}', '{stamp}')"  # noqa: S608
            # Fails on the primary key (nothing applied) if another process recorded it first.
            script = f"BEGIN IMMEDIATE;\n{record};\n{sql}\n;COMMIT;"
            try:
                await self._conn.executescript(script)
            except Exception as exc:
                if self._conn.in_transaction:
                    await self._conn.execute("ROLLBACK")
                if "schema_migrations.name" in str(exc):  # recorded by another process meanwhile
                    continue
                raise
            log.info("applied migration %s", name)
            applied.append(name)
        return applied

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return lastrowid for an INSERT, else the row count."""
        async with self._lock, unusable_as_storage_error(self.path):
            result = await _in_thread(self._conn, _write, sql, params)
        return result.lastrowid if sql.lstrip().upper().startswith("INSERT") else result.rowcount

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        async with self._lock, unusable_as_storage_error(self.path):
            return await _in_thread(self._conn, _rows, sql, params, True)

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self._lock, unusable_as_storage_error(self.path):
            return await _in_thread(self._conn, _rows, sql, params, False)

    async def fetch_each(self, queries: Sequence[Query]) -> list[aiosqlite.Row | None]:
        async with self._lock, unusable_as_storage_error(self.path):
            return await _in_thread(self._conn, _first_rows, list(queries))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTx]:  # type: ignore[override]
        """Run several statements atomically; rolled back if the block raises."""
        async with self._lock, unusable_as_storage_error(self.path):
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteTx(self._conn)
                await self._conn.execute("COMMIT")
            except BaseException:
                # A failed COMMIT (disk full) leaves the transaction open; SQLite may also have
                # rolled back by itself already. Either way the next BEGIN must find none open.
                if self._conn.in_transaction:
                    await self._conn.execute("ROLLBACK")
                raise

    async def atomically(self, steps: Sequence[Step]) -> None:
        """Run `steps` in one transaction, in one hand-over to the connection's thread."""
        async with self._lock, unusable_as_storage_error(self.path):
            await _in_thread(self._conn, _atomically, list(steps))

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database and truncate it to zero bytes, so that
        no older copy of erased rows stays in the -wal file."""
        async with self._lock, unusable_as_storage_error(self.path):
            async with self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                busy, _, _ = await cursor.fetchone()
        if busy:
            log.warning("WAL checkpoint after an erasure was blocked; the next erasure or reply runs it again")

    async def integrity_ok(self) -> bool:
        """True if PRAGMA integrity_check reports ok."""
        row = await self.fetchone("PRAGMA integrity_check")
        return row is not None and row[0] == "ok"

    async def tables(self) -> list[str]:
        rows = await self.fetchall(
            """SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
               AND name != 'schema_migrations' ORDER BY rowid"""
        )
        return [row[0] for row in rows]

    async def iter_rows(self, table: str, batch: int = 1000) -> AsyncIterator[list[aiosqlite.Row]]:
        """Every row of `table` in batches, in rowid order (copy-data)."""
        if table not in await self.tables():
            raise StorageError(f"no table {table!r}")
        last = None
        while True:
            where, params = ("WHERE rowid > ?", (last,)) if last is not None else ("", ())
            rows = await self.fetchall(
                f"SELECT rowid AS _rowid_, * FROM {table} {where} ORDER BY rowid LIMIT ?",  # noqa: S608 -- a table name from sqlite_master
                (*params, batch),
            )
            if not rows:
                return
            last = rows[-1]["_rowid_"]
            yield rows

    def keyed_lock(self, key: str) -> contextlib.AbstractAsyncContextManager[None]:
        """Nothing to do: one process owns a SQLite database, and orders its own work."""
        return contextlib.nullcontext()


ENGINES["sqlite"] = SqliteDatabase


async def _worker_stopped(conn: aiosqlite.Connection) -> None:
    """Wait for the worker thread of a connection that failed to open.

    aiosqlite stops it without waiting; left alone it outlives the event loop and dies with a
    "loop is closed" traceback after the clear error has been printed.
    """
    thread = getattr(conn, "_thread", None)
    if thread is not None and thread.is_alive():
        await asyncio.to_thread(thread.join, 5)
