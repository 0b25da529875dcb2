"""SIGKILL the real bot between an agent's reply and its delivery: delivered once after restart."""

from __future__ import annotations

import sqlite3

import pytest

from tests.fakes import telegram_updates as updates
from tests.support.botprocess import BotProcess, WatchedBotApi

pytestmark = pytest.mark.slow
USER, AGENT = 1001, 9000
ANSWER = "Petugas Dinas KUKM: Izin PIRT diurus lewat OSS, gratis."


async def say(api: WatchedBotApi, chat: int, text: str, n: int) -> str:
    """`chat` types `text`; the bot's first reply to it."""
    reply = api.expect_reply(chat)
    api.push_update(updates.text(updates.user(chat, f"U{chat}", "id"), text, n))
    _when, answer = await reply
    return answer


async def test_a_reply_in_the_outbox_survives_a_kill_and_arrives_once(tmp_path) -> None:
    db = tmp_path / "bot.sqlite3"
    async with WatchedBotApi() as api:
        bot = BotProcess(api, db, tmp_path / "bot.log", ADMIN_IDS=f"telegram:{AGENT}")
        await bot.start()
        await say(api, USER, "/petugas", 1)
        assert "#1" in await say(api, USER, "Bagaimana cara mengurus PIRT?", 2)
        await api.wait_until(lambda: any("Tiket #1" in t for t in api.texts(AGENT)), 30)

        # The user's chat fails (500) from now: the reply is stored, tried, not delivered.
        api.fail_next("sendMessage", 500, times=10_000, chat_id=USER)
        tried = len(api.calls_to("sendMessage", USER))
        confirmed = await say(api, AGENT, "/balas 1 Izin PIRT diurus lewat OSS, gratis.", 3)
        assert "dikirim ke pengguna" in confirmed
        await api.wait_until(lambda: len(api.calls_to("sendMessage", USER)) > tried, 30)
        await bot.kill()
        assert ANSWER not in api.texts(USER)

        api.faults.clear()  # the user's chat works again
        await bot.start()
        await api.wait_until(lambda: ANSWER in api.texts(USER), 60)
        assert await bot.stop() == 0  # a clean stop settles whatever was still in flight
    assert api.texts(USER).count(ANSWER) == 1
    with sqlite3.connect(db) as conn:
        statuses = conn.execute("SELECT status FROM outbox WHERE purpose = 'reply'").fetchall()
    assert statuses == [("sent",)]
