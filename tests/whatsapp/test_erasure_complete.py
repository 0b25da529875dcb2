"""/hapus leaves nothing behind: every table and the -wal file are searched for each value.

A user registers, asks questions holding personal data (one is curated into a phrasing), is
reviewed with a staff note quoting them and receives a broadcast; then erases. On WhatsApp the
erasure itself goes through the real webhook and sender, whose reply would otherwise store the
number again; on Telegram and the console through the conversation core.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.broadcast.worker import BroadcastWorker
from handlers.faq import add_phrasings
from storage.audience import Audience
from storage.privacy import ERASURE_POLICY
from tests.support.chat import Chat
from tests.support.regform import register
from tests.test_broadcast_outbox import FAST, until

OWNER, BUSINESS = "Ratna Kusumawati", "Warung Rahasia Ratna"
EMAIL, PHONE = "ratna.kusuma@contoh.id", "+6281398765432"
QUESTION = "kenapa kiriman ke Jl. Dago Pojok 77 belum sampai"
NOTE = "Ratna bilang izin PIRT nomor 998877 masih proses"
VALUES = (OWNER, BUSINESS, EMAIL, PHONE, PHONE[1:], QUESTION, "Dago Pojok 77", NOTE, "998877")


async def _life_of_a_user(deps, person: Chat, admin: Chat) -> None:
    """Register, ask, be reviewed with a note, get a broadcast, and have a phrasing curated."""
    await register(person, owner_name=OWNER, business_name=BUSINESS, email=EMAIL,
                   phone=PHONE, website=None)
    await person.send(QUESTION)
    await person.send(f"halo saya {OWNER}, tolong telepon {PHONE}")
    await add_phrasings(deps, "registration-how", "id", [QUESTION], created_by=admin.channel)
    await admin.send("/review")
    await admin.press("❌ Reject")
    await admin.send(NOTE)
    assert "rejected" in admin.text or "ditolak" in admin.text, admin.text
    broadcast = await deps.storage.broadcasts.create_now(
        (admin.channel, admin.user_id, "en"), "Halo {{ nama }} dari {{ usaha }}", Audience()
    )
    async with BroadcastWorker(deps, **FAST):
        await until(lambda: _done(deps, broadcast.id))


async def _done(deps, broadcast_id: int) -> bool:
    return (await deps.storage.broadcasts.get(broadcast_id)).status == "done"


async def _leftovers(deps) -> list[str]:
    """Every value still found in any table, the database file or its -wal file."""
    db = deps.storage.db
    found = []
    tables = [row[0] for row in await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    assert set(tables) <= set(ERASURE_POLICY), set(tables) - set(ERASURE_POLICY)
    for table in tables:
        for row in await db.fetchall(f"SELECT * FROM {table}"):  # noqa: S608 -- names from the schema
            cells = " ".join(str(cell) for cell in tuple(row))
            found += [f"{table}: {value}" for value in VALUES if value in cells]
    for path in (Path(db.path), Path(db.path + "-wal")):
        data = path.read_bytes() if path.exists() else b""
        found += [f"{path.name}: {value}" for value in VALUES if value.encode() in data]
    return found


async def test_every_table_has_an_erasure_policy(deps):
    rows = await deps.storage.db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    assert {row[0] for row in rows} == set(ERASURE_POLICY)


async def test_erasure_on_whatsapp_leaves_nothing(wa_server):
    deps = wa_server.deps
    assistant = wa_server.channel.inbound.assistant
    wa_id = PHONE[1:]
    await wa_server.text(wa_id, "halo")  # a contact row, a sent-message row
    person = Chat(assistant, wa_id, channel="whatsapp", display_name=OWNER)
    admin = Chat(assistant, "6281200000001", channel="whatsapp", language_hint="en")
    await _life_of_a_user(deps, person, admin)
    assert len(await _leftovers(deps)) > 10  # the values really were stored
    await wa_server.text(wa_id, "/hapus")
    sent = await wa_server.press(wa_id, "reg:forget:yes")
    assert "dihapus" in str(sent)
    assert await _leftovers(deps) == []
    assert await deps.storage.privacy.erasure_count() == 1


@pytest.mark.parametrize("channel", ["telegram", "console"])
async def test_erasure_in_the_core_leaves_nothing(deps, assistant, channel):
    from tests.support.broadcasting import RecordingSender

    deps.senders["telegram"] = RecordingSender()
    deps.senders["console"] = RecordingSender("console")
    user_id = "777123456" if channel == "telegram" else "ratna"
    person = Chat(assistant, user_id, channel=channel, display_name=OWNER)
    admin = Chat(assistant, "9000", language_hint="en")
    await _life_of_a_user(deps, person, admin)
    assert len(await _leftovers(deps)) > 10
    knowledge = deps.knowledge
    await person.send("/hapus")
    await person.press("reg:forget:yes")
    assert "sudah dihapus" in person.text
    await deps.storage.privacy.settle(channel, user_id)  # what the channel does after replying
    assert await _leftovers(deps) == []
    assert await deps.storage.users.get(channel, user_id) is None
    assert deps.knowledge is not knowledge  # rebuilt without the erased phrasing
