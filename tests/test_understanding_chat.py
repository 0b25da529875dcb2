"""Conversations with the understanding layer: language followed and switched by request, small
talk, requests in words, several questions at once (the form: test_understanding_form.py)."""

from __future__ import annotations

import pytest

from handlers import Deps
from tests.support.chat import Chat
from tests.support.regform import register


async def logged(deps: Deps) -> list:
    return await deps.storage.db.fetchall("SELECT text, answered FROM questions ORDER BY id")


async def test_batal_before_any_answer_cancels_at_once(chat: Chat, deps) -> None:
    await chat.send("/daftar")
    await chat.send("/batal")
    assert "Dibatalkan" in chat.text


async def test_reply_in_english_switches_and_says_so(chat: Chat, deps) -> None:
    await chat.send("Sorry, can you reply in English please?")
    assert "from now on I will use English" in chat.text
    user = await deps.storage.users.get(chat.channel, chat.user_id)
    assert (user.language, user.language_explicit) == ("en", True)
    await chat.send("macam mana nak sertai little bandung?")  # Malay, but English was asked for
    assert chat.text == deps.knowledge.faq.render("little-bandung-join", "en")
    await chat.send("boleh guna bahasa Melayu?")
    assert "Bahasa Melayu" in chat.text
    await chat.send("pakai bahasa Indonesia aja")
    assert "Bahasa Indonesia" in chat.text


async def test_the_answer_follows_the_language_written_in(make_chat, deps) -> None:
    chat = make_chat("3001", language_hint="id")
    await chat.send("how do I join little bandung?")
    assert chat.text == deps.knowledge.faq.render("little-bandung-join", "en")
    await chat.send("ok")  # too short to tell: stays English
    assert chat.text == deps.knowledge.texts.render("en", "smalltalk.ack")
    await chat.send("macam mana nak sertai little bandung?")
    assert chat.text == deps.knowledge.faq.render("little-bandung-join", "ms")
    user = await deps.storage.users.get(chat.channel, chat.user_id)
    assert (user.language, user.language_explicit) == ("ms", False)


async def test_a_language_chosen_with_bahasa_is_kept(chat: Chat, deps) -> None:
    await chat.send("/bahasa")
    await chat.press("lang:ms")
    await chat.send("how do I join little bandung?")
    assert chat.text == deps.knowledge.faq.render("little-bandung-join", "ms")


async def test_small_talk_gets_a_short_reply_and_is_not_logged(chat: Chat, deps) -> None:
    texts = deps.knowledge.texts
    for message, kind in [("sip", "ack"), ("oke", "ack"), ("siap min, nuhun", "thanks"),
                          ("makasih ya kak", "thanks"), ("halo min", "greeting"),
                          ("dadah", "goodbye")]:  # fmt: skip
        await chat.send(message)
        assert chat.text == texts.render("id", f"smalltalk.{kind}", name="Sari"), message
    await chat.send("halo min")
    assert "menu:faq" in [b.payload for b in chat.buttons]
    assert await logged(deps) == []


async def test_requests_in_words_run_the_action(chat: Chat, deps) -> None:
    texts = deps.knowledge.texts
    await chat.send("cek status pendaftaran sy dong")
    assert chat.text == texts.render("id", "register.no_registration")
    await chat.send("tolong hapus semua data saya")  # asks before erasing
    assert [b.payload for b in chat.buttons] == ["reg:forget:yes", "reg:forget:no"]
    await chat.send("saya mau bicara dengan petugas")  # a person: the handoff asks the question
    assert chat.text == texts.render("id", "handoff.ask_question")
    await chat.send("/selesai")  # changed their mind before asking
    await chat.send("mau daftar usaha")
    assert "Setuju" in chat.labels
    assert await logged(deps) == []


async def test_unsubscribe_in_words_offers_the_button(chat: Chat, deps) -> None:
    await chat.send("jangan kirim pengumuman lagi")
    user = await deps.storage.users.get(chat.channel, chat.user_id)
    assert user.subscribed
    await chat.press("Ya, berhenti")
    user = await deps.storage.users.get(chat.channel, chat.user_id)
    assert not user.subscribed


async def test_two_questions_answer_one_and_offer_the_other(chat: Chat, deps) -> None:
    await chat.send("cara daftar NIB? terus sertifikat halal gimana?")
    assert chat.replies[0].text == deps.knowledge.faq.render("nib-oss", "id")
    assert chat.replies[-1].buttons[0].payload == "faq:halal-cert"
    await chat.press("faq:halal-cert")
    assert chat.text == deps.knowledge.faq.render("halal-cert", "id")


async def test_greeting_story_and_question_is_answered_by_the_question(chat: Chat, deps) -> None:
    await chat.send(
        "halo min, saya punya usaha keripik di cimahi, sudah jalan 3 tahun. kemarin ikut pameran"
        " di gedung sate dan banyak yang tanya. gimana cara dapat sertifikat halal?"
    )
    assert chat.text == deps.knowledge.faq.render("halal-cert", "id")
    ((text, answered),) = await logged(deps)
    assert answered == 1


async def test_a_channel_hint_is_a_prior_not_a_rule(make_chat, deps) -> None:
    chat = make_chat("60123456789", language_hint="ms")  # a Malaysian WhatsApp number's hint
    await chat.send("ok")
    assert chat.text == deps.knowledge.texts.render("ms", "smalltalk.ack")
    await chat.send("how do I join little bandung?")
    assert chat.text == deps.knowledge.faq.render("little-bandung-join", "en")


async def test_a_first_word_with_nothing_else_to_go_on_sets_the_language(make_chat, deps) -> None:
    """A walk (session 21): "register" from a new user with no channel hint got the Indonesian
    form; one word still never switches a language already known or hinted, nor does small talk."""
    chat = make_chat("3101")  # no hint: the console, or Telegram without a language code
    await chat.send("register")
    assert "Before you register" in chat.text
    hinted = make_chat("3102", language_hint="id")
    await hinted.send("register")
    assert "Sebelum mendaftar" in hinted.text
    greeted = make_chat("3103")
    await greeted.send("hello")
    user = await deps.storage.users.get(greeted.channel, greeted.user_id)
    assert user.language is None


async def test_a_line_both_languages_write_alike_keeps_the_users_language(make_chat, deps) -> None:
    chat = make_chat("60129876543", language_hint="ms")
    await chat.send("terima kasih, sangat membantu")  # Indonesian too: the Malay prior decides
    assert chat.text == deps.knowledge.texts.render("ms", "smalltalk.thanks", name="")
    user = await deps.storage.users.get(chat.channel, chat.user_id)
    assert user.language in (None, "ms")


async def test_a_closing_ke_switches_an_indonesian_hint_to_malay(make_chat, deps) -> None:
    chat = make_chat("3002", language_hint="id")
    await chat.send("data sy selamat ke")  # "ke" ends no Indonesian sentence
    user = await deps.storage.users.get(chat.channel, chat.user_id)
    assert (user.language, user.language_explicit) == ("ms", False)


async def test_a_request_about_something_else_gets_the_off_topic_fallback(chat: Chat) -> None:
    """"cek status paket jne saya" is not the registration status: the honest off-topic reply
    (not "noted for staff"), and no status."""
    await chat.send("cek status paket jne saya")
    assert "di luar yang bisa saya bantu" in chat.text
    assert "dicatat" not in chat.text


async def test_an_edit_in_words_naming_a_field_asks_that_field(chat: Chat, deps) -> None:
    """A walk (session 19): "mau ganti no hp" opened the whole summary, and the new number
    typed next was "pick one of the buttons"."""
    await register(chat)
    await chat.send("mau ganti no hp")
    assert "Jawaban sekarang: +62 812-3456-7890" in chat.text  # the phone question, at once
    await chat.send("0813 1111 2222")
    assert "+62 813-1111-2222" in chat.text and "Kirim" in chat.labels  # back at the summary
    await chat.send("ubah data saya")  # no field named: the summary to choose from
    assert "Tekan nama data untuk mengubahnya" in chat.text


@pytest.mark.parametrize("text", ["are you a robot?", "awak ni robot ke?", "ini robot atau manusia?"])
async def test_asking_whether_it_is_a_robot_gets_what_the_bot_is(chat: Chat, deps, text) -> None:
    """A walk (session 19): these fell back as outside what the bot can help with. Lexical only
    (these tests), "ini robot atau manusia?" is offered first rather than answered."""
    await chat.send(text)
    answers = {deps.knowledge.faq.render("bot-help", lang) for lang in ("id", "en", "ms")}
    assert chat.replies[0].text in answers or chat.payloads[0] == "faq:bot-help"


@pytest.mark.parametrize(
    "text",
    ["salam, saya dari KL", "assalamualaikum, saya dari petaling jaya", "halo min, saya dari cimahi",
     "hi, I'm from Kuala Lumpur", "halo, nama saya Budi",
     # who runs what, after a greeting ("... boutique in Penang." fell back as off topic)
     "Hello! I own a small boutique in Penang.", "halo min, saya punya toko batik di cibaduyut"],
)  # fmt: skip
async def test_a_self_introduction_is_greeted_back(chat: Chat, deps, text) -> None:
    """A walk (session 20): "salam, saya dari KL" got the buyers' answer, "assalamualaikum, saya
    dari petaling jaya" the sister-city one, "halo min, saya dari cimahi" the fallback noted for
    staff. Someone saying who they are is greeted and shown the menu; nothing is logged."""
    await chat.send(text)
    assert len(chat.replies) == 1 and "menu:faq" in chat.payloads
    texts, name = deps.knowledge.texts, chat.display_name
    greetings = {texts.render(lang, "smalltalk.greeting", name=name) for lang in ("id", "en", "ms")}
    assert chat.replies[0].text in greetings
    assert await logged(deps) == []


@pytest.mark.parametrize(
    ("text", "topic"),
    [("halo, saya dari cimahi mau tanya soal halal", "halal-cert"),
     ("saya dari malaysia mau beli batik bandung", "buy-from-bandung"),
     ("halo, saya jual keripik, perlu izin pirt", "pirt-bpom")],
)  # fmt: skip
async def test_an_introduction_with_a_question_is_answered(chat: Chat, deps, text, topic) -> None:
    await chat.send(text)
    user = await deps.storage.users.get(chat.channel, chat.user_id)
    assert chat.replies[0].text == deps.knowledge.faq.render(topic, user.language or "id")


@pytest.mark.parametrize("text", ["x jd la, nnti je", "ga jadi deh, nanti aja", "maybe later"])
async def test_never_mind_and_later_close_the_turn(chat: Chat, deps, text) -> None:
    """A walk (session 20): "x jd la, nnti je" fell back as outside what the bot helps with."""
    await chat.send(text)
    acks = {deps.knowledge.texts.render(lang, "smalltalk.ack", name=chat.display_name)
            for lang in ("id", "en", "ms")}  # fmt: skip
    assert chat.replies[0].text in acks
    assert await logged(deps) == []


async def test_asking_to_be_contacted_asks_for_the_question_for_staff(chat: Chat, deps) -> None:
    """A walk (session 20): "tolong dihubungi" with a number got the offices' list, and "tolong
    hubungi saya" the help text; a person is what was asked for."""
    await chat.send("min ini nomor wa sy 081234567890 tolong dihubungi ya")
    assert chat.text == deps.knowledge.texts.render("id", "handoff.ask_question")
