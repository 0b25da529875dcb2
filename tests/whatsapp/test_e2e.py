"""End to end: signed webhooks into the real web server, replies out to the stand-in Graph API."""

from __future__ import annotations

import pytest

from handlers.types import Reply
from tests.whatsapp.conftest import fixture, message, status

SARI = "6281234567890"


def kinds(sent: list[dict]) -> list[str]:
    return [m["interactive"]["type"] if m["type"] == "interactive" else m["type"] for m in sent]


def texts(sent: list[dict]) -> str:
    parts = []
    for m in sent:
        if m["type"] == "text":
            parts.append(m["text"]["body"])
        elif m["type"] == "interactive":
            parts.append(m["interactive"]["body"]["text"])
    return "\n".join(parts)


def choices(sent: list[dict]) -> dict[str, str]:
    """title -> id of the buttons or list rows of the last interactive message."""
    last = [m for m in sent if m["type"] == "interactive"][-1]["interactive"]
    if last["type"] == "button":
        return {b["reply"]["title"]: b["reply"]["id"] for b in last["action"]["buttons"]}
    rows = [r for s in last["action"]["sections"] for r in s["rows"]]
    return {r.get("description", r["title"]): r["id"] for r in rows}


def has_command(server, name: str) -> bool:
    return name in server.channel.inbound.assistant.router.commands


async def test_greeting_then_language_from_the_list(wa_server):
    sent = await wa_server.text(SARI, "/start")
    assert "Sari" in texts(sent)
    assert kinds(sent) == ["list"]  # 3 languages + 4 menu entries: more than 3 buttons
    options = choices(sent)
    assert options["English"] == "lang:en"
    sent = await wa_server.press(SARI, "lang:en", "English", kind="list_reply")
    assert "English" in texts(sent)
    user = await wa_server.deps.storage.users.get("whatsapp", SARI)
    assert user.language == "en" and user.display_name == "Sari"
    assert wa_server.graph.rejected == []
    assert all(m["to"] == f"+{SARI}" for m in wa_server.graph.messages)


async def test_typed_label_presses_the_option(wa_server):
    await wa_server.text(SARI, "/start")
    sent = await wa_server.text(SARI, "bahasa melayu")  # the label of a list row, typed
    assert (await wa_server.deps.storage.users.get("whatsapp", SARI)).language == "ms"
    assert sent and wa_server.graph.rejected == []


async def test_unsupported_kinds_get_a_kind_reply(wa_server):
    data = fixture("image")
    sent = await wa_server.exchange(data, "16505551234")
    assert sent and "text" in texts(sent).lower()  # "I can only read text messages"
    data = message(SARI, "location", {"latitude": -6.9, "longitude": 107.6})
    assert await wa_server.exchange(data, SARI)


async def test_faq_question(wa_server):
    if wa_server.channel.inbound.assistant.router.text_handler is None:
        pytest.skip("the FAQ feature (issue 3) is not registered yet")
    sent = await wa_server.text(SARI, "apa itu Little Bandung?")
    assert "Little Bandung" in texts(sent)
    assert wa_server.graph.rejected == []


async def test_stop_unsubscribes(wa_server):
    if not has_command(wa_server, "berhenti"):
        pytest.skip("/berhenti (issue 6) is not registered yet")
    await wa_server.text(SARI, "halo")
    sent = await wa_server.text(SARI, "STOP")
    assert sent
    assert not (await wa_server.deps.storage.users.get("whatsapp", SARI)).subscribed


async def test_status_webhooks_update_sent_messages(wa_server):
    sent = await wa_server.text(SARI, "/help")
    repo = wa_server.deps.storage.whatsapp
    wamids = [r.wamid for r in [await repo.get_sent(w) for w in _wamids(wa_server)] if r]
    assert wamids and sent
    wamid = wamids[-1]
    for state in ("sent", "read", "delivered"):  # a late "delivered" never overwrites "read"
        assert (await wa_server.post(status(wamid, SARI, state))).status_code == 200
    await wa_server.channel.webhook.drain()
    assert (await repo.get_sent(wamid)).status == "read"


async def test_undeliverable_status_marks_the_user_blocked(wa_server):
    await wa_server.text(SARI, "/help")
    wamid = (_wamids(wa_server))[-1]
    await wa_server.post(status(wamid, SARI, "failed", error_code=131026))
    await wa_server.channel.webhook.drain()
    assert (await wa_server.deps.storage.users.get("whatsapp", SARI)).blocked
    assert (await wa_server.deps.storage.whatsapp.get_sent(wamid)).error_code == 131026
    await wa_server.text(SARI, "halo")  # writing again unblocks
    assert not (await wa_server.deps.storage.users.get("whatsapp", SARI)).blocked


async def test_rate_limited_reply_backs_off_and_is_sent(wa_server):
    wa_server.channel.sender.retry_after[130429] = 0.05
    wa_server.graph.fail(130429, times=2)
    sent = await wa_server.text(SARI, "/help")
    assert [code for _, code in wa_server.graph.refused] == [130429, 130429]
    assert len(sent) == 1 and wa_server.graph.rejected == []


async def test_users_are_answered_concurrently_and_each_in_order(wa_server):
    import asyncio

    users = [f"62812000{i:05d}" for i in range(8)]
    bodies = [message(u, "text", {"body": cmd}) for u in users for cmd in ("/start", "/help")]
    responses = await asyncio.gather(*(wa_server.post(b) for b in bodies))
    assert all(r.status_code == 200 for r in responses)
    await wa_server.channel.webhook.drain()
    for user in users:
        assert len(wa_server.graph.sent_to(user)) == 2
    assert wa_server.graph.rejected == []


def _wamids(server) -> list[str]:
    """The ids the stand-in Graph API gave the bot's messages, in the order it accepted them
    (the database's rows have no order of their own on PostgreSQL)."""
    return list(server.graph.wamids)


async def test_reaction_opens_the_window_without_an_answer(wa_server):
    data = message(SARI, "reaction", {"message_id": "wamid.X", "emoji": "👍"})
    assert await wa_server.exchange(data, SARI) == []
    assert await wa_server.deps.storage.whatsapp.last_inbound(SARI) is not None


async def test_announcement_keeps_the_conversation_options(wa_server):
    await wa_server.text(SARI, "/start")
    before = await wa_server.deps.storage.whatsapp.options(SARI)
    await wa_server.channel.sender.send(SARI, [Reply("Pengumuman")])
    assert await wa_server.deps.storage.whatsapp.options(SARI) == before and before.choices
