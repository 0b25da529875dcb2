"""The FAQ's sample questions as arrays, so that one pass scores all a question's candidates.

A question shares words with hundreds of samples; scoring them one by one in Python took most
of a FAQ message's matching time (0.6 of 0.8 ms). The figures are the same as that loop's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz, process

HEAVY = 0.2  # a word weighing more than this makes the samples that have it candidates


class Sample(Protocol):
    topic: str
    tokens: frozenset[str]
    norm: str  # the canonical tokens joined


class SampleArrays:
    """Per sample, in index order: its topic (a number in `names`), its words sorted (for
    token_sort_ratio), its rarity weight; and which samples have a word."""

    def __init__(
        self,
        samples: Sequence[Sample],
        names: list[str],
        weight: Callable[[str], float],
        postings: dict[str, list[int]],
    ) -> None:
        number = {topic: n for n, topic in enumerate(names)}
        self.names = names
        self.topics = np.array([number[s.topic] for s in samples], dtype=np.intp)
        self.norms = np.array([" ".join(sorted(s.norm.split())) for s in samples], dtype=object)
        self.weights = np.array([sum(weight(t) for t in s.tokens) for s in samples])
        self._postings = postings
        self._posted: dict[str, np.ndarray] = {}

    def posted(self, token: str) -> np.ndarray:
        """The numbers of the samples that have `token` (of those these arrays hold)."""
        found = self._posted.get(token)
        if found is None:
            found = np.array(self._postings.get(token, ()), dtype=np.intp)
            found = self._posted[token] = found[found < len(self.topics)]
        return found

    def closest(
        self, query: list[str], weights: dict[str, float], exclude: int | None = None
    ) -> list[tuple[str, float, float]]:
        """(topic, overlap, fuzzy) per topic with a candidate sample: the best rarity-weighted
        word overlap (0-1) and token_sort_ratio (0-1) of its candidates with the question."""
        chosen = np.zeros(len(self.topics), dtype=bool)
        for token in query:
            if weights[token] > HEAVY:
                chosen[self.posted(token)] = True
        if exclude is not None and 0 <= exclude < len(chosen):
            chosen[exclude] = False
        candidates = np.flatnonzero(chosen)
        if not len(candidates):
            return []
        shared = np.zeros(len(self.topics))  # the weight of the question's words each one has
        for token in query:
            shared[self.posted(token)] += weights[token]
        total = sum(weights.values())
        overlap = 2 * shared[candidates] / (total + self.weights[candidates])
        wording = " ".join(sorted(query))
        fuzzy = process.cdist([wording], self.norms[candidates], scorer=fuzz.ratio,
                              dtype=np.float64)[0] / 100  # fmt: skip
        topics = self.topics[candidates]
        best_overlap = np.zeros(len(self.names))
        best_fuzzy = np.zeros(len(self.names))
        np.maximum.at(best_overlap, topics, overlap)
        np.maximum.at(best_fuzzy, topics, fuzzy)
        present = np.zeros(len(self.names), dtype=bool)
        present[topics] = True
        found = np.flatnonzero(present)
        names = [self.names[topic] for topic in found.tolist()]
        return list(
            zip(names, best_overlap[found].tolist(), best_fuzzy[found].tolist(), strict=True)
        )
