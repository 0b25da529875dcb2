"""Registration form: happy path in three languages, consent, back, cancel, summary edits, resume."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from handlers import Assistant, ReplyKind
from tests.support.chat import Chat
from tests.support.regform import answers, fill, register, user_pk
from wiring.deps import open_deps

HAPPY = {
    "id": ("Setuju", "Pertanyaan 1 dari", "Kirim", "Nomor referensi", "Kuliner"),
    "en": ("I agree", "Question 1 of", "Submit", "Reference number", "Culinary"),
    "ms": ("Setuju", "Soalan 1 daripada", "Hantar", "Nombor rujukan", "Kulinari"),
}


@pytest.mark.parametrize("lang", ["id", "en", "ms"])
async def test_happy_path_in_each_language(make_chat, deps, lang):
    agree, first, submit, reference, culinary = HAPPY[lang]
    chat = make_chat(f"30{lang}", language_hint=lang)
    await chat.send("/daftar" if lang != "en" else "/register")
    assert "UU 27/2022" in chat.text and "Dinas Koperasi dan UMKM" in chat.text
    assert "2026-12-v2" in chat.text
    await chat.press(agree)
    assert first in chat.text
    await fill(chat, answers())
    assert culinary in chat.text and "+62 812-3456-7890" in chat.text
    await chat.press(submit)
    assert reference in chat.text
    ref = re.search(r"UMKM-\d{4}-\d{6}", chat.text)[0]
    reg = await deps.storage.registrations.get_for_user(await user_pk(deps, chat))
    assert reg.reference == ref and reg.status == "submitted" and reg.language == lang
    assert ref == f"UMKM-{reg.created_at.year}-{reg.id:06d}"
    assert (reg.owner_name, reg.phone, reg.subsector, reg.scale) == (
        "Siti Rahmawati", "+6281234567890", "kuliner", "mikro")
    assert reg.interests == ("showcase", "training") and reg.nib == "1234567890123"
    assert reg.consent_version == "2026-12-v2" and reg.consent_at <= reg.created_at
    assert reg.submitted_at == reg.created_at and not reg.phone_verified
    user = await deps.storage.users.get_by_id(reg.user_pk)
    assert await deps.storage.conversations.get(user.id) is None  # the form is closed


async def test_declining_consent_stores_nothing(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.press("Tidak setuju")
    assert "tidak ada data yang disimpan" in chat.text
    pk = await user_pk(deps, chat)
    assert await deps.storage.conversations.get(pk) is None
    assert await deps.storage.registrations.count() == 0


@pytest.mark.parametrize("typed", ["ya", "Iya!", "muhun", "ok", "yes I agree", "ok setuju min"])
async def test_a_typed_yes_agrees_to_consent(chat: Chat, typed):
    await chat.send("/daftar")
    await chat.send(typed)  # a cheap phone: typed, not pressed
    assert "Pertanyaan 1 dari" in chat.text and "UU 27/2022" not in chat.text


async def test_a_typed_no_declines_and_wow_is_no_consent(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.send("wow")
    assert "Setuju" in chat.labels and "Pertanyaan 1 dari" not in chat.text
    assert "UU 27/2022" not in chat.text and "ketentuan data pribadi di atas" in chat.text
    await chat.send("ga")
    assert "tidak ada data yang disimpan" in chat.text
    assert await deps.storage.registrations.count() == 0


async def test_changing_ones_mind_at_consent_ends_the_form_with_nothing_stored(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.send("ga jadi deh")
    assert "tidak ada data yang disimpan" in chat.text
    assert await deps.storage.registrations.count() == 0
    await chat.send("cek status dong")  # the form is gone: the request runs
    assert "belum punya pendaftaran" in chat.text


async def test_a_question_at_consent_is_answered_then_only_the_question_is_asked_again(chat: Chat):
    """The terms are the message just above: after a side question the form asks for the choice
    again without the ~600 characters of terms (a cheap phone's screen), buttons kept."""
    await chat.send("/daftar")
    assert "UU 27/2022" in chat.text  # the terms, once, on entering the step
    await chat.send("nib itu apa sih?")
    assert "NIB" in chat.text and "UU 27/2022" not in chat.text
    assert "ketentuan data pribadi di atas" in chat.text and "Setuju" in chat.labels
    assert len(chat.text) < 1000
    await chat.send("ya")
    assert "Pertanyaan 1 dari" in chat.text


async def test_menu_button_starts_the_form(chat: Chat):
    await chat.send("/start")
    await chat.press("menu:daftar")
    assert "Setuju" in chat.labels


async def test_every_state_is_saved_and_cancel_keeps_nothing(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await chat.send("Siti")
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert (conv.flow, conv.step, conv.draft["answers"]) == (
        "register", "business_name", {"owner_name": "Siti"})
    await chat.send("/batal")
    assert "1 jawaban" in chat.text  # asks first (tests/test_understanding_chat.py)
    await chat.press("Ya, buang")
    assert "dibuang" in chat.text
    assert await deps.storage.conversations.get(conv.user_pk) is None
    assert await deps.storage.registrations.count() == 0


async def test_cancel_on_the_summary_writes_nothing(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await fill(chat, answers())
    await chat.send("/cancel")
    assert await deps.storage.registrations.count() == 0


async def test_back_button_and_typed_word_go_to_the_previous_question(chat: Chat):
    await chat.send("/daftar")
    await chat.press("Setuju")
    assert "Kembali" not in chat.labels  # first question: nothing before it
    await chat.send("kembali")
    assert "pertanyaan pertama" in chat.text
    await chat.send("Siti")
    await chat.send("Warung Siti")
    await chat.press("Kembali")
    assert "nama usaha" in chat.text.lower() and "Jawaban sekarang: Warung Siti" in chat.text
    await chat.send("BACK")
    assert "nama lengkap pemilik" in chat.text and "Jawaban sekarang: Siti" in chat.text
    await chat.send("Siti Aminah")
    assert "Jawaban sekarang: Warung Siti" not in chat.text  # next unanswered: subsector
    assert "subsektor" in chat.text


async def test_back_from_a_dependent_question_goes_to_its_parent(chat: Chat):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await chat.send("Siti")
    await chat.send("Warung Siti")
    await chat.press("Lainnya")
    assert "Subsektor apa?" in chat.text
    await chat.press("Kembali")
    assert "Kuliner" in chat.labels


async def test_edit_from_the_summary_returns_to_the_summary(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await fill(chat, answers())
    await chat.press("Kota/kabupaten")
    assert "Jawaban sekarang: Kota Bandung" in chat.text
    await chat.send("Cimahi")
    assert "Periksa data Anda" in chat.text and "Cimahi" in chat.text
    # a change that opens a follow-up question asks it, then comes back
    await chat.press("Pengalaman ekspor")
    await chat.press("Belum pernah")
    assert "Negara tujuan ekspor" not in chat.text and "Periksa data Anda" in chat.text
    await chat.press("Pengalaman ekspor")
    await chat.press("Rutin")
    assert "Ke negara mana" in chat.text
    await chat.send("Brunei")
    assert "Brunei" in chat.text
    await chat.press("Minat")
    assert "✅ Etalase Little Bandung" in chat.labels
    await chat.press("reg:toggle:matching")
    await chat.press("Selesai")
    await chat.press("E-mail")
    await chat.press("Kembali")  # back from a change goes to the summary, unchanged
    assert "tokositi@gmail.com" in chat.text
    await chat.press("Kirim")
    reg = await deps.storage.registrations.get_for_user(await user_pk(deps, chat))
    assert (reg.city, reg.export_experience, reg.export_countries) == ("Cimahi", "regular", "Brunei")
    assert reg.interests == ("showcase", "matching", "training")


async def test_user_text_is_stored_verbatim_and_never_a_template(chat: Chat, deps):
    name = "Bu \"Sari\" <b>O'Neil</b> 🌶️ *tebal* _miring_ {{ 7*7 }} {% if 1 %}x{% endif %}"
    business = "Toko'; DROP TABLE registrations; -- 🍜"
    await chat.send("/daftar")
    await chat.press("Setuju")
    await fill(chat, answers(owner_name=name, business_name=business))
    assert name in chat.text and business in chat.text and "49" not in chat.text
    await chat.press("Kirim")
    reg = await deps.storage.registrations.get_for_user(await user_pk(deps, chat))
    assert (reg.owner_name, reg.business_name) == (name, business)
    await chat.send("/datasaya")
    assert name in chat.text and business in chat.text


async def test_other_message_kinds_get_a_hint_for_the_current_question(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await chat.send("Siti")
    for kind in ("photo", "sticker", "location"):
        await chat.send_unsupported(kind)
        assert "hanya bisa membaca teks" in chat.text and "Apa nama usaha Anda?" in chat.text
    await chat.share_contact("+6281234567890")  # a contact where no number is asked
    assert "Apa nama usaha Anda?" in chat.text
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.step == "business_name"


async def test_old_and_forged_buttons_are_refused_kindly(chat: Chat, deps):
    await chat.payload("reg:submit")  # no form open
    assert "tidak berlaku" in chat.text
    await chat.send("/daftar")
    await chat.press("Setuju")
    for forged in ("reg:submit", "reg:pick:scale:mikro", "reg:pick:owner_name:x", "reg:skip",
                   "reg:toggle:showcase", "reg:edit:city", "reg:nonsense", "reg:consent:yes"):
        await chat.payload(forged)
        assert "nama lengkap pemilik" in chat.text, forged
    await chat.send("Siti")
    await chat.send("Warung")
    await chat.payload("reg:pick:subsector:nuclear")
    assert "Kuliner" in chat.labels and await deps.storage.registrations.count() == 0


async def test_typed_choices_by_number_label_or_code(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.send("setuju")
    await chat.send("Siti")
    await chat.send("Warung")
    await chat.send("culinary")  # an option in another of our languages
    assert "Apa yang dibuat" in chat.text
    await chat.send("kembali")
    await chat.send("3")
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["subsector"] == "kriya"


async def test_every_button_label_fits_whatsapp(deps):
    texts = deps.knowledge.texts
    for lang in ("id", "en", "ms"):
        for key in texts.keys(lang):
            parts = key.split(".")
            is_option = parts[1] in ("subsector", "scale", "export_experience", "interests")
            is_label = parts[1] == "label" or (len(parts) == 2 and parts[1] in (
                "agree", "decline", "continue", "restart", "dup_update", "dup_other", "back",
                "skip", "done", "submit", "edit_button", "forget_yes", "forget_no"))
            if is_option or is_label:
                text = texts.render(lang, key)
                limit = 22 if parts[1] == "interests" else 24  # room for the tick
                assert len(text) <= limit, (lang, key, text)


async def test_phone_question_asks_for_the_contact_on_telegram(chat: Chat):
    await chat.send("/daftar")
    await chat.press("Setuju")
    for text in ("Siti", "Warung"):
        await chat.send(text)
    await chat.press("Kuliner")
    for text in ("Keripik singkong pedas", "Bandung", "Coblong"):
        await chat.send(text)
    assert chat.replies[0].kind is ReplyKind.ASK_CONTACT


async def test_resume_after_a_restart(settings):
    first = await open_deps(settings)
    chat = Chat(Assistant(first), "4242")
    await chat.send("/daftar")
    await chat.press("Setuju")
    await chat.send("Siti")
    await chat.send("Warung Siti")
    await first.storage.close()

    second = await open_deps(settings)  # a new process on the same database
    chat = Chat(Assistant(second), "4242")
    await chat.send("/daftar")
    assert "belum selesai" in chat.text and "Subsektor" in chat.text
    await chat.press("Lanjutkan")
    assert "Kuliner" in chat.labels
    await chat.press("Kuliner")
    await chat.send("Keripik singkong pedas")
    conv = await second.storage.conversations.get((await second.storage.users.get(
        "telegram", "4242")).id)
    assert conv.draft["answers"] == {"owner_name": "Siti", "business_name": "Warung Siti",
                                     "subsector": "kuliner",
                                     "description": "Keripik singkong pedas"}
    await second.storage.close()

    third = await open_deps(settings)  # a typed answer right after a restart just continues
    chat = Chat(Assistant(third), "4242")
    await chat.send("Bandung")
    assert "Di kecamatan mana?" in chat.text
    await third.storage.close()


async def test_after_a_long_pause_any_message_offers_continue_or_start_over(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await chat.send("Siti")
    real_now = deps.storage.db.now
    deps.storage.db.now = lambda: real_now() + timedelta(days=2)
    await chat.send("apa itu little bandung?")
    assert "belum selesai" in chat.text and chat.labels == ["Lanjutkan", "Mulai dari awal"]
    await chat.press("Mulai dari awal")
    assert "Setuju" in chat.labels  # consent again, answers gone
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"] == {}


async def test_daftar_when_registered_shows_the_reference(chat: Chat):
    text = await register(chat)
    ref = re.search(r"UMKM-\d{4}-\d{6}", text)[0]
    await chat.send("/daftar")
    assert ref in chat.text and "/ubah" in chat.text


async def test_a_state_from_another_version_of_the_form_carries_on(chat: Chat, deps):
    await chat.send("/start")
    pk = await user_pk(deps, chat)
    draft = {"mode": "new", "reg_id": None, "answers": {"owner_name": "Siti"}, "ret": None,
             "phone_verified": False, "takeover": False, "consent_at": None,
             "consent_version": None}
    await deps.storage.conversations.save(pk, "register", "renamed_step", draft)
    await chat.send("Warung Siti")
    assert "Apa nama usaha Anda?" in chat.text
    await chat.send("Warung Siti")
    conv = await deps.storage.conversations.get(pk)
    assert conv.step == "subsector"


CONSENT_ELEMENTS = {  # what is stored, why, who sees it, how long, the rights and their commands
    "id": ("UU 27/2022", "Disimpan", "NIB", "Untuk", "Dilihat", "Dinas Koperasi dan UMKM",
           "selama pendaftaran aktif", "/datasaya", "/ubah", "/hapus", "/batal", "iklan"),
    "en": ("UU 27/2022", "Stored", "NIB", "Why", "Seen by", "Dinas Koperasi dan UMKM",
           "while registered", "/mydata", "/edit", "/forget", "/cancel", "ads"),
    "ms": ("UU 27/2022", "Disimpan", "NIB", "Untuk", "Dilihat", "Dinas Koperasi dan UMKM",
           "selagi berdaftar", "/datasaya", "/ubah", "/hapus", "/batal", "iklan"),
}


@pytest.mark.parametrize("lang", ["id", "en", "ms"])
async def test_consent_is_short_and_keeps_every_element(make_chat, lang):
    """Issue 14 point 9: under 600 characters rendered (845 before), every legal element kept."""
    chat = make_chat(f"31{lang}", language_hint=lang)
    await chat.send("/daftar" if lang != "en" else "/register")
    assert len(chat.text) < 600, len(chat.text)
    for element in (*CONSENT_ELEMENTS[lang], "2026-12-v2"):
        assert element in chat.text, element


async def test_a_form_consented_under_the_old_version_keeps_that_version(chat: Chat, deps):
    """v2 is v1 shortened with the same terms: a consent given to v1 stays valid, and the record
    names the version the user saw."""
    await chat.send("/daftar")
    await chat.press("Setuju")
    pk = await user_pk(deps, chat)
    conv = await deps.storage.conversations.get(pk)
    assert conv.draft["consent_version"] == "2026-12-v2"
    await deps.storage.conversations.save(
        pk, "register", conv.step, {**conv.draft, "consent_version": "2026-11-v1"}
    )
    await fill(chat, answers())
    await chat.press("Kirim")
    reg = await deps.storage.registrations.get_for_user(pk)
    assert reg.consent_version == "2026-11-v1" and reg.status == "submitted"
