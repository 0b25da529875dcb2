"""The broadcast outbox: delivery rows claimed, sent and settled one by one (storage.claims)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.audience import LANGUAGE_SQL, Recipient, recipient_from_row
from storage.broadcasts import stamp
from storage.claims import ClaimedRows


@dataclass(frozen=True)
class Delivery:
    """One pending message: which broadcast, to whom, and how often it was tried."""

    id: int
    broadcast_id: int
    attempts: int
    recipient: Recipient
    reachable: bool  # still subscribed and not blocked


class DeliveryRepo(ClaimedRows):
    """Broadcast deliveries; claiming, leases and retries in storage.claims."""

    table = "deliveries"

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

    async def skipped(self, delivery_id: int, reason: str) -> None:
        await self._set(delivery_id, "status = 'skipped', error = ?", (reason[:500],))

