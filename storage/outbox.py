"""One-to-one messages in the durable outbox: written first, then sent by the channel's sender.

Rows go pending -> sending -> sent (or failed / blocked); a WhatsApp staff reply outside the
24-hour window waits 'held' until the user writes again. Claims, leases and retries work as
for broadcast deliveries (storage.claims): a row a dead worker was sending is sent again once
its lease has expired (at least once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.broadcasts import stamp
from storage.claims import ClaimedRows


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    channel: str
    user_id: str
    purpose: str  # notify | thread | reply | notice
    ticket_id: int | None
    replies: str  # JSON
    status: str
    attempts: int
    message_id: str | None
    reachable: bool = True  # the recipient has not blocked the bot


def _message(row) -> OutboxMessage:
    keys = row.keys()
    return OutboxMessage(
        row["id"], row["channel"], row["user_id"], row["purpose"], row["ticket_id"],
        row["replies"], row["status"], row["attempts"], row["message_id"],
        not row["blocked"] if "blocked" in keys and row["blocked"] is not None else True,
    )  # fmt: skip


class OutboxRepo(ClaimedRows):
    """One-to-one messages; claiming, leases and retries in storage.claims."""

    table = "outbox"

    async def add(
        self, channel: str, user_id: str, purpose: str, replies: str, ticket_id: int | None = None
    ) -> int:
        """Queue one message (a JSON list of replies); return its id."""
        now = stamp(self.db.now())
        return await self.db.execute(
            """INSERT INTO outbox (channel, user_id, purpose, ticket_id, replies, created_at,
                 updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (channel, user_id, purpose, ticket_id, replies, now, now),
        )

    async def get(self, message_id: int) -> OutboxMessage | None:
        row = await self.db.fetchone("SELECT * FROM outbox WHERE id = ?", (message_id,))
        return _message(row) if row else None

    async def due(self, channel: str, now: datetime, limit: int) -> list[OutboxMessage]:
        """Pending messages of `channel` that may be tried by `now`, oldest first."""
        rows = await self.db.fetchall(
            """SELECT o.*, u.blocked FROM outbox o
                 LEFT JOIN users u ON u.channel = o.channel AND u.user_id = o.user_id
               WHERE o.channel = ? AND o.status = 'pending'
                 AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)
               ORDER BY o.id LIMIT ?""",
            (channel, stamp(now), limit),
        )
        return [_message(row) for row in rows]

    async def sent(
        self, message_id: int, platform_id: str | None, parts: Sequence[str] = ()
    ) -> None:
        """Settle the row as sent; `parts` are the ids of every message it became (a reply to
        any of them names the row's ticket, see ticket_of); without them, the first one is."""
        parts = list(parts) or ([platform_id] if platform_id else [])
        if not parts:
            await self._set(message_id, "status = 'sent', message_id = ?", (platform_id,))
            return
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                """UPDATE outbox SET status = 'sent', message_id = ?, updated_at = ? WHERE id = ?
                   RETURNING channel, user_id""",
                (platform_id, stamp(self.db.now()), message_id),
            )
            if row is None:
                return
            for part in dict.fromkeys(parts):
                await tx.execute(
                    """INSERT INTO outbox_parts (outbox_id, channel, user_id, message_id)
                       VALUES (?, ?, ?, ?) ON CONFLICT (outbox_id, message_id) DO NOTHING""",
                    (message_id, row["channel"], row["user_id"], part),
                )

    async def held(self, message_id: int, platform_id: str | None) -> None:
        """Not sent yet: waits for the user's next message (WhatsApp's 24-hour window)."""
        await self._set(message_id, "status = 'held', message_id = ?", (platform_id,))

    async def blocked(self, message_id: int, reason: str) -> None:
        """The recipient blocked the bot: settle the row and mark the user blocked."""
        now = stamp(self.db.now())
        async with self.db.transaction() as tx:
            row = await tx.fetchone(
                """UPDATE outbox SET status = 'blocked', error = ?, updated_at = ? WHERE id = ?
                   RETURNING channel, user_id""",
                (reason[:500], now, message_id),
            )
            if row is not None:
                await tx.execute(
                    "UPDATE users SET blocked = 1 WHERE channel = ? AND user_id = ?",
                    (row["channel"], row["user_id"]),
                )

    async def release_held(self, channel: str, user_id: str) -> int:
        """The user wrote: their held messages go out now, in order."""
        return await self.db.execute(
            """UPDATE outbox SET status = 'pending', next_attempt_at = NULL, updated_at = ?
               WHERE channel = ? AND user_id = ? AND status = 'held'""",
            (stamp(self.db.now()), channel, user_id),
        )

    async def has_held(self, channel: str, user_id: str) -> bool:
        """True if a message already waits for this user (one notice per wait is enough)."""
        row = await self.db.fetchone(
            "SELECT 1 FROM outbox WHERE channel = ? AND user_id = ? AND status = 'held' LIMIT 1",
            (channel, user_id),
        )
        return row is not None

    async def ticket_of(self, channel: str, user_id: str, platform_id: str) -> int | None:
        """The ticket of a message sent to this staff member (a reply to it names the ticket)."""
        row = await self.db.fetchone(
            """SELECT o.ticket_id FROM outbox_parts p JOIN outbox o ON o.id = p.outbox_id
               WHERE p.channel = ? AND p.user_id = ? AND p.message_id = ?
                 AND o.ticket_id IS NOT NULL ORDER BY o.id DESC LIMIT 1""",
            (channel, user_id, platform_id),
        )
        return row["ticket_id"] if row else None

    async def notifications(self, ticket_id: int) -> list[OutboxMessage]:
        """The agents' notifications of a ticket (to edit them once it is taken)."""
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE ticket_id = ? AND purpose = 'notify' ORDER BY id",
            (ticket_id,),
        )
        return [_message(row) for row in rows]

    async def unsettled(self, channel: str) -> int:
        """Messages of `channel` still to send or being sent (held ones wait for the user)."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM outbox WHERE channel = ? AND status IN ('pending', 'sending')",
            (channel,),
        )
        return row[0]

    async def count(self, status: str | None = None, purpose: str | None = None) -> int:
        sql, params = "SELECT COUNT(*) FROM outbox WHERE 1 = 1", []
        if status is not None:
            sql, params = sql + " AND status = ?", [*params, status]
        if purpose is not None:
            sql, params = sql + " AND purpose = ?", [*params, purpose]
        row = await self.db.fetchone(sql, tuple(params))
        return row[0]
