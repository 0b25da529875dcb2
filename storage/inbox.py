"""The inbox of every channel: messages kept from their arrival until their replies are delivered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database

RECEIVED = "received"  # stored; handling not started
HANDLING = "handling"  # handling started: the core may have stored part of its effects
REPLIED = "replied"  # the replies are stored (JSON) and being sent
DONE = "done"  # delivered or given up; kept without body to recognise a re-delivery


_MOVING = """UPDATE inbox SET status = ?, replies = ?
              WHERE channel = ? AND message_key = ? AND status <> 'done'"""
_DONE = """UPDATE inbox SET status = ?, body = NULL, replies = NULL
           WHERE channel = ? AND message_key = ?"""


@dataclass(frozen=True)
class InboxMessage:
    channel: str
    key: str  # the platform's id (Telegram update_id, WhatsApp message id)
    body: str
    status: str = RECEIVED
    replies: str | None = None  # JSON, with status REPLIED


@dataclass(frozen=True)
class Progress:
    """One message's next state: HANDLING, REPLIED (with its replies JSON) or DONE."""

    key: str
    status: str
    replies: str | None = None


class InboxRepo:
    """Rows of `inbox`: add on arrival, advance as handling goes, pending after a crash."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, channel: str, messages: Iterable[tuple[str, str]]) -> set[str]:
        """Keep messages (key, body JSON) in one transaction; return the keys that were new.

        A key seen before (waiting, or done not long ago) is a re-delivery: not added again.
        """
        now = self.db.now().isoformat()
        rows = list(messages)
        if not rows:
            return set()
        # One statement (atomic, one round trip): the rows it returns are the new ones.
        values = ", ".join("(?, ?, ?, ?)" for _ in rows)
        params = [value for key, body in rows for value in (channel, key, body, now)]
        found = await self.db.fetchall(
            f"""INSERT INTO inbox (channel, message_key, body, received_at) VALUES {values}
                ON CONFLICT DO NOTHING RETURNING message_key""",  # noqa: S608 -- placeholders
            params,
        )
        return {row["message_key"] for row in found}

    async def advance(self, channel: str, changes: Iterable[Progress]) -> None:
        """Several messages' progress in one transaction; DONE drops body and replies."""
        changes = list(changes)
        done = [(DONE, channel, p.key) for p in changes if p.status == DONE]
        moving = [(p.status, p.replies, channel, p.key) for p in changes if p.status != DONE]
        if len(changes) == 1:  # one statement: no transaction needed (one round trip, not three)
            sql, params = (_DONE, done[0]) if done else (_MOVING, moving[0])
            await self.db.execute(sql, params)
            return
        async with self.db.transaction() as tx:
            if moving:
                await tx.executemany(_MOVING, moving)
            if done:
                await tx.executemany(_DONE, done)

    async def pending(self, channel: str) -> list[InboxMessage]:
        """The channel's messages whose replies were not delivered yet, in arrival order."""
        rows = await self.db.fetchall(
            """SELECT message_key, body, status, replies FROM inbox
               WHERE channel = ? AND status <> 'done' ORDER BY id""",
            (channel,),
        )
        return [
            InboxMessage(channel, row["message_key"], row["body"], row["status"], row["replies"])
            for row in rows
        ]

    async def status(self, channel: str, key: str) -> str | None:
        """Where one message is (None: never stored, or forgotten)."""
        row = await self.db.fetchone(
            "SELECT status FROM inbox WHERE channel = ? AND message_key = ?", (channel, key)
        )
        return row["status"] if row else None

    async def prune(self, before: datetime) -> int:
        """Forget done messages received before `before`; return how many."""
        return await self.db.execute(
            "DELETE FROM inbox WHERE status = 'done' AND received_at < ?", (before.isoformat(),)
        )
