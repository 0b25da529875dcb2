"""Per-user flood limit: a token bucket per (channel, user), one polite warning, then silence.

With one process (SQLite) the buckets live in memory on purpose: they describe the last few
seconds only, a restart that forgets them merely forgives a flooder early, and keeping them in
SQLite would add a write per message — the very load a flood limit is there to shed. Several
workers on one database (PostgreSQL) must share them, or a flooder behind a round-robin proxy
gets N x the burst: `SharedFloodGuard` keeps each bucket in a row (one statement per message,
on an UNLOGGED table: storage/pace.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handlers.deps import Deps
    from storage.pace import PaceRepo


class Verdict(Enum):
    ALLOW = "allow"  # handle the message
    WARN = "warn"  # first message over the limit: answer "please slow down"
    SILENCE = "silence"  # further messages over the limit: no answer at all


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    warned: bool = False


class FloodGuard:
    """Allows `burst` messages at once and `rate` per second after that, per key.

    `rate <= 0` turns the limit off. Over the limit, the first message of the window gets
    WARN and the rest SILENCE, until the bucket holds a whole token again.
    """

    SWEEP_EVERY = 4096  # checks between sweeps of idle buckets
    # The console is one operator at a terminal (or a script piped to stdin): never limited.
    EXEMPT_CHANNELS = frozenset({"console"})

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self.clock = clock
        self._buckets: dict[Hashable, _Bucket] = {}
        self._checks = 0

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    async def allow(self, channel: str, user_id: str) -> Verdict:
        """`check`, as the Assistant calls it (the shared guard asks the database)."""
        return self.check(channel, user_id)

    def check(self, channel: str, user_id: str) -> Verdict:
        """Take one token for the user; say whether their message may be handled."""
        if not self.enabled or channel in self.EXEMPT_CHANNELS:
            return Verdict.ALLOW
        now = self.clock()
        self._checks += 1
        if self._checks % self.SWEEP_EVERY == 0:
            self._sweep(now)
        key = (channel, user_id)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        else:
            refill = (now - bucket.stamp) * self.rate
            bucket.tokens = min(float(self.burst), bucket.tokens + refill)
            bucket.stamp = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.warned = False
            return Verdict.ALLOW
        if bucket.warned:
            return Verdict.SILENCE
        bucket.warned = True
        return Verdict.WARN

    def _sweep(self, now: float) -> None:
        """Forget buckets that have refilled completely: they hold nothing worth keeping."""
        full = [
            key
            for key, b in self._buckets.items()
            if b.tokens + (now - b.stamp) * self.rate >= self.burst
        ]
        for key in full:
            del self._buckets[key]

    def __len__(self) -> int:
        return len(self._buckets)


class SharedFloodGuard(FloodGuard):
    """The same limit, its buckets in the database: per user across every worker."""

    def __init__(
        self, pace: PaceRepo, rate: float, burst: int, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(rate, burst, clock)
        self.pace = pace

    async def allow(self, channel: str, user_id: str) -> Verdict:
        if not self.enabled or channel in self.EXEMPT_CHANNELS:
            return Verdict.ALLOW
        refused = await self.pace.flood_check(
            f"flood:{channel}:{user_id}", self.clock(), self.rate, self.burst
        )
        return Verdict.ALLOW if refused == 0 else Verdict.WARN if refused == 1 else Verdict.SILENCE


def flood_guard(deps: Deps) -> FloodGuard:
    """The flood limit of FLOOD_RATE / FLOOD_BURST: shared when workers share the database."""
    settings = deps.settings
    if deps.storage.db.shared:
        return SharedFloodGuard(deps.storage.pace, settings.flood_rate, settings.flood_burst)
    return FloodGuard(settings.flood_rate, settings.flood_burst)
