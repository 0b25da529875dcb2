"""Which topic a message of several pieces answers, when its whole and its pieces disagree.

The rules of `knowledge.understand` pick a first reading (questions first, then the best score).
When the whole message and its question pieces answer two or more topics between them, each
such topic is scored by a few facts about it — is it the rules' pick, does the whole message
answer it, how near in meaning the whole and its pieces are to it, how many pieces ask it, is
its only piece a short follow-up ("Does it take long?", "How does it work?") — and the best
score answers. The rules' pick, when passed over, is offered.

The weights are fitted, not chosen: `python -m benchmarks.fit_chooser` reads the development
tables (never a blind or held-out one) through `understand` with the rules alone, fits a
logistic regression of "this topic is right rather than that one" over every pair of
candidates, and prints the figures with each table left out in turn and the weights below.
Lexical only (no semantic stage), the rules decide alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.decision import Decision
from knowledge.matcher import OUT_OF_SCOPE

FOLLOW_UP_LEAD = 5.0  # points: a later question whose best topics by words are closer names none
SHORT_PIECE = 5  # words: a question this short often leans on what came before it
UNSEEN_COSINE = 0.8  # a topic no piece answers: as far as unrelated sentences sit
FEATURES = (
    "rules",  # the rules' pick (1/0)
    "whole",  # the whole message's lexical answer (1/0)
    "near",  # 10 x (the whole message's cosine to the topic - its best cosine to any topic)
    "words",  # the whole message's lexical score for the topic (0-1)
    "share",  # the share of the message's pieces that ask it (a question mark or a how word)
    "piece_cos",  # 10 x (the best cosine of a piece answering it - 0.9)
    "short",  # its shortest piece has SHORT_PIECE words or fewer (1/0)
    "piece_lead",  # 20 x how far a piece's nearest topic (this one) leads its next
    "follows",  # every piece answering it is a follow-up (its best topics by words are close)
)
# Fitted by `python -m benchmarks.fit_chooser` (see docs/knowledge.md, Session 18).
WEIGHTS = (0.51, 0.43, 4.14, 3.88, 0.48, 1.36, -0.83, 2.22, -1.03)


@dataclass(frozen=True)
class Candidate:
    """A topic the message may answer, the decision that answers it and the facts about it."""

    topic: str
    decision: Decision
    features: tuple[float, ...]

    @property
    def score(self) -> float:
        return sum(w * f for w, f in zip(WEIGHTS, self.features, strict=True))


def follows_up(decision: Decision) -> bool:
    """Whether a question after another names no topic of its own: its best topics by words
    are within FOLLOW_UP_LEAD ("biayanya berapa?", "how much is the fee?": the cost of what the
    message asked before, not of whichever topic the semantic stage likes best)."""
    ranked = [score for topic, score in decision.ranked if topic != OUT_OF_SCOPE]
    return len(ranked) > 1 and ranked[0] - ranked[1] < FOLLOW_UP_LEAD


Reading = tuple[str, Decision, bool]  # a piece, its answer, whether it asks


def candidates(
    index, text: str, whole: Decision, main: Decision, found: list[Reading], pieces: int
) -> list[Candidate]:
    """Every topic the rules' pick (`main`), the whole message or a piece the FAQ answers
    (`found`) answers, with its facts; `pieces` is how many pieces the message has."""
    by_topic: dict[str, list[tuple[str, Decision]]] = {}
    asks: dict[str, int] = {}
    for piece, decision, asking in found:
        by_topic.setdefault(str(decision.topic), []).append((piece, decision))
        asks[str(decision.topic)] = asks.get(str(decision.topic), 0) + asking
    topics = dict.fromkeys([str(main.topic), *by_topic])
    if whole.kind == "answer":
        topics[str(whole.topic)] = None
    if len(topics) < 2:
        return []
    near = {t: c for t, c in index.rank(text) if t != OUT_OF_SCOPE}
    best = max(near.values(), default=0.0)
    words = dict(whole.ranked)
    found_cands = []
    for topic in topics:
        own = by_topic.get(topic, [])
        ranked = [index.rank(piece) for piece, _ in own]  # each piece's vector is cached
        ranks, leads = [dict(r) for r in ranked], [_lead(r) for r in ranked]
        features = (
            float(topic == main.topic),
            float(whole.kind == "answer" and whole.topic == topic),
            10 * (near.get(topic, best - 0.1) - best),
            words.get(topic, 0.0) / 100,
            asks.get(topic, 0) / pieces,
            10 * (max([r.get(topic, UNSEEN_COSINE) for r in ranks], default=UNSEEN_COSINE) - 0.9),
            float(min([len(piece.split()) for piece, _ in own], default=99) <= SHORT_PIECE),
            max([20 * lead for name, lead in leads if name == topic], default=0.0),
            float(bool(own) and all(follows_up(decision) for _, decision in own)),
        )
        found_cands.append(Candidate(topic, _answering(topic, main, whole, own), features))
    return found_cands


def _lead(ranked: list[tuple[str, float]]) -> tuple[str, float]:
    """A piece's nearest topic in meaning and how far it leads the next one."""
    ranked = [(t, c) for t, c in ranked if t != OUT_OF_SCOPE]
    if len(ranked) < 2:
        return "", 0.0
    return ranked[0][0], ranked[0][1] - ranked[1][1]


def _answering(
    topic: str, main: Decision, whole: Decision, own: list[tuple[str, Decision]]
) -> Decision:
    """The decision that answers `topic`: the rules' pick, else its best piece, else the whole."""
    if topic == main.topic:
        return main
    if own:
        return max((decision for _, decision in own), key=lambda d: d.score)
    return whole


def reconsider(
    index, text: str, whole: Decision, main: Decision, also: tuple[str, ...],
    found: list[Reading], pieces: int,
) -> tuple[Decision, tuple[str, ...]]:
    """The rules' pick and the topics offered, or the best-scoring candidate with the rules'
    pick offered instead. Unchanged without a semantic stage or when the rules fell back."""
    if index is None or main.kind != "answer":
        return main, also
    found_cands = candidates(index, text, whole, main, found, pieces)
    if not found_cands:
        return main, also
    best = max(found_cands, key=lambda c: (c.score, c.topic == main.topic))
    if best.topic == main.topic:
        return main, also
    return best.decision, (str(main.topic),)
