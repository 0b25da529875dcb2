"""Both database engines for tests: SQLite files, and PostgreSQL with one schema per test.

A test runs on both when its module sets `pytestmark = pytest.mark.both_engines` (or the
test carries the mark) and it uses `database_url` (directly or through `settings`/`deps`);
a test marked `postgresql` needs PostgreSQL only. PostgreSQL is `TEST_DATABASE_URL` (default
postgresql://postgres@127.0.0.1:5432/test). Where it cannot be reached those tests are left
out with one printed line saying why; with CI=true they run and fail instead.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import asyncpg
import pytest

DEFAULT_TEST_URL = "postgresql://postgres@127.0.0.1:5432/test"


def test_postgres_url() -> str:
    return os.environ.get("TEST_DATABASE_URL") or DEFAULT_TEST_URL


test_postgres_url.__test__ = False  # type: ignore[attr-defined]  # not a test


def with_schema(url: str, schema: str) -> str:
    """The URL whose connections use `schema` and are named after it in pg_stat_activity
    (asyncpg passes query parameters to the server as settings)."""
    return f"{url}{'&' if '?' in url else '?'}search_path={schema}&application_name={schema}"


async def terminate_backends(schema: str) -> int:
    """Kill every server process of connections to `schema` (the database 'goes away')."""
    conn = await asyncpg.connect(test_postgres_url())
    try:
        rows = await conn.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            schema,
        )
    finally:
        await conn.close()
    return sum(1 for row in rows if row[0])


@cache
def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used for tests, or None when it can (checked once)."""

    async def probe() -> None:
        conn = await asyncpg.connect(test_postgres_url(), timeout=5)
        await conn.close()

    try:  # in a thread of its own: a test's event loop may be running here
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, probe()).result()
    except Exception as exc:  # unreachable, refused, no such database, auth...
        return f"PostgreSQL at {test_postgres_url()} not reachable ({type(exc).__name__}: {exc})"
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def needs_postgres(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    engine = callspec.params.get("engine") if callspec is not None else None
    if engine is None and "engine" in getattr(item, "fixturenames", ()):
        engine = os.environ.get("TEST_ENGINE") or "sqlite"
    return engine == "postgresql" or item.get_closest_marker("postgresql") is not None


def leave_out_without_postgres(config: pytest.Config, items: list[pytest.Item]) -> str | None:
    """Deselect the PostgreSQL tests when it is unreachable (not in CI); the line to print."""
    wanted = [item for item in items if needs_postgres(item)]
    if not wanted or in_ci():
        return None
    reason = postgres_unavailable()
    if reason is None:
        return None
    config.hook.pytest_deselected(items=wanted)
    items[:] = [item for item in items if not needs_postgres(item)]
    return f"SKIPPED {len(wanted)} PostgreSQL tests: {reason}; set TEST_DATABASE_URL"


def postgres_note() -> str | None:
    """The one line to print when PostgreSQL tests were left out (None when they ran)."""
    reason = None if in_ci() else postgres_unavailable()
    return f"SKIPPED the PostgreSQL tests: {reason}; set TEST_DATABASE_URL" if reason else None


def require_postgres() -> None:
    """Fail the test (CI=true, or reachable at collection but gone now) without PostgreSQL."""
    reason = postgres_unavailable()
    if reason is not None:
        pytest.fail(f"{'CI=true: ' if in_ci() else ''}{reason}", pytrace=False)


async def create_schema() -> tuple[str, str]:
    """A fresh schema on the test PostgreSQL: (its URL, its name)."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    conn = await asyncpg.connect(test_postgres_url())
    try:
        await conn.execute(f"CREATE SCHEMA {name}")
    finally:
        await conn.close()
    return with_schema(test_postgres_url(), name), name


async def drop_schema(name: str) -> None:
    conn = await asyncpg.connect(test_postgres_url())
    try:
        await conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
    finally:
        await conn.close()
