"""SIGKILL in the middle of a 2,000-recipient broadcast, restart: nobody missing, few twice."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections import Counter

import pytest

from storage import open_storage
from storage.audience import Audience
from tests.support.botprocess import BotProcess, WatchedBotApi
from tests.support.broadcasting import add_recipients

pytestmark = pytest.mark.slow

RECIPIENTS = 2_000
FIRST_CHAT = 6_000_001
STAFF = "9000"
# 2,000 copies at 400 a second: 5 s of sending instead of 10 s at 200 (the bot goes as fast as
# it can below that); the kill still comes after 300-1,500 arrived, mid-run.
RATE = "400"


async def prepare(path) -> int:
    """2,000 subscribers and one broadcast to all of them, stored (outbox rows first)."""
    storage = await open_storage(str(path))
    try:
        await add_recipients(storage, FIRST_CHAT, RECIPIENTS)
        broadcast = await storage.broadcasts.create_now(
            ("telegram", STAFF, "id"), "Pameran Little Bandung dibuka Sabtu ini.", Audience()
        )
        return broadcast.id
    finally:
        await storage.close()


def outbox(path, broadcast_id: int) -> Counter:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT status, COUNT(*) FROM deliveries WHERE broadcast_id = ? GROUP BY status",
            (broadcast_id,),
        ).fetchall()
    finally:
        conn.close()
    return Counter(dict(rows))


async def test_sigkill_mid_broadcast_then_restart_sends_to_everyone(tmp_path):
    db = tmp_path / "bot.sqlite3"
    broadcast_id = await prepare(db)
    assert outbox(db, broadcast_id)["pending"] == RECIPIENTS
    recipients = {FIRST_CHAT + i for i in range(RECIPIENTS)}
    kill_after = random.Random(5).randint(300, 1500)

    async with WatchedBotApi() as api:

        def received() -> Counter:
            sends = (c.chat_id for c in api.calls if c.method == "sendMessage")
            return Counter(chat for chat in sends if chat in recipients)

        process = BotProcess(api, db, tmp_path / "bot.log", FLOOD_RATE="0", BROADCAST_RATE=RATE)
        await process.start()
        await api.wait_until(lambda: sum(received().values()) >= kill_after, 120)
        await process.kill()
        at_kill = outbox(db, broadcast_id)
        arrived_at_kill = sum(received().values())

        await process.start()
        async with asyncio.timeout(300):
            while outbox(db, broadcast_id).keys() - {"sent"}:  # noqa: ASYNC110 - another process writes it
                await asyncio.sleep(0.1)
        await process.stop()
        copies = received()

    missing = recipients - set(copies)
    twice = sum(n - 1 for n in copies.values() if n > 1)
    print(
        f"killed after {arrived_at_kill} had arrived; outbox at the kill: {dict(at_kill)};"
        f" sent twice: {twice}; missing: {len(missing)}"
    )
    assert not missing
    assert twice <= at_kill["sending"]  # only the calls in flight at the kill can repeat
    assert outbox(db, broadcast_id) == Counter({"sent": RECIPIENTS})
    assert process.error_lines() == []
