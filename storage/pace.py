"""Rates shared by every worker on one database: send slots, chat gaps, flood buckets.

One atomic statement per question (an upsert with RETURNING), the same SQL on both engines;
with one process (SQLite) the in-process limiters are used instead and these run in tests.
Times are seconds since the epoch from the worker's clock: workers' clocks must agree to a
few milliseconds (NTP), as they do on one machine or a data centre's hosts.
"""

from __future__ import annotations

from storage.db import Database

# The larger of the stored value and a parameter, in SQL both engines read.
_LATER = "CASE WHEN pace.next_at > :now THEN pace.next_at ELSE :now END"
_REFILLED = """CASE WHEN pace.tokens + (:now - pace.next_at) * :rate > :burst THEN :burst
                   ELSE pace.tokens + (:now - pace.next_at) * :rate END"""


class PaceRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def reserve(self, key: str, now: float, count: int, interval: float) -> float:
        """`count` consecutive send slots `interval` apart, after every slot given before and
        not before `now`; returns the first (the others follow it at `interval`)."""
        span = count * interval
        row = await self.db.fetchone(
            f"""INSERT INTO pace (key, next_at) VALUES (:key, :end)
                ON CONFLICT (key) DO UPDATE SET next_at = {_LATER} + :span
                RETURNING next_at""",  # noqa: S608 -- constant fragment
            {"key": key, "now": now, "end": now + span, "span": span},
        )
        return row["next_at"] - span

    async def push_back(self, key: str, until: float) -> None:
        """No slot of `key` before `until` (the platform asked everyone to wait: a 429)."""
        await self.db.execute(
            """INSERT INTO pace (key, next_at) VALUES (:key, :now)
               ON CONFLICT (key) DO UPDATE SET next_at = :now WHERE pace.next_at < :now""",
            {"key": key, "now": until},
        )

    async def take_turn(self, key: str, now: float, gap: float) -> float | None:
        """Take `key` (one chat) now if its gap since the last taker is over: it is then free
        again at now + gap, and None is returned; else the time it is free."""
        row = await self.db.fetchone(
            """INSERT INTO pace (key, next_at) VALUES (:key, :until)
               ON CONFLICT (key) DO UPDATE SET next_at = :until WHERE pace.next_at <= :now
               RETURNING next_at""",
            {"key": key, "now": now, "until": now + gap},
        )
        if row is not None:
            return None
        return await self.free_at(key)

    async def free_at(self, key: str) -> float | None:
        """When `key` is free again (None: it is free, or unknown)."""
        row = await self.db.fetchone("SELECT next_at FROM pace WHERE key = ?", (key,))
        return row["next_at"] if row is not None else None

    async def flood_check(self, key: str, now: float, rate: float, burst: int) -> int:
        """Take one token from `key`'s bucket (`burst` deep, `rate` per second back).

        Returns 0 when there was one (allowed), else how many messages in a row have now been
        refused since the last allowed one (1: the first, to be warned; more: silence).
        """
        row = await self.db.fetchone(
            f"""INSERT INTO pace (key, next_at, tokens, warned) VALUES (:key, :now, :left, 0)
                ON CONFLICT (key) DO UPDATE SET
                  tokens = CASE WHEN {_REFILLED} >= 1 THEN {_REFILLED} - 1 ELSE {_REFILLED} END,
                  warned = CASE WHEN {_REFILLED} >= 1 THEN 0 ELSE pace.warned + 1 END,
                  next_at = :now
                RETURNING warned""",  # noqa: S608 -- constant fragments
            {"key": key, "now": now, "rate": rate, "burst": float(burst),
             "left": float(burst) - 1},
        )
        return row["warned"]

    async def prune(self, before: float) -> int:
        """Forget keys idle since `before` (their state has run out: full buckets, free chats)."""
        return await self.db.execute("DELETE FROM pace WHERE next_at < ?", (before,))

    async def forget_user(self, tx, channel: str, user_id: str) -> None:
        """Erasure: the user's chat gap and flood bucket (keys carry their id)."""
        await tx.execute(
            "DELETE FROM pace WHERE key IN (?, ?)",
            (f"chat:{channel}:{user_id}", f"flood:{channel}:{user_id}"),
        )
