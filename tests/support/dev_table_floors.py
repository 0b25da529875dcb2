"""The floors of the development tables in the blind tables' format (tests/test_dev_table_k.py),
per table: the share right that each reading must keep, with each table's first reading (before
anything was tuned on it) and its figures since. Floors sit a line under the figures."""

# Table K, first read at 94ea676 (2026-12-04 20:52 UTC), before anything was tuned on it: in scope
# lexical 92.9 / 90.9 / 92.9%, semantic 97.5 / 92.4 / 94.4%; out of scope falls back, lexical
# 93.3 / 86.7 / 93.3%, semantic 90.0 each; intent 88.3 / 93.3 / 91.7%; language 97.2 / 99.3 /
# 89.2%. After the small-talk words (20:51 UTC): intent 90.0 / 96.7 / 98.3%. Malay language 90.3%
# after session 9's Malay markers and marker cap (80c4f15), so its floor 0.89.
# Table L, first read at ecd793d (2026-12-04 21:58 UTC): in scope lexical 91.4 / 88.9 / 90.9%,
# semantic 92.9 / 93.4 / 92.9%; out of scope falls back, lexical 100 / 90.0 / 93.3%, semantic
# 100 / 96.7 / 96.7%; intent 93.3 / 100 / 98.3%; language 97.6 / 99.0 / 91.7%.
# Table M (same brief, leaning on long messages and Malaysian writers), first read at 80c4f15
# (22:05 UTC): in scope lexical 89.9 / 87.9 / 88.9%, semantic 91.9 / 92.4 / 92.9%; out of scope
# falls back, lexical 90.0 / 90.0 / 86.7%, semantic 96.7 / 93.3 / 93.3%; intent 88.3 / 96.7 /
# 93.3%; language 99.3 / 99.0 / 94.1%.
# Table N (session 11's writer, blind table 6's brief, leaning on long Malay and Sundanese lines),
# first read at 2cbaaa3 (2026-12-05 09:50 UTC, session 12): in scope lexical 87.9 / 91.9 / 88.4%,
# semantic 91.9 / 95.5 / 93.9%; out of scope falls back, lexical 86.7 / 76.7 / 83.3%, semantic
# 86.7 / 90.0 / 93.3%; intent 96.7 / 98.3 / 100%; language 98.6 / 99.0 / 92.7%.
# Table O (session 13's writer, the same brief, leaning on English by Indonesians, Malaysians and
# foreign buyers, two things in one message, short fragments), first read at b77581c (2026-12-05
# 13:09 UTC): in scope lexical 92.4 / 89.4 / 89.9%, semantic 95.5 / 95.5 / 92.9%; out of scope falls
# back, lexical 93.3 / 83.3 / 76.7%, semantic 96.7 / 100 / 90.0%; intent 100 / 93.3 / 96.7%;
# language 97.2 / 98.6 / 89.6%.
# Table P (session 14, leaning on Malay as Malaysians write it, formal to chat shorthand and
# Manglish, and on Sundanese-flavoured and Jakarta-slang Indonesian; brief faq_dev_p_brief.md),
# first read at 273cec2 (2026-12-05 17:04 UTC): in scope lexical 84.8 / 85.9 / 88.9%, semantic
# 92.4 / 93.4 / 94.4%; out of scope falls back, lexical 56.7 / 80.0 / 80.0%, semantic 86.7 /
# 96.7 / 86.7%; intent 98.3 / 100 / 96.7%; language 96.2 / 98.6 / 92.0%. After session 14's
# changes (60fd104, 17:20 UTC): in scope lexical 88.4 / 85.9 / 89.9%, semantic 95.5 / 94.4 /
# 95.5%; out of scope unchanged; intent 100% each; language unchanged.
# Table Q (session 15, leaning on long messages, a greeting and a story around the one question,
# on very short fragments, on short Malay small talk and requests, and on out-of-scope lines
# sharing a topic's word; brief faq_dev_q_brief.md), first read at 7cc3a58 (2026-12-05 19:05
# UTC): in scope lexical 88.4 / 90.9 / 86.4%, semantic 90.4 / 94.9 / 89.9%; out of scope falls
# back, lexical 83.3 / 86.7 / 83.3%, semantic 93.3 / 93.3 / 86.7%; intent 98.3 / 96.7 / 100%;
# language 97.2 / 99.3 / 91.0%.
# Table R (session 16, blind table 6's brief word for word), first read at 8bb747f (2026-12-05
# 20:45 UTC): in scope lexical 88.4 / 90.4 / 90.9%, semantic 94.4 / 96.0 / 92.9%; out of scope
# falls back, lexical 86.7 / 73.3 / 93.3%, semantic 96.7 / 90.0 / 100%; intent 100% each;
# language 97.6 / 99.3 / 90.6%.
# Tables S-V (session 16, the same brief with an extra lean each: S typos and fragments, T Malay in
# every register, U English by non-native writers, V long messages), first read at cb6e040
# (2026-12-05 21:52 UTC, tables A-P already examples): in scope lexical 89.9 / 91.4 / 88.9%, 84.8 /
# 84.8 / 91.9%, 90.4 / 89.9 / 92.9%, 91.4 / 88.9 / 88.4%; semantic 97.5 / 96.5 / 93.4%, 93.9 / 94.9
# / 95.5%, 97.0 / 97.5 / 96.0%, 87.9 / 93.4 / 92.4%; out of scope falls back, semantic 100% each,
# 100 / 96.7 / 93.3%, 100 / 100 / 96.7%, 96.7 / 96.7 / 100%; intent 98.3 / 100 / 96.7%, 95.0 / 96.7
# / 98.3%, 100 / 95.0 / 98.3%, 98.3% each; language 98.3 / 98.6 / 93.1%, 97.2 / 99.7 / 94.4%, 97.6
# / 97.9 / 92.7%, 97.6 / 98.6 / 92.0%. Floors a line under the lowest language, rounded down.
# Table W (session 18, table V's brief by a new hand: long messages and formal letters), written
# while knowledge/chooser.py was fitted on A-V and read first to judge it (2026-12-06):
# semantic in scope 92.9 / 92.9 / 92.4% with the rules alone, 94.4 / 93.9 / 93.4% with the
# chooser; out of scope 96.7 / 100 / 96.7%. Then it joined the chooser's fit; read again: in
# scope lexical 86.4 / 85.9 / 87.9%, semantic 94.9 / 94.4 / 93.9%; out of scope falls back,
# lexical 86.7 / 76.7 / 86.7%, semantic 96.7 / 100 / 96.7%; intent 98.3 / 100 / 96.7%; language
# 97.9 / 99.3 / 91.0%. Floors a line under the lowest language, rounded down.
# Since session 16, the lines of tables K-P (and of the older development tables) are
# knowledge/examples.yaml: the semantic stage's examples and the language detector's. Their
# semantic and language figures are read on lines the bot has learnt, so they check that the
# examples are loaded and used, no longer how it reads new askers: tables Q to V, kept out of
# the examples, do that.
# Session 9 (helper intent, 12f1185, 22:40 UTC; docs/understanding.md): intent 100% each in K, L
# and M; floors 0.98 (one line of 60), L en kept at 1.0.
FLOORS = {
    "K": {
        "in_scope": {"lexical": 0.90, "semantic": 0.92},
        "fallback": {"lexical": 0.86, "semantic": 0.93},  # 93.3 / 93.3 / 96.7% after session 9
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.98},
        # language a line lower than read: the interface texts move the detector
        "language": {"id": 0.96, "en": 0.99, "ms": 0.89},
    },
    "L": {
        "in_scope": {"lexical": 0.88, "semantic": 0.92},
        "fallback": {"lexical": 0.90, "semantic": 0.96},
        "intent": {"id": 0.98, "en": 1.0, "ms": 0.98},
        "language": {"id": 0.97, "en": 0.98, "ms": 0.91},
    },
    "M": {
        "in_scope": {"lexical": 0.87, "semantic": 0.91},
        # semantic 0.93 again: 8da3fee (ANSWER_MARGIN 0.015) had answered one Malay line ("...translate
        # ... ke bahasa Korea") with bot-help; c560e80's translation examples (by_meaning) restore it
        "fallback": {"lexical": 0.86, "semantic": 0.93},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.98, "en": 0.98, "ms": 0.93},
    },
    "O": {
        "in_scope": {"lexical": 0.89, "semantic": 0.92},
        "fallback": {"lexical": 0.76, "semantic": 0.90},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.97, "en": 0.98, "ms": 0.89},
    },
    "P": {
        # semantic 0.93: a fresh clone (shipped vectors only) reads English 93.9%, the work tree 94.4%
        "in_scope": {"lexical": 0.85, "semantic": 0.93},
        "fallback": {"lexical": 0.56, "semantic": 0.86},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.96, "en": 0.98, "ms": 0.91},
    },
    "N": {
        "in_scope": {"lexical": 0.87, "semantic": 0.91},
        "fallback": {"lexical": 0.76, "semantic": 0.86},
        "intent": {"id": 0.96, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.98, "en": 0.98, "ms": 0.92},
    },
    "Q": {
        # after session 15's changes (d277c3e): lexical 91.9 / 91.9 / 90.9%, semantic 92.4 / 96.0
        # / 92.9%; out of scope semantic 96.7 / 100 / 96.7%; intent 98.3 / 100 / 100%
        "in_scope": {"lexical": 0.90, "semantic": 0.91},
        "fallback": {"lexical": 0.83, "semantic": 0.93},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.96, "en": 0.98, "ms": 0.90},
    },
    "R": {
        # with knowledge/examples.yaml (tables A-P's lines; Q and R kept apart): semantic 96.5 /
        # 98.0 / 97.0%, out of scope 96.7 / 86.7 / 100%; language 97.6 / 99.3 / 93.4%
        "in_scope": {"lexical": 0.88, "semantic": 0.96},
        "fallback": {"lexical": 0.73, "semantic": 0.86},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.97, "en": 0.98, "ms": 0.93},
    },
    "S": {
        "in_scope": {"lexical": 0.88, "semantic": 0.92},
        "fallback": {"lexical": 0.83, "semantic": 0.96},
        "intent": {"id": 0.96, "en": 0.98, "ms": 0.95},
        "language": {"id": 0.97, "en": 0.98, "ms": 0.92},
    },
    "T": {
        "in_scope": {"lexical": 0.84, "semantic": 0.93},
        "fallback": {"lexical": 0.76, "semantic": 0.90},
        "intent": {"id": 0.93, "en": 0.95, "ms": 0.96},
        "language": {"id": 0.96, "en": 0.99, "ms": 0.94},
    },
    "U": {
        "in_scope": {"lexical": 0.89, "semantic": 0.95},
        "fallback": {"lexical": 0.83, "semantic": 0.93},
        "intent": {"id": 0.98, "en": 0.93, "ms": 0.96},
        "language": {"id": 0.97, "en": 0.97, "ms": 0.92},
    },
    "V": {
        "in_scope": {"lexical": 0.87, "semantic": 0.87},
        "fallback": {"lexical": 0.80, "semantic": 0.93},
        "intent": {"id": 0.96, "en": 0.96, "ms": 0.96},
        "language": {"id": 0.97, "en": 0.98, "ms": 0.91},
    },
    "W": {  # lexical en 85.4 -> 84.8% after session 25's phrasings (a formal AEC members line)
        "in_scope": {"lexical": 0.845, "semantic": 0.93},
        "fallback": {"lexical": 0.73, "semantic": 0.93},
        "intent": {"id": 0.96, "en": 0.98, "ms": 0.95},
        "language": {"id": 0.975, "en": 0.98, "ms": 0.90},
    },
    "X": {  # first read (session 19, at 17131f8): in scope 88.9 / 90.9 / 88.9% lexical, 96.5 /
        # 98.5 / 97.5% semantic; out of scope 86.7 / 90.0 / 86.7%, 96.7 / 100 / 96.7%; intent
        # 98.3 / 100 / 100%; language 97.6 / 99.3 / 93.1%
        "in_scope": {"lexical": 0.87, "semantic": 0.95},
        "fallback": {"lexical": 0.83, "semantic": 0.93},
        "intent": {"id": 0.96, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.97, "en": 0.98, "ms": 0.92},
    },
    "Y": {  # first read (session 20, at 776fd2b): in scope 94.9 / 89.9 / 91.9% lexical, 97.5 /
        # 98.0 / 97.5% semantic; out of scope 96.7 / 93.3 / 93.3%, 100% each; intent 100 / 100 /
        # 98.3%; language 97.9 / 99.0 / 94.1%
        "in_scope": {"lexical": 0.89, "semantic": 0.96},
        "fallback": {"lexical": 0.90, "semantic": 0.96},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.96},
        "language": {"id": 0.97, "en": 0.98, "ms": 0.93},
    },
    "Z": {  # first read (session 21, at 6885364): in scope 90.4 / 88.4 / 85.9% lexical, 97.0 /
        # 97.0 / 94.4% semantic; out of scope 86.7 / 76.7 / 80.0%, 93.3 / 96.7 / 90.0%; intent
        # 100 / 100 / 98.3%; language 97.9 / 98.6 / 92.4%
        "in_scope": {"lexical": 0.85, "semantic": 0.935},
        "fallback": {"lexical": 0.73, "semantic": 0.86},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.96},
        "language": {"id": 0.97, "en": 0.98, "ms": 0.92},
    },
    "AA": {  # first read (session 22, on 92a45de with the filler "la"): in scope 93.4 / 91.9 /
        # 88.4% lexical, 99.5 / 99.5 / 97.5% semantic; out of scope 90.0 / 86.7 / 93.3%, 96.7 /
        # 96.7 / 100%; intent 100 / 100 / 98.3%; language 96.5 / 99.7 / 92.0%
        "in_scope": {"lexical": 0.87, "semantic": 0.96},
        "fallback": {"lexical": 0.83, "semantic": 0.93},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.96},
        "language": {"id": 0.96, "en": 0.98, "ms": 0.91},
    },
    "AB": {  # first read (session 23, at 25057a9): in scope 91.9 / 88.4 / 91.9% lexical, 99.0 /
        # 97.0 / 98.0% semantic; out of scope 90.0 / 93.3 / 80.0%, 96.7 / 100 / 96.7%; intent
        # 100 / 98.3 / 98.3%; language 97.6 / 99.0 / 93.8%. After session 23's changes: in scope
        # 92.4 / 89.9 / 92.9% and 99.5 / 98.5 / 99.0%; out of scope 93.3 / 93.3 / 80.0% and
        # 100 / 100 / 96.7%; intent 100% each; language unchanged. Floors a line under.
        "in_scope": {"lexical": 0.89, "semantic": 0.98},
        "fallback": {"lexical": 0.76, "semantic": 0.93},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.97, "en": 0.98, "ms": 0.93},
    },
    "AC": {  # first read (session 23, at 93b2198, after that session's changes on AB): in scope
        # 93.4 / 91.4 / 93.4% lexical, 97.5 / 99.5 / 98.0% semantic; out of scope 90.0 / 96.7 /
        # 90.0%, 100 / 100 / 96.7%; intent 100 / 96.7 / 96.7%; language 96.9 / 99.7 / 93.8%.
        # After its misses: in scope 93.9 / 91.4 / 94.4% and 98.0 / 99.5 / 99.0%; out of scope
        # 90.0 / 96.7 / 93.3% and 100% each; intent 100% each. Floors a line under.
        "in_scope": {"lexical": 0.91, "semantic": 0.975},
        "fallback": {"lexical": 0.86, "semantic": 0.96},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.96, "en": 0.99, "ms": 0.93},
    },
    "AD": {  # first read (session 24, at 75bd321: after out-of-scope table AC's words only): in
        # scope 86.9 / 92.4 / 95.5% lexical, 96.0 / 97.5 / 98.0% semantic; out of scope 93.3 / 86.7
        # / 86.7%, 100 / 100 / 96.7%; intent 100 / 98.3 / 93.3%; language 96.9 / 99.3 / 93.8%.
        # After its misses: in scope 88.9 / 93.4 / 95.5% and 98.5 / 98.5 / 99.0%; out of scope
        # unchanged; intent 100% each; language 97.2 / 99.3 / 93.8%. Floors a line under.
        "in_scope": {"lexical": 0.88, "semantic": 0.975},
        "fallback": {"lexical": 0.83, "semantic": 0.96},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.96, "en": 0.99, "ms": 0.93},
    },
    "AE": {  # first read (session 24, at 3343fbb, after that session's changes on AD and out-of-
        # scope AC): in scope 91.4 / 91.9 / 91.9% lexical, 95.5 / 97.5 / 98.0% semantic; out of
        # scope 90.0 / 96.7 / 90.0%, 96.7 / 100 / 96.7%; intent 98.3 / 100 / 96.7%; language 97.6 /
        # 98.6 / 93.4%. After its misses: in scope 91.9 / 91.9 / 92.9% and 96.0 / 98.0 / 99.5%; out
        # of scope 90.0 / 96.7 / 93.3% and 96.7 / 100 / 100%; intent 100% each. Floors a line under.
        "in_scope": {"lexical": 0.91, "semantic": 0.955},
        "fallback": {"lexical": 0.86, "semantic": 0.93},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.97, "en": 0.98, "ms": 0.93},
    },
    "AF": {  # first read (session 25, at af1b99e, before any change; leaning on Malay): in scope
        # 91.4 / 88.4 / 88.9% lexical, 97.0 / 95.5 / 94.4% semantic; out of scope 96.7 / 86.7 /
        # 93.3%, 100% each; intent 95.0 / 98.3 / 100%; language 98.3 / 99.3 / 83.3%. After the
        # code-mixed language rule (ae35a05): Malay language 89.9%. After its intents (a well-wish,
        # "sudah saya pahami", a Sundanese status, an owner's name to correct; an event to join and
        # a brand copied are no registration): intent 100% each. After the session's knowledge
        # phrasings: in scope 92.4 / 91.4 / 91.9% and 98.0 / 98.0 / 97.5%; language 97.9 / 99.3 /
        # 90.3%. Floors a line under.
        "in_scope": {"lexical": 0.91, "semantic": 0.97},
        "fallback": {"lexical": 0.86, "semantic": 0.96},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.975, "en": 0.985, "ms": 0.90},
    },
    "AG": {  # first read (session 25, at ae35a05: after the code-mixed language rule only): in
        # scope 93.4 / 90.4 / 94.4% lexical, 96.5 / 96.5 / 98.5% semantic; out of scope 96.7 / 96.7
        # / 100%, 100% each; intent 100% each; language 98.6 / 98.6 / 92.4%. After the session's
        # knowledge phrasings: in scope 94.4 / 91.9 / 94.4% and 97.0 / 98.0 / 98.5%; language
        # 98.3 / 98.6 / 92.4%. Floors a line under.
        "in_scope": {"lexical": 0.91, "semantic": 0.965},
        "fallback": {"lexical": 0.93, "semantic": 0.96},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.975, "en": 0.98, "ms": 0.92},
    },
    "AH": {  # first read (session 25, at 6a8ec45, after that session's changes on AF, AG and the
        # out-of-scope tables AE, AF): in scope 92.9 / 88.4 / 92.9% lexical, 97.0 / 95.5 / 97.0%
        # semantic; out of scope 96.7 / 80.0 / 86.7%, 100 / 100 / 96.7%; intent 98.3 / 100 / 100%;
        # language 97.2 / 99.3 / 92.7%. After its misses: in scope 93.9 / 89.9 / 93.9% and 98.5 /
        # 97.0 / 98.5%; intent 100% each. After its out-of-scope words (a tourist's tips, a band, a
        # language course, an e-mail account): out of scope 100 / 93.3 / 96.7% lexical, 100% each
        # semantic. Floors a line under.
        "in_scope": {"lexical": 0.895, "semantic": 0.965},
        "fallback": {"lexical": 0.93, "semantic": 0.96},
        "intent": {"id": 0.98, "en": 0.98, "ms": 0.98},
        "language": {"id": 0.965, "en": 0.985, "ms": 0.92},
    },
}
