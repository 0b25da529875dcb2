"""Storage: pragmas, migrations, repositories returning dataclasses."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta

import aiosqlite
import pytest

from storage import Database, open_storage
from storage.db import migration_scripts
from storage.users import LAST_SEEN_STEP


async def test_pragmas_and_migrations_recorded(tmp_path):
    storage = await open_storage(str(tmp_path / "x" / "bot.sqlite3"))
    db = storage.db
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 5000
    names = [
        row[0] for row in await db.fetchall("SELECT name FROM schema_migrations ORDER BY name")
    ]
    assert names == [name for name, _ in migration_scripts()]
    assert await db.migrate() == []  # re-running is a no-op
    await storage.close()
    again = await open_storage(str(tmp_path / "x" / "bot.sqlite3"))
    assert await again.db.migrate() == []
    await again.close()


@pytest.mark.both_engines
async def test_users_are_dataclasses_and_touch_unblocks(database_url):
    storage = await open_storage(database_url)
    user = await storage.users.touch("telegram", "42", "Budi")
    assert dataclasses.is_dataclass(user) and user.subscribed and not user.blocked
    assert user.key == "telegram:42"
    await storage.users.set_blocked_by_key("telegram", "42", True)
    assert (await storage.users.get("telegram", "42")).blocked
    again = await storage.users.touch("telegram", "42", None)
    assert (
        not again.blocked and again.display_name == "Budi" and again.first_seen == user.first_seen
    )
    await storage.close()


@pytest.mark.both_engines
async def test_arrive_touches_the_user_and_reads_only_their_conversation(database_url):
    storage = await open_storage(database_url)
    first, conv = await storage.users.arrive("telegram", "77", "Sari")
    assert conv is None and first.display_name == "Sari" and first.key == "telegram:77"
    other = await storage.users.touch("whatsapp", "77", "Other")  # same id, another channel
    await storage.conversations.save(other.id, "register", "owner", {"x": 1})
    await storage.conversations.save(first.id, "register", "business_name", {"owner": "Sari"})
    await storage.users.set_blocked_by_key("telegram", "77", True)
    again, conv = await storage.users.arrive("telegram", "77", None)
    assert again.id == first.id and not again.blocked and again.display_name == "Sari"
    assert (conv.user_pk, conv.step, conv.draft) == (first.id, "business_name", {"owner": "Sari"})
    assert conv == await storage.conversations.get(first.id)
    await storage.close()


async def test_arrivals_at_once_share_one_hand_over_and_each_gets_its_own_rows(tmp_path):
    storage = await open_storage(f"sqlite:///{tmp_path / 'arrive.sqlite3'}")
    known = await storage.users.touch("telegram", "1", "Ani")
    await storage.conversations.save(known.id, "register", "owner", {"n": 1})
    calls = []
    fetch_each = storage.db.fetch_each

    async def counted(queries):
        calls.append(len(queries))
        return await fetch_each(queries)

    storage.db.fetch_each = counted
    arrived = await asyncio.gather(
        *(storage.users.arrive("telegram", str(n), f"User {n}") for n in range(1, 6))
    )
    assert calls == [10]  # five users: their row and conversation, and the touch, one call
    assert [user.user_id for user, _ in arrived] == ["1", "2", "3", "4", "5"]
    assert [user.display_name for user, _ in arrived] == [f"User {n}" for n in range(1, 6)]
    assert arrived[0][1] == await storage.conversations.get(known.id)
    assert [conv for _, conv in arrived[1:]] == [None] * 4
    assert arrived[0][0].id == known.id and len({user.id for user, _ in arrived}) == 5
    await storage.close()


async def test_an_arrival_writes_the_user_row_only_when_it_changes(tmp_path):
    """SQLite reads the row first: a user's next message within LAST_SEEN_STEP writes nothing;
    a new name, an unblocking or a last_seen a step old writes it (as the upsert's WHERE)."""
    now = [datetime(2026, 12, 4, 9, 0, tzinfo=UTC)]
    storage = await open_storage(f"sqlite:///{tmp_path / 'seen.sqlite3'}", clock=lambda: now[0])
    writes: list[str] = []
    await storage.db._conn.set_trace_callback(  # noqa: SLF001 -- counting the statements run
        lambda sql: writes.append(sql) if sql.lstrip().upper().startswith("INSERT") else None
    )

    async def arrive(name: str | None) -> tuple:
        writes.clear()
        user, _ = await storage.users.arrive("telegram", "9", name)
        return user, len(writes)

    first, wrote = await arrive("Dewi")
    assert wrote == 1 and first.display_name == "Dewi" and first.last_seen == now[0]
    now[0] += timedelta(seconds=30)
    again, wrote = await arrive(None)
    assert wrote == 0 and again == first  # last_seen half a step old: kept
    again, wrote = await arrive("Dewi")
    assert wrote == 0 and again == first
    renamed, wrote = await arrive("Dewi S.")
    assert wrote == 1 and renamed.display_name == "Dewi S." and renamed.last_seen == now[0]
    await storage.users.set_blocked_by_key("telegram", "9", True)
    unblocked, wrote = await arrive(None)
    assert wrote == 1 and not unblocked.blocked
    now[0] += LAST_SEEN_STEP + timedelta(seconds=1)
    later, wrote = await arrive(None)
    assert wrote == 1 and later.last_seen == now[0] and later.display_name == "Dewi S."
    assert later.id == first.id and later.first_seen == first.first_seen
    await storage.close()


@pytest.mark.both_engines
async def test_conversation_state_round_trips_and_cascades(database_url):
    storage = await open_storage(database_url)
    user = await storage.users.touch("whatsapp", "628123", "Ani")
    await storage.conversations.save(
        user.id, "register", "business_name", {"owner": "Ani 'O\"Neil' 🌶"}
    )
    conv = await storage.conversations.get(user.id)
    assert (conv.flow, conv.step, conv.draft) == (
        "register",
        "business_name",
        {"owner": "Ani 'O\"Neil' 🌶"},
    )
    await storage.db.execute("DELETE FROM users WHERE id = ?", (user.id,))
    assert await storage.conversations.get(user.id) is None
    await storage.close()


@pytest.mark.both_engines
async def test_transaction_rolls_back_on_error(database_url):
    db = await Database.open(database_url)
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await tx.execute(
                "INSERT INTO users (channel, user_id, first_seen, last_seen) VALUES ('t', '1', 'x', 'x')"
            )
            raise RuntimeError("half-way")
    assert (await db.fetchone("SELECT COUNT(*) FROM users"))[0] == 0
    await db.close()


async def test_a_second_connection_sees_committed_state(tmp_path):
    path = str(tmp_path / "bot.sqlite3")
    storage = await open_storage(path)
    user = await storage.users.touch("telegram", "7", "Rina")
    await storage.conversations.save(user.id, "register", "email", {"x": 1})
    async with aiosqlite.connect(path) as other:
        async with other.execute("SELECT step FROM conversations") as cursor:
            assert (await cursor.fetchone())[0] == "email"
    await storage.close()
