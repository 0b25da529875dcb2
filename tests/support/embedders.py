"""Embedders for tests: the real model wrapped, or hand-made vectors."""

from __future__ import annotations

import threading

import numpy as np


class Counting:
    """The real embedder, counting the texts it embeds (and the threads it embeds them on)."""

    def __init__(self, inner) -> None:
        self.inner, self.model_id, self.count = inner, inner.model_id, 0

    def embed(self, texts):
        self.count += len(texts)
        self.threads.add(threading.current_thread())
        return self.inner.embed(texts)

    @property
    def threads(self) -> set[threading.Thread]:
        return self.__dict__.setdefault("_threads", set())


class Fixed:
    """An embedder giving each known text a hand-made unit vector; a text it was not given
    raises KeyError (so a test can show a text is never embedded)."""

    model_id = "fixed"

    def __init__(self, vectors: dict[str, list[float]]) -> None:
        self.vectors = {text: np.array(v, dtype=np.float32) for text, v in vectors.items()}

    def embed(self, texts):
        return np.stack([self.vectors[text] for text in texts])
