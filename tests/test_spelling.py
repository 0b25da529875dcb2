"""Spelling before slang and synonyms, and the out-of-scope list, on the real knowledge."""

from __future__ import annotations

import pytest

from knowledge import load_knowledge
from knowledge.spelling import closest


@pytest.fixture(scope="module")
def matcher():
    return load_knowledge().faq.matcher


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [("regester", "register"), ("subcribe", "subscribe"), ("comands", "commands")],
)
def test_a_misspelt_word_is_read_as_the_known_one(matcher, typed: str, read_as: str) -> None:
    assert matcher.speller.fix(typed) == read_as


def test_known_words_short_words_and_other_first_letters_stay(matcher) -> None:
    assert matcher.speller.fix("daftar") == "daftar"  # known
    assert matcher.speller.fix("halo") == "halo"  # too short to judge
    assert matcher.speller.fix("permisi") == "permisi"  # a greeting in normalise.yaml
    assert closest("iphone", ["phone", "iphones"]) == "iphones"
    assert closest("iphone", ["phone"]) == "iphone"  # a real word, not a typo of "phone"


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [("ngecekna", "ngecek"), ("syaratna", "syarat"), ("biayana", "biaya"), ("prosesna", "proses")],
)
def test_a_sundanese_na_comes_off_a_known_word(matcher, typed: str, read_as: str) -> None:
    assert matcher.speller.fix(typed) == read_as


def test_words_that_merely_end_in_na_stay(matcher) -> None:
    for word in ("bagaimana", "rencana", "warna", "suasana"):
        assert matcher.speller.fix(word) == word


def test_a_sundanese_status_question_reads_as_the_status(matcher) -> None:
    decision = matcher.decide("pendaftaran abdi teh tos disatujuan teu? kumaha ngecekna?")
    assert (decision.kind, decision.topic) == ("answer", "registration-status"), decision


def test_a_misspelt_synonym_still_finds_its_topic(matcher) -> None:
    without_fix = matcher.judge(
        matcher._rank_tokens(matcher.normaliser.tokens("regester pls"), None)
    )
    assert without_fix.kind == "fallback"  # "regester" alone is no word the knowledge has
    decision = matcher.decide("regester my shop pls")
    assert (decision.kind, decision.topic) == ("answer", "registration-how")


@pytest.mark.parametrize(
    "question",
    ["jadwal kereta dari bandung ke jakarta besok", "flight times from bandung to kuala lumpur"],
)
def test_near_misses_listed_as_out_of_scope_fall_back(matcher, question: str) -> None:
    decision = matcher.decide(question)
    assert decision.kind == "fallback" and decision.out_of_scope, decision


def test_out_of_scope_list_is_never_offered_or_answered(matcher) -> None:
    from knowledge.matcher import OUT_OF_SCOPE

    ranked = [(OUT_OF_SCOPE, 80.0), ("events-schedule", 79.0)]
    decision = matcher.judge(ranked)
    assert decision.kind == "fallback" and decision.topic == "events-schedule"
    close = matcher.judge([("events-schedule", 80.0), (OUT_OF_SCOPE, 79.0)])
    assert (close.kind, close.choices) == ("suggest", ("events-schedule",))
    clear = matcher.judge([("events-schedule", 80.0), (OUT_OF_SCOPE, 60.0)])
    assert clear.kind == "answer"
