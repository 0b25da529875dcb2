"""Recent messages' readings: the same question asked again is not read again.

People ask the same few questions over and over ("cara daftar NIB?"); reading one (language,
intent rules, the FAQ's lexical stage, sometimes an embedding) costs a fraction of a ms to tens
of ms of CPU, looking it up ~1 us. A reading depends only on the message's text, the language
the user writes in so far (the prior) and the knowledge: the cache lives in the `Knowledge`
object (replaced whole on /reload) and is emptied when the FAQ matcher changes (a curated
phrasing added at run time), which `generation` tells. Least recently used entries go first.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Generic, TypeVar

READ_CACHE = 1024  # messages kept (a reading is ~0.5 KB besides its text, at most 1,000 chars)

T = TypeVar("T")


class Recent(Generic[T]):
    """A bounded least-recently-used map whose entries hold for one `generation` of its source."""

    def __init__(self, size: int = READ_CACHE) -> None:
        self.size = size
        self.generation: Hashable = None  # what the kept values were computed against
        self.hits = self.misses = 0
        self._items: dict[Hashable, T] = {}
        self._lock = threading.Lock()  # used on the event loop and in worker threads

    def find(self, key: Hashable, generation: Hashable) -> T | None:
        """The value kept for `key` if computed against `generation`, else None."""
        with self._lock:
            self._renew(generation)
            value = self._items.pop(key, None)
            if value is None:
                self.misses += 1
                return None
            self._items[key] = value  # the most recently used goes last
            self.hits += 1
            return value

    def keep(self, key: Hashable, generation: Hashable, value: T) -> None:
        """Keep `value` (computed against `generation`) for `key`; the least recently used goes."""
        with self._lock:
            self._renew(generation)
            if self.size <= 0:
                return
            self._items[key] = value
            while len(self._items) > self.size:
                del self._items[next(iter(self._items))]

    def _renew(self, generation: Hashable) -> None:
        if generation != self.generation:  # the source changed: nothing kept holds
            self._items.clear()
            self.generation = generation

    def __len__(self) -> int:
        return len(self._items)
