"""Development tables K to R, in the blind tables' format, read as the bot reads them.

Table K (tests/data/faq_dev_k.yaml) was written on 2026-12-04 (session 8) by a writer who saw
only FACTS.md, issue 14 and the brief blind table 4's writer had: the same kinds of lines, by a
different hand. Tables L and M (tests/data/faq_dev_l.yaml, faq_dev_m.yaml) were written in
session 9 the same way, from the brief blind table 5's writer had, by two more hands (M leans on
long messages and Malaysian writers); table N in session 11 from blind table 6's brief (leaning
on long Malay and Sundanese lines), and table O in session 13 (leaning on English by Indonesians,
Malaysians and foreign buyers). Unlike the blind tables, they are development tables: their
misses are printed and may guide the rules and the knowledge. Their first readings (before
anything was tuned on them) are in tests/support/dev_table_floors.py with the floors. Tables
K-P's lines are knowledge/examples.yaml since session 16; Q onwards are kept apart (see the floors' notes).
"""

from __future__ import annotations

from collections import Counter

import pytest

from knowledge.languages import LANGUAGES
from knowledge.understand import TWINS
from tests.support import faq_tables
from tests.support.dev_table_floors import FLOORS  # per table, with its first readings
from tests.support.knowledge_cache import read_only_knowledge
from tests.test_faq_blind import reader, right
from tests.test_understanding_accuracy import _read as read_intent
from tests.test_understanding_accuracy import (
    intent_figures,
    intent_rows,
    language_figures,
)

TABLES = pytest.mark.parametrize("table", sorted(faq_tables.DEV_WRITTEN))


@pytest.fixture(scope="module")
def knowledge():
    return read_only_knowledge()


def _table(table: str) -> dict:
    return faq_tables.load(faq_tables.DEV_WRITTEN[table])


@TABLES
def test_table_in_scope(faq, table: str) -> None:
    read, rows = reader(faq), faq_tables.blind_in_scope(faq_tables.DEV_WRITTEN[table])
    found, total, misses = Counter(), Counter(), []
    for topic, lang, question in rows:
        total[lang] += 1
        if right(read, topic, question):
            found[lang] += 1
        else:
            intent, got, action = read(question)
            misses.append(f"{lang} {topic}: {question!r} -> {intent} {got or action}")
    mode = "lexical" if faq.matcher.semantic is None else "semantic"
    print(f"\nFAQ table {table}, {mode}: right topic (or its twin action)")
    for lang in LANGUAGES:
        print(f"  {lang}: {found[lang] / total[lang]:.1%} of {total[lang]}")
    print("  misses:\n    " + "\n    ".join(misses))
    for lang in LANGUAGES:
        assert found[lang] / total[lang] >= FLOORS[table]["in_scope"][mode], lang


@TABLES
def test_table_out_of_scope(faq, table: str) -> None:
    read, questions = reader(faq), faq_tables.blind_out_of_scope(faq_tables.DEV_WRITTEN[table])
    mode = "lexical" if faq.matcher.semantic is None else "semantic"
    print(f"\nFAQ table {table}, {mode}: out-of-scope questions that fall back")
    for lang in LANGUAGES:
        assert _fall_back(read, lang, questions[lang]) >= FLOORS[table]["fallback"][mode], lang


def _fall_back(read, lang: str, questions: list[str]) -> float:
    """The share of `questions` that fall back, printed with the others."""
    found = [(q, read(q)) for q in questions]
    share = sum(got[0] == "fallback" for _, got in found) / len(found)
    print(f"  {lang}: {share:.1%} of {len(found)}")
    for question, (intent, topic, action) in found:
        if intent != "fallback":
            print(f"    miss {lang}: {question!r} -> {intent} {topic or action}")
    return share


@TABLES
def test_table_small_talk_and_requests(knowledge, table: str) -> None:
    found = intent_figures(
        knowledge, intent_rows(_table(table)), f"Table {table}: right intent and action", True
    )
    assert all(found[lang] >= FLOORS[table]["intent"][lang] for lang in LANGUAGES), found


@TABLES
def test_table_languages_of_every_line(knowledge, table: str) -> None:
    rows_of = _table(table)
    rows = [(lang, text) for by_lang in rows_of["topics"].values()
            for lang, texts in by_lang.items() for text in texts]  # fmt: skip
    rows += [(lang, text) for lang, text, _, _ in intent_rows(rows_of)]
    rows += [(lang, text) for lang, texts in rows_of["out_of_scope"].items() for text in texts]
    found = language_figures(knowledge, rows, f"Table {table}: detected language, every line", True)
    assert all(found[lang] >= FLOORS[table]["language"][lang] for lang in LANGUAGES), found


@TABLES
def test_table_questions_stay_questions(knowledge, table: str) -> None:
    """Out-of-scope lines and topic lines (twin topics aside) are not small talk or requests."""
    rows_of, twins = _table(table), set(TWINS.values())
    rows = [(lang, text) for lang, texts in rows_of["out_of_scope"].items() for text in texts]
    rows += [(lang, text) for topic, by_lang in rows_of["topics"].items() if topic not in twins
             for lang, texts in by_lang.items() for text in texts]  # fmt: skip
    taken = [(lang, text, read_intent(knowledge, text)) for lang, text in rows]
    taken = [
        (lang, text, got) for lang, text, got in taken if got.intent in ("smalltalk", "action")
    ]
    for lang, text, got in taken:
        print(f"  taken {lang}: {text!r} -> {got.intent} {got.action}")
    assert len(taken) <= 0.02 * len(rows)
