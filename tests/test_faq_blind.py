"""FAQ accuracy on blind table 2: figures only, never its misses, never tuned on.

Some blind topics have an action twin (knowledge/understand.py TWINS: status <->
registration-status, register <-> registration-how, edit, mydata, help, subscribe, handoff <->
contact-office): a request in words ("cek status pendaftaran sy") is run as the action instead
of answered with the topic, and both are right for the user. The test reads each message as
the bot does (knowledge.understand) and counts the topic, or an action whose twin is the
topic, as right; an out-of-scope question is right when its intent is `fallback`.
"""

from __future__ import annotations

from collections import defaultdict

from knowledge import load_knowledge
from knowledge.languages import LANGUAGES
from knowledge.understand import TWINS, understand
from tests.support import faq_tables

TARGET_IN_SCOPE = 0.96  # issue 14, per language: right topic (or its twin action)
TARGET_FALLBACK = 0.95  # issue 14, per language: out-of-scope questions fall back
# Blind table 2 (tests/data/faq_blind.yaml, written 2026-12-04 by a helper that saw only FACTS.md,
# the topic and action lists and issue 14; it replaced set E, whose figures the rules had been
# read against too often). Read twice, figures only: at f257ef1 before session 6's changes, and
# at 0a863af after them (2026-12-04 14:30 and 15:29 UTC; docs/knowledge.md). At 0a863af: in
# scope, right topic or twin, lexical 92.4 / 93.4 / 91.4% (id/en/ms), semantic 94.4 / 96.0 /
# 93.4%; out of scope falls back, lexical 90.0 / 90.0 / 96.7%, semantic 100 / 96.7 / 100%. The
# in-scope target is not met (open work); the floors are the lowest language's figure, rounded down.
FLOOR_IN_SCOPE = {"lexical": 0.91, "semantic": 0.93}
FLOOR_FALLBACK = {"lexical": 0.90, "semantic": 0.96}


def reader(faq):
    """(intent, topic, action) for a message, as the bot reads it."""
    knowledge = load_knowledge()  # the intent rules and the language detector

    def read(text: str):
        found = understand(faq, knowledge.intents, knowledge.language, text)
        return found.intent, found.topic, found.action

    return read


def right(read, topic: str, question: str) -> bool:
    """Whether the bot answers `question` with `topic`, or runs the action whose twin it is."""
    intent, found, action = read(question)
    return found == topic or (intent == "action" and TWINS.get(action) == topic)


def test_blind_table_in_scope(faq) -> None:
    read, rows = reader(faq), faq_tables.blind_in_scope()
    found, total = defaultdict(int), defaultdict(int)
    for topic, lang, question in rows:
        total[lang] += 1
        found[lang] += right(read, topic, question)
    mode = "lexical" if faq.matcher.semantic is None else "semantic"
    print(f"\nFAQ BLIND table 2, {mode}: right topic (or its twin action)")
    for lang in LANGUAGES:
        share = found[lang] / total[lang]
        met = "met" if share >= TARGET_IN_SCOPE else "NOT met"
        print(f"  {lang}: {share:.1%} of {total[lang]} (target {TARGET_IN_SCOPE:.0%} {met})")
    floor = FLOOR_IN_SCOPE[mode]
    for lang in LANGUAGES:
        assert found[lang] / total[lang] >= floor, lang


def test_blind_table_out_of_scope(faq) -> None:
    read, table = reader(faq), faq_tables.blind_out_of_scope()
    mode = "lexical" if faq.matcher.semantic is None else "semantic"
    print(f"\nFAQ BLIND table 2, {mode}: out-of-scope questions that fall back")
    for lang in LANGUAGES:
        share = sum(read(q)[0] == "fallback" for q in table[lang]) / len(table[lang])
        met = "met" if share >= TARGET_FALLBACK else "NOT met"
        print(f"  {lang}: {share:.1%} of {len(table[lang])} (target {TARGET_FALLBACK:.0%} {met})")
        assert share >= FLOOR_FALLBACK[mode], lang
