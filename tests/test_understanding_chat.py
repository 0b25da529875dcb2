"""Conversations with the understanding layer: language followed and switched by request, small
talk, requests in words, several questions at once, and questions in the middle of the form."""

from __future__ import annotations

from handlers import Deps
from tests.support.chat import Chat
from tests.support.regform import user_pk


async def logged(deps: Deps) -> list:
    return await deps.storage.db.fetchall("SELECT text, answered FROM questions ORDER BY id")


async def to_step(chat: Chat, deps: Deps, step: str) -> None:
    """Start the form and answer up to the question `step`."""
    await chat.send("/daftar")
    await chat.press("Setuju")
    for value in ("Siti Rahmawati", "Keripik Pedas Bu Siti"):
        await chat.send(value)
    await chat.press("reg:pick:subsector:kuliner")
    for value in ("Keripik singkong pedas kemasan 100 g", "Kota Bandung", "Coblong",
                  "0812 3456 7890", "tokositi@gmail.com"):  # fmt: skip
        conv = await deps.storage.conversations.get(await user_pk(deps, chat))
        if conv.step == step:
            return
        await chat.send(value)
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.step == step, conv.step


async def step_of(deps: Deps, chat: Chat) -> str | None:
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    return conv.step if conv else None


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


async def test_batal_with_answers_asks_and_can_keep_the_form_for_later(chat: Chat, deps) -> None:
    await to_step(chat, deps, "email")
    await chat.send("/batal")
    assert "7 jawaban" in chat.text
    assert chat.labels == ["Ya, buang", "Simpan untuk nanti", "Lanjut mengisi"]
    await chat.press("Simpan untuk nanti")
    assert "/daftar" in chat.text
    await chat.send("syarat sertifikat halal apa aja")  # outside the form: the FAQ answers
    assert chat.text == deps.knowledge.faq.render("halal-cert", "id")
    await chat.send("/daftar")
    assert "Lanjutkan" in chat.labels
    await chat.press("Lanjutkan")
    assert await step_of(deps, chat) == "email"
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["owner_name"] == "Siti Rahmawati"


async def test_batal_then_discard_throws_the_answers_away(chat: Chat, deps) -> None:
    await to_step(chat, deps, "city")
    await chat.send("/batal")
    await chat.press("Lanjut mengisi")
    assert await step_of(deps, chat) == "city"
    await chat.send("/batal")
    await chat.send("1")  # typed number of the first button
    assert "dibuang" in chat.text
    assert await step_of(deps, chat) is None
    assert await deps.storage.registrations.count() == 0


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


async def test_a_channel_hint_is_a_prior_not_a_rule(make_chat, deps) -> None:
    chat = make_chat("60123456789", language_hint="ms")  # a Malaysian WhatsApp number's hint
    await chat.send("ok")
    assert chat.text == deps.knowledge.texts.render("ms", "smalltalk.ack")
    await chat.send("how do I join little bandung?")
    assert chat.text == deps.knowledge.faq.render("little-bandung-join", "en")


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
