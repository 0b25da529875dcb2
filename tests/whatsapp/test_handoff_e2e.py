"""Talk to a person end to end: users and agents on both stand-ins (Bot API and Graph API).

One process runs the real PTB bot polling the stand-in Bot API, the real web server with the
WhatsApp webhook, and the outbox worker, all over one database, as `bot.py serve` does.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from channels.whatsapp import whatsapp_web_part
from handlers import Assistant
from handlers.broadcast.worker import BroadcastWorker
from tests.fakes.asgi import serving
from tests.fakes.graph_api import FakeGraphApi
from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_bot import BotUnderTest, running_bot
from tests.whatsapp.conftest import WhatsAppServer, message
from wiring.deps import open_deps
from wiring.web import build_app

pytestmark = pytest.mark.slow
TG_AGENT, WA_AGENT = 9000, "6281200000001"  # ADMIN_IDS: admins are agents
FAST = {"rate": 50, "poll": 0.05, "chat_gap": 0, "retry_base": 0.05, "progress_every": 0.2}


@dataclass
class Both:
    tg: BotUnderTest
    api: FakeBotApi
    wa: WhatsAppServer
    graph: FakeGraphApi

    @property
    def deps(self):
        return self.wa.deps

    def wa_texts(self, wa_id: str) -> list[str]:
        """What WhatsApp user `wa_id` received: texts, button bodies and template parameters."""
        return [_wa_text(m) for m in self.graph.sent_to(wa_id)]

    async def wa_until(self, wa_id: str, part: str) -> str:
        """The first message to `wa_id` containing `part`, once it has arrived."""
        await self.graph.wait_for(lambda: any(part in t for t in self.wa_texts(wa_id)), 30)
        return next(t for t in self.wa_texts(wa_id) if part in t)

    async def tg_until(self, chat_id: int, part: str) -> dict:
        """The first message to Telegram chat `chat_id` containing `part`, once it is there."""
        def found():
            return next((m for m in self.api.sent_to(chat_id)
                         if part in m.get("text", m.get("caption", ""))), None)  # fmt: skip

        await self.api.wait_until(lambda: found() is not None, 30)
        return found()


def _wa_text(message: dict) -> str:
    kind = message["type"]
    if kind == "text":
        return message["text"]["body"]
    if kind == "interactive":
        return message["interactive"]["body"]["text"] + " " + json.dumps(message["interactive"])
    if kind == "template":
        return "TEMPLATE " + message["template"]["components"][0]["parameters"][0]["text"]
    return json.dumps(message)


@pytest.fixture
async def both(make_settings, wa_env, graph, telegram_api) -> AsyncIterator[Both]:
    settings = make_settings(
        **{**wa_env, "ADMIN_IDS": f"telegram:{TG_AGENT},whatsapp:{WA_AGENT}"},
        WHATSAPP_API_URL=graph.url,
        TELEGRAM_BOT_TOKEN=telegram_api.token,
        TELEGRAM_API_URL=telegram_api.base_url,
    )
    deps = await open_deps(settings)
    assistant = Assistant(deps)
    part = whatsapp_web_part(assistant)
    channel = part.on_startup[0].__self__
    try:
        async with (
            serving(build_app(deps, [part])) as url,
            running_bot(telegram_api, assistant) as tg,
            BroadcastWorker(deps, **FAST),
        ):
            server = WhatsAppServer(url, channel, graph)
            yield Both(tg, telegram_api, server, graph)
            await server.http.aclose()
    finally:
        await deps.storage.close()


async def test_user_on_whatsapp_agent_on_telegram(both: Both) -> None:
    user = "6281311112222"
    await both.wa.text(user, "/petugas")
    (opened,) = await both.wa.text(user, "Bagaimana cara mengurus NIB untuk usaha keripik?")
    assert "#1" in _wa_text(opened)
    card = await both.tg_until(TG_AGENT, "Tiket #1")
    assert "WhatsApp" in card["text"] and user not in card["text"]
    assert await both.tg.press(TG_AGENT, "tk:take:1") == [
        "Tiket #1 sekarang Anda tangani. Balas pesan tiketnya atau /balas 1 teks."
    ]
    await both.wa_until(WA_AGENT, "diambil oleh")  # WhatsApp cannot edit: a new message
    await both.tg.reply_to(TG_AGENT, "Lewat OSS (oss.go.id), gratis.", card)
    await both.wa_until(user, "Petugas Dinas KUKM: Lewat OSS (oss.go.id), gratis.")
    assert "Diteruskan" in _wa_text((await both.wa.text(user, "Kalau PIRT bagaimana?"))[0])
    await both.tg_until(TG_AGENT, "#1 Pengguna: Kalau PIRT bagaimana?")
    await both.tg.send(TG_AGENT, "/tutup 1 dijawab")
    await both.wa_until(user, "hand:rate:1:up")
    (thanks,) = await both.wa.press(user, "hand:rate:1:up", "👍 Membantu")
    assert "Terima kasih atas penilaian" in _wa_text(thanks)
    ticket = await both.deps.storage.tickets.get(1)
    assert (ticket.status, ticket.rating, ticket.assignee) == ("closed", "up", f"telegram:{TG_AGENT}")


async def test_user_on_telegram_agent_on_whatsapp(both: Both) -> None:
    await both.wa.text(WA_AGENT, "halo")  # the agent's 24-hour window is open
    user = 1001
    await both.tg.send(user, "/petugas")
    assert "#1" in "".join(await both.tg.send(user, "Kapan pameran Little Bandung berikutnya?"))
    await both.wa_until(WA_AGENT, "tk:take:1")
    tg_card = await both.tg_until(TG_AGENT, "Tiket #1")
    (taken,) = await both.wa.press(WA_AGENT, "tk:take:1", "Ambil")
    assert "sekarang Anda tangani" in _wa_text(taken)
    await both.api.wait_until(  # the other agent's card is edited in place on Telegram
        lambda: "diambil oleh" in both.api.messages[(TG_AGENT, tg_card["message_id"])]["text"]
    )
    await both.wa.press(WA_AGENT, "tk:reply:1", "Balas")
    await both.wa.text(WA_AGENT, "Bulan depan di Petaling Jaya, info menyusul.")
    await both.tg_until(user, "Petugas Dinas KUKM: Bulan depan di Petaling Jaya")
    assert "Diteruskan" in "".join(await both.tg.send(user, "Baik, saya tunggu infonya"))
    await both.wa_until(WA_AGENT, "#1 Pengguna: Baik, saya tunggu infonya")
    await both.wa.text(WA_AGENT, "/tutup 1")
    await both.tg_until(user, "Petugas menutup tiket #1")
    assert "Terima kasih atas penilaian" in "".join(await both.tg.press(user, "hand:rate:1:down"))
    assert (await both.deps.storage.tickets.get(1)).rating == "down"


async def test_two_agents_race_to_take(both: Both) -> None:
    await both.deps.storage.roles.grant("telegram", "9001", "agent", "telegram:9000")
    await both.tg.send(1002, "/petugas")
    await both.tg.send(1002, "Siapa yang bisa bantu saya soal halal?")
    await both.tg_until(TG_AGENT, "Tiket #1")
    await both.tg_until(9001, "Tiket #1")
    answers = await asyncio.gather(both.tg.press(TG_AGENT, "tk:take:1"),
                                   both.tg.press(9001, "tk:take:1"))  # fmt: skip
    won = [a for a in answers if "sekarang Anda tangani" in "".join(a)]
    lost = [a for a in answers if "sudah diambil oleh" in "".join(a)]
    assert (len(won), len(lost)) == (1, 1)


async def test_whatsapp_reply_after_24_hours_goes_as_template_then_text(both: Both) -> None:
    user = "6281399998888"
    await both.wa.text(user, "/petugas")
    await both.wa.text(user, "Apakah ada pelatihan ekspor?")
    await both.tg_until(TG_AGENT, "Tiket #1")
    stale = (both.deps.storage.db.now() - timedelta(hours=25)).isoformat()
    await both.deps.storage.db.execute(
        "UPDATE whatsapp_contacts SET last_inbound_at = ? WHERE wa_id = ?", (stale, user)
    )
    await both.tg.send(TG_AGENT, "/balas 1 Ada, bulan Juli di Disdagin.")
    notice = await both.wa_until(user, "TEMPLATE")
    assert "Balas pesan ini untuk membaca jawabannya" in notice
    assert "Juli" not in " ".join(both.wa_texts(user))  # the text waits for the user
    await both.wa.text(user, "ok")
    await both.wa_until(user, "Petugas Dinas KUKM: Ada, bulan Juli di Disdagin.")


async def test_erasure_with_an_open_ticket(both: Both) -> None:
    user = "6281377776666"
    await both.wa.text(user, "/petugas")
    await both.wa.text(user, "Nomor saya 081377776666, tolong telepon")
    await both.tg_until(TG_AGENT, "Tiket #1")
    await both.wa.text(user, "/hapus")
    await both.wa.press(user, "reg:forget:yes", "Ya, hapus")
    await both.tg_until(TG_AGENT, "Tiket #1 ditutup oleh pengguna")
    rows = await both.deps.storage.db.fetchall("SELECT text FROM ticket_messages")
    assert rows == []
    ticket = await both.deps.storage.tickets.get(1)
    assert (ticket.question, ticket.user_pk, ticket.status) == (None, None, "closed")
    week_ago = both.deps.storage.db.now() - timedelta(days=7)
    assert len(await both.deps.storage.tickets.since(week_ago)) == 1  # still counted, anonymously


PHOTO = b"\xff\xd8\xff\xe0JFIF" + bytes(range(256)) * 8
PDF = b"%PDF-1.4 nota pembelian bahan baku"
LABEL = b"\xff\xd8\xff\xe0JFIF" + b"contoh label" * 64


def _tg_file(api: FakeBotApi, message: dict) -> tuple[str | None, bytes]:
    """The file name and bytes behind a photo or document the bot sent on Telegram."""
    if "photo" in message:
        return None, api.files[message["photo"][-1]["file_id"]]["data"]
    stored = api.files[message["document"]["file_id"]]
    return message["document"].get("file_name"), stored["data"]


async def test_files_between_a_whatsapp_user_and_a_telegram_agent(both: Both) -> None:
    user = "6281344445555"
    await both.wa.text(user, "/petugas")
    await both.wa.text(user, "Label kemasan saya sudah benar belum?")
    card = await both.tg_until(TG_AGENT, "Tiket #1")
    await both.tg.press(TG_AGENT, "tk:take:1")

    # The user's photo and document: downloaded from the Graph stand-in, sent to the agent.
    photo_id = both.graph.user_media(PHOTO, "image/jpeg")
    (said,) = await both.wa.exchange(message(user, "image", {
        "id": photo_id, "mime_type": "image/jpeg", "sha256": "x", "caption": "kemasan depan"}),
        user)  # fmt: skip
    assert "Diteruskan" in _wa_text(said)
    pdf_id = both.graph.user_media(PDF, "application/pdf")
    await both.wa.exchange(message(user, "document", {
        "id": pdf_id, "mime_type": "application/pdf", "sha256": "x", "filename": "nota.pdf"}),
        user)  # fmt: skip
    assert both.graph.downloads == [photo_id, pdf_id]
    await both.tg_until(TG_AGENT, "#1 Pengguna: kemasan depan")
    await both.tg_until(TG_AGENT, "#1 Pengguna: 📎 nota.pdf")  # a file without words is named
    files = [_tg_file(both.api, m) for m in both.api.sent_to(TG_AGENT)
             if "photo" in m or "document" in m]  # fmt: skip
    assert files == [(None, PHOTO), ("nota.pdf", PDF)]

    # The agent answers with a photo (a Telegram reply to the card) and a document (Reply
    # button): uploaded to the Graph stand-in, the user receives both with the staff mark.
    await both.tg.send_photo(TG_AGENT, LABEL, "Contoh label yang benar", reply_to=card)
    await both.tg.press(TG_AGENT, "tk:reply:1")
    await both.tg.send_document(TG_AGENT, PDF, "panduan-label.pdf", "application/pdf",
                                "Panduannya")  # fmt: skip
    await both.wa_until(user, "Petugas Dinas KUKM: Contoh label yang benar")
    await both.wa_until(user, "Petugas Dinas KUKM: Panduannya")
    received = [m for m in both.graph.sent_to(user) if m["type"] in ("image", "document")]
    assert [m["type"] for m in received] == ["image", "document"]
    assert both.graph.media[received[0]["image"]["id"]][1] == LABEL
    assert both.graph.media[received[1]["document"]["id"]][1] == PDF
    assert received[1]["document"]["filename"] == "panduan-label.pdf"
    kinds = [m.media_id is not None for m in await both.deps.storage.tickets.messages(1)]
    assert kinds == [False, True, True, True, True]  # question, 2 user files, 2 staff files
    assert both.graph.rejected == []
