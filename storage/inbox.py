"""The Telegram inbox: updates kept from their arrival until they have been answered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True)
class InboxUpdate:
    update_id: int
    body: str


class InboxRepo:
    """Rows of telegram_inbox: add on arrival, done when handled, pending after a crash."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, update_id: int, body: str) -> bool:
        """Keep one update; False if that update_id is already waiting (a re-delivery)."""
        return bool(await self.add_many([(update_id, body)]))

    async def add_many(self, updates: Iterable[tuple[int, str]]) -> set[int]:
        """Keep several updates in one transaction; return the update ids that were new."""
        now = self.db.now().isoformat()
        new: set[int] = set()
        async with self.db.transaction() as tx:
            for update_id, body in updates:
                row = await tx.fetchone(
                    """INSERT INTO telegram_inbox (update_id, body, received_at) VALUES (?, ?, ?)
                       ON CONFLICT DO NOTHING RETURNING update_id""",
                    (update_id, body, now),
                )
                if row is not None:
                    new.add(update_id)
        return new

    async def done(self, update_id: int) -> None:
        """The update has been answered (or deliberately left unanswered): forget it."""
        await self.db.execute("DELETE FROM telegram_inbox WHERE update_id = ?", (update_id,))

    async def pending(self) -> list[InboxUpdate]:
        """Updates not yet answered, oldest first."""
        rows = await self.db.fetchall(
            "SELECT update_id, body FROM telegram_inbox ORDER BY update_id"
        )
        return [InboxUpdate(row["update_id"], row["body"]) for row in rows]
