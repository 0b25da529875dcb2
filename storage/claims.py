"""Rows a channel's outbox sends one by one: broadcast deliveries and one-to-one messages.

Both tables share these columns and this life: pending -> sending (claimed by a worker, with
a lease) -> settled (sent, failed, blocked...), or back to pending for a retry. A worker that
dies mid-send leaves its rows 'sending'; once their lease has expired any worker puts them
back to pending, so they are sent again (at most one extra copy per send in flight at the
death). Live workers renew their leases. With one process (SQLite) every such row is in
doubt at start.
"""

from __future__ import annotations

from datetime import datetime

from storage.broadcasts import stamp
from storage.db import Database


class ClaimedRows:
    """Claim, lease and settle rows of `table` (a constant of the subclass)."""

    table: str

    def __init__(self, db: Database) -> None:
        self.db = db

    async def _set(self, row_id: int, sql: str, params: tuple = ()) -> int:
        return await self.db.execute(
            f"UPDATE {self.table} SET {sql}, updated_at = ? WHERE id = ?",  # noqa: S608 -- constants
            (*params, stamp(self.db.now()), row_id),
        )

    async def claim_batch(
        self, ids: list[int], worker: str = "", lease_until: datetime | None = None
    ) -> list[int]:
        """Mark pending rows 'sending' for `worker` until `lease_until`; the ids taken.

        Rows another worker is claiming at the same moment are skipped, not waited for
        (FOR UPDATE SKIP LOCKED on PostgreSQL).
        """
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        now = self.db.now()
        rows = await self.db.fetchall(
            f"""UPDATE {self.table} SET status = 'sending', claimed_by = ?, lease_until = ?,
                  updated_at = ?
                WHERE status = 'pending' AND id IN (SELECT id FROM {self.table}
                  WHERE id IN ({marks}) AND status = 'pending'{self.db.dialect.skip_locked})
                RETURNING id""",  # noqa: S608 -- placeholders and constant fragments
            (worker or None, stamp(lease_until or now), stamp(now), *ids),
        )
        return [row[0] for row in rows]

    async def renew(self, worker: str, lease_until: datetime) -> int:
        """Extend the lease of every row this worker is sending (rows being settled at this
        moment are skipped, not waited for; they are renewed at the next tick if need be)."""
        return await self.db.execute(
            f"""UPDATE {self.table} SET lease_until = ? WHERE id IN (SELECT id FROM {self.table}
                  WHERE claimed_by = ? AND status = 'sending'{self.db.dialect.skip_locked})""",  # noqa: S608
            (stamp(lease_until), worker),
        )

    async def release_in_doubt(self, channel: str, own: str | None = None) -> int:
        """Rows left 'sending' by a stopped process go back to pending (sent again).

        With one process (SQLite) that is every such row, at start. With several workers on
        one database, only rows whose lease has expired (their worker died or lost the
        database; live workers renew theirs), and at start those of `own`: this worker's id
        (WORKER_ID) in a run before, which sends nothing yet.
        """
        now = stamp(self.db.now())
        sql = f"""UPDATE {self.table} SET status = 'pending', claimed_by = NULL,
                    lease_until = NULL, updated_at = ? WHERE channel = ? AND status = 'sending'"""  # noqa: S608
        if not self.db.shared:
            return await self.db.execute(sql, (now, channel))
        return await self.db.execute(
            sql + " AND (lease_until IS NULL OR lease_until < ? OR claimed_by = ?)",
            (now, channel, now, own or ""),
        )

    async def release_own(self, worker: str, channel: str) -> int:
        """The worker's `channel` sender stops with nothing in flight any more: its rows still
        'sending' were claimed but never tried; they go back to pending for any worker."""
        return await self.db.execute(
            f"""UPDATE {self.table} SET status = 'pending', claimed_by = NULL, lease_until = NULL,
                  updated_at = ? WHERE claimed_by = ? AND channel = ? AND status = 'sending'""",  # noqa: S608
            (stamp(self.db.now()), worker, channel),
        )

    async def release(self, row_id: int) -> None:
        """Give back a row taken but not tried (the channel refuses everyone for now)."""
        await self._set(row_id, "status = 'pending', claimed_by = NULL, lease_until = NULL")

    async def failed(self, row_id: int, reason: str, attempts: int) -> None:
        await self._set(
            row_id, "status = 'failed', error = ?, attempts = ?", (reason[:500], attempts)
        )

    async def retry_at(
        self, row_id: int, when: datetime, attempts: int, reason: str | None = None
    ) -> None:
        """Put the row back in the queue, not to be tried before `when`."""
        await self._set(
            row_id,
            "status = 'pending', next_attempt_at = ?, attempts = ?, error = ?, claimed_by = NULL,"
            " lease_until = NULL",
            (stamp(when), attempts, reason[:500] if reason else None),
        )
