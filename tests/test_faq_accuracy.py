"""FAQ matching on phrasings it was never built from, and on out-of-scope questions.

Two kinds of table (tests/support/faq_tables.py): development tables, whose misses are printed and may
guide the knowledge and the matcher, and one held-out table written blind, whose misses are
never printed so that it stays an honest measure of unseen wording.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from knowledge.languages import LANGUAGES
from tests.support import faq_tables
from tests.test_faq_blind import reader
from tests.test_faq_blind import right as read_right

TARGET = 0.90  # the first issue's target, per language, on the held-out table
# Measured 2026-11-30 on the held-out table, lexical only: right topic answered id 94.2%,
# en 94.2%, ms 95.8%; out of scope -> fallback 100% in each language.
# Measured 2026-12-04 (33 topics, Sundanese chat words, the semantic veto): lexical id 95.0%,
# en 93.3%, ms 95.8%; with the semantic stage (the default) id 96.7%, en 95.8%, ms 97.5%; out of
# scope 100% both ways. Issue 14 asks that the held-out table stay >= 95% with the stage.
# At 8e5f0e5 (session 4): held-out lexical 95.0 / 92.5 / 96.7%, semantic 96.7 / 96.7 / 97.5%;
# development tables lexical 92.3 / 91.2 / 91.9%, semantic 97.9 / 96.5 / 96.8%.
# At 736f537 (helper "faq"): held-out semantic 96.7 / 96.7 / 96.7%, lexical unchanged;
# development tables lexical 92.3 / 91.6 / 91.9%, semantic 97.5 / 96.5 / 96.5%.
# At the 20-token cut (helper "faq", session 6, chosen on the development tables for the p99):
# held-out semantic 96.7 / 95.8 / 96.7% (28 tokens: 96.7% each); the floor is issue 14's 95%.
# Session 25 (held-out figures only, never its lines), af1b99e -> its end: lexical 95.8 / 93.3 /
# 95.8% -> 95.8 / 91.7 / 95.8% (English 2 of 120 fewer after that session's phrasings), semantic
# 98.3 / 96.7 / 98.3% -> 97.5 / 97.5 / 98.3% (issue 14's 95% met). Lexical floor a line under.
FLOOR_HELD_OUT = {"lexical": 0.915, "semantic": 0.95}
FLOOR_DEV = {"lexical": 0.91, "semantic": 0.96}  # development tables (floors: figures rounded down)
FLOOR_RIGHT_OR_OFFERED = 0.90  # ... or the right topic among the "did you mean" choices
FLOOR_FALLBACK = {"id": TARGET, "en": TARGET, "ms": TARGET}  # held-out, out of scope


def mode(faq) -> str:
    return "lexical" if faq.matcher.semantic is None else "semantic"


def figures(faq, rows, title: str, show_misses: bool) -> dict[str, tuple[float, float]]:
    """Per language: (share answered with the right topic, share right or offered); printed."""
    right, offered, total = defaultdict(int), defaultdict(int), defaultdict(int)
    misses = []
    for topic, lang, question in rows:
        decision = faq.matcher.decide(question)
        total[lang] += 1
        if decision.kind == "answer" and decision.topic == topic:
            right[lang] += 1
        elif decision.kind == "suggest" and topic in decision.choices:
            offered[lang] += 1
        else:
            misses.append(f"{lang} {topic}: {question!r} -> {decision.kind} {decision.topic}")
    print(f"\n{title} (answered with the right topic | right topic answered or offered):")
    found = {}
    for lang in LANGUAGES:
        found[lang] = (right[lang] / total[lang], (right[lang] + offered[lang]) / total[lang])
        print(f"  {lang}: {found[lang][0]:.1%} | {found[lang][1]:.1%} of {total[lang]}")
    if show_misses:
        print("  misses:\n    " + "\n    ".join(misses))
    return found


def fallback_rates(faq, table: dict[str, list[str]], title: str, show: bool) -> dict[str, float]:
    """Per language: share of out-of-scope questions that fall back; printed."""
    print(f"\n{title}: out-of-scope questions that fall back")
    rates = {}
    for lang in LANGUAGES:
        decisions = {q: faq.matcher.decide(q) for q in table[lang]}
        rates[lang] = sum(d.kind == "fallback" for d in decisions.values()) / len(decisions)
        guessed = [
            f"{q!r} -> {d.kind} {d.topic}" for q, d in decisions.items() if d.kind != "fallback"
        ]
        print(
            f"  {lang}: {rates[lang]:.1%} of {len(decisions)}  {'; '.join(guessed) if show else ''}"
        )
    return rates


def test_tables_cover_every_topic_and_language(faq) -> None:
    held_out = {t for t, _, _ in faq_tables.in_scope(faq_tables.HELD_OUT)}
    assert held_out <= set(faq.entries) and len(held_out) == 30  # written before issue 14
    for name in faq_tables.BLINDS.values():  # every topic, blind
        assert {t for t, _, _ in faq_tables.blind_in_scope(name)} == set(faq.entries), name
    for names in (faq_tables.DEV, faq_tables.HELD_OUT):
        rows = faq_tables.in_scope(names)
        expected = set(faq.entries) if names == faq_tables.DEV else held_out
        assert {t for t, _, _ in rows} == expected, names
        for topic in expected:
            for lang in LANGUAGES:
                assert sum(1 for t, lg, _ in rows if (t, lg) == (topic, lang)) >= 3, (topic, lang)
    for names in (faq_tables.DEV_OUT_OF_SCOPE, faq_tables.HELD_OUT):
        table = faq_tables.out_of_scope(names)
        assert all(len(table[lang]) >= 12 for lang in LANGUAGES), names
        assert sum(len(v) for v in table.values()) >= 30, names


def test_held_out_accuracy(faq) -> None:
    rows = faq_tables.in_scope(faq_tables.HELD_OUT)
    floor = FLOOR_HELD_OUT[mode(faq)]
    target = TARGET if mode(faq) == "lexical" else 0.95  # issue 14: >= 95% with the stage
    found = figures(faq, rows, f"FAQ HELD-OUT table, {mode(faq)}", show_misses=False)
    for lang, (right, _) in found.items():
        print(f"  {lang}: target {target:.0%} {'met' if right >= target else 'NOT met'}")
    for lang, (right, right_or_offered) in found.items():
        assert right >= floor, lang
        assert right_or_offered >= FLOOR_RIGHT_OR_OFFERED, lang


def test_held_out_out_of_scope_falls_back(faq) -> None:
    table = faq_tables.held_out_out_of_scope()
    title = f"FAQ HELD-OUT table, {mode(faq)}"
    for lang, rate in fallback_rates(faq, table, title, show=False).items():
        assert rate >= FLOOR_FALLBACK[lang], lang


def test_development_tables(faq) -> None:
    rows = faq_tables.in_scope(faq_tables.DEV)
    for lang, (right, right_or_offered) in figures(
        faq, rows, f"FAQ development tables, {mode(faq)}", show_misses=True
    ).items():
        assert right >= FLOOR_DEV[mode(faq)], lang
        assert right_or_offered >= FLOOR_RIGHT_OR_OFFERED, lang


def test_development_out_of_scope_falls_back(faq) -> None:
    table = faq_tables.out_of_scope(faq_tables.DEV_OUT_OF_SCOPE)
    title = f"FAQ development tables, {mode(faq)}"
    for lang, rate in fallback_rates(faq, table, title, show=True).items():
        assert rate >= TARGET - 0.05, lang


def test_out_of_scope_never_gets_a_confident_answer_in_development_tables(faq) -> None:
    table = faq_tables.out_of_scope(faq_tables.DEV_OUT_OF_SCOPE)
    for lang, questions in table.items():
        answered = [q for q in questions if faq.matcher.decide(q).kind == "answer"]
        assert len(answered) <= 1, (lang, answered)


@pytest.mark.parametrize("kind", ["greetings", "thanks"])
def test_small_talk_is_recognised(faq, kind: str) -> None:
    expected = {"greetings": "greeting", "thanks": "thanks"}[kind]
    for lang, texts in faq_tables.small_talk()[kind].items():
        for text in texts:
            assert faq.matcher.decide(text).kind == expected, (lang, text)


# Leftovers found using the bot (issue 14): a cart grant is financing, opening days are the office.
LEFTOVERS = [
    ("bantuan gerobak", "financing"),
    ("ada bantuan gerobak buat pedagang kaki lima?", "financing"),
    ("are you open on saturday", "contact-office"),
    ("is the office open on saturday?", "contact-office"),
    ("pejabat buka hari sabtu ke?", "contact-office"),
]


@pytest.mark.parametrize(("question", "topic"), LEFTOVERS)
def test_known_leftovers_reach_their_topic(faq, question: str, topic: str) -> None:
    decision = faq.matcher.decide(question)
    assert (decision.kind, decision.topic) == ("answer", topic), question


# Tables E and F (tests/support/faq_tables.py DEV_UNDERSTOOD), and I (DEV_I, session 7), read as
# the bot reads them, like the blind table: a topic counts when answered or when its twin action
# runs; out of scope counts when the intent is `fallback`. Floors: the figures measured (see
# docs/knowledge.md), rounded down; per mode, (in scope, out of scope).
FLOOR_UNDERSTOOD = {
    # session 9 (helper "oos", 449a724 and the others' changes): E+F out of scope 100 / 96.7 /
    # 96.7%, I 95 / 85 / 95% with the stage
    "E+F": {"lexical": (0.84, 0.86), "semantic": (0.94, 0.96)},
    # I at its first read (before session 7's changes): semantic 96.2 / 97.7 / 97.0% in scope,
    # 80% out of scope each; after them in scope 97.0 / 97.7 / 97.0%
    "I": {"lexical": (0.91, 0.70), "semantic": (0.96, 0.85)},
}
TABLES_UNDERSTOOD = {"E+F": faq_tables.DEV_UNDERSTOOD, "I": faq_tables.DEV_I}


@pytest.mark.parametrize("name", list(TABLES_UNDERSTOOD))
def test_development_tables_read_as_the_bot_reads(faq, name: str) -> None:
    read = reader(faq)
    rows = faq_tables.in_scope(TABLES_UNDERSTOOD[name])
    table = faq_tables.out_of_scope(TABLES_UNDERSTOOD[name])
    print(f"\nFAQ development tables {name} through knowledge.understand, {mode(faq)}:")
    in_floor, out_floor = FLOOR_UNDERSTOOD[name][mode(faq)]
    misses, shares = [], {}
    for lang in LANGUAGES:
        mine = [(topic, q) for topic, lg, q in rows if lg == lang]
        wrong = [(topic, q) for topic, q in mine if not read_right(read, topic, q)]
        answered = [q for q in table[lang] if read(q)[0] != "fallback"]
        share_in = 1 - len(wrong) / len(mine)
        share_out = 1 - len(answered) / len(table[lang])
        print(f"  {lang}: in scope {share_in:.1%} of {len(mine)}, out of scope falls back"
              f" {share_out:.1%} of {len(table[lang])}")  # fmt: skip
        misses += [f"{lang} {t}: {q!r} -> {read(q)}" for t, q in wrong]
        misses += [f"{lang} out of scope: {q!r} -> {read(q)}" for q in answered]
        shares[lang] = (share_in, share_out)
    print("  misses:\n    " + "\n    ".join(misses))
    for lang, (share_in, share_out) in shares.items():
        assert share_in >= in_floor and share_out >= out_floor, lang
