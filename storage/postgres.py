"""The PostgreSQL engine (asyncpg): a connection pool shared by the repositories of a worker.

Several workers may use one database: migrations run under an advisory lock, `keyed_lock`
is an advisory lock per key (per user), and a lost connection is a StorageError for the
statement that met it while the pool opens a fresh one for the next.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import asyncpg

from storage.db import ENGINES, Database, Params, Result, StorageError, migration_scripts
from storage.dialect import POSTGRESQL, to_postgres
from storage.pg_copy import load_batches
from storage.pg_session import CONNECT_TIMEOUT, UNUSABLE, PgLeadership, lock_key

log = logging.getLogger(__name__)

_INSERT_INTO = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)
MIGRATION_LOCK = "schema_migrations"


def redact(url: str) -> str:
    """The URL without its password."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


@asynccontextmanager
async def unusable_as_storage_error(url: str) -> AsyncIterator[None]:
    """Turn a lost connection, an unreachable or full server into StorageError (naming it)."""
    try:
        yield
    except UNUSABLE as exc:
        raise StorageError(f"database {redact(url)!r}: {type(exc).__name__}: {exc}") from exc


def _number(text: str) -> int | float:
    """numeric (SUM of integers, AVG) as SQLite gives it: int when whole, else float."""
    return float(text) if any(c in text for c in ".eEN") else int(text)


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "numeric", schema="pg_catalog", encoder=str, decoder=_number, format="text"
    )


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Pool reset for statement connections: nothing to undo (they take no advisory lock,
    LISTEN, cursor or setting), so asyncpg's reset query, a round trip per statement, is
    skipped; a transaction left open is still rolled back by asyncpg itself."""


async def _unlock_all(conn: asyncpg.Connection) -> None:
    """Pool reset for lock connections: the lock taken on it ends with its block (one round
    trip, instead of an unlock and then asyncpg's reset query)."""
    await conn.execute("SELECT pg_advisory_unlock_all()")


class PgTx:
    """Statements inside one transaction, on one pooled connection."""

    def __init__(self, db: PostgresDatabase, conn: asyncpg.Connection) -> None:
        self._db = db
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> Result:
        return await self._db._run(self._conn, sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        rows = list(rows)
        if not rows:
            return
        text, _ = to_postgres(sql, rows[0])
        await self._conn.executemany(text, [to_postgres(sql, row)[1] for row in rows])

    async def fetchone(self, sql: str, params: Params = ()) -> asyncpg.Record | None:
        return await self._conn.fetchrow(*_args(sql, params))

    async def fetchall(self, sql: str, params: Params = ()) -> list[asyncpg.Record]:
        return await self._conn.fetch(*_args(sql, params))


def _args(sql: str, params: Params) -> list[Any]:
    text, values = to_postgres(sql, params)
    return [text, *values]


class PostgresDatabase(Database):
    """A pool of asyncpg connections; statements in autocommit, `transaction()` on one."""

    dialect = POSTGRESQL
    shared = True

    def __init__(
        self, pool: asyncpg.Pool, locks: asyncpg.Pool, url: str, clock: Callable[[], datetime]
    ) -> None:
        self._pool = pool
        self._locks = locks  # connections holding advisory locks (per user, leader)
        self.url = redact(url)
        self.path = self.url
        self._dsn = url
        self.now = clock
        self.namespace = "public"
        self._id_tables: set[str] = set()

    @classmethod
    async def connect(
        cls, url: str, clock: Callable[[], datetime], pool_size: int = 10, migrate: bool = True
    ) -> PostgresDatabase:
        """Open the pools (and migrate) on the database at `url`."""
        try:
            pool = await asyncpg.create_pool(
                url, min_size=1, max_size=pool_size, init=_init_connection,
                timeout=CONNECT_TIMEOUT, command_timeout=60, reset=_keep_session,
            )
            locks = await asyncpg.create_pool(
                url, min_size=0, max_size=pool_size, timeout=CONNECT_TIMEOUT, reset=_unlock_all
            )
        except (*UNUSABLE, asyncpg.PostgresError) as exc:
            raise StorageError(f"cannot open database {redact(url)!r}: {exc}") from exc
        db = cls(pool, locks, url, clock)
        try:
            db.namespace = await pool.fetchval("SELECT current_schema()") or "public"
            if migrate:
                await db.migrate()
            await db._load_id_tables()
        except Exception as exc:
            await db.close()
            raise StorageError(f"cannot prepare database {redact(url)!r}: {exc}") from exc
        return db

    async def close(self) -> None:
        for pool in (self._pool, self._locks):
            try:
                await asyncio.wait_for(pool.close(), 10)
            except (TimeoutError, *UNUSABLE):
                pool.terminate()

    async def _load_id_tables(self) -> None:
        rows = await self._pool.fetch(
            """SELECT table_name FROM information_schema.columns
               WHERE table_schema = current_schema() AND column_name = 'id'"""
        )
        self._id_tables = {row[0] for row in rows}

    async def _run(self, conn: asyncpg.Connection, sql: str, params: Params) -> Result:
        """One write on `conn`: rows changed, and the new id as SQLite's lastrowid would be."""
        text, values = to_postgres(sql, params)
        insert = _INSERT_INTO.match(sql)
        if insert and insert.group(1) in self._id_tables and "RETURNING" not in sql.upper():
            rows = await conn.fetch(f"{text} RETURNING id", *values)
            return Result(len(rows), rows[-1][0] if rows else None)
        status = await conn.execute(text, *values)
        last = status.rsplit(" ", 1)[-1]
        return Result(int(last) if last.isdigit() else 0)

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with unusable_as_storage_error(self.url), self._pool.acquire() as conn:
            result = await self._run(conn, sql, params)
        insert = _INSERT_INTO.match(sql)
        return result.lastrowid if insert and result.lastrowid is not None else result.rowcount

    async def fetchone(self, sql: str, params: Params = ()) -> asyncpg.Record | None:
        async with unusable_as_storage_error(self.url):
            return await self._pool.fetchrow(*_args(sql, params))

    async def fetchall(self, sql: str, params: Params = ()) -> list[asyncpg.Record]:
        async with unusable_as_storage_error(self.url):
            return await self._pool.fetch(*_args(sql, params))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgTx]:  # type: ignore[override]
        async with (
            unusable_as_storage_error(self.url),
            self._pool.acquire() as conn,
            conn.transaction(),
        ):
            yield PgTx(self, conn)

    async def _applied(self, conn: asyncpg.Connection) -> set[str]:
        exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
        if not exists:
            return set()
        return {row[0] for row in await conn.fetch("SELECT name FROM schema_migrations")}

    async def pending_migrations(self) -> list[str]:
        async with unusable_as_storage_error(self.url), self._pool.acquire() as conn:
            done = await self._applied(conn)
        return [name for name, _sql in migration_scripts("postgresql") if name not in done]

    async def migrate(self) -> list[str]:
        """Apply pending migrations under an advisory lock: the first worker does, others wait
        (on a lock connection: its release unlocks, whatever happened meanwhile)."""
        key = lock_key(self.namespace, MIGRATION_LOCK)
        applied = []
        async with unusable_as_storage_error(self.url), self._locks.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", key)
            await conn.execute(
                """CREATE TABLE IF NOT EXISTS schema_migrations
                   (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"""
            )
            done = await self._applied(conn)
            for name, sql in migration_scripts("postgresql"):
                if name in done:
                    continue
                async with conn.transaction():
                    await conn.execute(sql)
                    await conn.execute(
                        "INSERT INTO schema_migrations VALUES ($1, $2)",
                        name, self.now().isoformat(),
                    )
                log.info("applied migration %s", name)
                applied.append(name)
        await self._load_id_tables()
        return applied

    async def tables(self) -> list[str]:
        rows = await self.fetchall(
            """SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relkind = 'r'
                 AND c.relname != 'schema_migrations' ORDER BY c.oid"""
        )
        return [row[0] for row in rows]

    async def integrity_ok(self) -> bool:
        return await self.ping()

    @asynccontextmanager
    async def keyed_lock(self, key: str) -> AsyncIterator[None]:
        """An advisory lock for `key`, held on its own connection until the block ends (the
        connection's release to the pool unlocks it: `_unlock_all`)."""
        number = lock_key(self.namespace, key)
        async with unusable_as_storage_error(self.url), self._locks.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", number)
            yield

    def leadership(self, name: str) -> PgLeadership:
        return PgLeadership(self._dsn, lock_key(self.namespace, f"leader:{name}"))

    async def nonempty_tables(self) -> list[str]:
        """Tables holding at least one row (copy-data refuses such a target)."""
        found = []
        for table in await self.tables():
            if await self.fetchone(f"SELECT 1 FROM {table} LIMIT 1"):  # noqa: S608 -- from the catalogue
                found.append(table)
        return found

    async def dependency_order(self, tables: list[str]) -> list[str]:
        """`tables` ordered so that a table comes after those its foreign keys refer to."""
        rows = await self.fetchall(
            """SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c
               JOIN pg_namespace n ON n.oid = c.connamespace
               WHERE c.contype = 'f' AND n.nspname = current_schema()"""
        )
        needs = {table: set() for table in tables}
        for child, parent in rows:
            if child in needs and parent in needs and child != parent:
                needs[child].add(parent)
        order: list[str] = []
        while needs:
            ready = [t for t in tables if t in needs and not needs[t] - set(order)]
            if not ready:
                raise StorageError(f"foreign keys form a cycle among {sorted(needs)}")
            for table in ready:
                order.append(table)
                del needs[table]
        return order

    async def load(self, batches: AsyncIterator[tuple[str, list[str], list[tuple]]]) -> None:
        """Write (table, columns, rows) batches as they are, ids included, in one transaction;
        then move every identity sequence past the largest id (copy-data)."""
        async with (
            unusable_as_storage_error(self.url),
            self._pool.acquire() as conn,
            conn.transaction(),
        ):
            await load_batches(conn, batches)


ENGINES["postgresql"] = PostgresDatabase
