"""The durable inbox: updates are stored before Telegram is told they arrived and kept until their
replies are delivered; after a crash each is handled, said to be cut off, or its replies sent again."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from bot import open_deps
from channels.telegram.app import ALLOWED_UPDATES, TelegramChannel
from channels.telegram.inbox import GroupWrite, replies_from_json, replies_to_json
from channels.telegram.webhook import SECRET_HEADER, telegram_web_part
from channels.web import build_app
from handlers import Assistant, Deps
from handlers.types import Attachment, Button, Incoming, Reply, ReplyKind
from storage import StorageError
from storage.inbox import HANDLING, RECEIVED, REPLIED, InboxRepo, InboxUpdate
from tests.fakes.asgi import serving
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_bot import BotUnderTest, fast_policy, running_bot
from tests.fakes.telegram_updates import text, user

SARI = user(1001, "Sari", "id")
BUDI = user(1002, "Budi", "id")
SECRET = "test-webhook-secret_123"  # as set by the telegram_deps fixture
NAME = "Sari Wulandari"  # the answer to the registration's first question (owner_name)


async def test_inbox_keeps_updates_until_done(deps) -> None:
    inbox = deps.storage.telegram_inbox
    assert await inbox.add(7, '{"update_id": 7}')
    assert not await inbox.add(7, '{"update_id": 7, "again": true}')  # re-delivery ignored
    assert await inbox.add_many([(5, '{"update_id": 5}'), (7, "{}"), (6, "{}")]) == {5, 6}
    pending = await inbox.pending()
    assert [row.update_id for row in pending] == [5, 6, 7]
    assert {(row.status, row.replies) for row in pending} == {(RECEIVED, None)}
    assert pending[2].body == '{"update_id": 7}'  # the first copy stays
    await inbox.done(6)
    await inbox.done(6)  # twice is harmless
    assert [row.update_id for row in await inbox.pending()] == [5, 7]
    await inbox.handling(5)
    await inbox.replied(7, "[]")
    assert await inbox.pending() == [
        InboxUpdate(5, '{"update_id": 5}', HANDLING, None),
        InboxUpdate(7, '{"update_id": 7}', REPLIED, "[]"),
    ]
    assert not await inbox.add(7, "{}")  # still waiting for its replies to go out


def test_replies_survive_json_exactly() -> None:
    replies = [
        Reply("Pilih satu:", (Button("Ya", "reg:consent:yes"), Button("Tidak", "reg:no"))),
        Reply("Bagikan nomor", (Button("Lewati", "reg:skip"),), ReplyKind.ASK_CONTACT),
        Reply("Data Anda", kind=ReplyKind.DOCUMENT, file=b"\x00\xffa,b\n", filename="data.csv"),
        Reply("Foto 🎉", kind=ReplyKind.PHOTO, file=b"\x89PNG\r\n"),
        Reply("Poster", attachment=Attachment(3, "photo", "poster.jpg", "image/jpeg", 2048)),
    ]
    stored = replies_to_json(replies)
    assert replies_from_json(stored) == replies
    assert "\\x" not in stored and "Foto 🎉" in stored  # base64 for bytes, text kept readable
    # Every field of Reply is stored: a field added later fails here until it is serialised.
    assert set(json.loads(stored)[0]) == {f.name for f in dataclasses.fields(Reply)}


def _greetings(api: FakeBotApi, chat_id: int) -> list[str]:
    return [t for t in api.texts(chat_id) if t.startswith("Halo")]


async def test_polled_updates_are_stored_before_they_are_confirmed(
    telegram_api, telegram_deps
) -> None:
    inbox = telegram_deps.storage.telegram_inbox
    channel = TelegramChannel(Assistant(telegram_deps), policy=fast_policy())
    await channel.start()  # processing, but not polling yet
    try:
        update_id = telegram_api.send_text(SARI, "/start")
        [fetched] = await channel.bot.get_updates(timeout=0)  # what PTB's Updater calls
        assert fetched.update_id == update_id
        assert not telegram_api.delivered(update_id)  # not confirmed yet, but already stored:
        assert [row.update_id for row in await inbox.pending()] == [update_id]
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
    inbox = telegram_deps.storage.telegram_inbox
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
    inbox = telegram_deps.storage.telegram_inbox
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
    assert [row.update_id for row in await inbox.pending()] == [43]


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


async def _snapshot(db_path: Path, copy: Path) -> None:
    """The database as a SIGKILL at this instant leaves it: committed transactions only."""

    def backup() -> None:
        source, target = sqlite3.connect(db_path), sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()

    await asyncio.to_thread(backup)


async def _until_status(inbox: InboxRepo, update_id: int, status: str) -> None:
    for _ in range(1000):
        if any(r.update_id == update_id and r.status == status for r in await inbox.pending()):
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"update {update_id} never reached {status}")


@asynccontextmanager
async def _restarted(make_settings, api: FakeBotApi, db_path: Path) -> AsyncIterator[Deps]:
    """Deps of a new process on the database `db_path` (the one the crash left)."""
    settings = make_settings(
        DATABASE_URL=f"sqlite:///{db_path}",
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_API_URL=api.base_url,
    )
    deps = await open_deps(settings)
    try:
        yield deps
    finally:
        await deps.storage.close()


async def _step(deps: Deps) -> tuple[str | None, dict]:
    """Sari's registration step and answers as stored."""
    user = await deps.storage.users.get("telegram", "1001")
    conv = await deps.storage.conversations.get(user.id)
    return (conv.step, conv.draft["answers"]) if conv else (None, {})


async def _at_first_question(bot: BotUnderTest) -> None:
    await bot.send(SARI, "/daftar")
    await bot.press(SARI, "reg:consent:yes")


def _shown(messages: list[dict]) -> list[tuple[str, object]]:
    return [(m.get("text"), m.get("reply_markup")) for m in messages]


class PausedAssistant(Assistant):
    """Stops after the core has handled NAME (its effects stored), before the replies return."""

    def __init__(self, deps: Deps) -> None:
        super().__init__(deps)
        self.handled, self.go = asyncio.Event(), asyncio.Event()

    async def handle(self, incoming: Incoming) -> list[Reply]:
        replies = await super().handle(incoming)
        if incoming.text == NAME:
            self.handled.set()
            await self.go.wait()
        return replies


async def test_replied_update_is_sent_again_not_handled_again(
    telegram_api, telegram_deps, make_settings, tmp_path
) -> None:
    inbox = telegram_deps.storage.telegram_inbox
    crashed = tmp_path / "crashed.sqlite3"
    async with running_bot(telegram_api, Assistant(telegram_deps)) as bot:
        await _at_first_question(bot)
        before = len(telegram_api.sent_to(1001))
        telegram_api.slow_next("sendMessage", 0.5, chat_id=1001)  # killed while sending
        update_id = telegram_api.send_text(SARI, NAME)
        await _until_status(inbox, update_id, REPLIED)
        await _snapshot(Path(telegram_deps.storage.db.path), crashed)
        await telegram_api.wait_until(lambda: update_id in bot.handled)
    first = telegram_api.sent_to(1001)[before:]
    assert first and "usaha" in first[0]["text"].lower()  # the business-name question
    assert await inbox.pending() == []  # delivered: forgotten

    async with _restarted(make_settings, telegram_api, crashed) as deps:
        left = await deps.storage.telegram_inbox.pending()
        assert [(row.update_id, row.status) for row in left] == [(update_id, REPLIED)]
        assert await _step(deps) == ("business_name", {"owner_name": NAME})
        again_from = len(telegram_api.sent_to(1001))
        async with running_bot(telegram_api, Assistant(deps)) as bot:
            await telegram_api.wait_until(lambda: update_id in bot.handled)
            await asyncio.sleep(0.2)  # nothing else follows
        assert _shown(telegram_api.sent_to(1001)[again_from:]) == _shown(first)
        # Not handled again: NAME was not taken as the business name too.
        assert await _step(deps) == ("business_name", {"owner_name": NAME})
        assert await deps.storage.telegram_inbox.pending() == []


async def test_update_cut_off_while_handling_gets_a_notice_not_a_second_handling(
    telegram_api, telegram_deps, make_settings, tmp_path
) -> None:
    crashed = tmp_path / "crashed.sqlite3"
    assistant = PausedAssistant(telegram_deps)
    async with running_bot(telegram_api, assistant) as bot:
        await _at_first_question(bot)
        update_id = telegram_api.send_text(SARI, NAME)
        await asyncio.wait_for(assistant.handled.wait(), 10)
        # Killed here: the core has stored its effects, the replies are not stored yet.
        await _snapshot(Path(telegram_deps.storage.db.path), crashed)
        assistant.go.set()
        await telegram_api.wait_until(lambda: update_id in bot.handled)

    async with _restarted(make_settings, telegram_api, crashed) as deps:
        left = await deps.storage.telegram_inbox.pending()
        assert [(row.update_id, row.status) for row in left] == [(update_id, HANDLING)]
        before = len(telegram_api.sent_to(1001))
        async with running_bot(telegram_api, Assistant(deps)) as bot:
            await telegram_api.wait_until(lambda: update_id in bot.handled)
            await asyncio.sleep(0.2)
        notice = deps.knowledge.texts.render("id", "telegram.interrupted")
        assert telegram_api.texts(1001)[before:] == [notice]
        assert "/daftar" in notice and "/status" in notice
        assert await _step(deps) == ("business_name", {"owner_name": NAME})  # applied once
        assert await deps.storage.telegram_inbox.pending() == []


async def test_received_update_is_handled_after_restart(telegram_api, telegram_deps) -> None:
    inbox = telegram_deps.storage.telegram_inbox
    async with running_bot(telegram_api, Assistant(telegram_deps)) as bot:
        await _at_first_question(bot)
    update_id = telegram_api.send_text(SARI, NAME)  # fetched and stored, then the bot died
    await inbox.add(update_id, json.dumps(telegram_api.pushed[-1]))
    before = len(telegram_api.sent_to(1001))
    async with running_bot(telegram_api, Assistant(telegram_deps)) as bot:
        await telegram_api.wait_until(lambda: update_id in bot.handled)
    assert await _step(telegram_deps) == ("business_name", {"owner_name": NAME})
    assert len(telegram_api.texts(1001)[before:]) == 1
    assert "usaha" in telegram_api.texts(1001)[-1].lower()
    assert await inbox.pending() == []


async def test_stored_replies_keep_their_place_in_the_chat_order(
    telegram_api, telegram_deps
) -> None:
    """Oldest first: the replies a crash left unsent go out before the next update's answer."""
    inbox = telegram_deps.storage.telegram_inbox
    stored = [
        Reply("Balasan pertama", (Button("Menu", "menu:main"),)),
        Reply("Berkas Anda", kind=ReplyKind.DOCUMENT, file=b"a;b\n1;2\n", filename="data.csv"),
    ]
    first = telegram_api.send_text(SARI, "/status")
    await inbox.add(first, json.dumps(telegram_api.pushed[-1]))
    await inbox.replied(first, replies_to_json(stored))
    second = telegram_api.send_text(SARI, "/menu")
    await inbox.add(second, json.dumps(telegram_api.pushed[-1]))
    async with running_bot(telegram_api, Assistant(telegram_deps)) as bot:
        await telegram_api.wait_until(lambda: {first, second} <= bot.handled)
    texts = telegram_api.texts(1001)
    menu = telegram_deps.knowledge.texts.render("id", "menu.prompt")
    assert texts == ["Balasan pertama", "Berkas Anda", menu]  # stored ones first, as stored
    sent = telegram_api.sent_to(1001)
    assert sent[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "menu:main"
    [upload] = telegram_api.uploads("sendDocument")
    assert upload.files["document"] == ("data.csv", b"a;b\n1;2\n")
    assert await inbox.pending() == []


async def test_stored_replies_for_a_user_who_blocked_the_bot_are_dropped(
    telegram_api, telegram_deps
) -> None:
    inbox = telegram_deps.storage.telegram_inbox
    update_id = telegram_api.send_text(SARI, "/status")
    await inbox.add(update_id, json.dumps(telegram_api.pushed[-1]))
    await inbox.replied(update_id, replies_to_json([Reply("Halo")]))
    telegram_api.block(1001)
    async with running_bot(telegram_api, Assistant(telegram_deps)) as bot:
        await telegram_api.wait_until(lambda: update_id in bot.handled)
    assert telegram_api.sent_to(1001) == []
    assert await inbox.pending() == []  # a permanent failure: not kept for the next start
