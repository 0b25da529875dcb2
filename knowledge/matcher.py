"""FAQ matching: fuzzy similarity to sample questions plus keyword evidence weighted by rarity."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from knowledge.decision import Decision, Thresholds
from knowledge.normalise import NUMBER_TOKEN, Normaliser
from knowledge.sample_arrays import SampleArrays
from knowledge.semantic import SemanticIndex
from knowledge.spelling import TYPO_MIN_LENGTH, Speller, closest, correctable

# How the evidence adds up to a score of 0-100 (tuned leaving each sample question out in turn).
COVER_WEIGHT = 0.11  # share of the question's (rarity-weighted) words the topic's questions know
OVERLAP_WEIGHT = 0.20  # rarity-weighted word overlap with the closest sample question
FUZZY_WEIGHT = 0.42  # rapidfuzz similarity to the closest sample question, above FUZZY_FLOOR
MASS_WEIGHT = 0.09  # how much rare-word evidence the topic has at all: 1 - exp(-sum / MASS_SCALE)
ANSWER_WEIGHT = 0.17  # share of the question's words found in the topic's answer
FUZZY_FLOOR = 0.0  # similarity any two short sentences reach by chance
MASS_SCALE = 2.0
ANSWER_KNOWN = 0.0  # how far a word found only in answers counts as known
KNOWN_POWER = 0.5  # the score is scaled by (share of the question's words known at all) ** this
FUNCTION_WEIGHT = 0.3  # rarity weight of numbers and of `function` words in normalise.yaml
_KNOWN = "\0known"
OUT_OF_SCOPE = "~out-of-scope"  # pseudo-topic: questions of knowledge/out_of_scope.yaml


@dataclass(frozen=True)
class _Sample:
    topic: str
    lang: str
    text: str  # the original wording
    tokens: frozenset[str]
    norm: str  # the canonical tokens joined


class Matcher:
    """An index of sample questions and topic words; `decide(question)` picks what to do."""

    def __init__(self, normaliser: Normaliser, thresholds: Thresholds | None = None) -> None:
        self.normaliser = normaliser
        self.thresholds = thresholds or Thresholds()
        self.samples: list[_Sample] = []
        self._seen: set[tuple[str, str]] = set()
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._topic_words: dict[str, Counter[str]] = defaultdict(Counter)
        self._token_topics: dict[str, Counter[str]] = defaultdict(Counter)
        self._answer_topics: dict[str, set[str]] = defaultdict(set)
        self.speller = Speller(normaliser, self._is_known_token)
        self.semantic: SemanticIndex | None = None  # set by attach_semantic
        self.generation = 0  # counts changes: what was read against an older one may differ
        self._changed()

    # -- building -----------------------------------------------------------------------------

    def add_topic(
        self,
        topic: str,
        questions: Iterable[tuple[str, str]],
        words: Iterable[str],
        answers: Iterable[str] = (),
    ) -> None:
        """Index a topic: (language, question) pairs, extra words (keywords, titles), answers."""
        self._topic_words[topic]  # noqa: B018 - a topic with no words still exists
        for lang, text in questions:
            self.add_sample(topic, lang, text)
        for phrase in words:
            self.speller.learn(phrase)
            for token in set(self.normaliser.tokens(phrase)):
                self._count(topic, token)
        for answer in answers:  # weaker evidence: words of the answer itself
            self.speller.learn(answer)
            for token in set(self.normaliser.tokens(answer)):
                self._answer_topics[token].add(topic)
        self._changed()

    def add_sample(self, topic: str, lang: str, text: str) -> bool:
        """Add one sample question (e.g. a curated phrasing); False if already there."""
        tokens = self.normaliser.tokens(text)
        if (topic, " ".join(tokens)) in self._seen or not tokens or topic not in self._topic_words:
            return False
        self._seen.add((topic, " ".join(tokens)))
        index = len(self.samples)
        self.samples.append(_Sample(topic, lang, text, frozenset(tokens), " ".join(tokens)))
        self.speller.learn(text)
        for token in set(tokens):
            self._postings[token].append(index)
            self._count(topic, token)
        if self.semantic is not None:  # a curated phrasing joins both stages at once
            self.semantic.add(topic, text)
        self._changed()
        return True

    def attach_semantic(self, index: SemanticIndex) -> None:
        """Use `index` (built over `self.samples`, in order) as the second stage."""
        if index.samples != len(self.samples):
            raise ValueError("the semantic index must hold the matcher's samples, in order")
        self.semantic = index

    def _count(self, topic: str, token: str) -> None:
        self._topic_words[topic][token] += 1
        self._token_topics[token][topic] += 1

    @property
    def topics(self) -> list[str]:
        return list(self._topic_words)

    # -- scoring ------------------------------------------------------------------------------

    def rank(self, text: str, exclude: int | None = None) -> list[tuple[str, float]]:
        """Topics by score (0-100), best first; `exclude` leaves one sample out (self-tests)."""
        tokens = self.normaliser.analyse(text, self.speller.fix).tokens
        return self._rank_tokens(tokens, exclude)

    def topical(self, text: str) -> bool:
        """True if `text` has a word about some topic, not only question and function words."""
        tokens = self.normaliser.analyse(text, self.speller.fix).tokens
        return any(t != NUMBER_TOKEN and t not in self.normaliser.function for t in tokens)

    def decide(self, text: str, exclude: int | None = None) -> Decision:
        """Answer, suggest, fall back, or recognise small talk."""
        analysis = self.normaliser.analyse(text, self.speller.fix)
        if analysis.small_talk and not analysis.tokens:
            return Decision(analysis.small_talk)
        ranked = self._rank_tokens(analysis.tokens, exclude)
        decision = self.judge(ranked)
        if self.semantic is None or decision.out_of_scope or not analysis.tokens:
            return decision
        listed = dict(ranked).get(OUT_OF_SCOPE, 0.0)
        verbatim = decision.kind == "answer" and self._verbatim(decision.topic, analysis.tokens,
                                                                  exclude)  # fmt: skip
        return self._semantic(text, decision, exclude, listed, verbatim)

    def _verbatim(self, topic: str | None, tokens: Iterable[str], exclude: int | None) -> bool:
        """Whether the question is, word for word once normalised, a sample of `topic` (the
        `exclude`d sample aside): a curated phrasing, no close call to check by meaning."""
        norm = " ".join(tokens)
        left_out = self.samples[exclude] if exclude is not None else None
        if left_out is not None and (left_out.topic, left_out.norm) == (topic, norm):
            return False
        return (topic, norm) in self._seen

    def _semantic(
        self, text: str, decision: Decision, exclude: int | None, listed=0.0, verbatim=False
    ) -> Decision:
        """The second stage (knowledge/semantic.py): it may veto a weak lexical answer that
        means something else, or answer where the lexical score did not; `listed` is the
        out-of-scope list's lexical score; a `verbatim` sample's answer is never switched."""
        index = self.semantic
        outside = decision.kind != "fallback" and index.outside(
            text, decision.topic, decision.score, OUT_OF_SCOPE, exclude, listed
        )
        if decision.kind == "answer":
            if not outside and not index.vetoes(text, decision.topic, decision.score, exclude):
                other = None if verbatim else index.switch(text, decision, OUT_OF_SCOPE, exclude)
                if other is None:
                    return decision
                cosine = dict(index.rank(text, exclude))[other]
                return Decision("answer", other, round(100 * cosine, 1), ranked=decision.ranked,
                                stage="semantic")  # fmt: skip
            return Decision("fallback", decision.topic, decision.score, ranked=decision.ranked,
                            stage="semantic", off_topic=True, out_of_scope=outside)  # fmt: skip
        # a "did you mean" whose first topic is no nearer than the out-of-scope list may still
        # be answered, surely, by one of its three best topics by words (confident() weighs the
        # list too): "Bagaimanakah cara mendaftarkan perniagaan saya melalui perkhidmatan ini?",
        # a sample word for word, fell back when its words offered Little Bandung first; "ada
        # info ga?" (its words: the NIB, the registration, Little Bandung) is no subscription
        found = index.confident(text, dict(decision.ranked), OUT_OF_SCOPE, exclude)
        if found and outside and found[0] not in [t for t, _ in decision.ranked[:3]]:
            found = None
        if not found:
            if decision.kind == "suggest" and (outside or index.strays(text, decision.topic,
                                                                       exclude)):  # fmt: skip
                return replace(decision, kind="fallback", choices=(), stage="semantic",
                               off_topic=True, out_of_scope=outside)  # fmt: skip
            return decision
        topic, cosine = found
        return Decision("answer", topic, round(100 * cosine, 1), ranked=decision.ranked,
                        stage="semantic")  # fmt: skip

    def judge(self, ranked: list[tuple[str, float]]) -> Decision:
        """Apply the thresholds to a ranking.

        The out-of-scope list never answers: when it scores best, the question falls back;
        when it is nearly as close as the best topic, the topic is only offered.
        """
        limits = self.thresholds
        real = [(t, s) for t, s in ranked if t != OUT_OF_SCOPE]
        excluded = next((s for t, s in ranked if t == OUT_OF_SCOPE), 0.0)
        best = real[0] if real else (None, 0.0)
        outside = excluded > 0 and excluded >= best[1]
        if best[1] < limits.suggest or outside:
            off_topic = outside or best[1] < limits.off_topic
            return Decision("fallback", best[0], best[1], ranked=tuple(real[:5]),
                            out_of_scope=outside, off_topic=off_topic)  # fmt: skip
        top, score = best
        close = [t for t, s in real[1:3] if s >= limits.suggest and score - s < limits.margin]
        doubt = score - excluded < limits.margin
        kind = "answer" if score >= limits.answer and not close and not doubt else "suggest"
        choices = (top, *close) if kind == "suggest" else ()
        return Decision(kind, top, score, choices, tuple(real[:5]))

    def _rank_tokens(self, tokens: Iterable[str], exclude: int | None) -> list[tuple[str, float]]:
        evidence = self.evidence(tokens, exclude)
        known_q, known_a = evidence.pop(_KNOWN, [1.0, 0.0])[:2]
        known = (known_q + ANSWER_KNOWN * known_a) ** KNOWN_POWER
        ranked = [(t, round(100 * known * _combine(e), 1)) for t, e in evidence.items()]
        return sorted(ranked, key=_by_score)

    def evidence(self, tokens: Iterable[str], exclude: int | None = None) -> dict[str, list[float]]:
        """Per topic: [cover, overlap, fuzzy, mass, answer] (see the weights at the top)."""
        skip = self.samples[exclude] if exclude is not None else None
        query = list(dict.fromkeys(self._correct(t, skip) for t in tokens))
        weights = {t: self._idf(t, skip) for t in query}
        total = sum(weights.values())
        found: dict[str, list[float]] = defaultdict(lambda: [0.0] * 5)
        if total <= 0:
            return found
        for token, weight in weights.items():
            topics = self._topics_with(token, skip)
            for topic in topics:
                found[topic][0] += weight / total
                found[topic][3] += weight
            in_answers = self._answer_topics.get(token, ())
            for topic in in_answers:
                found[topic][4] += weight / total
            if topics:
                found[_KNOWN][0] += weight / total
            elif in_answers:
                found[_KNOWN][1] += weight / total
        for topic, overlap, fuzzy in self._index().closest(query, weights, exclude):
            best = found[topic]
            best[1] = overlap
            best[2] = fuzzy
        return found

    # -- word statistics ----------------------------------------------------------------------

    def _topics_with(self, token: str, skip: _Sample | None) -> list[str]:
        found = self._token_topics.get(token, {})
        if skip is None or token not in skip.tokens:
            return list(found)
        return [t for t, c in found.items() if c - (t == skip.topic) > 0]

    def _idf(self, token: str, skip: _Sample | None) -> float:
        """Rarity weight: high for a word few topics use, highest for a word none uses."""
        if skip is None and token in self._idf_cache:
            return self._idf_cache[token]
        if token == NUMBER_TOKEN or token in self.normaliser.function:
            return FUNCTION_WEIGHT
        df = len(self._topics_with(token, skip)) or len(self._answer_topics.get(token, ()))
        weight = math.log((len(self._topic_words) + 1) / (df + 0.5))
        if skip is None:
            self._idf_cache[token] = weight
        return weight

    def _index(self) -> SampleArrays:
        """The samples as arrays, built once per change (a curated phrasing joins the next)."""
        arrays = self._arrays
        if arrays is None:
            arrays = self._arrays = SampleArrays(
                list(self.samples), list(self._topic_words), lambda t: self._idf(t, None),
                self._postings,
            )  # fmt: skip
        return arrays

    def _changed(self) -> None:
        self.generation += 1
        self._idf_cache: dict[str, float] = {}
        self._arrays: SampleArrays | None = None
        self._vocab = None
        self.speller.forget()

    def _known(self) -> list[str]:
        if self._vocab is None:
            known = set(self._token_topics) | set(self._answer_topics)
            self._vocab = correctable(known)
        return self._vocab

    def _is_known_token(self, word: str) -> bool:
        tokens = self.normaliser.tokens(word)
        return bool(tokens) and all(
            t in self._token_topics or t in self._answer_topics for t in tokens
        )

    def _correct(self, token: str, skip: _Sample | None = None) -> str:
        """A known word for an unknown, typo'd one ("pendaftran" -> "pendaftaran")."""
        if (
            len(token) < TYPO_MIN_LENGTH
            or token.isdigit()
            or token in self._answer_topics
            or self._topics_with(token, skip)
        ):
            return token
        return closest(token, self._known())


def _combine(found: list[float]) -> float:
    """The evidence of one topic as a score 0-1."""
    cover, overlap, fuzzy, mass, answer = found
    return (
        COVER_WEIGHT * cover
        + OVERLAP_WEIGHT * overlap
        + FUZZY_WEIGHT * max(0.0, (fuzzy - FUZZY_FLOOR) / (1 - FUZZY_FLOOR))
        + MASS_WEIGHT * (1 - math.exp(-mass / MASS_SCALE))
        + ANSWER_WEIGHT * answer
    )


def _by_score(item: tuple[str, float]) -> tuple[float, str]:
    return (-item[1], item[0])
