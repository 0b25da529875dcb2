"""PostgreSQL sessions of a worker's own: advisory lock keys, leadership, and the errors that
mean the server cannot be used now (storage/postgres.py turns those into StorageError)."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import asyncpg

log = logging.getLogger(__name__)
CONNECT_TIMEOUT = 10.0
T = TypeVar("T")

# asyncpg errors that mean "the database cannot be used now", not "this statement is wrong".
UNUSABLE: tuple[type[BaseException], ...] = (
    asyncpg.PostgresConnectionError,  # class 08
    asyncpg.InterfaceError,  # the connection is closed or was lost
    asyncpg.InternalClientError,  # a connection whose server process was terminated while idle
    asyncpg.exceptions.OperatorInterventionError,  # class 57: shutdown, terminated, cancelled
    asyncpg.exceptions.InsufficientResourcesError,  # class 53: disk full, too many connections
    asyncpg.exceptions.PostgresSystemError,  # class 58: I/O error
    asyncpg.exceptions.ReadOnlySQLTransactionError,  # a read-only replica
    OSError,
    asyncio.TimeoutError,
)


def lock_key(namespace: str, key: str) -> int:
    """A signed 64-bit advisory lock key for `key` within `namespace` (the schema)."""
    digest = hashlib.blake2b(f"{namespace}\0{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class PgLeadership:
    """Leader election by advisory lock: the worker whose session holds it leads.

    The lock lives as long as the leader's connection: a leader that dies (SIGKILL, lost
    network) loses it with its session, and the next worker to ask takes over.
    """

    def __init__(self, dsn: str, key: int) -> None:
        self._dsn, self._key = dsn, key
        self._conn: asyncpg.Connection | None = None

    async def lead(self) -> bool:
        if self._conn is not None and not self._conn.is_closed():
            return True
        self._conn = None
        try:
            conn = await _uncut(asyncpg.connect(self._dsn, timeout=CONNECT_TIMEOUT), _drop)
        except (*UNUSABLE, asyncpg.PostgresError) as exc:
            log.warning("leader election: database unreachable: %s", exc)
            return False
        try:
            leads = await conn.fetchval("SELECT pg_try_advisory_lock($1)", self._key)
        except BaseException:  # cancelled at a worker's stop, or the server went away
            conn.terminate()
            raise
        if leads:
            self._conn = conn
            log.info("this worker leads now (scheduled work runs here)")
            return True
        await _uncut(conn.close(), _read)  # it holds nothing; a stop lets the close finish
        return False

    async def resign(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await conn.close()  # the session ends: the lock is free
            except (*UNUSABLE, asyncpg.PostgresError):
                conn.terminate()


async def _uncut(work: Coroutine[Any, Any, T], settle: Callable[[asyncio.Task], None]) -> T:
    """Await `work` so that a cancellation (a worker's stop) does not cut it half-way: asyncpg
    cut mid-handshake or mid-close leaves a future nobody reads, logged as an error. A cancelled
    caller leaves the work to finish in the background and `settle` to deal with its result."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        task.add_done_callback(settle)
        raise


def _read(task: asyncio.Task) -> None:
    """Settle background work: its error read (none is "never retrieved"), nothing else."""
    if not task.cancelled():
        task.exception()


def _drop(task: asyncio.Task) -> None:
    """Settle a background connect: the connection nobody will use is closed at once."""
    if not task.cancelled() and task.exception() is None:
        task.result().terminate()
