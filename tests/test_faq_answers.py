"""Answers that stay true: dates in answers, review_by, the "more" button, honest fallbacks."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from knowledge import KNOWLEDGE_DIR, load_knowledge
from knowledge.cli import check_knowledge
from tests.support.chat import Chat

HALAL_DAY = date(2026, 10, 17)  # FACTS.md: the phase-in for micro and small food ended then


@pytest.fixture
def folder(tmp_path):
    """A copy of the knowledge files to spoil."""
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


def edit(folder, name: str, old: str, new: str) -> None:
    path = folder / "faq" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


async def test_a_date_bound_answer_reads_right_on_both_sides_of_its_date(chat: Chat, deps):
    faq = deps.knowledge.faq
    faq.clock = lambda: date(2026, 10, 16)
    await chat.send("kapan sertifikat halal wajib buat umkm makanan?")
    assert chat.text.startswith("Mulai 17 Oktober 2026")
    faq.clock = lambda: HALAL_DAY
    await chat.send("kapan sertifikat halal wajib buat umkm makanan?")
    assert chat.text.startswith("Sejak 17 Oktober 2026")
    assert "ditunda" not in chat.text
    await chat.payload("lang:en")
    await chat.send("is halal certification mandatory for small food businesses")
    assert chat.text.startswith("Since 17 October 2026") and "postponed" not in chat.text


async def test_a_long_answer_offers_more_behind_a_button(chat: Chat, deps) -> None:
    faq = deps.knowledge.faq
    await chat.send("sertifikat halal gratis ada ga?")
    assert chat.buttons[0].payload == "faqm:halal-cert"
    assert chat.buttons[0].label == "Selengkapnya"
    await chat.press("Selengkapnya")
    assert chat.text == faq.render_more("halal-cert", "id")
    assert "BPJPH" in chat.text
    assert [b.payload for b in chat.buttons] == [f"faq:{t}" for t in faq.get("halal-cert").related]
    await chat.payload("faqm:mea-what")  # a topic with nothing more: its answer
    assert chat.text == faq.render("mea-what", "id")


def test_every_answer_is_short_enough_for_a_phone_screen() -> None:
    faq = load_knowledge().faq
    for topic in faq.entries:
        for lang in ("id", "en", "ms"):
            assert len(faq.render(topic, lang)) < 600, (topic, lang)


def test_check_knowledge_fails_on_a_passed_date_without_a_variant_for_after(folder) -> None:
    edit(folder, "permits.yaml", "{% if today < dates.halal_umk %}Mulai{% else %}Sejak{% endif %}",
         "Ditunda sampai")  # fmt: skip
    errors, _ = check_knowledge(folder, today=date(2026, 10, 1))
    assert not [e for e in errors if "halal-cert" in e]  # the date has not come yet
    errors, _ = check_knowledge(folder, today=date(2026, 12, 4))
    assert any("halal-cert: answer.id" in e and "dates.halal_umk" in e for e in errors)
    assert any("halal-cert: answer.id" in e and "has passed" in e for e in errors)


def test_check_knowledge_accepts_the_real_knowledge_after_the_halal_date() -> None:
    errors, _ = check_knowledge(today=date(2026, 12, 4))
    assert errors == []


def test_check_knowledge_warns_on_entries_past_review_by(folder) -> None:
    _, warnings = check_knowledge(folder, today=date(2027, 5, 1))
    assert any("halal-cert: review_by 2027-04-30 has passed" in w for w in warnings)
    assert not any("mea-what: review_by" in w for w in warnings)
    edit(folder, "permits.yaml", "review_by: 2027-04-30", "review_by: soon")
    errors, _ = check_knowledge(folder)
    assert any("halal-cert: review_by must be a date" in e for e in errors)


async def test_off_topic_is_not_noted_for_staff_but_an_in_scope_miss_is(chat: Chat, deps):
    await chat.send("resep nasi goreng kampung yang enak")
    assert "di luar" in chat.text and "dicatat" not in chat.text
    assert "hand:start" not in [b.payload for b in chat.buttons]  # no person for a recipe
    await chat.send("apakah ada bantuan alat produksi gratis dari dinas")
    assert "dicatat" in chat.text
    # an in-scope miss offers a person first (handoff), then the topics and the office
    assert [b.payload for b in chat.buttons] == ["hand:start", "menu:faq", "faq:contact-office"]
    rows = await deps.storage.db.fetchall("SELECT answered FROM questions ORDER BY id")
    assert [r["answered"] for r in rows] == [0, 0]  # both count as unanswered in the statistics


def test_answers_rendered_once_a_day_read_as_rendered_afresh() -> None:
    faq = load_knowledge().faq
    day = date(2026, 10, 16)
    faq.clock = lambda: day
    for today in (day, HALAL_DAY):
        day = today
        for lang in ("id", "en", "ms"):
            fresh = faq.get("halal-cert").render(lang, faq.contacts, today)
            fresh_more = faq.get("halal-cert").render(lang, faq.contacts, today, part="more")
            assert faq.render("halal-cert", lang) == fresh
            assert faq.render("halal-cert", lang) is faq.render("halal-cert", lang)  # kept
            assert faq.render_more("halal-cert", lang) == fresh_more != fresh
    assert faq.render("halal-cert", "id") != faq.get("halal-cert").render(
        "id", faq.contacts, date(2026, 10, 16)
    )  # the answer reads differently on either side of its date, and the kept one follows


async def test_a_buyer_abroad_is_answered_as_a_buyer(chat: Chat, deps) -> None:
    """Session 9 walk, a Malaysian buyer: the shipping question got the buyer topic with nothing
    on shipping (it was behind "more"), and the halal answer spoke only to sellers."""
    await chat.payload("lang:en")
    await chat.send("how much is shipping from bandung to kuala lumpur")
    assert chat.text == deps.knowledge.faq.render("buy-from-bandung", "en")
    assert "shipping costs are not something we know" in chat.text
    await chat.send("do bandung products have halal certificate? malaysian customers ask")
    assert chat.text == deps.knowledge.faq.render("halal-cert", "en")
    assert "Buyers: check the label" in chat.text and "not halal" in chat.text
    await chat.press("More")
    assert "For buyers abroad" in chat.text


async def test_the_more_button_speaks_malay_to_a_malay_speaker(chat: Chat, deps) -> None:
    # session 9 walk: Malay answers offered "Selanjutnya" (Indonesian "more"); Malay says "maklumat lanjut"
    await chat.payload("lang:ms")
    await chat.send("saya dari syarikat kraftangan kat PJ, nak cari rakan niaga kat bandung")
    assert chat.buttons[0].label == "Maklumat lanjut"


async def test_asking_if_one_can_register_without_an_nib_is_told_yes(chat: Chat, deps) -> None:
    # session 9 walk: the NIB answer said the bot's registration "is not an NIB", not that it
    # needs none, so "bisa daftar tanpa NIB?" stayed unanswered
    await chat.send("kalau belum punya nib bisa daftar di bot ini?")
    # the NIB answer, or (session 21) the registration's, which lists what the form asks
    answers = {t: deps.knowledge.faq.render(t, "id") for t in ("nib-oss", "registration-how")}
    assert chat.text in answers.values()
    assert "tidak butuh NIB" in chat.text or "NIB dan situs/medsos tidak wajib" in chat.text
