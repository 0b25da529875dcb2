"""Broadcast media across channels: composed on Telegram, delivered on WhatsApp too (uploaded
once to the Graph stand-in); composed on WhatsApp (downloaded through GET /{media-id})."""

from __future__ import annotations

from datetime import timedelta

from channels.whatsapp import WhatsAppChannel
from handlers import Assistant
from handlers.broadcast.worker import BroadcastWorker
from tests.fakes.telegram_bot import running_bot
from tests.support.broadcasting import add_registration, add_user
from tests.test_broadcast_outbox import until
from tests.whatsapp.conftest import message
from wiring.deps import open_deps

ADMIN_TG, ADMIN_WA = 9000, "6281200000001"
INSIDE, INSIDE_EN, OUTSIDE = "6281111111111", "6281111111112", "6282222222222"
PHOTO = b"\xff\xd8\xff\xe0JFIF" + bytes(range(256)) * 32
CAPTION = "Halo {{ nama }}, pameran untuk {{ usaha }} dibuka Senin."
FAST = {"rate": 1000, "progress_every": 0.2, "poll": 0.02, "retry_base": 0.05, "chat_gap": 0}


async def wa_people(storage) -> None:
    """Two WhatsApp users inside the 24-hour window (one registered), one outside it."""
    pk = await add_user(storage, INSIDE, channel="whatsapp", name="Ani WA", language="id")
    await add_registration(storage, pk, owner="Ani Suryani", business="Batik Ani")
    await add_user(storage, INSIDE_EN, channel="whatsapp", name="Budi", language="en")
    await add_user(storage, OUTSIDE, channel="whatsapp", name="Cici", language="id")
    for wa_id in (INSIDE, INSIDE_EN, OUTSIDE):
        await storage.whatsapp.record_inbound(wa_id)
    stale = (storage.db.now() - timedelta(hours=25)).isoformat()
    await storage.db.execute(
        "UPDATE whatsapp_contacts SET last_inbound_at = ? WHERE wa_id = ?", (stale, OUTSIDE)
    )


async def test_photo_composed_on_telegram_reaches_whatsapp_uploaded_once(
    make_settings, wa_env, graph, telegram_api
):
    settings = make_settings(**{**wa_env, "ADMIN_IDS": f"telegram:{ADMIN_TG}"},
                             WHATSAPP_API_URL=graph.url, TELEGRAM_BOT_TOKEN=telegram_api.token,
                             TELEGRAM_API_URL=telegram_api.base_url)
    deps = await open_deps(settings)
    assistant = Assistant(deps)
    whatsapp = WhatsAppChannel(deps, assistant)
    try:
        await wa_people(deps.storage)
        await add_user(deps.storage, "100000", name="Dedi", language="id")
        async with running_bot(telegram_api, assistant) as bot:
            await bot.send(ADMIN_TG, "/siaran")
            await bot.send_photo(ADMIN_TG, PHOTO, caption=CAPTION)
            await bot.press(ADMIN_TG, "bc:go")
            [broadcast] = await deps.storage.broadcasts.recent()
            assert broadcast.total == 5  # three on WhatsApp, Dedi and the admin on Telegram
            async with BroadcastWorker(deps, **FAST) as worker:
                worker.wake()
                await until(lambda: _done(deps, broadcast.id), within=30)

        assert graph.rejected == []
        [(media_id, (filename, data))] = graph.media.items()  # one upload for every recipient
        assert data == PHOTO and filename == "foto.jpg"
        assert graph.media_types[media_id] == "image/jpeg"
        [ani] = graph.sent_to(INSIDE)
        assert ani["type"] == "image" and ani["image"]["id"] == media_id
        assert ani["image"]["caption"] == (
            "Halo Ani Suryani, pameran untuk Batik Ani dibuka Senin.\n\n"
            "— Tidak ingin menerima pengumuman lagi? Ketik /berhenti.")
        [budi] = graph.sent_to(INSIDE_EN)
        assert budi["image"]["id"] == media_id
        assert budi["image"]["caption"].startswith("Halo Budi, pameran untuk your business")
        [cici] = graph.sent_to(OUTSIDE)  # outside the 24-hour window: the text template only
        assert cici["type"] == "template"
        parameter = cici["template"]["components"][0]["parameters"][0]["text"]
        assert parameter.startswith("Halo Cici, pameran untuk usaha Anda dibuka Senin. · —")
        [dedi] = telegram_api.sent_to(100000)
        assert dedi["_file"] == PHOTO and dedi["caption"].startswith("Halo Dedi")
        assert await deps.storage.media.ref(broadcast.media_id, "whatsapp") == media_id
    finally:
        await whatsapp.client.aclose()
        await deps.storage.close()


async def test_photo_composed_on_whatsapp_is_downloaded_previewed_and_size_checked(
    wa_server, graph
):
    storage = wa_server.deps.storage
    pk = await add_user(storage, INSIDE, channel="whatsapp", name="Ani WA", language="id")
    await add_registration(storage, pk, owner="Ani Suryani", business="Batik Ani")
    await storage.whatsapp.record_inbound(INSIDE)
    await wa_server.text(ADMIN_WA, "/siaran")

    big = graph.user_media(b"\xff" * (5 * 1024 * 1024 + 10), "image/jpeg")
    sent = await wa_server.exchange(message(ADMIN_WA, "image", {
        "id": big, "mime_type": "image/jpeg", "sha256": "x", "caption": CAPTION}), ADMIN_WA)
    assert "Foto ini terlalu besar (5.0 MB)" in sent[0]["text"]["body"]
    assert graph.downloads == []  # refused on the size GET /{media-id} gave

    media_id = graph.user_media(PHOTO, "image/jpeg")
    sent = await wa_server.exchange(message(ADMIN_WA, "image", {
        "id": media_id, "mime_type": "image/jpeg", "sha256": "x", "caption": CAPTION}), ADMIN_WA)
    assert graph.downloads == [media_id]
    heading, preview, *panel = sent
    assert "Ani Suryani" in heading["text"]["body"]
    assert preview["type"] == "image" and preview["image"]["caption"].startswith(
        "Halo Ani Suryani, pameran untuk Batik Ani")
    assert graph.media[preview["image"]["id"]][1] == PHOTO
    assert "Foto terlampir: foto.jpg" in str(panel)
    assert await storage.media.count() == 1
    assert graph.rejected == []


async def _done(deps, broadcast_id: int) -> bool:
    return (await deps.storage.broadcasts.get(broadcast_id)).status == "done"


async def test_upload_id_is_kept_across_restarts_and_renewed_when_old(
    make_settings, wa_env, graph
):
    from channels.whatsapp.client import GraphClient
    from channels.whatsapp.sender import WhatsAppSender
    from handlers.broadcast.compose import attachment_of

    deps = await open_deps(make_settings(**wa_env, WHATSAPP_API_URL=graph.url))
    client = GraphClient(graph.url, wa_env["WHATSAPP_PHONE_NUMBER_ID"], wa_env["WHATSAPP_TOKEN"])
    try:
        stored = await deps.storage.media.add("document", "jadwal.pdf", "application/pdf",
                                              b"%PDF-1.4 jadwal")
        attachment = attachment_of(stored)

        def process() -> WhatsAppSender:  # a new sender: what a new process starts with
            return WhatsAppSender(client, deps.storage, deps.knowledge, deps.settings)

        first = await process().stored_media_id(attachment)
        again = await process().stored_media_id(attachment)  # a new process
        assert again == first and list(graph.media) == [first]
        assert graph.media_types[first] == "application/pdf"
        old = (deps.storage.db.now() - timedelta(days=26)).isoformat()
        await deps.storage.db.execute("UPDATE broadcast_media_refs SET created_at = ?", (old,))
        running = process()  # a process that stays up for weeks
        renewed = await running.stored_media_id(attachment)
        assert renewed != first and len(graph.media) == 2  # Meta forgets uploads after 30 days
        assert await running.stored_media_id(attachment) == renewed
        await deps.storage.db.execute("UPDATE broadcast_media_refs SET created_at = ?", (old,))
        assert await running.stored_media_id(attachment) not in (first, renewed)
        assert len(graph.media) == 3
    finally:
        await client.aclose()
        await deps.storage.close()
