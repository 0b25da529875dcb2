"""The registration form's own questions answered in words, as people answer a question:
/batal's "discard them all?", the resume question, a one-answer question's words ("tak pernah",
"makanan"), a list of programmes, a new phone number or e-mail typed at the summary."""

from __future__ import annotations

import pytest

from handlers.registration.fields import INTERESTS
from tests.support.chat import Chat
from tests.support.regform import register, step_of, to_step, user_pk


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


@pytest.mark.parametrize(
    ("typed", "outcome"),
    [("iya", "discarded"), ("buang aja min", "discarded"), ("nanti aja", "kept"), ("ga", "kept"),
     ("jangan dibuang", "kept"), ("simpan dulu", "kept"), ("ga jadi", "city"), ("lanjut", "city"),
     ("ok", "cancel"),
     # Sundanese (a walk, session 20): "simpen heula wae" was "pick one of the buttons"
     ("simpen heula wae", "kept"), ("engke wae", "kept"), ("piceun", "discarded"),
     ("teraskeun", "city")],
)  # fmt: skip
async def test_batal_is_answered_in_words(chat: Chat, deps, typed, outcome) -> None:
    """ "Buang semuanya?" answered in words, as people answer a question ("nanti aja" was "pick
    a button" again and again); "ok" throws nothing away: the question is asked again."""
    await to_step(chat, deps, "city")
    await chat.send("/batal")
    await chat.send(typed)
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    if outcome == "discarded":
        assert conv is None and "dibuang" in chat.text
    elif outcome == "kept":  # put aside: /daftar asks where to go on, answered in words too
        kept = (conv.flow, conv.draft["answers"]["owner_name"])
        assert kept == ("register-kept", "Siti Rahmawati")
        assert "tersimpan" in chat.text
        await chat.send("/daftar")
        await chat.send("lanjut ya")
        assert await step_of(deps, chat) == "city"
    else:
        assert (conv.flow, conv.step) == ("register", outcome)


async def test_the_resume_question_is_answered_in_words(chat: Chat, deps) -> None:
    await to_step(chat, deps, "city")
    await chat.send("/batal")
    await chat.send("nanti aja")
    await chat.send("/daftar")
    await chat.send("hmm")  # no answer: the question again, nothing lost
    assert "Lanjutkan dari situ atau mulai dari awal?" in chat.text
    await chat.send("dari awal aja")
    assert await step_of(deps, chat) == "consent"


@pytest.mark.parametrize("typed", ["semua", "semuanya aja min", "all of them"])
async def test_all_at_the_interests_ticks_every_programme(chat: Chat, deps, typed) -> None:
    """ "semua" at the programmes one may tick several of was "pick one of the buttons"."""
    await to_step(chat, deps, "nib")
    for value in ("belum punya", "reg:pick:scale:mikro", "reg:pick:export_experience:none"):
        await (chat.press(value) if value.startswith("reg:") else chat.send(value))
    assert await step_of(deps, chat) == "interests"
    await chat.send(typed)
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.step == "website"  # answered: the next question
    assert conv.draft["answers"]["interests"] == list(INTERESTS)


async def test_a_new_number_or_email_typed_at_the_summary_is_taken(chat: Chat, deps) -> None:
    """A walk (session 19): at the summary, "0813 1111 2222" typed instead of pressing Telepon
    got "pick one of the buttons"."""
    await register(chat)
    await chat.send("/ubah")
    await chat.send("0813 1111 2222")
    assert "+62 813-1111-2222" in chat.text and "Kirim" in chat.labels  # the summary, changed
    await chat.send("siti.baru@gmail.com")
    assert "siti.baru@gmail.com" in chat.text and "Kirim" in chat.labels
    await chat.send("halo 123")  # neither: the buttons, as before
    assert await step_of(deps, chat) == "summary"
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    answers = conv.draft["answers"]
    assert (answers["phone"], answers["email"]) == ("+6281311112222", "siti.baru@gmail.com")
    assert conv.draft["phone_verified"] is False  # typed, not proven


@pytest.mark.parametrize("typed", ["submit", "kirim", "udah cukup"])
async def test_submit_at_the_interests_is_done(chat: Chat, deps, typed) -> None:
    """A walk (session 20): "submit" after ticking a programme was "pick one of the buttons"."""
    await to_step(chat, deps, "nib")
    for value in ("belum punya", "reg:pick:scale:mikro", "reg:pick:export_experience:none"):
        await (chat.press(value) if value.startswith("reg:") else chat.send(value))
    await chat.send("2")
    await chat.send(typed)
    assert await step_of(deps, chat) == "website"


async def test_one_answer_questions_take_words_for_their_buttons(chat: Chat, deps) -> None:
    """A walk (session 20, in Malay): "tak pernah" at the export question and "makanan" at the
    subsector were "pick one of the buttons" (the labels are "Belum pernah" and "Kulinari")."""
    await chat.send("/daftar")
    await chat.press("Setuju")
    for value in ("Siti Aminah", "Kedai Kuih Siti", "makanan"):
        await chat.send(value)
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["subsector"] == "kuliner"
    for value in ("Kuih tradisional, jual kat pasar malam", "Kota Bandung", "Coblong",
                  "0812 3456 7890", "tokositi@gmail.com", "belum punya"):  # fmt: skip
        await chat.send(value)
    await chat.press("reg:pick:scale:mikro")
    assert await step_of(deps, chat) == "export_experience"
    await chat.send("tak pernah")
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["export_experience"] == "none"
    assert conv.step == "interests"


@pytest.mark.parametrize(
    ("typed", "chosen"),
    [("training and export info", ["training", "export_info"]),
     ("pelatihan, pameran", ["showcase", "training"]),
     ("temu bisnis dan latihan", ["matching", "training"]),
     ("latihan dgn pameran", ["showcase", "training"])],  # Malaysian chat "dengan" (session 21)
)  # fmt: skip
async def test_a_typed_list_of_programmes_is_the_answer(chat: Chat, deps, typed, chosen) -> None:
    """A walk (session 20): "training and export info" was "pick one of the buttons"."""
    await to_step(chat, deps, "nib")
    for value in ("belum punya", "reg:pick:scale:mikro", "reg:pick:export_experience:none"):
        await (chat.press(value) if value.startswith("reg:") else chat.send(value))
    await chat.send(typed)
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert (conv.step, conv.draft["answers"]["interests"]) == ("website", chosen)
