"""Photos and documents in a ticket end to end, both ways: a WhatsApp user's files reach the
Telegram agent (downloaded from the Graph stand-in, uploaded to the Bot API stand-in) and the
agent's reach the user (uploaded to the Graph stand-in); then a Telegram user and a WhatsApp
agent the same way round. One test: the two stand-ins start once."""

from __future__ import annotations

import pytest

from tests.fakes.telegram_api import FakeBotApi
from tests.support.handoff_e2e import TG_AGENT, WA_AGENT, Both
from tests.support.handoff_e2e import wa_text as _wa_text
from tests.support.whatsapp import message

pytestmark = pytest.mark.slow


PHOTO = b"\xff\xd8\xff\xe0JFIF" + bytes(range(256)) * 8
PDF = b"%PDF-1.4 nota pembelian bahan baku"
LABEL = b"\xff\xd8\xff\xe0JFIF" + b"contoh label" * 64


def _tg_file(api: FakeBotApi, message: dict) -> tuple[str | None, bytes]:
    """The file name and bytes behind a photo or document the bot sent on Telegram."""
    if "photo" in message:
        return None, api.files[message["photo"][-1]["file_id"]]["data"]
    stored = api.files[message["document"]["file_id"]]
    return message["document"].get("file_name"), stored["data"]


async def test_files_both_ways_between_whatsapp_and_telegram(both: Both) -> None:
    user = "6281344445555"
    await both.wa.text(user, "/petugas")
    await both.wa.text(user, "Label kemasan saya sudah benar belum?")
    await both.tg_until(TG_AGENT, "Tiket #1")
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
    named = await both.tg_until(TG_AGENT, "#1 Pengguna: 📎 nota.pdf")  # a file without words
    files = [_tg_file(both.api, m) for m in both.api.sent_to(TG_AGENT)
             if "photo" in m or "document" in m]  # fmt: skip
    assert files == [(None, PHOTO), ("nota.pdf", PDF)]

    # The agent answers with a photo (a Telegram reply to the text after the user's file: the
    # second message of that thread message) and a document (Reply button): uploaded to the
    # Graph stand-in, the user receives both with the staff mark.
    await both.tg.send_photo(TG_AGENT, LABEL, "Contoh label yang benar", reply_to=named)
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

    # The mirror: a Telegram user's photo reaches a WhatsApp agent (uploaded to the Graph
    # stand-in); the agent's document, a WhatsApp reply to that thread message's buttons part,
    # is downloaded from the Graph stand-in and reaches the user on Telegram.
    await both.wa.text(WA_AGENT, "halo")  # the agent's 24-hour window is open
    tg_user = 1004
    await both.tg.send(tg_user, "/petugas")
    await both.tg.send(tg_user, "Apakah foto produk saya cukup jelas untuk katalog?")
    await both.wa_until(WA_AGENT, "tk:take:2")
    before = len(both.graph.sent_to(WA_AGENT))
    assert "Diteruskan" in "".join(await both.tg.send_photo(tg_user, LABEL, "foto produk"))
    await both.graph.wait_for(lambda: len(both.graph.sent_to(WA_AGENT)) >= before + 2)
    image, thread = both.graph.sent_to(WA_AGENT)[before:before + 2]
    assert both.graph.media[image["image"]["id"]][1] == LABEL
    assert "#2 Pengguna: foto produk" in _wa_text(thread) and "tk:reply:2" in _wa_text(thread)
    guide = both.graph.user_media(PDF, "application/pdf")
    note = message(WA_AGENT, "document", {"id": guide, "mime_type": "application/pdf",
                                          "sha256": "x", "filename": "syarat-katalog.pdf",
                                          "caption": "Syaratnya di sini"})  # fmt: skip
    note["entry"][0]["changes"][0]["value"]["messages"][0]["context"] = {
        "from": "15550783881", "id": both.graph.wamid_of(thread)}
    await both.wa.exchange(note, WA_AGENT)
    await both.tg_until(tg_user, "Petugas Dinas KUKM: Syaratnya di sini")
    (document,) = [m for m in both.api.sent_to(tg_user) if "document" in m]
    assert _tg_file(both.api, document) == ("syarat-katalog.pdf", PDF)
    assert both.graph.rejected == []
