"""FAQ accuracy on the blind table (set E): figures only, never its misses, never tuned on.

Some blind topics have an action twin: a request in words ("cek status pendaftaran sy") may be
run as the action instead of answered with the topic, and both are right for the user. Where
the understanding layer (knowledge/understand.py) is present the test reads a message as the
bot does and accepts the topic or its twin action; otherwise it asks the FAQ matcher alone.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from knowledge import load_knowledge
from knowledge.languages import LANGUAGES
from tests.support import faq_tables

TARGET_IN_SCOPE = 0.96  # issue 14, per language: right topic (or its twin action)
TARGET_FALLBACK = 0.95  # issue 14, per language: out-of-scope questions fall back
# Measured 2026-12-04 (matcher only, before the understanding layer landed): in scope, right
# topic, lexical id 83.2% en 89.2% ms 94.0%, semantic 86.0% / 92.8% / 95.8%; out of scope falls
# back, lexical 96.7% / 83.3% / 80.0%, semantic 93.3% / 86.7% / 90.0%. The targets are not met;
# the floors below only guard against going back.
FLOOR_IN_SCOPE = {"lexical": 0.80, "semantic": 0.84}
FLOOR_FALLBACK = {"lexical": 0.75, "semantic": 0.85}
TWINS = {
    "registration-status": "status", "registration-how": "register", "registration-edit": "edit",
    "bot-help": "help", "broadcast-subscribe": "subscribe", "contact-office": "handoff",
    "data-privacy": "mydata",
}  # fmt: skip


@pytest.fixture(scope="module", params=["lexical", "semantic"])
def faq(request):
    if request.param == "semantic":
        return request.getfixturevalue("semantic_faq")
    return load_knowledge().faq


def reader(faq):
    """(intent, topic, action) for a message, as the bot reads it."""
    try:
        from knowledge.understand import understand
    except ImportError:
        understand = None
    if understand is None:

        def read(text: str):
            decision = faq.matcher.decide(text)
            topic = decision.topic if decision.kind == "answer" else None
            return ("faq" if topic else decision.kind), topic, None

        return read
    knowledge = load_knowledge()

    def read(text: str):
        found = understand(faq, knowledge.intents, knowledge.language, text)
        return found.intent, found.topic, found.action

    return read


def test_blind_table_in_scope(faq) -> None:
    read, rows = reader(faq), faq_tables.blind_in_scope()
    right, total = defaultdict(int), defaultdict(int)
    for topic, lang, question in rows:
        intent, found, action = read(question)
        total[lang] += 1
        right[lang] += found == topic or (intent == "action" and action == TWINS.get(topic))
    mode = "lexical" if faq.matcher.semantic is None else "semantic"
    print(f"\nFAQ BLIND table (set E), {mode}: right topic (or its twin action)")
    for lang in LANGUAGES:
        share = right[lang] / total[lang]
        met = "met" if share >= TARGET_IN_SCOPE else "NOT met"
        print(f"  {lang}: {share:.1%} of {total[lang]} (target {TARGET_IN_SCOPE:.0%} {met})")
    floor = FLOOR_IN_SCOPE[mode]
    for lang in LANGUAGES:
        assert right[lang] / total[lang] >= floor, lang


def test_blind_table_out_of_scope(faq) -> None:
    read, table = reader(faq), faq_tables.blind_out_of_scope()
    mode = "lexical" if faq.matcher.semantic is None else "semantic"
    print(f"\nFAQ BLIND table (set E), {mode}: out-of-scope questions that fall back")
    for lang in LANGUAGES:
        share = sum(read(q)[0] == "fallback" for q in table[lang]) / len(table[lang])
        met = "met" if share >= TARGET_FALLBACK else "NOT met"
        print(f"  {lang}: {share:.1%} of {len(table[lang])} (target {TARGET_FALLBACK:.0%} {met})")
        assert share >= FLOOR_FALLBACK[mode], lang
