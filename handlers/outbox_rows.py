"""What a channel's outbox sends: jobs from sources of stored rows, claimed under a lease.

Two kinds of rows go through a channel's outbox (handlers/broadcast/outbox.py): broadcast
deliveries (handlers/broadcast/deliveries.py) and one-to-one messages (handlers/direct.py).
Both are rows of a storage.claims.ClaimedRows table, so they are claimed, leased, retried and
given back the same way, here; each kind says how its text is made and how it settles.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from handlers.outbound import Sender
from handlers.types import Reply
from storage.claims import ClaimedRows


class Job(Protocol):
    """One row to send: a broadcast delivery or a one-to-one message."""

    key: tuple[str, int]
    user_id: str
    attempts: int

    async def replies(self, sender: Sender) -> list[Reply]: ...
    async def sent(self, ids: list[str]) -> None: ...
    async def blocked(self, reason: str) -> None: ...
    async def failed(self, reason: str, attempts: int) -> None: ...
    async def retry_at(self, when: datetime, attempts: int, reason: str) -> None: ...
    async def release(self) -> None: ...


class RowJob:
    """A claimed row, settled by its id in its table (subclasses: replies, sent, blocked)."""

    kind = "row"

    def __init__(self, repo: ClaimedRows, row_id: int, user_id: str, attempts: int) -> None:
        self.repo, self.row_id = repo, row_id
        self.key = (self.kind, row_id)
        self.user_id, self.attempts = user_id, attempts

    async def failed(self, reason: str, attempts: int) -> None:
        await self.repo.failed(self.row_id, reason, attempts)

    async def retry_at(self, when: datetime, attempts: int, reason: str) -> None:
        await self.repo.retry_at(self.row_id, when, attempts, reason)

    async def release(self) -> None:
        await self.repo.release(self.row_id)


class RowSource:
    """Due rows of one table for one channel, claimed for this worker until its lease ends.

    Subclasses say which rows are due (`rows`), what to do with one whose recipient can no
    longer be reached (`unreachable`), and which Job sends a row (`job`).
    """

    kind = "row"

    def __init__(self, repo: ClaimedRows, channel: str, worker: str, lease: float) -> None:
        self.repo, self.channel, self.worker, self.lease = repo, channel, worker, lease

    async def rows(self, now: datetime, limit: int) -> list[Any]:
        raise NotImplementedError

    async def unreachable(self, row: Any) -> None:
        raise NotImplementedError

    def job(self, row: Any) -> Job:
        raise NotImplementedError

    async def due(self, now: datetime, limit: int, busy: set[tuple[str, int]]) -> list[Job]:
        """Up to `limit` due rows not already in flight here, claimed; their jobs."""
        rows = [r for r in await self.rows(now, limit + len(busy))
                if (self.kind, r.id) not in busy][:limit]  # fmt: skip
        live = []
        for row in rows:
            if row.reachable:
                live.append(row)
            else:
                await self.unreachable(row)
        until = now + timedelta(seconds=self.lease)
        taken = set(await self.repo.claim_batch([r.id for r in live], self.worker, until))
        return [self.job(r) for r in live if r.id in taken]

    async def release_in_doubt(self) -> int:
        """At start: rows a stopped worker (or this one's last run) left 'sending'."""
        return await self.repo.release_in_doubt(self.channel, own=self.worker)

    async def keep_leases(self, now: datetime) -> int:
        """Several workers: renew this worker's leases, free those of dead workers (how many)."""
        await self.repo.renew(self.worker, now + timedelta(seconds=self.lease))
        return await self.repo.release_in_doubt(self.channel)

    async def release_own(self) -> int:
        """Stopping, nothing in flight: rows claimed here but never tried go back."""
        return await self.repo.release_own(self.worker, self.channel)
