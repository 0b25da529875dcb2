"""Every wrong answer: what is wrong, an example, the same question again; nothing is taken."""

from __future__ import annotations

import pytest

from tests.support.chat import Chat
from tests.support.regform import step_of, user_pk

# (question reached by these answers, bad answer, words of the error) — Indonesian texts.
TO_BUSINESS = ["Siti"]
TO_DESCRIPTION = ["Siti", "Warung", "reg:pick:subsector:kuliner"]
TO_OTHER = ["Siti", "Warung", "reg:pick:subsector:lainnya"]
TO_CITY = [*TO_DESCRIPTION, "Keripik singkong pedas"]
TO_PHONE = [*TO_CITY, "Bandung", "Coblong"]
TO_EMAIL = [*TO_PHONE, "0812 3456 7890"]
TO_NIB = [*TO_EMAIL, "reg:skip"]
TO_SCALE = [*TO_NIB, "reg:skip"]
TO_COUNTRIES = [*TO_SCALE, "reg:pick:scale:mikro", "reg:pick:export_experience:once"]
TO_WEBSITE = [*TO_COUNTRIES, "Malaysia", "reg:toggle:training", "reg:done"]

CASES = [
    ("owner_name", [], "   ", "masih kosong", "Contoh: Siti Rahmawati"),
    ("owner_name", [], "S", "paling sedikit 2 karakter", "Contoh: Siti Rahmawati"),
    ("owner_name", [], "x" * 101, "(101 karakter); paling banyak 100", "Contoh: Siti Rahmawati"),
    ("owner_name", [], "12345 !!", "harus berisi huruf", "Contoh: Siti Rahmawati"),
    ("business_name", TO_BUSINESS, "🍜🍜🍜", "harus berisi huruf", "Contoh: Keripik Pedas"),
    ("subsector", TO_DESCRIPTION[:2], "nuklir", "pilih salah satu tombol", "Contoh: Kuliner"),
    ("subsector", TO_DESCRIPTION[:2], "99", "pilih salah satu tombol", "Contoh: Kuliner"),
    ("subsector_other", TO_OTHER, "EO", "paling sedikit 3 karakter", "Contoh: Jasa"),
    ("subsector_other", TO_OTHER, "y" * 61, "paling banyak 60", "Contoh: Jasa"),
    ("description", TO_DESCRIPTION, "kue", "paling sedikit 10 karakter", "Contoh: Keripik"),
    ("description", TO_DESCRIPTION, "k" * 501, "paling banyak 500", "Contoh: Keripik"),
    ("city", TO_CITY, "12", "paling sedikit 3", "Contoh: Kota Bandung"),
    ("city", TO_CITY, "c" * 61, "paling banyak 60", "Contoh: Kota Bandung"),
    ("district", [*TO_CITY, "Bandung"], "---", "harus berisi huruf", "Contoh: Coblong"),
    ("district", [*TO_CITY, "Bandung"], "ga ada", "tidak bisa dilewati", "Contoh: Coblong"),
    ("phone", TO_PHONE, "12345", "bukan nomor telepon yang benar", "0812 3456 7890"),
    ("phone", TO_PHONE, "nomor saya", "bukan nomor telepon yang benar", "0812 3456 7890"),
    ("phone", TO_PHONE, "+1 650 555 1234", "Indonesia (+62) atau Malaysia (+60)", "0812 3456"),
    ("phone", TO_PHONE, "0" * 31, "paling banyak 30", "0812 3456 7890"),
    ("email", TO_EMAIL, "siti@", "bukan alamat e-mail", "tokositi@gmail.com"),
    ("email", TO_EMAIL, "siti at gmail.com", "bukan alamat e-mail", "tokositi@gmail.com"),
    ("email", TO_EMAIL, "a" * 250 + "@x.id", "paling banyak 254", "tokositi@gmail.com"),
    ("nib", TO_NIB, "12345", "tepat 13 angka", "Contoh: 1234567890123"),
    ("nib", TO_NIB, "12345678901234", "tepat 13 angka", "Contoh: 1234567890123"),
    ("nib", TO_NIB, "NIB12345678901", "tepat 13 angka", "Contoh: 1234567890123"),
    ("scale", TO_SCALE, "besar", "pilih salah satu tombol", "Mikro: modal sampai Rp1 miliar"),
    ("export_experience", [*TO_SCALE, "reg:pick:scale:kecil"], "mungkin", "pilih salah satu",
     "Contoh: Belum pernah"),
    ("export_countries", TO_COUNTRIES, "MY", "paling sedikit 3", "Contoh: Malaysia"),
    ("interests", TO_WEBSITE[:-2], "reg:done", "paling sedikit satu minat", "Pelatihan UMKM"),
    ("interests", TO_WEBSITE[:-2], "banyak", "pilih salah satu tombol", "Pelatihan UMKM"),
    ("website", TO_WEBSITE, "toko saya", "alamat situs", "Contoh: @keripikbusiti"),
    ("website", TO_WEBSITE, "@" + "a" * 40, "alamat situs", "Contoh: @keripikbusiti"),
    ("website", TO_WEBSITE, "w" * 201 + ".id", "paling banyak 200", "Contoh: @keripikbusiti"),
]


async def answer(chat: Chat, steps: list[str]) -> None:
    for step in steps:
        if step.startswith("reg:"):
            await chat.press(step)
        else:
            await chat.send(step)


async def test_every_wrong_answer_says_what_is_wrong_and_asks_again(make_chat, deps):
    # One user per case, one database: loading the knowledge once keeps this test quick.
    for number, (field, steps, bad, error, example) in enumerate(CASES):
        chat = make_chat(f"val{number}")
        await chat.send("/daftar")
        await chat.press("Setuju")
        await answer(chat, steps)
        pk = await user_pk(deps, chat)
        before = await deps.storage.conversations.get(pk)
        assert before.step == field, (number, field)
        await answer(chat, [bad])
        assert error in chat.text, (number, field, chat.text)
        assert example in chat.text, (number, field, chat.text)  # the example, the question
        after = await deps.storage.conversations.get(pk)
        assert (after.step, after.draft["answers"]) == (field, before.draft["answers"]), number
    assert await deps.storage.registrations.count() == 0


@pytest.mark.parametrize(("typed", "stored"), [
    ("0812-3456-7890", "+6281234567890"),
    ("+62 812 3456 7890", "+6281234567890"),
    ("6281234567890", "+6281234567890"),
    ("+60 12-345 6789", "+60123456789"),
    ("(022) 2501234", "+62222501234"),
    ("012-345 6789", "+60123456789"),  # a Malaysian mobile typed as at home in PJ
])
async def test_phone_numbers_are_stored_as_e164(chat: Chat, deps, typed, stored):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await answer(chat, [*TO_PHONE, typed])
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.step == "email" and conv.draft["answers"]["phone"] == stored


async def test_shared_contact_must_be_the_users_own(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await answer(chat, TO_PHONE)
    await chat.share_contact("+6281299998888", own=False)
    assert "bukan nomor Anda sendiri" in chat.text and "Contoh: 0812" in chat.text
    await chat.share_contact("16505551234", own=True)  # own, but not Indonesian or Malaysian
    assert "Indonesia (+62) atau Malaysia (+60)" in chat.text
    await chat.share_contact("6281299998888", own=True)  # Telegram may omit the "+"
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["phone"] == "+6281299998888" and conv.draft["phone_verified"]


async def test_email_is_normalised_and_nib_may_have_spaces(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await answer(chat, [*TO_EMAIL, "Siti.Rahma@GMAIL.com", "1234 5678 90123"])
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["email"] == "Siti.Rahma@gmail.com"
    assert conv.draft["answers"]["nib"] == "1234567890123"


async def test_typed_skip_word_skips_an_optional_field(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await answer(chat, [*TO_EMAIL, "lewati"])
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.step == "nib" and conv.draft["answers"]["email"] is None


@pytest.mark.parametrize(("typed", "stored"), [
    ("blm pernah", "none"),  # chat slang of the label "Belum pernah"
    ("Belum  pernah!", "none"),
    ("rutin", "regular"),
    ("sering", "regular"),  # words for a button (session 20): "sering" was a wrong answer
    ("tak pernah", "none"),
    ("belum pernah sih", "none"),  # with a filler word (a walk, session 22: asked again)
    ("rutin kak", "regular"),
])
async def test_a_choice_may_be_typed_in_chat_spelling(chat: Chat, deps, typed, stored):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await answer(chat, [*TO_SCALE, "reg:pick:scale:mikro", typed])
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["export_experience"] == stored, chat.text


async def test_a_typed_label_with_a_filler_word_is_that_choice(chat: Chat, deps):
    """A walk (session 22): "mikro kayaknya" ("micro, I think") at the scale question was asked
    again three times, as "kuliner kak" at the subsector's."""
    await chat.send("/daftar")
    await chat.press("Setuju")
    await answer(chat, [*TO_SCALE, "mikro kayaknya"])
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["scale"] == "mikro", chat.text


async def test_an_optional_answer_that_is_wrong_points_to_skip(chat: Chat):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await answer(chat, [*TO_EMAIL, "gmail saya"])
    assert 'Jika tidak punya, tekan "Lewati".' in chat.text
    await answer(chat, ["reg:skip", "reg:skip", *TO_WEBSITE[len(TO_SCALE):], "toko saya"])
    assert 'Jika tidak punya, tekan "Lewati".' in chat.text


async def test_thanks_or_a_greeting_is_not_taken_as_an_answer(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await answer(chat, TO_BUSINESS)
    for courtesy in ("makasih", "punten", "hatur nuhun"):
        await chat.send(courtesy)
        assert "Apa nama usaha Anda?" in chat.text, courtesy
    await chat.send("Warung Ceu Imas")
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["business_name"] == "Warung Ceu Imas"


async def test_sundanese_not_yet_skips_an_optional_question(chat: Chat):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await answer(chat, [*TO_EMAIL, "teu acan"])  # Sundanese "not yet", at the e-mail question
    assert "Nomor Induk Berusaha (NIB)" in chat.text  # the next question: the e-mail was skipped


async def _given(deps, chat: Chat) -> tuple[str, dict]:
    """The form's pending question and the answers so far."""
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    return conv.step, conv.draft["answers"]


async def test_a_business_name_as_the_owners_name_is_asked_once_more(chat: Chat, deps):
    await answer(chat, ["/daftar", "reg:consent:yes", "Toko Kue Bu Imas"])  # at the owner's
    assert "sepertinya nama usaha" in chat.text and "nama lengkap pemilik" in chat.text
    assert await step_of(deps, chat) == "owner_name"
    await answer(chat, ["Imas Rahmawati", "Toko Kue Bu Imas"])  # the owner's name: taken at once
    _, given = await _given(deps, chat)
    assert (given["owner_name"], given["business_name"]) == ("Imas Rahmawati", "Toko Kue Bu Imas")


async def test_a_name_sent_again_after_the_business_question_is_the_owners(chat: Chat, deps):
    # "if it is your own name, send it again"
    await answer(chat, ["/daftar", "reg:consent:yes", "Warung Ceu Imas", "Warung Ceu Imas"])
    step, given = await _given(deps, chat)
    assert (step, given["owner_name"]) == ("business_name", "Warung Ceu Imas")


@pytest.mark.parametrize("typed", ["-", "—", "."])
async def test_a_dash_leaves_an_optional_field_empty(chat: Chat, deps, typed):
    """A walk (session 21): "-" at the website question was "too short"; paper forms mark an
    empty field so. A required field is still refused."""
    await answer(chat, ["/daftar", "reg:consent:yes", *TO_EMAIL, typed])
    step, given = await _given(deps, chat)
    assert step == "nib" and given["email"] is None
    await answer(chat, ["reg:skip", "reg:pick:scale:mikro", "reg:pick:export_experience:none",
                        "reg:toggle:training", "reg:done", typed])
    step, given = await _given(deps, chat)
    assert step == "summary" and given["website"] is None


async def test_a_dash_is_no_answer_to_a_required_question(chat: Chat, deps):
    await answer(chat, ["/daftar", "reg:consent:yes", "-"])
    assert "paling sedikit 2 karakter" in chat.text  # refused, the question again
    assert await step_of(deps, chat) == "owner_name"
