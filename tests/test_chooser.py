"""The choice among a long message's readings (knowledge/chooser.py, session 18): the facts it
scores, the weights' fit, and messages of the development tables it puts right."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import fit_chooser
from knowledge import chooser, load_knowledge
from knowledge.decision import Decision
from knowledge.semantic import SemanticIndex
from knowledge.understand import understand
from tests.support.embedders import Fixed

STORY = "I sell cakes and the shop is new"
FOLLOW_UP = "How does it work?"
TEXT = f"{STORY}. Can I get the news here? {FOLLOW_UP}"


@pytest.fixture(scope="module")
def base():
    return load_knowledge()  # lexical only: the intent rules and the language detector


def _index() -> SemanticIndex:
    """Two topics: the whole message is near `news`; the follow-up alone is near `help`."""
    embedder = Fixed({
        TEXT: [1.0, 0.0, 0.0],
        "Can I get the news here?": [0.99, 0.141, 0.0],
        FOLLOW_UP: [0.0, 0.6, 0.8],
        STORY: [0.5, float(np.sqrt(0.75)), 0.0],
        "news": [0.98, 0.0, float(np.sqrt(1 - 0.98**2))],
        "help": [0.9, 0.0, float(np.sqrt(1 - 0.9**2))],
    })  # fmt: skip
    topics = ["news", "help"]
    return SemanticIndex(embedder, topics, embedder.embed(topics))


def _readings() -> tuple[Decision, Decision, list[chooser.Reading]]:
    whole = Decision("answer", "news", 55.0, ranked=(("news", 55.0), ("help", 30.0)))
    asked = Decision("answer", "news", 60.0, ranked=(("news", 60.0), ("help", 20.0)))
    follow = Decision("answer", "help", 80.0, ranked=(("help", 80.0), ("news", 77.0)))
    story = Decision("answer", "news", 45.0, ranked=(("news", 45.0), ("help", 10.0)))
    return whole, follow, [
        (FOLLOW_UP, follow, True), ("Can I get the news here?", asked, True), (STORY, story, False)
    ]


def test_every_fact_has_a_weight() -> None:
    assert len(chooser.WEIGHTS) == len(chooser.FEATURES)


def test_the_facts_of_each_candidate() -> None:
    whole, follow, found = _readings()
    cands = {c.topic: c for c in chooser.candidates(_index(), TEXT, whole, follow, found, 3)}
    news, help_ = (
        dict(zip(chooser.FEATURES, cands[t].features, strict=True)) for t in ("news", "help")
    )
    assert (news["rules"], news["whole"], help_["rules"], help_["whole"]) == (0, 1, 1, 0)
    assert news["near"] == 0 and help_["near"] == pytest.approx(-0.8, abs=1e-3)
    assert (news["words"], help_["words"]) == (0.55, 0.30)
    assert news["share"] == help_["share"] == pytest.approx(1 / 3)  # the story does not ask
    assert (news["short"], help_["short"], news["follows"], help_["follows"]) == (0, 1, 0, 1)
    # each piece's nearest topic is its own: news 0.970 vs 0.891, help 0.349 vs 0.159 (x 20)
    assert news["piece_lead"] == pytest.approx(20 * 0.0792, abs=0.01)
    assert help_["piece_lead"] == pytest.approx(20 * 0.1895, abs=0.01)
    assert news["piece_cos"] == pytest.approx(10 * (0.9702 - 0.9), abs=0.01)
    assert cands["help"].decision is follow and cands["news"].decision is found[1][1]


def test_a_topic_one_reading_names_is_no_choice() -> None:
    whole, follow, _ = _readings()
    assert chooser.candidates(_index(), TEXT, follow, follow, [(FOLLOW_UP, follow, True)], 3) == []


def test_the_better_candidate_answers_and_the_rules_pick_is_offered(monkeypatch) -> None:
    whole, follow, found = _readings()
    index = _index()
    monkeypatch.setattr(chooser, "WEIGHTS", fit_chooser.RULES_ONLY)
    assert chooser.reconsider(index, TEXT, whole, follow, (), found, 3) == (follow, ())
    near_only = tuple(float(name == "near") for name in chooser.FEATURES)
    monkeypatch.setattr(chooser, "WEIGHTS", near_only)
    assert chooser.reconsider(index, TEXT, whole, follow, (), found, 3) == (found[1][1], ("help",))


def test_without_meaning_or_an_answer_the_rules_decide() -> None:
    whole, follow, found = _readings()
    assert chooser.reconsider(None, TEXT, whole, follow, (), found, 3) == (follow, ())
    fallback = Decision("fallback", "help", 30.0)
    assert chooser.reconsider(_index(), TEXT, whole, fallback, (), found, 3) == (fallback, ())


def test_the_fit_learns_which_fact_tells_the_right_topic() -> None:
    """Synthetic samples where the right candidate always has the larger third fact, and the
    rules' pick (first fact) is right only half the time: the fit weighs the third fact up and
    picks right on samples it never saw."""
    rng = np.random.default_rng(7)
    width = len(chooser.FEATURES)

    def sample(i: int) -> fit_chooser.Sample:
        right, other = rng.normal(size=width), rng.normal(size=width)
        right[2], other[2] = abs(right[2]) + 0.5, -abs(other[2])
        right[0], other[0] = float(i % 2), float(1 - i % 2)
        return ("t", "right", [("right", right), ("other", other)])

    w = fit_chooser.fit([sample(i) for i in range(200)], 0.001)
    assert w[2] == max(w) and w[2] > 1
    held = [sample(i) for i in range(200, 260)]
    assert all(fit_chooser.pick(cands, w) == "right" for _, _, cands in held)


@pytest.mark.parametrize(
    ("text", "topic", "offered"),
    [
        # a short follow-up ("How does it work?") leans on the question before it; whether the
        # bot's help is offered beside it sits within the vectors' noise (session 20: the samples
        # re-embedded on this machine, `make vectors`, flipped it): the topic only
        ("Hi, I run a tiny bakery in Bandung and I always hear about workshops and bazaars too "
         "late. Is there a way to get announcements or news from this bot automatically, like a "
         "newsletter? How does it work? Thanks.", "broadcast-subscribe", None),
        ("min sertifikat halal teh wajib ga buat yg jualan minuman kekinian? sy punya booth es "
         "kopi susu di depan sekolah, bahannya beli di toko biasa. takut ditegur petugas, harus "
         "urus ke mana?", "halal-cert", "trademark"),
        # "register it" is the brand, not this bot's registration
        ("Someone copied my brand name on a marketplace. I never registered it. Can I still "
         "register it now, and how?", "trademark", "registration-status"),
    ],
)  # fmt: skip
def test_development_messages_the_chooser_puts_right(base, semantic_faq, text, topic, offered):
    found = understand(semantic_faq, base.intents, base.language, text)
    assert (found.intent, found.topic) == ("faq", topic)
    if offered is not None:
        assert found.also == (offered,)
