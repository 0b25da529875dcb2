"""Broadcasts with a photo or document, end to end on Telegram: the real PTB bot and sender, the
stand-in Bot API over HTTP (getFile, file download, sendPhoto/sendDocument), real SQLite."""

from __future__ import annotations

from collections import Counter

import pytest

from channels.telegram.app import TelegramChannel
from channels.telegram.media import fetch
from handlers import Assistant
from handlers.broadcast.worker import BroadcastWorker
from handlers.media import MediaTooBig
from handlers.types import Media
from storage.audience import Audience
from tests.fakes.telegram_api import FakeBotApi
from tests.support.broadcasting import add_registration, add_user
from tests.test_broadcast_outbox import until
from wiring.deps import open_deps

ADMIN = 9000
PHOTO = b"\xff\xd8\xff\xe0JFIF" + bytes(range(256)) * 64  # ~16 KB of "JPEG"
PDF = b"%PDF-1.4\n" + b"jadwal pameran " * 500
FAST = {"rate": 1000, "progress_every": 0.2, "poll": 0.02, "retry_base": 0.05, "chat_gap": 0}
CAPTION = "Halo {{ nama }}, pameran untuk {{ usaha }} dibuka Senin."
STOP = {"id": "— Tidak ingin menerima pengumuman lagi? Ketik /berhenti.",
        "en": "— Don't want these announcements? Type /stop."}


async def people(storage, n: int = 6) -> dict[int, str]:
    """n Telegram subscribers (ids 100000…), half registered; returns chat id -> language."""
    langs = {}
    for i in range(n):
        lang = ("id", "en")[i % 2]
        pk = await add_user(storage, str(100_000 + i), name=f"tg{i}", language=lang)
        if i % 2 == 0:
            await add_registration(storage, pk, owner=f"Pemilik {i}", business=f"Usaha {i}")
        langs[100_000 + i] = lang
    return langs


def expected(chat_id: int, lang: str) -> str:
    i = chat_id - 100_000
    name, business = (f"Pemilik {i}", f"Usaha {i}") if i % 2 == 0 else (
        f"tg{i}", {"id": "usaha Anda", "en": "your business"}[lang])
    return f"Halo {name}, pameran untuk {business} dibuka Senin.\n\n{STOP[lang]}"


def received(api: FakeBotApi, chat_id: int) -> list[dict]:
    return api.sent_to(chat_id)


async def run_to_end(deps, broadcast_id: int) -> None:
    async with BroadcastWorker(deps, **FAST) as worker:
        worker.wake()
        await until(lambda: _status(deps, broadcast_id, "done"), within=30)


async def _status(deps, broadcast_id: int, status: str) -> bool:
    return (await deps.storage.broadcasts.get(broadcast_id)).status == status


async def test_photo_with_caption_previewed_then_sent_once_each_with_one_upload(
    telegram_api: FakeBotApi, telegram_deps, telegram_bot
):
    langs = await people(telegram_deps.storage)
    await telegram_bot.send(ADMIN, "/siaran")
    before = len(telegram_api.sent_to(ADMIN))
    await telegram_bot.send_photo(ADMIN, PHOTO, caption=CAPTION)
    heading, preview, en_heading, en_preview, panel = telegram_api.sent_to(ADMIN)[before:]
    assert "persis seperti yang dilihat Pemilik 0" in heading["text"]
    assert preview["caption"] == expected(100_000, "id")  # the photo, caption personalised
    assert preview["_file"] == PHOTO and preview["_uploaded"]
    first_en = min(chat for chat, lang in langs.items() if lang == "en")
    assert en_heading["text"].startswith("Pratinjau English")  # each language's preview
    assert en_preview["caption"] == expected(first_en, "en") and not en_preview["_uploaded"]
    assert "Foto terlampir: foto.jpg (16 KB)" in panel["text"]
    assert "Jumlah penerima: 7" in panel["text"]  # six people and the admin
    assert [c.method for c in telegram_api.calls if c.method in ("getFile", "download")] == [
        "getFile", "download"]

    await telegram_bot.press(ADMIN, "bc:go")
    [broadcast] = await telegram_deps.storage.broadcasts.recent()
    assert broadcast.media_id is not None and broadcast.total == 7
    await run_to_end(telegram_deps, broadcast.id)

    file_id = preview["photo"][-1]["file_id"]
    for chat_id, lang in langs.items():
        [message] = received(telegram_api, chat_id)
        assert message["caption"] == expected(chat_id, lang)
        assert message["photo"][-1]["file_id"] == file_id and message["_file"] == PHOTO
        assert not message["_uploaded"]  # sent by file_id
    assert len(telegram_api.uploads("sendPhoto")) == 1  # the preview's, reused by everyone
    assert not telegram_api.calls_to("sendMessage", 100_000)


async def test_document_attached_from_the_panel(telegram_api, telegram_deps, telegram_bot):
    langs = await people(telegram_deps.storage, 4)
    await telegram_bot.send(ADMIN, "/siaran " + CAPTION)
    assert "bc:att" in str(telegram_api.last_keyboard(ADMIN)["reply_markup"])
    asked = await telegram_bot.press(ADMIN, "📎 Lampirkan foto/dokumen")
    assert "Kirim foto atau dokumen" in asked[-1]
    await telegram_bot.send_document(ADMIN, PDF, "jadwal.pdf", "application/pdf")
    *_, preview, _en_heading, en_preview, panel = telegram_api.sent_to(ADMIN)
    assert preview["document"]["file_name"] == "jadwal.pdf"
    assert preview["caption"] == expected(100_000, "id")
    assert en_preview["caption"] == expected(100_001, "en")
    assert "Dokumen terlampir: jadwal.pdf (7 KB)" in panel["text"]
    assert "bc:rm" in str(panel["reply_markup"]) and "bc:att" not in str(panel["reply_markup"])

    await telegram_bot.press(ADMIN, "bc:go")
    [broadcast] = await telegram_deps.storage.broadcasts.recent()
    await run_to_end(telegram_deps, broadcast.id)
    for chat_id, lang in langs.items():
        [message] = received(telegram_api, chat_id)
        assert message["document"]["file_name"] == "jadwal.pdf" and message["_file"] == PDF
        assert message["caption"] == expected(chat_id, lang)
    assert len(telegram_api.uploads("sendDocument")) == 1


async def test_remove_attachment_sends_text_only(telegram_api, telegram_deps, telegram_bot):
    await people(telegram_deps.storage, 2)
    await telegram_bot.send(ADMIN, "/siaran")
    await telegram_bot.send_photo(ADMIN, PHOTO, caption=CAPTION)
    await telegram_bot.press(ADMIN, "Hapus lampiran")
    *_, preview, _en_heading, en_preview, panel = telegram_api.sent_to(ADMIN)
    assert preview["text"] == expected(100_000, "id") and "photo" not in preview
    assert en_preview["text"] == expected(100_001, "en") and "photo" not in en_preview
    assert "terlampir" not in panel["text"]
    assert await telegram_deps.storage.media.count() == 0  # the removed file is not kept
    await telegram_bot.press(ADMIN, "bc:go")
    [broadcast] = await telegram_deps.storage.broadcasts.recent()
    await run_to_end(telegram_deps, broadcast.id)
    assert [m.get("text") for m in received(telegram_api, 100_001)] == [expected(100_001, "en")]


async def test_too_big_or_unsendable_files_are_refused_kindly(
    telegram_api, telegram_deps, telegram_bot
):
    await people(telegram_deps.storage, 2)
    await telegram_bot.send(ADMIN, "/siaran")
    said = await telegram_bot.send_photo(ADMIN, PHOTO, caption="x", file_size=6 * 1024 * 1024)
    assert said == ["Foto ini terlalu besar (6.0 MB): paling besar 5.0 MB yang bisa dikirim ke "
                    "semua penerima. Silakan kirim foto yang lebih kecil, atau kirim sebagai "
                    "dokumen PDF."]
    said = await telegram_bot.send_document(ADMIN, PDF, "laporan.pdf", "application/pdf",
                                            file_size=21 * 1024 * 1024)
    assert "Dokumen ini terlalu besar (21.0 MB): paling besar 20.0 MB" in said[0]
    said = await telegram_bot.send_document(ADMIN, b"PK\x03\x04", "foto.zip", "application/zip")
    assert "Jenis file ini tidak bisa dikirim ke semua penerima" in said[0]
    assert not telegram_api.calls_to("getFile")  # refused before downloading anything
    assert await telegram_deps.storage.media.count() == 0
    said = await telegram_bot.send(ADMIN, "Halo {{ nama }}")  # still composing: text works
    assert any("Jumlah penerima: 3" in text for text in said)


async def test_getfile_size_is_checked_even_when_the_update_gave_none(telegram_api, telegram_deps):
    channel = TelegramChannel(Assistant(telegram_deps))
    await channel.app.initialize()
    try:
        big = telegram_api.add_file("photo", b"\xff" * (5 * 1024 * 1024 + 1), None, "image/jpeg")
        with pytest.raises(MediaTooBig):
            await fetch(channel.bot, Media("photo", big), 5 * 1024 * 1024)
        small = telegram_api.add_file("photo", PHOTO, None, "image/jpeg")
        assert await fetch(channel.bot, Media("photo", small), 5 * 1024 * 1024) == PHOTO
        assert [c.method for c in telegram_api.calls].count("download") == 1
    finally:
        await channel.app.shutdown()


async def test_people_without_the_role_get_the_usual_answer_to_a_photo(
    telegram_api, telegram_deps, telegram_bot
):
    unsupported = telegram_deps.knowledge.texts.render("id", "core.unsupported")
    assert await telegram_bot.send_photo(1234, PHOTO, caption="foto produk saya") == [unsupported]
    assert await telegram_bot.send_photo(ADMIN, PHOTO) == [unsupported]  # staff, not composing
    assert not telegram_api.calls_to("getFile")
    assert await telegram_deps.storage.media.count() == 0


async def test_long_text_follows_the_uncaptioned_photo(telegram_api, telegram_deps, telegram_bot):
    await people(telegram_deps.storage, 2)
    long_text = "Halo {{ nama }}. " + "Pameran produk UMKM Bandung di Petaling Jaya. " * 24
    await telegram_bot.send(ADMIN, "/siaran")
    await telegram_bot.send_photo(ADMIN, PHOTO)  # no caption: the text is asked for
    assert "Sekarang ketik pesan" in telegram_api.texts(ADMIN)[-1]
    await telegram_bot.send(ADMIN, long_text)
    *_, photo, text, _en_heading, _en_photo, en_text, panel = telegram_api.sent_to(ADMIN)
    assert "caption" not in photo and photo["_file"] == PHOTO  # the preview: the same split
    assert text["text"].startswith("Halo Pemilik 0. Pameran") and text["text"].endswith(STOP["id"])
    assert en_text["text"].startswith("Halo tg1. Pameran") and en_text["text"].endswith(STOP["en"])
    assert len(text["text"]) > 1024
    await telegram_bot.press(ADMIN, "bc:go")
    [broadcast] = await telegram_deps.storage.broadcasts.recent()
    await run_to_end(telegram_deps, broadcast.id)
    first, second = received(telegram_api, 100_001)
    assert "photo" in first and "caption" not in first
    assert second["text"].startswith("Halo tg1. Pameran") and second["text"].endswith(STOP["en"])


async def _channel(make_settings, api: FakeBotApi):
    settings = make_settings(ADMIN_IDS=f"telegram:{ADMIN}", TELEGRAM_BOT_TOKEN=api.token,
                             TELEGRAM_API_URL=api.base_url)
    deps = await open_deps(settings)
    channel = TelegramChannel(Assistant(deps))
    await channel.app.initialize()
    return deps, channel


async def test_restart_mid_broadcast_resends_nothing_misses_nobody_uploads_once(make_settings):
    n = 40
    async with FakeBotApi() as api:
        deps, channel = await _channel(make_settings, api)
        langs = await people(deps.storage, n)
        media = await deps.storage.media.add("photo", "poster.jpg", "image/jpeg", PHOTO)
        broadcast = await deps.storage.broadcasts.create_now(
            ("telegram", str(ADMIN), "id"), CAPTION, Audience(), media.id)
        assert broadcast.total == n
        worker = BroadcastWorker(deps, **{**FAST, "rate": 20})
        await worker.start()
        await until(lambda: len([c for c in _copies(api) if c >= 100_000]) >= 10)
        await worker.stop()  # the process stops half-way...
        await channel.app.shutdown()
        await deps.storage.close()
        assert len(_copies(api)) < n

        deps, channel = await _channel(make_settings, api)  # ...and a new one takes over
        await run_to_end(deps, broadcast.id)
        assert _copies(api) == Counter({chat_id: 1 for chat_id in langs})  # once each
        for chat_id, lang in langs.items():
            [message] = received(api, chat_id)
            assert message["caption"] == expected(chat_id, lang) and message["_file"] == PHOTO
        assert len(api.uploads("sendPhoto")) == 1  # the file_id came back from storage
        await channel.app.shutdown()
        await deps.storage.close()


def _copies(api: FakeBotApi) -> Counter[int]:
    return Counter(m["chat"]["id"] for m in api.messages.values() if m["chat"]["id"] >= 100_000)


async def test_429_and_a_blocked_first_recipient_still_mean_one_good_upload(make_settings):
    async with FakeBotApi() as api:
        deps, channel = await _channel(make_settings, api)
        langs = await people(deps.storage, 8)
        api.block(100_000)  # the first recipient: their 403 carries no file_id back
        api.fail_next("sendPhoto", 429, retry_after=1)
        media = await deps.storage.media.add("photo", "poster.jpg", "image/jpeg", PHOTO)
        broadcast = await deps.storage.broadcasts.create_now(
            ("telegram", str(ADMIN), "id"), CAPTION, Audience(), media.id)
        await run_to_end(deps, broadcast.id)
        uploaded = [m for m in api.messages.values() if m.get("_uploaded")]
        assert len(uploaded) == 1  # one upload arrived; everyone else got the file_id
        for chat_id, lang in langs.items():
            if chat_id != 100_000:
                [message] = received(api, chat_id)
                assert message["caption"] == expected(chat_id, lang)
        assert (await deps.storage.broadcasts.counts(broadcast.id)) == {"sent": 7, "blocked": 1}
        await channel.app.shutdown()
        await deps.storage.close()


def test_incoming_photo_and_document_carry_media():
    from telegram import Update

    from channels.telegram.incoming import to_incoming
    from tests.fakes.telegram_updates import message

    photo = to_incoming(Update.de_json(message("message_photo", 42, 7), None))
    assert photo.kind == "media" and photo.unsupported == "photo" and photo.text is None
    assert photo.media == Media("photo", "AgACAgUAAxkBAAIBY2Zlarge", None, "image/jpeg", 51234,
                                "foto produk saya")  # the largest size
    update = message("message_photo", 42, 8, document={
        "file_id": "BQACdoc", "file_unique_id": "u1", "file_name": "jadwal.pdf",
        "mime_type": "application/pdf", "file_size": 9000})
    del update["message"]["photo"]
    document = to_incoming(Update.de_json(update, None))
    assert document.unsupported == "document"
    assert document.media == Media("document", "BQACdoc", "jadwal.pdf", "application/pdf", 9000,
                                   "foto produk saya")


async def test_stand_in_refuses_what_telegram_refuses(telegram_api, telegram_deps):
    channel = TelegramChannel(Assistant(telegram_deps))
    await channel.app.initialize()
    bot = channel.bot
    try:
        doc = telegram_api.add_file("document", PDF, "a.pdf", "application/pdf")
        with pytest.raises(Exception, match="(?i)wrong file identifier"):
            await bot.send_photo(1, photo="AgACnosuchfile")
        with pytest.raises(Exception, match="(?i)use file of type document as photo"):
            await bot.send_photo(1, photo=doc)
        with pytest.raises(Exception, match="(?i)caption is too long"):
            await bot.send_document(1, document=doc, caption="x" * 1025)
        big = telegram_api.add_file("document", b"x" * (20 * 1024 * 1024 + 1), "b.pdf", None)
        with pytest.raises(Exception, match="(?i)file is too big"):
            await bot.get_file(big)
        sent = await bot.send_document(1, document=doc, caption="ok")
        assert sent.document.file_id == doc and sent.document.file_name == "a.pdf"
    finally:
        await channel.app.shutdown()
