"""The core journeys on every channel, through one conversation client (tests/support/).

Console: the console channel in-process. Telegram: the real PTB Application polling the
stand-in Bot API. WhatsApp: the `serve` web app taking signed webhooks and sending to the
stand-in Graph API. Each user writes in Indonesian.
"""

from __future__ import annotations

import pytest

from handlers import Assistant
from tests.support.conversation import (
    ConsoleConversation,
    Conversation,
    TelegramConversation,
    WhatsAppConversation,
)
from tests.support.regform import ANSWERS, register


@pytest.fixture(params=["console", "telegram", "whatsapp"])
def conversation(request: pytest.FixtureRequest, tmp_path) -> Conversation:
    """One user on the channel named by the parameter."""
    if request.param == "console":
        return ConsoleConversation(Assistant(request.getfixturevalue("deps")), tmp_path / "files")
    if request.param == "telegram":
        return TelegramConversation(request.getfixturevalue("telegram_bot"))
    return WhatsAppConversation(request.getfixturevalue("wa_server"))


def storage_of(conversation: Conversation):
    if isinstance(conversation, ConsoleConversation):
        return conversation.chat.assistant.deps.storage
    if isinstance(conversation, TelegramConversation):
        return conversation.bot.channel.assistant.deps.storage
    return conversation.server.deps.storage


async def test_greeting_then_english(conversation: Conversation) -> None:
    await conversation.send("/start")
    greeting = "Halo! " if conversation.channel == "console" else "Halo Sari! "  # the name shown
    assert greeting + "Saya asisten UMKM Kota Bandung." in conversation.text
    assert {"lang:id", "lang:en", "lang:ms"} <= set(conversation.payloads)
    await conversation.press("lang:en")
    assert "All right, I will use English." in conversation.text


async def test_faq_did_you_mean_then_the_chosen_answer(conversation: Conversation) -> None:
    await conversation.send("kur dan kota kembar")  # financing or sister cities?
    assert "Maksud Anda" in conversation.text
    offered = [p for p in conversation.payloads if p.startswith("faq:")]
    assert {"faq:financing", "faq:sister-city-what"} <= set(offered)
    await conversation.press("faq:financing")
    assert "kredit usaha rakyat" in conversation.text.lower()
    assert "Maksud Anda" not in conversation.text


async def test_full_registration_then_status_then_erasure(conversation: Conversation) -> None:
    done = await register(conversation)
    reference = next(word.strip(".,*") for word in done.split() if word.startswith("UMKM-"))
    storage = storage_of(conversation)
    registration = (await storage.registrations.all())[0]
    assert registration.reference == reference and registration.channel == conversation.channel
    assert registration.owner_name == ANSWERS["owner_name"]
    assert registration.interests == tuple(ANSWERS["interests"])

    await conversation.send("/status")
    assert reference in conversation.text and "menunggu pemeriksaan" in conversation.text

    await conversation.send("/hapus")
    assert reference in conversation.text and "tidak bisa dibatalkan" in conversation.text
    await conversation.press("reg:forget:yes")
    assert "sudah dihapus" in conversation.text
    assert await storage.registrations.count() == 0
