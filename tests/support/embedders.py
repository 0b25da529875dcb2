"""Embedders for tests that wrap the real model."""

from __future__ import annotations

import threading


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
