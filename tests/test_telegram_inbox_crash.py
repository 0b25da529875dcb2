"""The inbox after a crash: what a row's status (received, handling, replied) makes the bot do."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from handlers import Assistant
from handlers.assistant import Answer, Deps
from handlers.types import Button, Incoming, Reply, ReplyKind
from handlers.wire import answer_to_json
from storage.inbox import HANDLING, REPLIED
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_bot import BotUnderTest, running_bot
from tests.fakes.telegram_updates import user
from tests.support.inbox_rows import ChannelInbox
from wiring.deps import open_deps

SARI = user(1001, "Sari", "id")
NAME = "Sari Wulandari"  # the answer to the registration's first question (owner_name)


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


async def _until_status(inbox: ChannelInbox, update_id: int, status: str) -> None:
    async with asyncio.timeout(30):  # a guard, not a test
        while not any(  # noqa: ASYNC110 -- the database is the signal
            r.key == str(update_id) and r.status == status for r in await inbox.pending()
        ):
            await asyncio.sleep(0.005)


async def _until_settled(deps: Deps) -> None:
    """Until the bot is done with every stored update (its replies delivered): after that
    nothing more can be sent for them."""
    inbox = ChannelInbox(deps)
    async with asyncio.timeout(30):  # a guard, not a test
        while await inbox.pending():  # noqa: ASYNC110 -- the database is the signal
            await asyncio.sleep(0.005)


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

    async def answer(self, incoming: Incoming) -> Answer:
        answer = await super().answer(incoming)
        if incoming.text == NAME:
            self.handled.set()
            await self.go.wait()
        return answer


async def test_replied_update_is_sent_again_not_handled_again(
    telegram_api, telegram_deps, make_settings, tmp_path
) -> None:
    inbox = ChannelInbox(telegram_deps)
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
        left = await ChannelInbox(deps).pending()
        assert [(row.key, row.status) for row in left] == [(str(update_id), REPLIED)]
        assert await _step(deps) == ("business_name", {"owner_name": NAME})
        again_from = len(telegram_api.sent_to(1001))
        async with running_bot(telegram_api, Assistant(deps)) as bot:
            await telegram_api.wait_until(lambda: update_id in bot.handled)
            await _until_settled(deps)  # nothing else follows
        assert _shown(telegram_api.sent_to(1001)[again_from:]) == _shown(first)
        # Not handled again: NAME was not taken as the business name too.
        assert await _step(deps) == ("business_name", {"owner_name": NAME})
        assert await ChannelInbox(deps).pending() == []


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
        left = await ChannelInbox(deps).pending()
        assert [(row.key, row.status) for row in left] == [(str(update_id), HANDLING)]
        before = len(telegram_api.sent_to(1001))
        async with running_bot(telegram_api, Assistant(deps)) as bot:
            await telegram_api.wait_until(lambda: update_id in bot.handled)
            await _until_settled(deps)
        notice = deps.knowledge.texts.render("id", "inbox.interrupted")
        assert telegram_api.texts(1001)[before:] == [notice]
        assert "/daftar" in notice and "/status" in notice
        assert await _step(deps) == ("business_name", {"owner_name": NAME})  # applied once
        assert await ChannelInbox(deps).pending() == []


async def test_received_update_is_handled_after_restart(telegram_api, telegram_deps) -> None:
    inbox = ChannelInbox(telegram_deps)
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
    inbox = ChannelInbox(telegram_deps)
    stored = [
        Reply("Balasan pertama", (Button("Menu", "menu:main"),)),
        Reply("Berkas Anda", kind=ReplyKind.DOCUMENT, file=b"a;b\n1;2\n", filename="data.csv"),
    ]
    first = telegram_api.send_text(SARI, "/status")
    await inbox.add(first, json.dumps(telegram_api.pushed[-1]))
    await inbox.replied(first, answer_to_json(stored))
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
    inbox = ChannelInbox(telegram_deps)
    update_id = telegram_api.send_text(SARI, "/status")
    await inbox.add(update_id, json.dumps(telegram_api.pushed[-1]))
    await inbox.replied(update_id, answer_to_json([Reply("Halo")]))
    telegram_api.block(1001)
    async with running_bot(telegram_api, Assistant(telegram_deps)) as bot:
        await telegram_api.wait_until(lambda: update_id in bot.handled)
    assert telegram_api.sent_to(1001) == []
    assert await inbox.pending() == []  # a permanent failure: not kept for the next start
