"""Broadcast texts per language: each recipient gets their version, else the main text, with
defaults and the unsubscribe line in their own language; the preview shows every language."""

from __future__ import annotations

from handlers.broadcast.worker import BroadcastWorker
from storage.audience import Audience
from tests.support.broadcasting import RecordingSender, add_registration, add_user
from tests.test_broadcast_outbox import ADMIN, FAST, done, until

ID_TEXT = "Halo {{ nama }}, ada pelatihan ekspor untuk {{ usaha }}."
EN_TEXT = "Hello {{ name }}, there is export training for {{ business }}."
MS_TEXT = "Hai {{ nama }}, ada latihan eksport untuk {{ usaha }}."


async def people(storage) -> None:
    """An English reader with no registration (no name on record) and an Indonesian owner."""
    await add_user(storage, "4101", name=None, language="en")
    siti = await add_user(storage, "4102", name="siti_tg", language="id")
    await add_registration(storage, siti, owner="Siti", business="Batik Siti")


async def sent_texts(deps, texts: dict[str, str] | None) -> dict[str, str]:
    sender = RecordingSender()
    deps.senders["telegram"] = sender
    broadcast = await deps.storage.broadcasts.create_now(
        ADMIN, ID_TEXT, Audience(languages=("en", "id")), texts=texts
    )
    async with BroadcastWorker(deps, **FAST):
        await until(lambda: done(deps.storage, broadcast.id))
    return {user: messages[0] for user, messages in sender.sent.items() if user != "9000"}


async def test_english_reader_of_an_indonesian_only_broadcast(deps) -> None:
    await people(deps.storage)
    sent = await sent_texts(deps, None)
    # The Indonesian text (there is no other), the stand-ins and the stop line in English.
    assert sent["4101"] == (
        "Halo there, ada pelatihan ekspor untuk your business.\n\n"
        "— Don't want these announcements? Type /stop."
    )
    assert sent["4102"] == (
        "Halo Siti, ada pelatihan ekspor untuk Batik Siti.\n\n"
        "— Tidak ingin menerima pengumuman lagi? Ketik /berhenti."
    )


async def test_english_version_reaches_the_english_reader(deps) -> None:
    await people(deps.storage)
    sent = await sent_texts(deps, {"en": EN_TEXT, "ms": "  "})  # a blank version is no version
    assert sent["4101"] == (
        "Hello there, there is export training for your business.\n\n"
        "— Don't want these announcements? Type /stop."
    )
    assert sent["4102"].startswith("Halo Siti, ada pelatihan ekspor untuk Batik Siti.")
    stored = await deps.storage.broadcasts.get(1)
    assert stored.texts == {"en": EN_TEXT}


async def test_chat_composer_adds_versions_and_previews_every_language(deps, admin_chat) -> None:
    await people(deps.storage)
    await add_user(deps.storage, "4103", name="Aminah", language="ms")
    await admin_chat.send("/language en")
    await admin_chat.send(f"/broadcast {ID_TEXT}")
    await admin_chat.press("🌐 Versions per language")
    assert [b.payload for b in admin_chat.buttons] == ["bc:v:id", "bc:v:en", "bc:v:ms", "bc:back"]
    await admin_chat.press("English")
    assert "recipients who read English" in admin_chat.text
    await admin_chat.send("Hello {{ nama }} {{ toko }}")  # refused like a main text
    assert "Unknown variable: toko" in admin_chat.text
    await admin_chat.send(EN_TEXT)
    await admin_chat.press("🌐 Versions per language")
    await admin_chat.press("Bahasa Melayu")
    await admin_chat.send(MS_TEXT)
    assert "Versions per language: English, Bahasa Melayu" in admin_chat.text
    headings = [r.text for r in admin_chat.replies if "preview" in r.text]
    assert headings == [
        "Bahasa Indonesia preview (1 recipients, main text) — exactly as Siti will see it:",
        "English preview (2 recipients) — exactly as 4101 will see it:",
        "Bahasa Melayu preview (1 recipients) — exactly as Aminah will see it:",
    ]
    texts = [r.text for r in admin_chat.replies]
    assert "Hello there, there is export training for your business." in texts[3]
    assert texts[5].startswith("Hai Aminah, ada latihan eksport untuk perniagaan anda.")
    assert texts[5].endswith("Taip /berhenti.")

    # Removing a version: that language gets the main text again; then send.
    await admin_chat.press("🌐 Versions per language")
    await admin_chat.press("✓ Bahasa Melayu")
    await admin_chat.press("Remove this version")
    assert "Versions per language: English (other" in admin_chat.text
    await admin_chat.press("bc:go")
    stored = await deps.storage.broadcasts.get(1)
    assert stored.text == ID_TEXT and stored.texts == {"en": EN_TEXT}
