"""FAQ accuracy on the blind tables: figures only, never their misses, never tuned on.

Some blind topics have an action twin (knowledge/understand.py TWINS: status <->
registration-status, register <-> registration-how, edit, mydata, help, subscribe, handoff <->
contact-office): a request in words ("cek status pendaftaran sy") is run as the action instead
of answered with the topic, and both are right for the user. The test reads each message as
the bot does (knowledge.understand) and counts the topic, or an action whose twin is the
topic, as right; an out-of-scope question is right when its intent is `fallback`.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from knowledge.languages import LANGUAGES
from knowledge.understand import TWINS, understand
from tests.support import faq_tables
from tests.support.knowledge_cache import read_only_knowledge

TARGET_IN_SCOPE = 0.96  # issue 14, per language: right topic (or its twin action)
TARGET_FALLBACK = 0.95  # issue 14, per language: out-of-scope questions fall back
# Blind table 2 (tests/data/faq_blind.yaml, written 2026-12-04 by a helper that saw only FACTS.md,
# the topic and action lists and issue 14; it replaced set E, whose figures the rules had been
# read against too often). Read twice, figures only: at f257ef1 before session 6's changes, and
# at 0a863af after them (2026-12-04 14:30 and 15:29 UTC; docs/knowledge.md). At 0a863af: in
# scope, right topic or twin, lexical 92.4 / 93.4 / 91.4% (id/en/ms), semantic 94.4 / 96.0 /
# 93.4%; out of scope falls back, lexical 90.0 / 90.0 / 96.7%, semantic 100 / 96.7 / 100%. The
# in-scope target is not met (open work); the floors are the lowest language's figure, rounded down.
# Blind table 3 (tests/data/faq_blind3.yaml, written 2026-12-04 in session 7 the same way, by a
# helper who saw only FACTS.md, issue 14 and a brief with the topic and action lists), read twice,
# figures only: at 7b680a0 (session 7's start, 17:05 UTC) and c965129 (its changes, 17:25 UTC).
# At c965129: in scope lexical 88.9 / 91.9 / 90.4%, semantic 93.4 / 93.9 / 93.9%; out of scope
# falls back, lexical 86.7 / 83.3 / 83.3%, semantic 90.0 / 93.3 / 90.0% (docs/knowledge.md).
# Blind table 4 (tests/data/faq_blind4.yaml, written 2026-12-04 in session 8 the same way; a second
# writer wrote development table K from the same brief), first read at 88ba726 (20:12 UTC), before
# most of session 8's changes: in scope lexical 90.4 / 87.9 / 88.9%, semantic 92.9 / 92.4 / 93.9%;
# out of scope falls back, lexical 90.0 / 93.3 / 86.7%, semantic 86.7 / 90.0 / 93.3%.
# Read again at the session's end (f5ff34a, 20:55 UTC): table 4 in scope semantic 93.4 / 92.4 /
# 93.9%, out of scope unchanged; table 3 fell to 92.9 / 92.9 / 93.4% in scope and 86.7 / 93.3 /
# 90.0% out of scope (one Indonesian line), so its semantic floors are now 0.92 and 0.86. The
# session's changes were chosen on development tables; none was undone for a blind figure.
# Blind table 5 (tests/data/faq_blind5.yaml, written 2026-12-04 in session 9 the same way; a second
# writer wrote development table L from the same brief), first read at ecd793d (21:56 UTC), before
# most of session 9's changes: in scope lexical 92.9 / 86.9 / 84.8%, semantic 98.5 / 92.4 / 89.4%;
# out of scope falls back, lexical 90.0 / 90.0 / 86.7%, semantic 90.0 / 100 / 100%.
# Every blind table read again at session 9's end (b5ea5ec, 23:12 UTC), figures only; floors
# raised to the lowest language's figure, rounded down. Semantic, in scope / out of scope falls
# back (id / en / ms): table 2 96.5 / 96.5 / 94.9%, 100 / 96.7 / 100%; table 3 94.4 / 93.9 /
# 94.9%, 90.0 / 96.7 / 93.3%; table 4 97.0 / 93.4 / 96.0%, 90.0 / 90.0 / 93.3%; table 5 98.0 /
# 93.9 / 91.4%, 93.3 / 100 / 100%. Lexical in scope: 93.9 / 91.9 / 92.4%, 91.4 / 92.4 / 92.4%,
# 92.9 / 88.9 / 91.9%, 93.9 / 88.9 / 89.9%; out of scope 90.0 / 93.3 / 96.7%, 83.3 each, 90.0 /
# 93.3 / 86.7%, 90.0 / 90.0 / 86.7%. The changes were chosen on development tables K, L, M
# and older ones; none was undone for a blind figure.
# Session 10 (2026-12-05): 53 knowledge samples (English, Malay, Indonesian) chosen on the
# development tables; read again at c742fcd (02:42 UTC), figures only. Semantic in scope: table 2
# 97.5 / 97.0 / 96.0%, table 3 94.9 / 94.9 / 96.0%, table 4 97.5 / 93.9 / 96.0%, table 5 98.0 /
# 94.9 / 92.9% (Malay's 96.0% is 190 of 198, a line short of 96%); lexical 94.9 / 92.9 / 92.9%,
# 92.4 / 92.9 / 92.9%, 92.9 / 89.9 / 91.4%, 93.4 / 90.9 / 90.4%; out of scope unchanged.
# Blind table 6 (tests/data/faq_blind6.yaml, written 2026-12-05 in session 11 by a helper who
# saw only FACTS.md and a brief, tests/data/faq_blind6_brief.md), first read
# at c67c26a (07:35 UTC), figures only: in scope lexical 90.9 / 86.9 / 89.9%, semantic 91.9 / 90.9
# / 90.9%; out of scope falls back, lexical 93.3 / 93.3 / 86.7%, semantic 96.7 / 96.7 / 90.0%.
# Floors: the lowest language's figure, rounded down.
# Session 16 (knowledge/examples.yaml, chosen on development tables Q and R), every blind table read
# once after it (489ec11, 21:40 UTC), figures only. Semantic in scope / out of scope falls back (id
# / en / ms): table 2 97.5 / 99.5 / 97.5%, 100 / 96.7 / 100%; table 3 97.0 / 96.0 / 96.5%, 96.7 /
# 100 / 100%; table 4 99.5 / 96.5 / 96.5%, 100 / 93.3 / 96.7%; table 5 96.5 / 98.0 / 94.9%, 100%
# each; table 6 96.5 / 94.4 / 92.4%, 96.7 / 100 / 100%. Semantic floors raised to a line under the
# lowest language's figure, rounded down (a fresh clone's vectors may flip a line).
# Blind table 7 (tests/data/faq_blind7.yaml, written 2026-12-05 in session 16 by a helper who saw
# only FACTS.md and blind table 6's brief, tests/data/faq_blind7_brief.md), read once before the
# session's examples (at eb6e011) and once after (489ec11), 21:30 UTC, figures only: in scope
# lexical 90.9 / 87.9 / 91.9% both; semantic 93.9 / 92.9 / 94.4% -> 94.4 / 94.4 / 93.4%; out of
# scope falls back, lexical 80.0 / 93.3 / 93.3%, semantic 96.7 / 100 / 100% -> 100% each.
# Floors a line under the lowest language's figure, rounded down.
# Blind tables 8 and 9 (written 2026-12-05 in session 17 by two helpers, each of whom saw only
# FACTS.md and blind table 7's brief, tests/data/faq_blind8_brief.md and faq_blind9_brief.md),
# read once with the code of session 16's end (6397ebb) and once with session 17's (4ef2fba plus
# the tables), 23:17-23:19 UTC, figures only. Table 8: in scope lexical 95.5 / 91.9 / 91.9%,
# semantic 97.5 / 97.5 / 97.0% -> 97.5 / 97.5 / 97.5%; out of scope falls back, lexical 86.7 / 76.7
# / 90.0%, semantic 100 / 100 / 93.3% both. Table 9: in scope lexical 94.9 / 89.9 / 88.9%, semantic
# 98.0 / 96.5 / 94.9% -> 98.0 / 96.5 / 95.5%; out of scope, lexical 83.3 / 86.7 / 86.7%, semantic
# 93.3 / 93.3 / 96.7% both. Floors a line under the lowest language's figure, rounded down.
# Blind table 10 (written 2026-12-06 in session 18 by a helper who saw only FACTS.md and blind
# table 9's brief, tests/data/faq_blind10_brief.md), read once with the rules alone choosing among
# a long message's readings and once with the fitted chooser (knowledge/chooser.py, 01:50 UTC),
# figures only: in scope lexical 92.9 / 89.9 / 92.9%, semantic 96.5 / 96.5 / 97.5% -> 97.0 / 96.5 /
# 97.5%; out of scope falls back, lexical 83.3 / 76.7 / 90.0%, semantic 100 / 100 / 96.7% both.
# Blind table 11 (written 2026-12-06 in session 19 by a helper who saw only FACTS.md and blind
# table 10's brief, tests/data/faq_blind11_brief.md), first read at 17131f8, 03:59 UTC, figures
# only: in scope lexical 90.4 / 92.9 / 92.9%, semantic 94.9 / 97.0 / 98.0%; out of scope falls
# back, lexical 86.7 / 66.7 / 83.3%, semantic 93.3 / 96.7 / 93.3%.
# Blind table 12 (written 2026-12-06 in session 20 by a helper who saw only FACTS.md and blind
# table 11's brief, tests/data/faq_blind12_brief.md, while development table Y was written by
# another), first read at 776fd2b, 06:34 UTC, before anything was tuned on Y, figures only (the
# same at the session's start, fff1953): in scope lexical 90.9 / 91.4 / 89.9%, semantic 99.0 /
# 97.0 / 95.5%; out of scope falls back, lexical 90.0 / 90.0 / 86.7%, semantic 100 / 96.7 / 100%.
# Blind table 13 (written 2026-12-06 in session 21 by a helper who saw only FACTS.md and blind
# table 12's brief, tests/data/faq_blind13_brief.md, while development table Z was written by
# another), first read at 6885364, 09:21 UTC, before anything was tuned on Z, figures only: in
# scope lexical 91.9 / 90.9 / 90.9%, semantic 96.0 (190 of 198) / 98.5 / 96.5%; out of scope
# falls back, lexical 73.3 / 93.3 / 90.0%, semantic 90.0 / 100 / 100%.
# Blind table 14 (written 2026-12-06 in session 22 by a helper who saw only FACTS.md and blind
# table 13's brief, tests/data/faq_blind14_brief.md, while development table AA was written by
# another), first read at 11:52 UTC on 92a45de with one filler word ("la") added, before anything
# was tuned on AA, figures only: in scope lexical 88.4 / 91.4 / 89.9%, semantic 96.5 / 97.5 /
# 97.5%; out of scope falls back, lexical 83.3 / 73.3 / 80.0%, semantic 96.7 / 100 / 93.3%.
# Blind table 15 (written 2026-12-06 in session 23 by a helper who saw only FACTS.md and blind
# table 14's brief, tests/data/faq_blind15_brief.md, while development table AB was written by
# another), first read at 14:26 UTC on 25057a9, before anything was tuned on AB, figures only: in
# scope lexical 90.4 / 91.4 / 89.9%, semantic 99.0 / 97.5 / 95.5%; out of scope falls back,
# lexical 96.7 / 76.7 / 83.3%, semantic 100 / 96.7 / 96.7%.
# Blind table 16 (session 23, a helper who saw only FACTS.md and blind table 15's brief,
# tests/data/faq_blind16_brief.md, while development table AC was written by another), first read
# at 15:43 UTC on c2ce65b, after that session's changes (tuned on AB and AC), figures only: in
# scope lexical 92.9 / 94.4 / 95.5%, semantic 98.0 / 98.0 / 98.5%; out of scope falls back,
# lexical 83.3 / 86.7 / 90.0%, semantic 96.7 / 100 / 93.3%.
# Blind table 17 (session 24, a helper who saw only FACTS.md and blind table 16's brief,
# tests/data/faq_blind17_brief.md, while development table AD and out-of-scope table AC were
# written by others), first read at 17:01 UTC on 994a07f (session 23's end), before anything was
# tuned, figures only: in scope lexical 93.4 / 90.9 / 90.4%, semantic 98.5 / 95.5 / 95.5%; out of
# scope falls back, lexical 96.7 / 93.3 / 93.3%, semantic 100% each. At the session's end
# (9ba1492): in scope 93.4 / 90.9 / 90.4% and 98.5 / 96.0 / 95.5%; out of scope 100 / 93.3 /
# 96.7% and 100% each.
# Blind table 18 (session 24, blind table 17's brief by a new hand, written while development table
# AE was), first read at 18:13 UTC on 9ba1492, after that session's changes, figures only: in
# scope lexical 91.9 / 90.9 / 92.9%, semantic 97.5 / 98.0 / 99.5%; out of scope falls back,
# lexical 96.7 / 93.3 / 100%, semantic 100 / 100 / 96.7%.
# Blind table 19 (session 25, blind table 18's brief by a new hand, written while development table
# AF and out-of-scope table AE were), first read at 19:39 UTC on af1b99e (session 24's end), before
# anything was tuned, figures only: in scope lexical 92.9 / 90.9 / 91.4%, semantic 96.0 / 97.5 /
# 97.5%; out of scope falls back, lexical 100 / 100 / 96.7%, semantic 100% each.
# Blind table 20 (session 25, blind table 19's brief by a new hand, written while development table
# AG was), first read at 21:07 UTC after every change of the session (the working copy that became
# the commit after d03bb3b) and `make vectors`, vector cache emptied, figures only: in scope
# lexical 89.9 / 90.4 / 94.9%, semantic 97.0 / 97.5 / 99.5%; out of scope falls back, lexical 90.0
# / 90.0 / 100%, semantic 100% each.
# Floors for 17-20 a line under the lowest language's figure (a fresh clone may flip a line).
FLOOR_IN_SCOPE = {
    "2": {"lexical": 0.92, "semantic": 0.96},
    "3": {"lexical": 0.92, "semantic": 0.95},
    "4": {"lexical": 0.89, "semantic": 0.95},
    "5": {"lexical": 0.90, "semantic": 0.94},
    "6": {"lexical": 0.86, "semantic": 0.91},
    "7": {"lexical": 0.87, "semantic": 0.92},
    "8": {"lexical": 0.91, "semantic": 0.96},
    "9": {"lexical": 0.88, "semantic": 0.94},
    "10": {"lexical": 0.89, "semantic": 0.95},
    "11": {"lexical": 0.89, "semantic": 0.94},
    "12": {"lexical": 0.89, "semantic": 0.94},
    "13": {"lexical": 0.89, "semantic": 0.94},
    "14": {"lexical": 0.87, "semantic": 0.95},
    "15": {"lexical": 0.89, "semantic": 0.95},
    "16": {"lexical": 0.92, "semantic": 0.97},
    "17": {"lexical": 0.895, "semantic": 0.945},
    "18": {"lexical": 0.90, "semantic": 0.965},
    "19": {"lexical": 0.90, "semantic": 0.955},
    "20": {"lexical": 0.895, "semantic": 0.965},
}
FLOOR_FALLBACK = {
    "2": {"lexical": 0.90, "semantic": 0.96},
    "3": {"lexical": 0.83, "semantic": 0.93},
    "4": {"lexical": 0.86, "semantic": 0.90},
    "5": {"lexical": 0.83, "semantic": 0.96},  # lexical Malay 86.7 -> 83.3% after 780aacf's phrasings
    "6": {"lexical": 0.86, "semantic": 0.93},
    "7": {"lexical": 0.76, "semantic": 0.96},
    "8": {"lexical": 0.73, "semantic": 0.90},
    "9": {"lexical": 0.80, "semantic": 0.90},
    "10": {"lexical": 0.73, "semantic": 0.93},
    "11": {"lexical": 0.66, "semantic": 0.93},
    "12": {"lexical": 0.83, "semantic": 0.93},
    "13": {"lexical": 0.70, "semantic": 0.86},
    "14": {"lexical": 0.70, "semantic": 0.90},
    "15": {"lexical": 0.73, "semantic": 0.93},
    "16": {"lexical": 0.80, "semantic": 0.90},
    "17": {"lexical": 0.90, "semantic": 0.96},
    "18": {"lexical": 0.90, "semantic": 0.93},
    "19": {"lexical": 0.93, "semantic": 0.96},
    "20": {"lexical": 0.86, "semantic": 0.96},
}
TABLES = pytest.mark.parametrize("table", sorted(faq_tables.BLINDS))


def reader(faq):
    """(intent, topic, action) for a message, as the bot reads it."""
    knowledge = read_only_knowledge()  # the intent rules and the language detector

    def read(text: str):
        found = understand(faq, knowledge.intents, knowledge.language, text)
        return found.intent, found.topic, found.action

    return read


def right(read, topic: str, question: str) -> bool:
    """Whether the bot answers `question` with `topic`, or runs the action whose twin it is."""
    intent, found, action = read(question)
    return found == topic or (intent == "action" and TWINS.get(action) == topic)


@TABLES
def test_blind_table_in_scope(faq, table: str) -> None:
    read, rows = reader(faq), faq_tables.blind_in_scope(faq_tables.BLINDS[table])
    found, total = defaultdict(int), defaultdict(int)
    for topic, lang, question in rows:
        total[lang] += 1
        found[lang] += right(read, topic, question)
    mode = "lexical" if faq.matcher.semantic is None else "semantic"
    print(f"\nFAQ BLIND table {table}, {mode}: right topic (or its twin action)")
    for lang in LANGUAGES:
        share = found[lang] / total[lang]
        met = "met" if share >= TARGET_IN_SCOPE else "NOT met"
        print(f"  {lang}: {share:.1%} of {total[lang]} (target {TARGET_IN_SCOPE:.0%} {met})")
    floor = FLOOR_IN_SCOPE[table][mode]
    for lang in LANGUAGES:
        assert found[lang] / total[lang] >= floor, lang


@TABLES
def test_blind_table_out_of_scope(faq, table: str) -> None:
    read, questions = reader(faq), faq_tables.blind_out_of_scope(faq_tables.BLINDS[table])
    mode = "lexical" if faq.matcher.semantic is None else "semantic"
    print(f"\nFAQ BLIND table {table}, {mode}: out-of-scope questions that fall back")
    for lang in LANGUAGES:
        share = sum(read(q)[0] == "fallback" for q in questions[lang]) / len(questions[lang])
        met = "met" if share >= TARGET_FALLBACK else "NOT met"
        print(
            f"  {lang}: {share:.1%} of {len(questions[lang])} (target {TARGET_FALLBACK:.0%} {met})"
        )
        assert share >= FLOOR_FALLBACK[table][mode], lang
