"""Conversations with the understanding layer in the middle of the registration form: a question
answered and the question asked again, a follow-up about registering, skipping an optional field
(the form's own questions answered in words: test_form_words.py)."""

from __future__ import annotations

import pytest

from tests.support.chat import Chat
from tests.support.regform import step_of, to_step, user_pk


async def test_a_question_mid_form_is_answered_then_the_form_asks_again(chat: Chat, deps) -> None:
    await to_step(chat, deps, "email")
    await chat.send("nib wajib ga sih?")
    faq = deps.knowledge.faq
    assert chat.replies[0].text == faq.render("nib-oss", "id")
    assert "bukan alamat e-mail" not in chat.text
    assert "Kembali ke formulir" in chat.replies[-1].text
    assert "Alamat e-mail" in chat.replies[-1].text
    assert await step_of(deps, chat) == "email"
    await chat.send("tokositi@gmail.com")  # the form goes on where it was
    assert await step_of(deps, chat) == "nib"
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["email"] == "tokositi@gmail.com"


async def test_a_description_that_names_a_topic_is_an_answer_not_a_question(chat: Chat, deps):
    # session 11 walk: "... sold online" was read as a question (`sold` is among the words the
    # FAQ reads as asking about something) and answered with the creative subsectors instead
    await to_step(chat, deps, "description")
    described = "Kopi bubuk kemasan, sudah halal, dijual ke Malaysia"  # the FAQ reads: halal-cert
    await chat.send(described)
    assert deps.knowledge.faq.render("halal-cert", "id") not in chat.text
    assert await step_of(deps, chat) == "city"
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["description"] == described


async def test_a_question_without_a_question_mark_is_still_a_question(chat: Chat, deps) -> None:
    await to_step(chat, deps, "description")
    await chat.send("sertifikat halal wajib ga sih")  # a valid description by length, but it asks
    assert chat.replies[0].text == deps.knowledge.faq.render("halal-cert", "id")
    assert "Kembali ke formulir" in chat.replies[-1].text
    assert await step_of(deps, chat) == "description"
    await chat.send("punten, sertifikat halal teh naon")  # Sundanese asks too ("what is")
    assert chat.replies[0].text == deps.knowledge.faq.render("halal-cert", "id")
    assert await step_of(deps, chat) == "description"


async def test_a_wrong_answer_that_is_no_question_is_still_refused(chat: Chat, deps) -> None:
    await to_step(chat, deps, "email")
    await chat.send("siti at gmail")
    assert "bukan alamat e-mail" in chat.text
    assert await step_of(deps, chat) == "email"


async def test_belum_punya_skips_an_optional_field(chat: Chat, deps) -> None:
    await to_step(chat, deps, "email")
    await chat.send("skip")
    assert await step_of(deps, chat) == "nib"
    await chat.send("blm punya nib")
    assert "13 angka" not in chat.replies[0].text
    assert await step_of(deps, chat) == "scale"
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["email"] is None and conv.draft["answers"]["nib"] is None


async def test_skip_words_do_not_skip_a_required_field(chat: Chat, deps) -> None:
    await to_step(chat, deps, "phone")
    await chat.send("tidak ada")
    assert await step_of(deps, chat) == "phone"


def test_an_instagram_handle_is_a_social_account() -> None:
    from handlers.registration.fields import BY_NAME, validate_website

    field = BY_NAME["website"]
    assert validate_website(field, "IG: keripikbusiti") == "instagram.com/keripikbusiti"
    assert validate_website(field, "instagram @bu.siti") == "instagram.com/bu.siti"
    assert validate_website(field, "@keripikbusiti") == "@keripikbusiti"


async def test_a_language_request_mid_form_switches_and_asks_again(chat: Chat, deps) -> None:
    await to_step(chat, deps, "city")
    await chat.send("sorry, can you reply in English please?")
    assert "from now on I will use English" in chat.replies[0].text
    assert "Back to the registration form" in chat.replies[-1].text
    assert await step_of(deps, chat) == "city"


async def test_asking_if_nib_is_required_mid_form_says_the_form_can_skip_it(chat: Chat, deps) -> None:
    # session 9 walk: the FAQ said what NIB is but not that the form does not need it
    await to_step(chat, deps, "email")
    await chat.send("nib wajib ga?")
    assert chat.replies[0].text == deps.knowledge.faq.render("nib-oss", "id")
    assert 'Di formulir ini NIB tidak wajib' in chat.replies[-1].text
    assert "Alamat e-mail" in chat.replies[-1].text  # the pending question, asked again
    assert await step_of(deps, chat) == "email"
    await chat.send("apa itu PIRT?")  # no form field is about PIRT: no such line
    assert "tidak wajib" not in chat.text
    await chat.send("skip")
    await chat.send("belum punya")  # the NIB skipped: asked now, the FAQ answers, no such line
    assert await step_of(deps, chat) == "scale"
    await chat.send("nib wajib ga?")
    assert chat.replies[0].text == deps.knowledge.faq.render("nib-oss", "id")
    assert "tidak wajib" not in chat.replies[-1].text


@pytest.mark.parametrize("step", ["scale", "description"])
async def test_skip_at_a_required_question_says_it_cannot_be_skipped(chat, deps, step) -> None:
    """ "skip" at the scale (buttons) was read as "is this required?" and told "Ya, pertanyaan
    ini wajib dijawab." (a walk, session 19): now as at a typed question."""
    await to_step(chat, deps, "nib" if step == "scale" else step)
    if step == "scale":
        await chat.send("belum punya")
    await chat.send("skip")
    assert chat.text.startswith(deps.knowledge.texts.render("id", "register.err.required"))
    assert await step_of(deps, chat) == step


async def test_a_skip_with_the_speakers_own_pronoun_skips(chat: Chat, deps) -> None:
    await to_step(chat, deps, "email")
    await chat.send("abdi teu gaduh email")  # Sundanese: "I don't have an e-mail"
    assert "bukan alamat e-mail" not in chat.text
    assert await step_of(deps, chat) == "nib"
    await chat.send("gue blm punya nib")
    assert await step_of(deps, chat) == "scale"


async def test_a_question_the_faq_cannot_answer_is_not_stored_as_a_text_answer(chat: Chat, deps):
    # session 9 walk: "kudu sabaraha panjang?" (how long must it be?) was stored as the city
    await to_step(chat, deps, "district")
    await chat.send("kecamatan teh naon?")  # Sundanese: what is a kecamatan? (the FAQ cannot say)
    assert "tanpa tanda tanya" in chat.text and "Di kecamatan mana?" in chat.text
    assert await step_of(deps, chat) == "district"
    await chat.send("Coblong")
    assert await step_of(deps, chat) == "phone"


async def test_asking_if_the_pending_question_is_required_is_answered_from_the_field(chat, deps):
    # session 9 walk: "ini wajib diisi kah?" at the e-mail step got the halal answer ("wajib")
    await to_step(chat, deps, "email")
    await chat.send("ini wajib diisi kah?")
    assert chat.text.startswith('Tidak wajib: bila belum punya, tekan "Lewati".')
    assert "halal" not in chat.text and "Alamat e-mail" in chat.text
    assert await step_of(deps, chat) == "email"
    await chat.send("skip")
    await chat.send("1234567890123")  # the NIB
    await chat.press("reg:pick:scale:mikro")
    assert await step_of(deps, chat) == "export_experience"
    await chat.send("harus dijawab ga?")  # a choice question that cannot be skipped
    assert chat.text.startswith("Ya, pertanyaan ini wajib dijawab.")
    assert await step_of(deps, chat) == "export_experience"


async def test_a_malay_seller_asking_if_email_is_required_and_saying_siap(chat: Chat, deps):
    # session 9 walk, in Malay: "emel wajib ke?" at the e-mail step got the halal answer, and
    # "siap" (done) at the interests was refused
    await chat.payload("lang:ms")
    await to_step(chat, deps, "email")
    await chat.send("emel wajib ke?")
    assert chat.text.startswith('Tidak wajib: jika tiada, tekan "Langkau".') and "halal" not in chat.text
    await chat.send("takde emel")
    await chat.send("takde")  # the NIB
    await chat.press("reg:pick:scale:mikro")
    await chat.press("reg:pick:export_experience:none")
    assert await step_of(deps, chat) == "interests"
    await chat.send("siap")  # nothing chosen yet: still asked
    assert await step_of(deps, chat) == "interests"
    await chat.send("2")
    await chat.send("siap")
    assert await step_of(deps, chat) == "website"


@pytest.mark.parametrize(
    ("typed", "topics"),
    [("berapa lama prosesnya?", ("registration-status", "registration-how")),  # alone: LB, halal
     ("sabaraha lami prosesna?", ("registration-status", "registration-how")),  # was "cannot
     # answer here"; the status answer says how long the review takes, if either stage finds it
     ("biayanya?", ("registration-how",)),  # alone: the Little Bandung fees; registering is free
     ("syaratnya apa aja?", ("registration-how",))],
)  # fmt: skip
async def test_a_follow_up_asked_in_the_form_is_about_registering(chat, deps, typed, topics):
    await to_step(chat, deps, "description")
    await chat.send(typed)
    faq = deps.knowledge.faq
    assert chat.replies[0].text in [faq.render(topic, "id") for topic in topics]
    assert "Kembali ke formulir" in chat.replies[-1].text
    assert await step_of(deps, chat) == "description"
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert "description" not in conv.draft["answers"]
