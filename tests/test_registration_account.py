"""After submitting: /status, /ubah, /datasaya, /hapus; duplicate phones; WhatsApp's own number."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from tests.support.chat import Chat
from tests.support.regform import answers, fill, register, user_pk


async def reference_of(chat: Chat) -> str:
    return re.search(r"UMKM-\d{4}-\d{6}", chat.text)[0]


async def test_status_before_and_after_review(chat: Chat, deps):
    await chat.send("/status")
    assert "belum punya pendaftaran" in chat.text and "Daftarkan usaha" in chat.labels
    await register(chat)
    ref = await reference_of(chat)
    await chat.send("/status")
    assert ref in chat.text and "terkirim, menunggu pemeriksaan" in chat.text
    reg = await deps.storage.registrations.get_for_user(await user_pk(deps, chat))
    await deps.storage.registrations.set_status(reg.id, "rejected", "NIB <tidak> cocok", "telegram:9000")
    await chat.send("/status")
    assert "ditolak" in chat.text and "Catatan petugas: NIB <tidak> cocok" in chat.text
    assert "/ubah" in chat.text and "Ubah pendaftaran" in chat.labels
    await deps.storage.registrations.set_status(reg.id, "verified", None, "telegram:9000")
    chat.language_hint = "en"
    await chat.send("/bahasa en")
    await chat.send("/status")
    assert f"Status of registration {ref}: verified" in chat.text and "reviewed:" in chat.text


async def test_status_while_filling_in_the_form_offers_to_continue(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await chat.send("Ujang Sukma")
    await chat.send("/status")  # not "you have no registration, type /daftar"
    assert "belum selesai" in chat.text and chat.labels == ["Lanjutkan", "Mulai dari awal"]
    await chat.send("/batal")
    await chat.send("/status")  # while "throw the answers away?" is asked
    await chat.press("Lanjutkan")
    assert "Apa nama usaha Anda?" in chat.text
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"] == {"owner_name": "Ujang Sukma"}


async def test_edit_goes_through_the_same_questions_and_back_to_review(chat: Chat, deps):
    await register(chat)
    pk = await user_pk(deps, chat)
    reg = await deps.storage.registrations.get_for_user(pk)
    await deps.storage.registrations.set_status(reg.id, "rejected", "Kecamatan salah", "staff")
    await chat.send("/ubah")
    assert "diperiksa ulang" in chat.text and "Coblong" in chat.text
    await chat.press("Kecamatan")
    await chat.send("!!")  # validated like the first time
    assert "paling sedikit 3 karakter" in chat.text
    await chat.send("Sukajadi")
    await chat.press("Telepon")
    await chat.send("+60 12-345 6789")
    await chat.press("Kirim")
    assert reg.reference in chat.text and "diperiksa ulang" in chat.text
    edited = await deps.storage.registrations.get_for_user(pk)
    assert (edited.id, edited.reference, edited.status) == (reg.id, reg.reference, "submitted")
    assert (edited.district, edited.phone, edited.staff_note) == ("Sukajadi", "+60123456789", None)
    assert edited.owner_name == reg.owner_name and edited.consent_at == reg.consent_at
    assert await deps.storage.registrations.count() == 1


async def test_submitting_an_edit_without_changes_keeps_the_review(chat: Chat, deps):
    # session 9 walk: /ubah then Kirim with nothing changed sent a verified registration back
    # to "submitted", to be reviewed again
    await register(chat)
    reg = await deps.storage.registrations.get_for_user(await user_pk(deps, chat))
    await deps.storage.registrations.set_status(reg.id, "verified", None, "staff")
    await chat.send("/ubah")
    await chat.press("Kirim")
    assert "Tidak ada yang diubah" in chat.text and "terverifikasi" in chat.text
    assert (await deps.storage.registrations.get(reg.id)).status == "verified"
    assert await deps.storage.conversations.get(await user_pk(deps, chat)) is None


async def test_cancelling_an_edit_keeps_the_original(chat: Chat, deps):
    await register(chat)
    pk = await user_pk(deps, chat)
    original = await deps.storage.registrations.get_for_user(pk)
    await chat.send("/edit")
    await chat.press("Nama usaha")
    await chat.send("Nama Baru Sekali")
    assert "Nama Baru Sekali" in chat.text  # shown on the summary, not stored
    assert await deps.storage.registrations.get_for_user(pk) == original
    await chat.send("/batal")
    assert await deps.storage.registrations.get_for_user(pk) == original
    assert await deps.storage.conversations.get(pk) is None


async def test_edit_resumes_after_an_interruption(chat: Chat, deps):
    await register(chat)
    await chat.send("/ubah")
    await chat.press("Kota/kabupaten")
    await chat.send("/ubah")
    assert "perubahan data" in chat.text and "Kota/kabupaten" in chat.text
    await chat.press("Mulai dari awal")
    assert "Data pendaftaran Anda" in chat.text and "Kota Bandung" in chat.text


async def test_my_data_shows_everything_stored(chat: Chat, deps):
    await chat.send("/datasaya")
    assert "telegram 1001" in chat.text and "belum punya pendaftaran" in chat.text
    await register(chat, email=None, website="www.keripik.id")
    await chat.send("/mydata")
    text = chat.text
    for shown in ("Siti Rahmawati", "Keripik Pedas Bu Siti", "Kuliner", "Coblong",
                  "+62 812-3456-7890", "1234567890123", "Pernah sekali", "Malaysia, Singapura",
                  "Etalase Little Bandung, Pelatihan", "www.keripik.id", "(tidak diisi)",
                  "2026-12-v2", "Sari", "UMKM-"):
        assert shown in text, shown
    # Times in Jakarta time, as people in Bandung read them.
    reg = await deps.storage.registrations.get_for_user(await user_pk(deps, chat))
    jakarta = reg.consent_at.astimezone(ZoneInfo("Asia/Jakarta"))
    assert jakarta.strftime("%d-%m-%Y %H:%M WIB") in text
    assert "UTC" not in text


async def test_forget_deletes_the_registration_and_personal_data(chat: Chat, deps):
    await register(chat)
    await chat.send("bagaimana cara ikut little bandung?")  # a question in the FAQ log
    pk = await user_pk(deps, chat)
    assert await deps.storage.privacy.questions_logged(pk) >= 1
    await chat.send("/hapus")
    assert "UMKM-" in chat.text and "tidak bisa dibatalkan" in chat.text
    await chat.press("Jangan hapus")
    assert await deps.storage.registrations.count() == 1
    await chat.send("/daftar")  # an unfinished form goes too
    await chat.send("/forget")
    await chat.press("Ya, hapus data saya")
    assert "sudah dihapus" in chat.text
    db = deps.storage.db
    assert await deps.storage.registrations.count() == 0
    assert await deps.storage.conversations.get(pk) is None
    assert await deps.storage.users.get_by_id(pk) is None  # the user row goes too
    assert await db.fetchall("SELECT user_pk FROM questions") == []  # their verbatim questions
    assert await deps.storage.privacy.erasure_count() == 1
    rows = await db.fetchall("SELECT * FROM registrations")
    assert rows == []
    await chat.send("/status")
    assert "belum punya pendaftaran" in chat.text


async def test_same_phone_from_another_account_typed_is_not_taken_over(make_chat, deps):
    first = make_chat("5001")
    await register(first, owner_name="Pemilik Asli", business_name="Usaha Rahasia")
    ref = await reference_of(first)
    second = make_chat("5002")
    await second.send("/daftar")
    await second.press("Setuju")
    for text in ("Orang Lain", "Usaha Lain", "reg:pick:subsector:fesyen",
                 "Baju batik tulis khas Bandung", "Bandung", "Lengkong", "0812-3456-7890"):
        await (second.press(text) if text.startswith("reg:") else second.send(text))
    assert "sudah dipakai pendaftaran dari akun lain" in second.text
    assert "bagikan nomor" in second.text
    for secret in ("Pemilik Asli", "Usaha Rahasia", ref):
        assert secret not in second.text
    await second.send("0813 1111 2222")
    assert "e-mail" in second.text


async def test_same_phone_proven_by_contact_updates_the_other_registration(make_chat, deps):
    first = make_chat("6001")
    await register(first, owner_name="Pemilik Asli", business_name="Usaha Rahasia")
    ref = await reference_of(first)
    second = make_chat("6002")
    await second.send("/daftar")
    await second.press("Setuju")
    values = answers(owner_name="Pemilik Baru", business_name="Usaha Baru")
    for text in (values["owner_name"], values["business_name"], "reg:pick:subsector:kuliner",
                 values["description"], "Bandung", "Coblong"):
        await (second.press(text) if text.startswith("reg:") else second.send(text))
    await second.share_contact("6281234567890", own=True)
    assert "sudah terdaftar dari akun lain" in second.text
    assert "Pemilik Asli" not in second.text and ref not in second.text
    await second.press("Perbarui pendaftaran itu")
    await second.press("reg:skip")  # e-mail
    await second.press("reg:skip")  # NIB
    await second.press("reg:pick:scale:kecil")
    await second.press("reg:pick:export_experience:none")
    await second.press("reg:toggle:matching")
    await second.press("reg:done")
    await second.press("reg:skip")
    assert "pendaftaran yang sudah ada untuk nomor ini diperbarui" in second.text
    await second.press("Kirim")
    assert ref in second.text and "menggantikan data lama" in second.text
    assert await deps.storage.registrations.count() == 1
    moved = await deps.storage.registrations.get_for_user(await user_pk(deps, second))
    assert moved.reference == ref and moved.owner_name == "Pemilik Baru"
    assert moved.phone_verified and moved.status == "submitted" and moved.scale == "kecil"
    await first.send("/status")
    assert "belum punya pendaftaran" in first.text


async def test_an_edit_cannot_take_another_registrations_phone(make_chat, deps):
    first = make_chat("7001")
    await register(first)
    second = make_chat("7002")
    await register(second, phone="0813 2222 3333")
    await second.send("/ubah")
    await second.press("Telepon")
    await second.share_contact("+6281234567890", own=True)
    assert "sudah dipakai pendaftaran lain" in second.text
    await second.send("/batal")
    reg = await deps.storage.registrations.get_for_user(await user_pk(deps, second))
    assert reg.phone == "+6281322223333"


async def test_whatsapp_offers_the_number_the_user_writes_from(make_chat, deps):
    chat = make_chat("6281277776666", channel="whatsapp")
    await chat.send("/daftar")
    await chat.press("Setuju")
    for text in ("Siti", "Warung", "reg:pick:subsector:kriya", "Tas anyaman bambu", "Bandung",
                 "Coblong"):
        await (chat.press(text) if text.startswith("reg:") else chat.send(text))
    assert "+62 812-7777-6666" in chat.text
    assert "Pakai +62 812-7777-6666" in chat.labels
    assert all(len(label) <= 24 for label in chat.labels)
    await chat.press("Pakai +62 812-7777-6666")
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["phone"] == "+6281277776666" and conv.draft["phone_verified"]
    await chat.press("Kembali")
    await chat.send("0813 4444 5555")  # another number may be typed instead
    conv = await deps.storage.conversations.get(await user_pk(deps, chat))
    assert conv.draft["answers"]["phone"] == "+6281344445555" and not conv.draft["phone_verified"]


async def test_whatsapp_user_proves_their_number_and_updates_a_telegram_registration(
    make_chat, deps
):
    telegram = make_chat("8001")
    await register(telegram, phone="0812 7777 6666")
    whatsapp = make_chat("6281277776666", channel="whatsapp", language_hint="en")
    await whatsapp.send("/register")
    await whatsapp.press("I agree")
    await fill_until_phone(whatsapp)
    await whatsapp.press("reg:phone:wa")
    assert "already registered from another account" in whatsapp.text
    await whatsapp.press("Back")
    conv = await deps.storage.conversations.get(await user_pk(deps, whatsapp))
    assert conv.step == "phone" and "phone" not in conv.draft["answers"]
    await whatsapp.press("reg:phone:wa")
    await whatsapp.press("Use another number")
    assert "Can we reach you on the number you are writing from" in whatsapp.text
    conv = await deps.storage.conversations.get(await user_pk(deps, whatsapp))
    assert conv.step == "phone" and "phone" not in conv.draft["answers"]
    await whatsapp.send("0813 5555 6666")
    assert "E-mail address" in whatsapp.text


async def fill_until_phone(chat: Chat) -> None:
    for text in ("Siti", "Warung", "reg:pick:subsector:kriya", "Bamboo bags, hand woven",
                 "Bandung", "Coblong"):
        await (chat.press(text) if text.startswith("reg:") else chat.send(text))


async def test_one_registration_per_user_even_with_a_forged_second_submit(chat: Chat, deps):
    await chat.send("/daftar")
    await chat.press("Setuju")
    await fill(chat, answers())
    await chat.press("Kirim")
    await chat.payload("reg:submit")
    assert "tidak berlaku" in chat.text
    assert await deps.storage.registrations.count() == 1


async def test_status_and_data_messages_render_in_every_language(make_chat, deps):
    for number, lang in enumerate(("id", "en", "ms")):
        chat = make_chat(f"lang-{lang}", language_hint=lang)
        await register(chat, subsector="lainnya", subsector_other="Jasa acara",
                       phone=f"0812 3456 789{number}")
        reg = await deps.storage.registrations.get_for_user(await user_pk(deps, chat))
        for status, note in (("submitted", None), ("verified", "Lengkap"), ("rejected", "Cek")):
            await deps.storage.registrations.set_status(reg.id, status, note, "staff")
            await chat.send("/status")
            assert reg.reference in chat.text and (note or reg.reference) in chat.text
        for command in ("/datasaya", "/ubah", "/hapus"):
            await chat.send(command)
            assert chat.replies and chat.buttons, (lang, command)
        await chat.send("/datasaya")
        assert "Jasa acara" in chat.text and reg.reference in chat.text


async def test_a_field_named_in_words_at_the_summary_opens_it(chat: Chat, deps):
    # session 9 walk: at the /ubah summary "hoyong ngagentos email" and the new address got
    # "pilih salah satu tombol"; only the exact label "E-mail" opened the field
    await register(chat)
    await chat.send("/ubah")
    await chat.send("hoyong ngagentos email")  # Sundanese: I want to change the e-mail
    assert "Alamat e-mail" in chat.text
    await chat.send("baru@gmail.com")
    assert "Periksa data Anda" in chat.text or "Data pendaftaran Anda" in chat.text
    await chat.send("no hp sy salah")
    assert "nomor telepon" in chat.text.lower()
    await chat.send("0813 2222 3333")
    await chat.send("ganti nama")  # owner or business name: ambiguous, nothing opened
    assert "pilih salah satu tombol" in chat.text.lower()
    await chat.press("Kirim")
    reg = await deps.storage.registrations.get_for_user(await user_pk(deps, chat))
    assert (reg.email, reg.phone) == ("baru@gmail.com", "+6281322223333")
