"""Small talk, requests in words and the detected language, measured on phrasing tables.

Development tables (tests/data/understanding_dev*.yaml, plus the FAQ development tables for the
language) print their misses and guided the rules. The blind table (tests/data/faq_blind.yaml,
written by someone who saw neither the rules nor the knowledge) prints figures only: its misses
are never printed, so it stays an honest measure.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from knowledge.languages import LANGUAGES
from knowledge.understand import TWINS, understand
from tests.support import faq_tables
from tests.support.knowledge_cache import read_only_knowledge

DATA = Path(__file__).parent / "data"
DEV = tuple(
    f"understanding_dev{part}.yaml"
    for part in ("", "_b", "_c", "_d", "_e", "_f", "_g", "_i", "_j", "_k", "_styles", "_styles2")
)
TARGET_INTENT = 0.95  # issue 14: right intent and action on small talk and requests, per language
TARGET_LANGUAGE = 0.97  # issue 14: detected language right, over every line of the blind table
# Floors (what the assertions hold): the figures measured 2026-12-04 (session 5, helper "lang",
# 12:00 UTC, on bce8555 plus this change), rounded down, where they are under the targets
# (docs/understanding.md gives the figures; the gap is open work).
# With table G (session 6, helper "understand", written before reading the rules; its English
# small talk has short lines Indonesian chat writes too): English 99.2 -> 98.7%, so its floor 0.98.
# With table I (session 7, helper "malay", Malay-heavy, written before reading the rules): Malay
# intent 99.1 -> 97.8% and Malay language 93.1 -> 92.8% at first read; after the session's rules
# (with J) 99.0 / 98.4 / 98.9% and Malay language 93.0%, so floors 0.98 and 0.92 (93.0% is too
# close to 0.93 for the detector, which moves a little whenever the FAQ texts change).
FLOOR_DEV_INTENT = 0.98
FLOOR_DEV_OFF_TOPIC_TAKEN = 0.1  # share of off-topic lines taken for small talk or a request
# Share of those off-topic lines answered or offered a topic instead of a fallback (lexical), with
# table K (session 8, helper "understand"): before the short foreign request rule 46 of 93 (49.5%),
# after it 32 of 93 (34.4%); with the rule for a verb acting on something else ("hapus chat ini")
# 26 of 93 (28.0%); sparing requests that name the business ("ubah alamat kedai dobi") 27 of 93
# (29.0%); the floor is over that figure. At cfe2bcd (helper topics' financing and contact-office
# keywords and samples) 28 of 93 (30.1%), so 0.31.
FLOOR_DEV_OFF_TOPIC_KEPT = 0.31
FLOOR_DEV_LANGUAGE = {"id": 0.97, "en": 0.98, "ms": 0.92}
# Blind floors, per blind table (tests/support/faq_tables.BLINDS), figures rounded down: table 2
# (2026-12-04, replaced set E) read at 0a863af, 15:29 UTC; table 3 (session 7) read at c965129,
# 17:25 UTC: intent 91.7 / 98.3 / 98.3%, language 98.3 / 99.0 / 91.0% (the language floors a line
# lower: the detector learns from the interface texts, which move it a little). Table 4 (session
# 8), first read at 88ba726, 20:12 UTC: intent 98.3 / 96.7 / 98.3%, language 96.9 / 99.7 / 88.2%.
# At the session's end (f5ff34a, 20:55 UTC): table 3 intent 95.0 / 98.3 / 98.3%, language 98.6 /
# 99.0 / 91.7%; table 4 intent 98.3% each, language unchanged; table 2 intent 96.7 / 98.3 / 95.0%,
# language 97.2 / 99.3 / 88.2%. Floors raised to those figures where they rose. Table 5 (session 9),
# first read at ecd793d, 21:56 UTC: intent 93.3 / 95.0 / 93.3%, language 96.5 / 99.3 / 93.4%.
# Session 9's end (b5ea5ec, 23:12 UTC), intent / language: table 2 98.3 / 98.3 / 95.0%, 97.2 /
# 99.3 / 88.2%; table 3 98.3% each, 98.6 / 99.3 / 92.7%; table 4 100 / 100 / 98.3%, 96.9 / 99.7 /
# 89.2%; table 5 100 / 96.7 / 95.0%, 96.2 / 99.3 / 94.1%. Intent floors at the figures rounded
# down (0.98 for 100%: one line of slack), language floors a line under the figures where they rose.
# Table 6 (session 11), first read at c67c26a, 07:35 UTC: intent 100 / 96.7 / 93.3%, language
# 95.8 / 99.3 / 92.0%; floors as above (intent rounded down, 0.98 for 100%; language a line under).
# Table 7 (session 16), read before and after knowledge/examples.yaml (eb6e011, 489ec11): intent
# 96.7 / 96.7 / 93.3% both; language 97.6 / 99.3 / 92.4% -> 99.3 / 99.0 / 93.8%. Floors a line under.
# Tables 8 and 9 (session 17), read with session 16's code (6397ebb) and session 17's: the same
# figures both times. Table 8: intent 98.3 / 100 / 100%, language 97.9 / 99.3 / 94.1%; table 9:
# intent 98.3 / 98.3 / 100%, language 97.6 / 98.6 / 91.7%. Floors a line under (0.98 for 100%).
# Table 10 (session 18), first read 01:50 UTC: intent 96.7 / 100 / 100%, language 96.9 / 99.3 /
# 94.4%. Floors a line under (0.98 for 100%). Table 11 (session 19), first read 03:59 UTC:
# intent 100% each, language 98.6 / 98.6 / 92.4%.
FLOOR_BLIND_INTENT = {
    "2": {"id": 0.98, "en": 0.98, "ms": 0.95},
    "3": {"id": 0.98, "en": 0.98, "ms": 0.98},
    "4": {"id": 0.98, "en": 0.98, "ms": 0.98},
    "5": {"id": 0.98, "en": 0.96, "ms": 0.95},
    "6": {"id": 0.98, "en": 0.96, "ms": 0.93},
    "7": {"id": 0.95, "en": 0.95, "ms": 0.91},
    "8": {"id": 0.96, "en": 0.98, "ms": 0.98},
    "9": {"id": 0.96, "en": 0.96, "ms": 0.98},
    "10": {"id": 0.95, "en": 0.98, "ms": 0.98},
    "11": {"id": 0.98, "en": 0.98, "ms": 0.98},
    "12": {"id": 0.96, "en": 0.96, "ms": 0.95},  # first read: 98.3 / 98.3 / 96.7%
    "13": {"id": 0.98, "en": 0.98, "ms": 0.98},  # first read: 100% each
    "14": {"id": 0.98, "en": 0.98, "ms": 0.98},  # first read: 100% each
    "15": {"id": 0.96, "en": 0.96, "ms": 0.96},  # first read: 98.3% each
    "16": {"id": 0.96, "en": 0.98, "ms": 0.96},  # first read: 98.3 / 100 / 98.3%
    "17": {"id": 0.96, "en": 0.98, "ms": 0.98},  # first read: 96.7 / 100 / 100% (also the end)
    "18": {"id": 0.96, "en": 0.98, "ms": 0.98},  # first read (after the changes): 96.7 / 100 / 100%
    "19": {"id": 0.98, "en": 0.96, "ms": 0.98},  # first read: 100 / 98.3 / 100%
    "20": {"id": 0.96, "en": 0.98, "ms": 0.96},  # first read (after the changes): 98.3 / 100 / 98.3%
}
FLOOR_BLIND_LANGUAGE = {
    "2": {"id": 0.965, "en": 0.99, "ms": 0.87},  # id 0.965: session 16's examples (96.9%)
    "3": {"id": 0.98, "en": 0.98, "ms": 0.92},
    "4": {"id": 0.96, "en": 0.99, "ms": 0.88},
    "5": {"id": 0.96, "en": 0.98, "ms": 0.93},
    "6": {"id": 0.95, "en": 0.98, "ms": 0.91},
    "7": {"id": 0.98, "en": 0.98, "ms": 0.93},
    "8": {"id": 0.97, "en": 0.98, "ms": 0.93},
    "9": {"id": 0.97, "en": 0.98, "ms": 0.91},
    "10": {"id": 0.965, "en": 0.98, "ms": 0.94},
    "11": {"id": 0.975, "en": 0.975, "ms": 0.91},
    "12": {"id": 0.965, "en": 0.985, "ms": 0.915},  # first read: 97.2 / 99.3 / 92.0%
    "13": {"id": 0.965, "en": 0.985, "ms": 0.92},  # first read: 97.2 / 99.0 / 92.4%
    "14": {"id": 0.95, "en": 0.985, "ms": 0.92},  # first read: 95.8 / 99.7 / 92.7%
    "15": {"id": 0.975, "en": 0.985, "ms": 0.91},  # first read: 98.3 / 99.0 / 91.7%; id 97.9% after
    # session 25's knowledge phrasings (780aacf: the detector learns their words), a line under
    "16": {"id": 0.98, "en": 0.98, "ms": 0.915},  # first read: 98.6 / 98.3 / 92.0%
    "17": {"id": 0.975, "en": 0.98, "ms": 0.91},  # first read: 98.3 / 99.0 / 91.7%
    "18": {"id": 0.98, "en": 0.98, "ms": 0.935},  # first read: 98.6 / 98.6 / 94.1%
    "19": {"id": 0.975, "en": 0.985, "ms": 0.93},  # first read: 97.9 / 99.3 / 93.4%
    "20": {"id": 0.965, "en": 0.985, "ms": 0.93},  # first read: 96.9 / 99.0 / 93.4%
}
FLOOR_BLIND_TAKEN = 0.02  # share of blind questions wrongly taken for small talk or a request
# ... but for table 10's out-of-scope lines: 3 of 90 (one per language) at its first read, the
# first blind table over 2%; 2 of 90 after intents.yaml's `elsewhere` words (session 18, chosen
# on table W's lines, then pruned after a blind read: docs/knowledge.md says how). Its lines stay
# unread; the development tables' one such line left is
# "status permohonan PTPTN" (a vowel-less acronym read as a chat abbreviation).
# Table 11's out-of-scope lines: 3 of 90 (id 1, ms 2) at its first read (session 19, 03:59 UTC).
# Table 15's: 2 of 90 (id 1, ms 1) at its first read (session 23, 14:26 UTC) and after that
# session's changes.
TAKEN_MEASURED = {"10": 0.023, "11": 0.034, "15": 0.023}  # 12, 13: 1 of 90 at first read; 14: 0


@pytest.fixture(scope="module")
def knowledge():
    return read_only_knowledge()


def _read(knowledge, text: str):
    return understand(knowledge.faq, knowledge.intents, knowledge.language, text)


def intent_rows(table: dict) -> list[tuple[str, str, str | None, str | None]]:
    """(language, text, expected action or None for small talk, expected language asked for)."""
    rows = [(lang, text, None, None) for lang, texts in table.get("smalltalk", {}).items()
            for text in texts]  # fmt: skip
    for lang, items in table.get("actions", {}).items():
        rows += [(lang, item["text"], item["action"], item.get("to")) for item in items]
    return rows


def intent_figures(knowledge, rows, title: str, show: bool) -> dict[str, float]:
    """Per language: the share of small talk and requests given the right intent and action."""
    right, total, misses = Counter(), Counter(), []
    for lang, text, action, to in rows:
        found = _read(knowledge, text)
        if action is None:
            good = found.intent == "smalltalk"
        else:
            good = found.intent == "action" and found.action == action and to in (None, found.to)
        total[lang] += 1
        right[lang] += good
        if not good:
            misses.append(
                f"{lang} {action or 'smalltalk'}: {text!r} -> {found.intent} {found.action}"
            )
    return _report(title, right, total, misses if show else None)


def language_figures(knowledge, rows, title: str, show: bool) -> dict[str, float]:
    """Per language: the share of lines whose detected language is the line's language."""
    right, total, misses = Counter(), Counter(), []
    for lang, text in rows:
        guess = knowledge.language.guess(text)
        total[lang] += 1
        right[lang] += guess.language == lang
        if guess.language != lang:
            misses.append(f"{lang}: {text!r} -> {guess.language} ({guess.margin})")
    return _report(title, right, total, misses if show else None)


def _report(title, right, total, misses) -> dict[str, float]:
    print(f"\n{title}:")
    found = {lang: right[lang] / total[lang] for lang in LANGUAGES}
    for lang in LANGUAGES:
        print(f"  {lang}: {found[lang]:.1%} of {total[lang]}")
    all_right = sum(right.values()) / sum(total.values())
    print(f"  all: {all_right:.1%} of {sum(total.values())}")
    if misses is not None:
        print("  misses:\n    " + "\n    ".join(misses))
    return {**found, "all": all_right}


def _dev_tables() -> list[dict]:
    return [faq_tables.load(name) for name in DEV]


def dev_questions() -> list[tuple[str, str]]:
    """(language, text) of the FAQ questions the development tables hold (their `questions`)."""
    return [(lang, text) for table in _dev_tables()
            for lang, texts in (table.get("questions") or {}).items() for text in texts]  # fmt: skip


def dev_off_topic() -> list[tuple[str, str]]:
    """(language, text) of off-topic lines sharing a word with an action (their `off_topic`)."""
    return [(lang, text) for table in _dev_tables()
            for lang, texts in (table.get("off_topic") or {}).items() for text in texts]  # fmt: skip


def test_development_small_talk_and_requests(knowledge) -> None:
    rows = [row for table in _dev_tables() for row in intent_rows(table)]
    found = intent_figures(knowledge, rows, "development: right intent and action", show=True)
    for lang in LANGUAGES:
        assert found[lang] >= FLOOR_DEV_INTENT, lang


def test_development_languages(knowledge) -> None:
    names = faq_tables.DEV + faq_tables.DEV_STYLES[:1]
    rows = [(lang, text) for _, lang, text in faq_tables.in_scope(names)]
    rows += [(lang, text) for table in _dev_tables() for lang, text, _, _ in intent_rows(table)]
    rows += dev_questions() + dev_off_topic()
    found = language_figures(knowledge, rows, "development: detected language", show=True)
    for lang in LANGUAGES:
        assert found[lang] >= FLOOR_DEV_LANGUAGE[lang], lang


def test_development_questions_stay_questions(knowledge) -> None:
    """FAQ questions about how things work are not taken for small talk or a request."""
    rows = faq_tables.in_scope(faq_tables.DEV)
    twins = set(TWINS.values())
    taken = [
        (topic, text)
        for topic, _, text in rows
        if topic not in twins and _read(knowledge, text).intent in ("smalltalk", "action")
    ]
    print(
        f"\nFAQ development questions (not twin topics) taken for small talk or a request: {taken}"
    )
    assert len(taken) <= len(rows) // 100
    written = [(lang, text) for lang, text in dev_questions()
               if _read(knowledge, text).intent in ("smalltalk", "action")]  # fmt: skip
    print(f"Questions of the understanding tables taken for small talk or a request: {written}")
    assert not written


def test_development_off_topic_requests_are_not_actions(knowledge) -> None:
    """Off-topic requests sharing an action word ("status of my parcel") go to the FAQ."""
    rows = dev_off_topic()
    taken = [(lang, text, found.intent, found.action) for lang, text in rows
             if (found := _read(knowledge, text)).intent in ("smalltalk", "action")]  # fmt: skip
    print(
        f"\nOff-topic lines taken for small talk or a request ({len(taken)} of {len(rows)}): {taken}"
    )
    assert len(taken) <= FLOOR_DEV_OFF_TOPIC_TAKEN * len(rows)


class Blind(dict):
    """A blind table; its repr hides the lines, so no failure report ever shows them."""

    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(faq_tables.load(faq_tables.BLINDS[number]))

    def __repr__(self) -> str:
        return f"<blind table {self.number}>"


@pytest.fixture(scope="module", params=sorted(faq_tables.BLINDS))
def blind(request) -> Blind:
    return Blind(request.param)


def test_blind_small_talk_and_requests(knowledge, blind) -> None:
    title = f"BLIND table {blind.number}: right intent and action"
    found = intent_figures(knowledge, intent_rows(blind), title, False)
    low = [lang for lang in LANGUAGES if found[lang] < FLOOR_BLIND_INTENT[blind.number][lang]]
    assert not low, f"below the floor in {low}"


def test_blind_languages_of_every_line(knowledge, blind) -> None:
    rows = [(lang, text) for by_lang in blind["topics"].values()
            for lang, texts in by_lang.items() for text in texts]  # fmt: skip
    rows += [(lang, text) for lang, text, _, _ in intent_rows(blind)]
    rows += [(lang, text) for lang, texts in blind["out_of_scope"].items() for text in texts]
    title = f"BLIND table {blind.number}: detected language, every line"
    found = language_figures(knowledge, rows, title, False)
    low = [lang for lang in LANGUAGES if found[lang] < FLOOR_BLIND_LANGUAGE[blind.number][lang]]
    assert not low, f"below the floor in {low}"


def test_blind_questions_stay_questions(knowledge, blind) -> None:
    """Out-of-scope lines and topic lines (twin topics aside) are not small talk or requests."""
    twins = set(TWINS.values())
    outside = [(lang, text) for lang, texts in blind["out_of_scope"].items() for text in texts]
    topics = [(lang, text) for topic, by_lang in blind["topics"].items() if topic not in twins
              for lang, texts in by_lang.items() for text in texts]  # fmt: skip
    for title, rows in (("out of scope", outside), ("topics without an action twin", topics)):
        taken = Counter(lang for lang, text in rows
                        if _read(knowledge, text).intent in ("smalltalk", "action"))  # fmt: skip
        total = Counter(lang for lang, _ in rows)
        print(
            f"\nBLIND table {blind.number}, {title} taken for small talk or a request: "
            + ", ".join(f"{lang} {taken[lang]} of {total[lang]}" for lang in LANGUAGES)
        )
        measured = TAKEN_MEASURED.get(blind.number, 0.0) if rows is outside else 0.0
        bound = max(FLOOR_BLIND_TAKEN, measured)
        assert sum(taken.values()) <= bound * len(rows), title


def test_development_off_topic_requests_fall_back(knowledge) -> None:
    """A short request naming something the knowledge never mentions ("cek status paket jne")
    falls back as off topic, not answered with the action's twin topic; the same request about
    the registration is still the request."""
    rows = dev_off_topic()
    kept = [(lang, text, found.intent, found.topic) for lang, text in rows
            if (found := _read(knowledge, text)).intent != "fallback"]  # fmt: skip
    print(f"\nOff-topic lines not falling back, lexical ({len(kept)} of {len(rows)}): {kept}")
    assert len(kept) <= FLOOR_DEV_OFF_TOPIC_KEPT * len(rows)
    for text in ("cek status paket jne saya", "status of my parcel", "padam akaun tiktok",
                 "hapus chat ini", "edit my resume",
                 # asked how, at any length (session 19, table X): an identity card's data
                 "cara ganti data di KTP yang salah gmn?", "camne nak tukar alamat dalam IC?",
                 # session 21 (table Z): a home loan, a ride; "car loan" listed does not make
                 # "register my car" ours
                 "cek status pengajuan kpr saya", "status pesanan gojek sy kok ga muncul",
                 "register my car"):
        found = _read(knowledge, text)
        assert found.intent == "fallback" and found.decision.off_topic, text
    # a status beside a parcel is not the registration's (it was: table Z, session 21)
    parcel = _read(knowledge, "macam mana nak jejak parcel Pos Laju saya, status tak berubah")
    assert parcel.intent == "fallback"
    for text, topic in (("data KTP sy dipake buat apa aja sama bot ini", "data-privacy"),
                        ("ganti nomor rekening di data pendaftaran", "registration-edit")):
        assert _read(knowledge, text).topic == topic, text  # the bot's data, or ours named
    for text, action in (("cek status pendaftaran saya", "status"), ("padam akaun saya", "forget"),
                         ("revise my submitted details", "edit")):
        assert _read(knowledge, text).action == action, text
    # naming the business keeps the request's topic even with a word we never use
    for text, topic in (("ubah alamat kedai dobi", "registration-edit"),
                        ("status pendaftaran warung seblak", "registration-status"),
                        ("hapus data usaha laundry saya", "data-privacy"),
                        ("statusnya gmn ya bund", "registration-status"),  # "status" is theirs
                        ("cek status sy gercep", "registration-status")):
        found = _read(knowledge, text)
        assert found.topic == topic or found.action is not None, text


def test_asking_to_register_ones_kind_of_business_registers(knowledge) -> None:
    """A word the knowledge never uses, in a request to register one's business, is the kind of
    business ("laundry", "katering"): the request runs, where before it fell back or only got the
    how-to answer; registering someone else's thing is still not the request."""
    for text in ("tolong daftarkan usaha laundry saya", "daftarkan usaha katering saya",
                 "register my batik business please"):
        found = _read(knowledge, text)
        assert (found.intent, found.action) == ("action", "register"), text
    for text in ("daftarin anak saya sekolah dong", "register my car"):
        assert _read(knowledge, text).action != "register", text
