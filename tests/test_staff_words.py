"""Staff ask for their commands in words ("statistik minggu ini", "lihat pendaftaran baru min");
anyone without the command's role is answered as before, and the roles are looked up only for
those phrases."""

from __future__ import annotations

import pytest

from handlers.types import ReplyKind
from knowledge import load_knowledge
from tests.support.chat import Chat
from tests.support.staff_helpers import add_registration, make_staff

ADMIN = "9000"  # ADMIN_IDS in the test settings


@pytest.mark.parametrize(
    ("typed", "shows"),
    [
        ("statistik minggu ini", "📊 Statistik"),
        ("show stats please", "📊"),
        ("lihat pendaftaran baru min", "Tidak ada pendaftaran yang menunggu tinjauan"),
        ("belum terjawab", "Tidak ada pertanyaan belum terjawab"),
        ("ada tiket?", "Tidak ada tiket terbuka"),
        ("kirim pengumuman", "Tulis pesan siaran Anda"),
        # a walk (session 20): these got the bot's help answer
        ("berapa pertanyaan yang belum terjawab?", "Tidak ada pertanyaan belum terjawab"),
        ("berapa jumlah pendaftaran?", "📊 Statistik"),
        # a walk (session 21): asked as questions, these started the registration form
        ("ada pendaftaran baru ga?", "Tidak ada pendaftaran yang menunggu tinjauan"),
        ("udah ada yang daftar belum?", "Tidak ada pendaftaran yang menunggu tinjauan"),
        ("liat statistik dong", "📊 Statistik"),
        ("pertanyaan yg belum kejawab apa aja?", "Tidak ada pertanyaan belum terjawab"),
        # a walk (session 22): these got the bot's help answer
        ("ada yg nanya blm dijawab?", "Tidak ada pertanyaan belum terjawab"),
        ("pertanyaan masuk apa aja", "Tidak ada pertanyaan belum terjawab"),
        ("tiket yg masih buka", "Tidak ada tiket terbuka"),
        ("berapa org yg udh daftar?", "📊 Statistik"),
        # a walk (session 23): the time named last got the registration status's answer, and
        # the broadcast's receivers named after it the citizen's "you already receive them"
        ("ada berapa pendaftar minggu ini?", "📊 Statistik"),
        ("how many registrations this week?", "📊"),
        ("ada tiket baru hari ini?", "Tidak ada tiket terbuka"),
        ("kirim pengumuman ke semua umkm kuliner", "Tulis pesan siaran Anda"),
    ],
)
async def test_an_admin_asks_in_words(assistant, typed: str, shows: str) -> None:
    admin = Chat(assistant, ADMIN, language_hint="id")
    await admin.send(typed)
    assert shows in admin.text
    assert "di luar yang bisa saya bantu" not in admin.text
    assert "Setuju?" not in admin.text  # not the registration form's consent


@pytest.mark.parametrize(
    "typed",
    [
        "export data",
        "unduh data pendaftaran min",
        "export data pendaftaran",
        "export data ke excel dong",
    ],
)
async def test_a_reviewer_exports_in_words(deps, assistant, typed) -> None:
    """Walks (sessions 19, 20): "export data", then "export data pendaftaran", showed an admin
    their own data (mydata)."""
    await make_staff(deps, "2002", "reviewer")
    await add_registration(deps, "3003")
    reviewer = Chat(assistant, "2002", language_hint="id")
    await reviewer.send(typed)
    (sent,) = [reply for reply in reviewer.replies if reply.kind is ReplyKind.DOCUMENT]
    assert sent.filename.startswith("registrations-all-") and sent.filename.endswith(".xlsx")
    citizen = Chat(assistant, "1001", language_hint="id")
    await citizen.send(typed)
    assert all(reply.kind is ReplyKind.TEXT for reply in citizen.replies)


@pytest.mark.parametrize(
    "typed",
    [
        "kirim pengumuman: Pameran dibuka Senin, daftar di Disdagin",
        "buat pengumuman\nPameran dibuka Senin, daftar di Disdagin",
    ],
)
async def test_an_announcement_asked_for_in_words_may_carry_its_text(assistant, typed) -> None:
    """A walk (session 21): "kirim pengumuman ke semua: besok ada pelatihan ..." started the
    registration form; the text after the colon (or on the next line) is the announcement's."""
    admin = Chat(assistant, ADMIN, language_hint="id")
    await admin.send(typed)
    assert "Pameran dibuka Senin, daftar di Disdagin" in admin.text and "Penerima" in admin.text
    assert "Tulis pesan siaran" not in admin.text  # not asked for again
    citizen = Chat(assistant, "1001", language_hint="id")
    await citizen.send(typed)
    assert "Penerima" not in citizen.text


async def test_a_reviewer_gets_the_review_card_in_words(deps, assistant) -> None:
    await make_staff(deps, "2002", "reviewer")
    await add_registration(deps, "3003")
    reviewer = Chat(assistant, "2002", language_hint="id")
    await reviewer.send("ada pendaftaran baru?")
    assert "UMKM-" in reviewer.text and "Setuju?" not in reviewer.text


async def test_staff_without_the_role_and_citizens_are_answered_as_before(deps, assistant) -> None:
    await make_staff(deps, "2004", "viewer")  # may see statistics, not review registrations
    viewer = Chat(assistant, "2004", language_hint="id")
    await viewer.send("lihat pendaftaran baru")
    assert "Setuju?" in viewer.text  # the words read as a citizen's: the form's consent
    await viewer.send("/batal")
    await viewer.send("statistik")
    assert "📊" in viewer.text
    citizen = Chat(assistant, "1001", language_hint="id")
    await citizen.send("statistik")
    assert "📊" not in citizen.text and "140.000 UMKM" in citizen.text  # umkm-numbers
    await citizen.send("tiket")
    assert "/tiket" not in citizen.text  # no staff command is named to a citizen


async def test_a_staff_phrase_inside_a_longer_message_is_a_question(assistant) -> None:
    admin = Chat(assistant, ADMIN, language_hint="id")
    await admin.send("berapa jumlah umkm di bandung menurut statistik terbaru?")
    assert "📊 Statistik" not in admin.text and "140.000" in admin.text


async def test_staff_asking_to_receive_the_announcements_are_not_broadcasting(assistant) -> None:
    admin = Chat(assistant, ADMIN, language_hint="id")
    await admin.send("kirim pengumuman ke saya dong")
    assert "Tulis pesan siaran" not in admin.text


def test_a_staff_phrase_is_read_once_per_text_and_the_memory_stays_bounded(monkeypatch) -> None:
    rules = load_knowledge(semantic=None).intents
    rules.staff_asked.size = 3
    calls = []
    whole = rules.whole_forms
    monkeypatch.setattr(rules, "whole_forms", lambda text: calls.append(text) or whole(text))
    for _ in range(2):
        assert rules.staff_request("statistik minggu ini") == "statistik"
        assert rules.staff_request("apa itu nib") is None
    assert calls == ["statistik minggu ini", "apa itu nib"]  # each read once
    for n in range(5):
        rules.staff_request(f"pertanyaan nomor {n}")
    assert len(rules.staff_asked) <= 3
    assert rules.staff_request("statistik minggu ini") == "statistik"  # read again, same answer


async def test_an_announcement_in_words_starts_with_the_receivers_it_names(deps, assistant) -> None:
    """A walk (session 23): "kirim pengumuman ke semua umkm kuliner" started /siaran, then the
    panel offered everyone and the officer had to pick the subsector named a moment before."""
    await add_registration(deps, "3003", subsector="kuliner")
    await add_registration(deps, "3004", subsector="fesyen")
    admin = Chat(assistant, ADMIN, language_hint="id")
    await admin.send("kirim pengumuman ke semua umkm kuliner")
    assert "Penerima yang Anda sebut:\n• Subsektor: Kuliner" in admin.text
    assert "Tulis pesan siaran Anda" in admin.text
    await admin.send("Besok ada bazar kuliner di Braga")
    assert "• Subsektor: Kuliner" in admin.text and "Jumlah penerima: 1" in admin.text
    # with the text after a colon, in English: the panel at once, the two filters named
    await admin.send("/batal")
    await admin.send("send an announcement to registered fashion businesses: Sale on Friday")
    assert "Sale on Friday" in admin.text and "Jumlah penerima: 1" in admin.text
    assert "• Usaha terdaftar" in admin.text and "• Subsektor: Fesyen" in admin.text


@pytest.mark.parametrize(
    "typed",
    [
        "kirim pengumuman ke semua umkm kecuali kuliner",  # an exception: the officer picks
        "kirim pengumuman tentang festival kuliner",  # the subject, not the receivers
        "/siaran",
    ],
)
async def test_an_announcement_naming_no_receivers_is_for_everyone(deps, assistant, typed) -> None:
    await add_registration(deps, "3003", subsector="kuliner")
    await add_registration(deps, "3004", subsector="fesyen")
    admin = Chat(assistant, ADMIN, language_hint="id")
    await admin.send(typed)
    assert "Tulis pesan siaran Anda" in admin.text and "Penerima yang Anda sebut" not in admin.text
    await admin.send("Besok ada bazar di Braga")
    assert "Semua pelanggan" in admin.text and "Subsektor" not in admin.text.split("Penerima:")[1]
