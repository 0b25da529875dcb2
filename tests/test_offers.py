"""A yes/no question asked outside the form, answered in words (handlers/offers.py): "ya" after
/hapus's question erases as its button would; "ok" changes nothing and says so; any other
message, or a yes after OFFER_FOR, leaves everything as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.offers import OFFER_FOR
from tests.support.chat import Chat
from tests.support.regform import register


async def subscribed(deps, chat: Chat) -> bool:
    return (await deps.storage.users.get(chat.channel, chat.user_id)).subscribed


@pytest.mark.parametrize("yes", ["ya", "iya min", "Yes.", "ya hapus aja"])
async def test_a_typed_yes_to_hapus_erases(chat: Chat, deps, yes) -> None:
    await register(chat)
    await chat.send("/hapus")
    await chat.send("ok")  # an acknowledgement presses nothing (it was "Baik 👍", nothing erased)
    assert chat.text.startswith("Belum ada yang diubah.")
    assert await deps.storage.registrations.count() == 1
    await chat.send(yes)
    assert "sudah dihapus" in chat.text
    assert await deps.storage.registrations.count() == 0
    assert await deps.storage.users.get(chat.channel, chat.user_id) is None


@pytest.mark.parametrize("no", ["ga", "jangan hapus", "nanti aja min", "no"])
async def test_a_typed_no_to_hapus_keeps_everything(chat: Chat, deps, no) -> None:
    await register(chat)
    await chat.send("/hapus")
    await chat.send(no)
    assert chat.text == deps.knowledge.texts.render("id", "register.forget_kept")
    await chat.send("ya")  # the question was answered: a yes now erases nothing
    assert await deps.storage.registrations.count() == 1


async def test_another_message_or_a_late_yes_answers_nothing(chat: Chat, deps) -> None:
    await register(chat)
    await chat.send("/hapus")
    await chat.send("apa itu nib?")  # a question instead: the FAQ answers it, the offer is gone
    assert chat.text == deps.knowledge.faq.render("nib-oss", "id")
    await chat.send("ya")
    await chat.send("/hapus")
    real_now = deps.storage.db.now
    deps.storage.db.now = lambda: real_now() + OFFER_FOR + timedelta(seconds=1)
    await chat.send("ya")
    assert await deps.storage.registrations.count() == 1
    user = await deps.storage.users.get(chat.channel, chat.user_id)
    assert user.offer is None  # cleared by the late "ya" too


async def test_hapus_in_the_middle_of_the_form_then_ya_is_no_owner_name(chat: Chat, deps) -> None:
    await chat.send("/daftar")
    await chat.press("Setuju")
    await chat.send("/hapus")
    await chat.send("iya")
    assert "sudah dihapus" in chat.text
    assert await deps.storage.conversations.count() == 0


async def test_stop_alone_offers_to_stop_and_yes_stops(chat: Chat, deps) -> None:
    """ "STOP" on Telegram got the FAQ's "type /berhenti" (WhatsApp reads it as the opt-out)."""
    await chat.send("STOP")
    assert "Ya, berhenti" in chat.labels and await subscribed(deps, chat)
    await chat.send("ya")
    assert not await subscribed(deps, chat)


async def test_stopping_announcements_in_words_answered_yes_or_no(make_chat, deps) -> None:
    chat = make_chat("2001", language_hint="ms")
    await chat.send("saya nak berhenti langganan makluman")
    await chat.send("tak")
    assert chat.text == deps.knowledge.texts.render("ms", "understand.offer_declined")
    assert await subscribed(deps, chat)
    await chat.send("saya nak berhenti langganan makluman")
    await chat.send("ya")
    assert not await subscribed(deps, chat)
    await chat.payload("offer:no")  # an old "no" of such a question: still a kind reply
    assert chat.text == deps.knowledge.texts.render("ms", "understand.offer_declined")
