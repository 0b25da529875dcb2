"""`python bot.py telegram` as a real process, stopped half-way through a broadcast."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from storage import open_storage
from storage.audience import Audience
from tests.fakes.telegram_api import FakeBotApi
from tests.support.botprocess import BotProcess
from tests.support.broadcasting import add_user

N = 400
FIRST = 200_000
# 800 copies in all: at 200 a second the sending takes 4 s of the test instead of 8 s at 100;
# the stops still come mid-run (after 120 of each 400) with up to RATE / 2 calls in flight.
RATE = 200


def copies(api: FakeBotApi) -> Counter[int]:
    return Counter(m["chat"]["id"] for m in api.messages.values() if m["chat"]["id"] >= FIRST)


async def new_broadcast(db: Path, text: str, users: bool) -> int:
    storage = await open_storage(str(db))
    if users:
        for i in range(N):
            await add_user(storage, str(FIRST + i), name=f"U{i}")
    broadcast = await storage.broadcasts.create_now(("telegram", "9000", "en"), text, Audience())
    await storage.close()
    return broadcast.id


@pytest.mark.slow  # two bot processes started twice each
async def test_sigterm_loses_nothing_and_sigkill_only_resends_calls_in_flight(
    telegram_api: FakeBotApi, tmp_path: Path
) -> None:
    db = tmp_path / "bot.sqlite3"
    bot = BotProcess(telegram_api, db, tmp_path / "bot.log", BROADCAST_RATE=str(RATE))
    await new_broadcast(db, "First {{ name }}", users=True)
    await bot.start()
    await telegram_api.wait_until(lambda: len(copies(telegram_api)) >= 120, 60)
    assert await bot.stop() == 0  # SIGTERM: calls under way finish and are recorded
    assert len(copies(telegram_api)) < N
    await bot.start()
    await telegram_api.wait_until(
        lambda: any("broadcast #1: finished" in t for t in telegram_api.texts(9000)), 120)
    got = copies(telegram_api)
    assert set(got) == {FIRST + i for i in range(N)} and set(got.values()) == {1}
    assert [telegram_api.texts(FIRST + 7)] == [["First U7\n\n— Tidak ingin menerima pengumuman lagi? Ketik /berhenti."]]

    await new_broadcast(db, "Second {{ name }}", users=False)
    await telegram_api.wait_until(lambda: sum(copies(telegram_api).values()) >= N + 120, 60)
    await bot.kill()  # SIGKILL: no goodbye
    await bot.start()
    await telegram_api.wait_until(
        lambda: any("broadcast #2: finished" in t for t in telegram_api.texts(9000)), 120)
    assert await bot.stop() == 0
    second = Counter(m["chat"]["id"] for m in telegram_api.messages.values()
                     if m.get("text", "").startswith("Second"))
    assert set(second) == {FIRST + i for i in range(N)}  # nobody missing
    resent = sum(n - 1 for n in second.values())
    assert resent <= RATE // 2  # at most the calls in flight at the kill (BROADCAST_RATE / 2)
    if resent:
        assert "in flight at the last stop; resending" in bot.log()
    assert not bot.error_lines()
