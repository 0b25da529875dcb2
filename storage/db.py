"""The database, whichever engine: what repositories may call, and how an engine is chosen.

`DATABASE_URL` picks the engine: `sqlite:///PATH` (the default, storage/sqlite.py) or
`postgresql://user@host:port/db` (storage/postgres.py). Both take the same SQL (see
storage/dialect.py) and the same numbered migrations.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any, Protocol

from storage.dialect import Dialect

Params = Sequence[Any] | dict[str, Any]
# fetch_each: (sql, params), or (sql, params, skip): not run when skip(the previous row) is True
Query = tuple[str, Params] | tuple[str, Params, Callable[[Any], bool]]
MIGRATION_NAME = re.compile(r"^\d{4}_[a-z0-9_]+$")
PG_VARIANT = ".postgresql.sql"  # NNNN_name.postgresql.sql replaces NNNN_name.sql on PostgreSQL


class StorageError(Exception):
    """The database cannot be used (unwritable, full, corrupt, unreachable...)."""


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def parse_time(value: str | None) -> datetime | None:
    """An ISO timestamp from the database, or None."""
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Result:
    """What a write did: rows changed, and the id of the last row inserted (if any)."""

    rowcount: int
    lastrowid: int | None = None


@dataclass(frozen=True)
class Step:
    """One statement of Database.atomically; with `many`, `params` is a list of rows."""

    sql: str
    params: Any = ()
    many: bool = False


class Row(Protocol):
    def __getitem__(self, key: int | str) -> Any: ...
    def keys(self) -> Iterable[str]: ...


class Tx(Protocol):
    """Statements inside one transaction (see Database.transaction)."""

    async def execute(self, sql: str, params: Params = ()) -> Result: ...
    async def executemany(self, sql: str, rows: Iterable[Params]) -> None: ...
    async def fetchone(self, sql: str, params: Params = ()) -> Row | None: ...
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...


class Database:
    """The operations repositories use; SqliteDatabase and PostgresDatabase implement them."""

    dialect: Dialect
    shared = False  # True when other processes may use the same database (PostgreSQL)
    url: str  # DATABASE_URL without any password
    path: str  # the SQLite file, or the URL for PostgreSQL
    now: Callable[[], datetime]

    @classmethod
    async def open(
        cls, url: str, clock: Callable[[], datetime] = utcnow, pool_size: int = 10,
        migrate: bool = True,
    ) -> Database:
        """Open (and, unless told not to, migrate) the database named by `url` or SQLite path."""
        if is_postgres(url):
            return await ENGINES["postgresql"].connect(url, clock, pool_size, migrate)
        return await ENGINES["sqlite"].connect(url.removeprefix("sqlite:///"), clock, migrate)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the new id for an INSERT into a table with `id`, else rows."""
        raise NotImplementedError

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        raise NotImplementedError

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        raise NotImplementedError

    async def fetch_each(self, queries: Sequence[Query]) -> list[Row | None]:
        """The first row of each query (None if none), run in order (SQLite: in one hand-over
        to its thread); each in autocommit, as `fetchone` runs it. A query given with a third
        item, `skip(the previous query's row)`, is not run when that returns True (row None)."""
        rows: list[Row | None] = []
        for sql, params, *skip in queries:
            run = not (skip and skip[0](rows[-1] if rows else None))
            rows.append(await self.fetchone(sql, params) if run else None)
        return rows

    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        """Run several statements atomically; rolled back if the block raises."""
        raise NotImplementedError

    async def atomically(self, steps: Sequence[Step]) -> None:
        """Run `steps` in one transaction, when none needs another's result (SQLite: in one
        hand-over to its thread instead of one per statement)."""
        async with self.transaction() as tx:
            for step in steps:
                if step.many:
                    await tx.executemany(step.sql, step.params)
                else:
                    await tx.execute(step.sql, step.params)

    async def migrate(self) -> list[str]:
        """Apply pending migrations once, under a lock; return the names applied."""
        raise NotImplementedError

    async def pending_migrations(self) -> list[str]:
        """Names of the migrations not applied yet."""
        raise NotImplementedError

    async def tables(self) -> list[str]:
        """The application's tables (schema_migrations excluded), in creation order."""
        raise NotImplementedError

    async def table_exists(self, name: str) -> bool:
        return name in await self.tables()

    async def ping(self) -> bool:
        """True if the database answers a trivial query now."""
        try:
            row = await self.fetchone("SELECT 1")
        except StorageError:
            return False
        return row is not None and row[0] == 1

    async def integrity_ok(self) -> bool:
        raise NotImplementedError

    async def checkpoint(self) -> None:
        """After an erasure: leave no older copy of erased rows in a log file (SQLite's WAL;
        nothing on PostgreSQL, where VACUUM reclaims deleted rows)."""

    async def close(self) -> None:
        raise NotImplementedError

    def keyed_lock(self, key: str) -> AbstractAsyncContextManager[None]:
        """Hold the named lock across every worker on this database until the block ends."""
        raise NotImplementedError

    def leadership(self, name: str) -> Leadership:
        """Who runs `name` (scheduled work) among the workers on this database."""
        return Leadership()

    async def iter_rows(self, table: str, batch: int = 1000) -> AsyncIterator[list[Row]]:
        """Every row of `table` in batches, in primary-key order (copy-data)."""
        raise NotImplementedError
        yield []  # pragma: no cover


class Leadership:
    """One process on a database: it always leads (PostgreSQL's is in storage.postgres)."""

    async def lead(self) -> bool:
        """True if this worker leads now (trying to become the leader if nobody does)."""
        return True

    async def resign(self) -> None:
        """Stop leading (on shutdown), so another worker takes over at once."""


# engine name -> its Database class; storage.sqlite and storage.postgres add themselves
# (storage/__init__.py imports both), so that this module imports neither.
ENGINES: dict[str, Any] = {}


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def migration_scripts(engine: str = "sqlite") -> list[tuple[str, str]]:
    """The numbered migrations `storage/migrations/NNNN_name.sql`, in order, for `engine`.

    On PostgreSQL a `NNNN_name.postgresql.sql` beside a migration replaces it; otherwise the
    SQLite text is rewritten by storage.dialect.postgres_ddl.
    """
    from storage.dialect import postgres_ddl

    folder = resources.files("storage") / "migrations"
    files = {f.name: f for f in folder.iterdir() if f.name.endswith(".sql")}
    scripts = []
    for file_name in sorted(n for n in files if not n.endswith(PG_VARIANT)):
        name = file_name.removesuffix(".sql")
        if not MIGRATION_NAME.match(name):
            raise StorageError(f"bad migration file name {file_name!r}: want NNNN_words.sql")
        sql = files[file_name].read_text(encoding="utf-8")
        if engine == "postgresql":
            variant = files.get(name + PG_VARIANT)
            sql = variant.read_text(encoding="utf-8") if variant else postgres_ddl(sql)
        scripts.append((name, sql))
    return scripts
