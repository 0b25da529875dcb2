"""The broadcast outbox: delivery rows claimed, sent and settled one by one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.audience import LANGUAGE_SQL, Recipient, recipient_from_row
from storage.broadcasts import stamp
from storage.db import Database


@dataclass(frozen=True)
class Delivery:
    """One pending message: which broadcast, to whom, and how often it was tried."""

    id: int
    broadcast_id: int
    attempts: int
    recipient: Recipient
    reachable: bool  # still subscribed and not blocked


class DeliveryRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def due(self, channel: str, now: datetime, limit: int) -> list[Delivery]:
        """Pending deliveries of running broadcasts on `channel` that may be tried by `now`."""
        rows = await self.db.fetchall(
            f"""SELECT d.id, d.broadcast_id, d.attempts, u.id AS user_pk, u.channel, u.user_id,
                  u.display_name, {LANGUAGE_SQL} AS language, r.owner_name, r.business_name,
                  u.subscribed, u.blocked
                FROM deliveries d
                JOIN broadcasts b ON b.id = d.broadcast_id
                JOIN users u ON u.id = d.user_pk
                LEFT JOIN registrations r ON r.user_pk = u.id
                WHERE d.channel = ? AND d.status = 'pending' AND b.status = 'sending'
                  AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?)
                ORDER BY d.id LIMIT ?""",  # noqa: S608 -- constant fragment
            (channel, stamp(now), limit),
        )
        return [
            Delivery(
                id=row["id"],
                broadcast_id=row["broadcast_id"],
                attempts=row["attempts"],
                recipient=recipient_from_row(row),
                reachable=bool(row["subscribed"]) and not row["blocked"],
            )
            for row in rows
        ]

    async def _set(self, delivery_id: int, sql: str, params: tuple = ()) -> int:
        return await self.db.execute(
            f"UPDATE deliveries SET {sql}, updated_at = ? WHERE id = ?",  # noqa: S608 -- callers pass constants
            (*params, stamp(self.db.now()), delivery_id),
        )

    async def sent(self, delivery_id: int, message_id: str | None) -> None:
        await self._set(delivery_id, "status = 'sent', message_id = ?", (message_id,))

    async def blocked(self, delivery_id: int, user_pk: int, reason: str) -> None:
        """The recipient blocked the bot: settle the row and mark the user blocked."""
        now = stamp(self.db.now())
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE deliveries SET status = 'blocked', error = ?, updated_at = ? WHERE id = ?",
                (reason[:500], now, delivery_id),
            )
            await tx.execute("UPDATE users SET blocked = 1 WHERE id = ?", (user_pk,))

    async def failed(self, delivery_id: int, reason: str, attempts: int) -> None:
        await self._set(
            delivery_id, "status = 'failed', error = ?, attempts = ?", (reason[:500], attempts)
        )

    async def skipped(self, delivery_id: int, reason: str) -> None:
        await self._set(delivery_id, "status = 'skipped', error = ?", (reason[:500],))

    async def retry_at(
        self, delivery_id: int, when: datetime, attempts: int, reason: str | None = None
    ) -> None:
        """Put the row back in the queue, not to be tried before `when`."""
        await self._set(
            delivery_id,
            "status = 'pending', next_attempt_at = ?, attempts = ?, error = ?",
            (stamp(when), attempts, reason[:500] if reason else None),
        )

    async def release_in_doubt(self, channel: str) -> int:
        """Rows left 'sending' by a stopped process go back to pending (sent again).

        With one process (SQLite) that is every such row, at start. With several workers on
        one database, only rows whose lease has expired: their worker died or lost the
        database; live workers renew theirs.
        """
        now = stamp(self.db.now())
        expired = " AND (lease_until IS NULL OR lease_until < ?)" if self.db.shared else ""
        return await self.db.execute(
            f"""UPDATE deliveries SET status = 'pending', claimed_by = NULL, lease_until = NULL,
                  updated_at = ? WHERE channel = ? AND status = 'sending'{expired}""",  # noqa: S608 -- constant fragment
            (now, channel, now) if self.db.shared else (now, channel),
        )

    async def renew(self, worker: str, lease_until: datetime) -> int:
        """Extend the lease of every row this worker is sending."""
        return await self.db.execute(
            "UPDATE deliveries SET lease_until = ? WHERE claimed_by = ? AND status = 'sending'",
            (stamp(lease_until), worker),
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
            f"""UPDATE deliveries SET status = 'sending', claimed_by = ?, lease_until = ?,
                  updated_at = ?
                WHERE status = 'pending' AND id IN (SELECT id FROM deliveries
                  WHERE id IN ({marks}) AND status = 'pending'{self.db.dialect.skip_locked})
                RETURNING id""",  # noqa: S608 -- placeholders and a constant fragment
            (worker or None, stamp(lease_until or now), stamp(now), *ids),
        )
        return [row[0] for row in rows]

    async def release(self, delivery_id: int) -> None:
        """Give back a row taken but never tried (the sender is stopping)."""
        await self._set(delivery_id, "status = 'pending'")
