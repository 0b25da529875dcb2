"""Composing a broadcast with a file, in the core: permissions, draft state across a restart,
replacing and removing, cancel, schedule, captions at the limit, and what is kept in storage.

The channel's download is a recorded function in deps.fetchers (the HTTP download paths are
tested against the stand-ins in test_broadcast_media_telegram.py and tests/whatsapp/)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers import Assistant, Incoming
from handlers.broadcast.compose import CAPTION_MAX, message_replies
from handlers.media import MediaUnavailable
from handlers.types import Attachment, Media, ReplyKind
from storage.audience import Audience
from tests.support.broadcasting import add_user
from tests.support.chat import Chat

PHOTO = b"\xff\xd8\xff\xe0" + b"p" * 3000
PDF = b"%PDF-1.4 " + b"d" * 5000


@pytest.fixture
def files(deps):
    """The Telegram fetcher: file ids -> bytes; records what was asked."""
    stored = {"photo-1": PHOTO, "photo-2": PHOTO[::-1], "doc-1": PDF}
    asked: list[tuple[str, int]] = []

    async def fetch(media: Media, limit: int) -> bytes:
        asked.append((media.ref, limit))
        if media.ref not in stored:
            raise MediaUnavailable("gone")
        return stored[media.ref]

    deps.fetchers["telegram"] = fetch
    return asked


async def send_media(chat: Chat, kind: str, ref: str, caption: str | None = None, **more):
    media = Media(kind, ref, caption=caption, **more)
    incoming = Incoming(chat.channel, chat.user_id, unsupported=kind, media=media,
                        display_name=chat.display_name)
    chat.replies = await chat.assistant.handle(incoming)
    return chat.replies


async def test_only_broadcasters_have_the_attachment_buttons(chat, files, deps):
    unknown = deps.knowledge.texts.render("id", "core.stale_button")
    for forged in ("bc:att", "bc:rm"):
        await chat.payload(forged)
        assert chat.text == unknown
    await send_media(chat, "photo", "photo-1", "Halo {{ nama }}")
    assert chat.text == deps.knowledge.texts.render("id", "core.unsupported")
    assert files == [] and await deps.storage.media.count() == 0


async def test_draft_with_a_file_survives_a_restart(admin_chat, files, deps):
    await admin_chat.send("/siaran")
    await send_media(admin_chat, "document", "doc-1", None, filename="jadwal.pdf",
                     mime_type="application/pdf", size=len(PDF))
    assert "Dokumen sudah diterima" in admin_chat.text
    assert files == [("doc-1", 20 * 1024 * 1024)]

    restarted = Chat(Assistant(deps), "9000", display_name="Admin")  # a new process
    await restarted.send("Jadwal pameran untuk {{ usaha }}")
    assert "Dokumen terlampir: jadwal.pdf (5 KB)" in restarted.text
    preview = restarted.replies[1]
    assert preview.kind == ReplyKind.DOCUMENT and preview.attachment.filename == "jadwal.pdf"
    assert preview.text.startswith("Jadwal pameran untuk usaha Anda\n\n—")
    await restarted.press("bc:go")
    [broadcast] = await deps.storage.broadcasts.recent()
    assert (await deps.storage.media.get(broadcast.media_id)).sha256  # kept with the broadcast
    assert await deps.storage.media.data(broadcast.media_id) == PDF


async def test_replace_edit_remove_and_cancel_keep_only_what_is_used(admin_chat, files, deps):
    media = deps.storage.media
    await admin_chat.send("/siaran Halo {{ nama }}")
    await send_media(admin_chat, "photo", "photo-1")  # attached from the panel: text stays
    first = (await deps.storage.conversations.get(1)).draft["media_id"]
    assert "Foto terlampir" in admin_chat.text and admin_chat.replies[1].text.startswith("Halo")
    await send_media(admin_chat, "photo", "photo-2", "Baru {{ nama }}")  # replaces, new text
    draft = (await deps.storage.conversations.get(1)).draft
    assert draft["text"] == "Baru {{ nama }}" and draft["media_id"] != first
    assert await media.get(first) is None and await media.count() == 1

    await admin_chat.press("bc:edit")  # a new text keeps the file
    await admin_chat.send("Lagi {{ nama }}")
    assert "Foto terlampir" in admin_chat.text
    await admin_chat.press("bc:rm")
    assert "terlampir" not in admin_chat.text and await media.count() == 0
    await send_media(admin_chat, "photo", "photo-1")
    assert await media.count() == 1
    await admin_chat.press("Batal")
    assert "dibatalkan" in admin_chat.text and await media.count() == 0


async def test_refusals_keep_the_draft_and_store_nothing(admin_chat, files, deps):
    await admin_chat.send("/siaran")
    await send_media(admin_chat, "photo", "gone")
    assert "tidak berhasil saya terima" in admin_chat.text
    await send_media(admin_chat, "photo", "photo-1", "Halo {{ alamat }}")  # bad caption
    assert "alamat" in admin_chat.text
    conv = await deps.storage.conversations.get(1)
    assert conv.step == "text" and conv.draft["media_id"]  # the file stays; type the text
    await admin_chat.send("Halo {{ nama }}")
    assert "Foto terlampir" in admin_chat.text
    console = Chat(admin_chat.assistant, "9000", channel="console")  # no fetcher there
    await deps.storage.roles.grant("console", "9000", "broadcaster", "telegram:9000")
    await console.send("/siaran")
    await send_media(console, "photo", "photo-1")
    assert "tidak berhasil saya terima" in console.text


async def test_scheduled_broadcast_keeps_its_file(admin_chat, files, deps):
    await add_user(deps.storage, "2001", name="Ani")
    await admin_chat.send("/siaran")
    await send_media(admin_chat, "photo", "photo-1", "Halo {{ nama }}")
    await admin_chat.press("bc:later")
    await admin_chat.send("09:00")  # today or tomorrow, Jakarta time
    assert "Siaran #1 dijadwalkan pada" in admin_chat.text
    [broadcast] = await deps.storage.broadcasts.recent()
    assert broadcast.status == "scheduled" and broadcast.media_id is not None
    later = deps.storage.db.now() + timedelta(days=30)
    assert await deps.storage.media.purge_unused(later) == 0  # scheduled: kept


async def test_purge_drops_only_files_nobody_uses(deps):
    media = deps.storage.media
    unused = await media.add("photo", "a.jpg", "image/jpeg", PHOTO)
    sent = await media.add("photo", "b.jpg", "image/jpeg", PHOTO)
    running = await media.add("document", "c.pdf", "application/pdf", PDF)
    pk = await add_user(deps.storage, "2001", name="Ani")
    draft = await media.add("photo", "d.jpg", "image/jpeg", PHOTO)
    await deps.storage.conversations.save(pk, "broadcast", "text", {"media_id": draft.id})
    done = await deps.storage.broadcasts.create_now(("telegram", "9", "id"), "x", Audience(),
                                                    sent.id)
    await deps.storage.db.execute("UPDATE broadcasts SET status = 'done' WHERE id = ?",
                                  (done.id,))
    await deps.storage.broadcasts.create_now(("telegram", "9", "id"), "y", Audience(), running.id)
    await media.set_ref(running.id, "telegram", "AgAC-file")
    assert await media.purge_unused(deps.storage.db.now() - timedelta(seconds=1)) == 0  # too new
    assert await media.purge_unused(deps.storage.db.now() + timedelta(seconds=1)) == 2
    assert await media.get(unused.id) is None and await media.get(sent.id) is None
    assert await media.get(running.id) and await media.get(draft.id)
    assert (await deps.storage.broadcasts.get(done.id)).media_id is None
    assert await media.ref(running.id, "telegram") == "AgAC-file"


def test_caption_limit_is_counted_like_the_platforms():
    photo = Attachment(1, "photo", "foto.jpg", "image/jpeg", 10)
    fits = "a" * CAPTION_MAX
    [one] = message_replies(fits, photo)
    assert one.kind == ReplyKind.PHOTO and one.text == fits and one.attachment == photo
    bare, text = message_replies(fits + "b", photo)
    assert bare.text == "" and bare.attachment == photo and text.text == fits + "b"
    emoji = "🎉" * (CAPTION_MAX // 2)  # two UTF-16 units each: exactly at the limit
    assert len(message_replies(emoji, photo)) == 1
    assert len(message_replies(emoji + "x", photo)) == 2
    assert [r.text for r in message_replies("plain", None)] == ["plain"]


async def test_console_recipients_see_the_file_name_with_the_text():
    import io

    from channels.console import ConsoleSender

    out = io.StringIO()
    photo = Attachment(3, "photo", "poster.jpg", "image/jpeg", 10)
    await ConsoleSender(out).send("7", message_replies("Halo Ani", photo))
    assert out.getvalue() == "[console:7] [photo: poster.jpg] Halo Ani\n\n"
