"""Readings added in session 17 (docs/knowledge.md, Session 17): a strong lexical answer whose
runner-up by words is close is checked by meaning, a short question the words nearly tie goes to
the nearer in meaning, and a short question after a story asks about the story's topic."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge import cascade, load_knowledge
from knowledge.decision import Decision
from knowledge.semantic import SemanticIndex
from knowledge.understand import understand
from tests.support.embedders import Counting, Fixed

NEVER = "~out-of-scope"


@pytest.fixture(scope="module")
def base():
    return load_knowledge()  # lexical only: the intent rules and the language detector


def _index(near: float, far: float) -> SemanticIndex:
    """An index whose `financing` sample is at cosine `near` to the question "q" and whose
    `trademark` sample is at `far`."""
    embedder = Fixed({
        "q": [1.0, 0.0, 0.0],
        "financing": [near, float(np.sqrt(1 - near**2)), 0.0],
        "trademark": [far, 0.0, float(np.sqrt(1 - far**2))],
    })  # fmt: skip
    topics = ["financing", "trademark"]
    return SemanticIndex(embedder, topics, embedder.embed(topics))


def _answer(score: float, runner_up: float) -> Decision:
    ranked = (("trademark", score), ("financing", runner_up))
    return Decision("answer", "trademark", score, ranked=ranked)


@pytest.mark.parametrize(
    ("runner_up", "near", "far", "switched"),
    [
        (cascade.OUTSIDE_BELOW, 0.99, 0.93, True),  # close by words, far nearer in meaning
        (cascade.OUTSIDE_BELOW, 0.99, 0.98, False),  # close, but not CLOSE_SWITCH_GAP nearer
        (cascade.OUTSIDE_BELOW, 0.95, 0.90, False),  # close, but under CLOSE_SWITCH_COSINE
    ],
)
def test_a_close_call_goes_to_the_topic_far_nearer_in_meaning(runner_up, near, far, switched):
    score = runner_up + cascade.CLOSE_CALL - 1
    found = _index(near, far).switch("q", _answer(score, runner_up), NEVER)
    assert found == ("financing" if switched else None)


def test_a_clear_lexical_answer_is_never_embedded() -> None:
    """A strong answer whose runner-up is more than CLOSE_CALL behind: "q" has no vector here,
    so embedding it would raise."""
    index = _index(0.99, 0.90)
    index.embedder.vectors.pop("q")
    score = cascade.OUTSIDE_BELOW + cascade.CLOSE_CALL + 10
    assert index.switch("q", _answer(score, score - cascade.CLOSE_CALL - 1), NEVER) is None


@pytest.mark.parametrize(
    ("text", "behind", "switched"),
    [
        ("q", cascade.TIE_POINTS, True),  # a near tie by words: the nearer in meaning
        ("q", cascade.TIE_POINTS + 1, False),  # the words decide
        (" ".join(["q"] * (cascade.CHECK_WORDS + 1)), cascade.TIE_POINTS, False),  # too long
    ],
)
def test_a_near_tie_by_words_goes_to_the_nearer_in_meaning(text, behind, switched) -> None:
    """Under SWITCH_COSINE, but at TIE_COSINE and TIE_GAP above the lexical answer's topic."""
    index = _index(cascade.TIE_COSINE + 0.005, cascade.TIE_COSINE - 0.01)
    index.embedder.vectors[text] = index.embedder.vectors["q"]
    score = cascade.OUTSIDE_BELOW - 10
    assert index.switch(text, _answer(score, score - behind), NEVER) == (
        "financing" if switched else None
    )


def test_a_sample_question_word_for_word_is_no_close_call(semantic_faq, monkeypatch) -> None:
    """A curated phrasing typed as it is (or as it normalises) answers its topic without asking
    the model, though a sibling topic is close by words; a close call that is not one is
    embedded."""
    index = semantic_faq.matcher.semantic
    index.query_vector.cache_clear()  # questions embedded by tests before
    counting = Counting(index.embedder)
    monkeypatch.setattr(index, "embedder", counting)
    for sample in ("Apa itu Little Bandung?", "apa itu little bandung ya kak"):
        found = semantic_faq.matcher.decide(sample)  # little-bandung-location 11 points behind
        assert (found.topic, found.stage, counting.count) == ("little-bandung-what", "lexical", 0)
    semantic_faq.matcher.decide("where is Bandung City Hall?")
    assert counting.count == 1


@pytest.mark.parametrize(
    ("text", "by_words", "topic"),
    [
        ("apa itu KUR", "umkm-definition", "financing"),  # "apa itu UMKM" by words
        ("where is Bandung City Hall?", "sister-city-list", "contact-office"),
        ("little bandung masih buka ga", "little-bandung-join", "little-bandung-location"),
        # near ties by words
        ("little bandung tu kedai ke apa?", "little-bandung-location", "little-bandung-what"),
        ("apa langkah pertama PKS nak mengeksport produk?", "buy-from-bandung", "export-basics"),
    ],
)
def test_close_calls_of_the_real_knowledge(base, semantic_faq, text, by_words, topic) -> None:
    assert base.faq.matcher.decide(text).topic == by_words  # the lexical stage alone
    found = understand(semantic_faq, base.intents, base.language, text)
    assert (found.intent, found.topic) == ("faq", topic)


@pytest.mark.parametrize(
    "text",
    [
        "Hello, I just opened a small bakery and I know nothing about pricing or bookkeeping. "
        "Are there free business classes for beginners in Bandung? Where do I sign up?",
        "sy baru buka usaha sablon. ada kelas pelatihan gratis buat pemula di bandung? "
        "daftarnya ke mana?",
    ],
)
def test_a_short_question_after_a_story_asks_about_the_story(base, semantic_faq, text) -> None:
    """"Where do I sign up?" alone is the registration topic; after a question about classes it
    asks how to join them: the classes are answered, the registration offered."""
    found = understand(semantic_faq, base.intents, base.language, text)
    expected = ("faq", "training-programs", ("registration-how",))
    assert (found.intent, found.topic, found.also) == expected


@pytest.mark.parametrize(
    "text",
    [
        "sy jualan batik tulis di instagram, pengen ikut pameran di malaysia. ada info ga?",
        "I sell hand-drawn batik on instagram, would love to join an exhibition in malaysia. "
        "any info?",
    ],
)
def test_a_vague_question_after_a_story_is_read_by_the_story_clauses(base, semantic_faq, text):
    """"ada info ga?" names no topic and the story's sentence, read whole, is about batik as much
    as about exhibitions: its clauses are read one by one, and the exhibition one answers."""
    found = understand(semantic_faq, base.intents, base.language, text)
    assert (found.intent, found.topic) == ("faq", "events-schedule")


def test_a_question_sentence_is_not_cut_into_clauses_for_a_vague_one_after_it(base) -> None:
    """Only sentences that ask nothing are cut: "punten, Little Bandung teh naon?" stays whole
    (its clause alone would lose the word that makes it a question about what the thing is)."""
    found = understand(base.faq, base.intents, base.language,
                       "punten, Little Bandung teh naon? toko atanapi naon?")  # fmt: skip
    assert found.topic == "little-bandung-what"
