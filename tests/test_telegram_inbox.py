"""The durable inbox: updates are stored before Telegram is told they arrived and kept until their
replies are delivered; after a crash each is handled, said to be cut off, or its replies sent again."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3

import asyncpg
import httpx
import pytest

from channels.telegram.app import ALLOWED_UPDATES, TelegramChannel
from channels.telegram.webhook import SECRET_HEADER, telegram_web_part
from handlers import Assistant
from handlers.types import Attachment, Button, Reply, ReplyKind
from handlers.wire import answer_from_json, answer_to_json
from storage import StorageError
from storage.batching import GroupWrite
from storage.db import Step
from storage.inbox import DONE, HANDLING, RECEIVED, REPLIED, InboxMessage, Progress
from tests.fakes.asgi import serving
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_bot import fast_policy, running_bot
from tests.fakes.telegram_updates import text, user
from tests.support.inbox_rows import ChannelInbox
from wiring.web import build_app

SARI = user(1001, "Sari", "id")
BUDI = user(1002, "Budi", "id")
SECRET = "test-webhook-secret_123"  # as set by the telegram_deps fixture


async def test_inbox_keeps_updates_until_done(deps) -> None:
    inbox = ChannelInbox(deps)
    assert await inbox.add(7, '{"update_id": 7}')
    assert not await inbox.add(7, '{"update_id": 7, "again": true}')  # re-delivery ignored
    assert await inbox.add_many([(5, '{"update_id": 5}'), (7, "{}"), (6, "{}")]) == {"5", "6"}
    pending = await inbox.pending()
    assert [row.key for row in pending] == ["7", "5", "6"]  # in arrival order
    assert {(row.status, row.replies) for row in pending} == {(RECEIVED, None)}
    assert pending[0].body == '{"update_id": 7}'  # the first copy stays
    await inbox.done(6)
    await inbox.done(6)  # twice is harmless
    assert await inbox.keys() == ["7", "5"]
    await inbox.handling(5)
    await inbox.replied(7, "[]")
    assert await inbox.pending() == [
        InboxMessage("telegram", "7", '{"update_id": 7}', REPLIED, "[]"),
        InboxMessage("telegram", "5", '{"update_id": 5}', HANDLING, None),
    ]
    assert not await inbox.add(7, "{}")  # still waiting for its replies to go out
    assert not await inbox.add(6, "{}")  # answered: recognised as a re-delivery
    assert not await ChannelInbox(deps, "whatsapp").keys()  # each channel has its own rows
    assert await ChannelInbox(deps, "whatsapp").add(7, "{}")  # ... and its own ids


def test_replies_survive_json_exactly() -> None:
    replies = [
        Reply("Pilih satu:", (Button("Ya", "reg:consent:yes"), Button("Tidak", "reg:no"))),
        Reply("Bagikan nomor", (Button("Lewati", "reg:skip"),), ReplyKind.ASK_CONTACT),
        Reply("Data Anda", kind=ReplyKind.DOCUMENT, file=b"\x00\xffa,b\n", filename="data.csv"),
        Reply("Foto 🎉", kind=ReplyKind.PHOTO, file=b"\x89PNG\r\n"),
        Reply("Poster", attachment=Attachment(3, "photo", "poster.jpg", "image/jpeg", 2048)),
    ]
    stored = answer_to_json(replies, "en")
    assert answer_from_json(stored) == (replies, "en")
    assert "\\x" not in stored and "Foto 🎉" in stored  # base64 for bytes, text kept readable
    # Every field of Reply is stored: a field added later fails here until it is serialised.
    assert set(json.loads(stored)["replies"][0]) == {f.name for f in dataclasses.fields(Reply)}


def _greetings(api: FakeBotApi, chat_id: int) -> list[str]:
    return [t for t in api.texts(chat_id) if t.startswith("Halo")]


async def test_polled_updates_are_stored_before_they_are_confirmed(
    telegram_api, telegram_deps
) -> None:
    inbox = ChannelInbox(telegram_deps)
    channel = TelegramChannel(Assistant(telegram_deps), policy=fast_policy())
    await channel.start()  # processing, but not polling yet
    try:
        update_id = telegram_api.send_text(SARI, "/start")
        [fetched] = await channel.bot.get_updates(timeout=0)  # what PTB's Updater calls
        assert fetched.update_id == update_id
        assert not telegram_api.delivered(update_id)  # not confirmed yet, but already stored:
        assert await inbox.keys() == [str(update_id)]
        await channel.app.update_queue.put(fetched)  # as the Updater does with what it fetched
        # Polling fetches it again (never confirmed): stored already, so not answered twice.
        await channel.app.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        await telegram_api.wait_for_messages(1001, 1)
        await telegram_api.wait_until(lambda: telegram_api.delivered(update_id))
    finally:
        await channel.stop()
    assert len(_greetings(telegram_api, 1001)) == 1
    assert await inbox.pending() == []  # handled: forgotten


async def test_unanswered_updates_are_answered_once_after_restart(
    telegram_api, telegram_deps
) -> None:
    """A crash left two updates stored, one of them also never confirmed to Telegram."""
    inbox = ChannelInbox(telegram_deps)
    update_id = telegram_api.send_text(SARI, "/start")  # fetched, stored, then the bot died
    await inbox.add(update_id, json.dumps(telegram_api.pushed[-1]))
    earlier = {**text(BUDI, "/start", 1), "update_id": update_id - 1}  # confirmed, stored
    await inbox.add(update_id - 1, json.dumps(earlier))

    async with running_bot(telegram_api, Assistant(telegram_deps)):
        await telegram_api.wait_for_messages(1001, 1)
        await telegram_api.wait_for_messages(1002, 1)
        await telegram_api.wait_until(lambda: telegram_api.delivered(update_id))
        after = telegram_api.send_text(SARI, "/help")  # new updates still flow after the replay
        await telegram_api.wait_until(lambda: telegram_api.delivered(after))
        await telegram_api.wait_for_messages(1001, 2)
    assert len(_greetings(telegram_api, 1001)) == 1  # replayed, and not fetched a second time
    assert len(_greetings(telegram_api, 1002)) == 1
    assert await inbox.pending() == []


async def test_webhook_stores_replays_and_ignores_redelivery(telegram_api, telegram_deps) -> None:
    inbox = ChannelInbox(telegram_deps)
    left = {**text(BUDI, "/start", 1), "update_id": 41}  # stored by a run that then died
    await inbox.add(41, json.dumps(left))
    part = telegram_web_part(Assistant(telegram_deps))
    headers = {SECRET_HEADER: SECRET}
    async with serving(build_app(telegram_deps, [part])) as base_url:
        await telegram_api.wait_for_messages(1002, 1)  # replayed at start-up
        async with httpx.AsyncClient(base_url=base_url) as client:
            update = {**text(SARI, "/start", 1), "update_id": 42}
            response = await client.post("/telegram/webhook", json=update, headers=headers)
            assert response.status_code == 200
            await telegram_api.wait_for_messages(1001, 1)
            # 43 is stored and still being handled when Telegram sends it again: not queued twice.
            again = {**text(user(1003, "Dewi", "id"), "/start", 1), "update_id": 43}
            await inbox.add(43, json.dumps(again))
            response = await client.post("/telegram/webhook", json=again, headers=headers)
            assert response.status_code == 200
    assert len(_greetings(telegram_api, 1001)) == 1
    assert len(_greetings(telegram_api, 1002)) == 1
    assert _greetings(telegram_api, 1003) == []  # left to the run that stored it
    assert await inbox.keys() == ["43"]


async def test_group_write_joins_what_queued_behind_a_write_and_shares_its_failure() -> None:
    batches: list[list[str]] = []
    first_started, first_done = asyncio.Event(), asyncio.Event()

    async def write(items: list[str]) -> None:
        batches.append(items)
        if len(batches) == 1:
            first_started.set()
            await first_done.wait()  # a slow write (waiting for the database)
        if "bad" in items:
            raise StorageError("disk full")

    group: GroupWrite[str] = GroupWrite(write)
    first = asyncio.create_task(group("a"))
    await first_started.wait()
    queued = [asyncio.create_task(group(item)) for item in ("b", "c", "d")]
    await asyncio.sleep(0)
    first_done.set()
    await asyncio.gather(first, *queued)
    assert batches == [["a"], ["b", "c", "d"]]  # two writes for four callers
    results = await asyncio.gather(group("e"), group("bad"), return_exceptions=True)
    assert [type(r) for r in results] == [StorageError, StorageError]  # written together
    await group("f")  # a failure leaves the writer working
    assert batches[-1] == ["f"]


# --- after a crash: each status of a stored update -------------------------------------------


async def test_marks_of_several_messages_go_in_one_transaction(deps) -> None:
    """A group commit's marks (Database.atomically): all of them, or none if one fails."""
    inbox = ChannelInbox(deps)
    await inbox.add_many([(1, "{}"), (2, "{}"), (3, "{}")])
    marks = [Progress("1", HANDLING), Progress("2", REPLIED, "[]"), Progress("3", DONE)]
    await deps.storage.inbox.advance("telegram", marks)
    after = {(row.key, row.status) for row in await inbox.pending()}
    assert after == {("1", HANDLING), ("2", REPLIED)}
    with pytest.raises((sqlite3.OperationalError, asyncpg.UndefinedTableError)):
        await deps.storage.db.atomically([
            Step("UPDATE inbox SET status = 'done' WHERE message_key = '1'"),
            Step("UPDATE no_such_table SET status = 'done'"),
        ])  # fmt: skip
    assert {(row.key, row.status) for row in await inbox.pending()} == after  # rolled back
