"""The Telegram inbox: updates kept from their arrival until their replies have been delivered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database

RECEIVED = "received"  # stored; handling not started
HANDLING = "handling"  # handling started: the core may have stored part of its effects
REPLIED = "replied"  # the replies are stored (JSON) and being sent


@dataclass(frozen=True)
class InboxUpdate:
    update_id: int
    body: str
    status: str = RECEIVED
    replies: str | None = None  # JSON, with status REPLIED


class InboxRepo:
    """Rows of telegram_inbox: add on arrival, mark progress, done when delivered, pending after a crash."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, update_id: int, body: str) -> bool:
        """Keep one update; False if that update_id was received before (a re-delivery, whether
        it is still waiting or was answered within the retention window)."""
        return bool(await self.add_many([(update_id, body)]))

    async def add_many(self, updates: Iterable[tuple[int, str]]) -> set[int]:
        """Keep several updates in one transaction; return the update ids that were new."""
        now = self.db.now().isoformat()
        new: set[int] = set()
        async with self.db.transaction() as tx:
            for update_id, body in updates:
                seen = await tx.fetchone(
                    """INSERT INTO inbox_seen (channel, update_id, seen_at) VALUES ('telegram', ?, ?)
                       ON CONFLICT DO NOTHING RETURNING update_id""",
                    (str(update_id), now),
                )
                if seen is None:  # received before: waiting in the inbox, or already answered
                    continue
                row = await tx.fetchone(
                    """INSERT INTO telegram_inbox (update_id, body, received_at) VALUES (?, ?, ?)
                       ON CONFLICT DO NOTHING RETURNING update_id""",
                    (update_id, body, now),
                )
                if row is not None:
                    new.add(update_id)
        return new

    async def forget_seen(self, before: datetime) -> int:
        """Drop the record of update ids received before `before` (the retention window)."""
        return await self.db.execute(
            "DELETE FROM inbox_seen WHERE channel = 'telegram' AND seen_at < ?",
            (before.isoformat(),),
        )

    async def handling(self, *update_ids: int) -> None:
        """Handling has started: after a crash these updates must not be handled again."""
        await self.db.execute(
            f"UPDATE telegram_inbox SET status = ? WHERE update_id IN ({_marks(update_ids)})",  # noqa: S608
            (HANDLING, *update_ids),
        )

    async def replied(self, update_id: int, replies: str) -> None:
        """The core's replies (JSON), kept until delivered: after a crash they are sent again."""
        await self.replied_many([(update_id, replies)])

    async def replied_many(self, rows: Iterable[tuple[int, str]]) -> None:
        """Several updates' replies (update id, JSON) in one transaction."""
        async with self.db.transaction() as tx:
            await tx.executemany(
                "UPDATE telegram_inbox SET status = ?, replies = ? WHERE update_id = ?",
                [(REPLIED, replies, update_id) for update_id, replies in rows],
            )

    async def done(self, *update_ids: int) -> None:
        """The replies are delivered (or cannot be, or there are none): forget these updates."""
        await self.db.execute(
            f"DELETE FROM telegram_inbox WHERE update_id IN ({_marks(update_ids)})",  # noqa: S608
            update_ids,
        )

    async def pending(self) -> list[InboxUpdate]:
        """Updates whose replies were not delivered yet, oldest first."""
        rows = await self.db.fetchall(
            "SELECT update_id, body, status, replies FROM telegram_inbox ORDER BY update_id"
        )
        return [
            InboxUpdate(row["update_id"], row["body"], row["status"], row["replies"])
            for row in rows
        ]


def _marks(values: tuple) -> str:
    """'?, ?, ?': one placeholder per value (at least one id is always given)."""
    if not values:
        raise ValueError("no update ids given")
    return ", ".join("?" * len(values))
