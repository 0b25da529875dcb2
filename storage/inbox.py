"""The inbox of every channel: messages kept from their arrival until their replies are delivered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from storage.broadcasts import stamp
from storage.db import Database, Step

RECEIVED = "received"  # stored; handling not started
HANDLING = "handling"  # handling started: the core may have stored part of its effects
REPLIED = "replied"  # the replies are stored (JSON) and being sent
DONE = "done"  # delivered or given up; kept without body to recognise a re-delivery


_OPEN = "('received', 'handling', 'replied')"  # not done yet
_REPLIED = """UPDATE inbox SET status = 'replied', replies = ?
               WHERE channel = ? AND message_key = ? AND status <> 'done'"""


def _sql(status: str, count: int) -> str:
    """Move `count` messages (keys given after the channel) to HANDLING, or to DONE."""
    marks = ", ".join("?" * count)
    if status == DONE:
        return f"""UPDATE inbox SET status = 'done', body = NULL, replies = NULL
                   WHERE channel = ? AND message_key IN ({marks})"""  # noqa: S608 -- placeholders
    return f"""UPDATE inbox SET status = 'handling'
               WHERE channel = ? AND message_key IN ({marks}) AND status = 'received'"""  # noqa: S608


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

    async def add(
        self, channel: str, messages: Iterable[tuple[str, str]], worker: str | None = None,
        lease_until: datetime | None = None,
    ) -> set[str]:
        """Keep messages (key, body JSON) in one transaction; return the keys that were new.

        A key seen before (waiting, or done not long ago) is a re-delivery: not added again.
        With several workers the new rows are `worker`'s until `lease_until` (renewed while
        it answers them; `take_over` gives them to another once that has passed).
        """
        now = self.db.now().isoformat()
        rows = list(messages)
        if not rows:
            return set()
        lease = stamp(lease_until) if lease_until is not None else None
        # One statement (atomic, one round trip): the rows it returns are the new ones.
        values = ", ".join("(?, ?, ?, ?, ?, ?)" for _ in rows)
        params = [value for key, body in rows
                  for value in (channel, key, body, now, worker, lease)]  # fmt: skip
        found = await self.db.fetchall(
            f"""INSERT INTO inbox (channel, message_key, body, received_at, claimed_by,
                  lease_until) VALUES {values}
                ON CONFLICT DO NOTHING RETURNING message_key""",  # noqa: S608 -- placeholders
            params,
        )
        return {row["message_key"] for row in found}

    async def advance(self, channel: str, changes: Iterable[Progress]) -> None:
        """Several messages' progress at once; DONE drops body and replies.

        One statement per status (the replies of REPLIED rows go row by row), in one
        transaction when there is more than one statement.
        """
        keys: dict[str, list[str]] = {HANDLING: [], DONE: []}
        replied: list[tuple[str | None, str, str]] = []
        for change in changes:
            if change.status == REPLIED:
                replied.append((change.replies, channel, change.key))
            else:
                keys[change.status].append(change.key)
        statements = [(_sql(status, len(found)), (channel, *found))
                      for status, found in keys.items() if found]  # fmt: skip
        if len(statements) + len(replied) == 1:  # one statement: one round trip, no transaction
            sql, params = statements[0] if statements else (_REPLIED, replied[0])
            await self.db.execute(sql, params)
            return
        steps = [Step(sql, params) for sql, params in statements]
        if replied:
            steps.append(Step(_REPLIED, replied, many=True))
        await self.db.atomically(steps)

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

    async def renew(self, worker: str, lease_until: datetime) -> int:
        """Extend the lease of every message `worker` holds and has not finished.

        Rows this worker is writing at this moment (group commits of their progress, in a
        transaction) are skipped, not waited for: waiting could deadlock with that
        transaction, and such a row is renewed at the next tick (a lease lasts three).
        """
        return await self.db.execute(
            f"""UPDATE inbox SET lease_until = ? WHERE id IN (SELECT id FROM inbox
                  WHERE status IN {_OPEN} AND claimed_by = ?{self.db.dialect.skip_locked})""",  # noqa: S608 -- constants
            (stamp(lease_until), worker),
        )

    async def take_over(
        self, channel: str, worker: str, lease_until: datetime, own: bool = False
    ) -> list[InboxMessage]:
        """Several workers: claim the channel's unfinished messages whose worker's lease has
        expired (it died, or lost the database) for `worker`; with `own`, also those `worker`
        held in a run before (at start). In arrival order. Rows another worker is taking at
        the same moment are skipped (FOR UPDATE SKIP LOCKED)."""
        now = stamp(self.db.now())
        rows = await self.db.fetchall(
            f"""UPDATE inbox SET claimed_by = ?, lease_until = ? WHERE id IN (
                  SELECT id FROM inbox WHERE channel = ? AND status IN {_OPEN}
                    AND (lease_until IS NULL OR lease_until < ? OR claimed_by = ?)
                  {self.db.dialect.skip_locked})
                RETURNING id, message_key, body, status, replies""",  # noqa: S608 -- constants
            (worker, stamp(lease_until), channel, now, worker if own else ""),
        )
        return [
            InboxMessage(channel, row["message_key"], row["body"], row["status"], row["replies"])
            for row in sorted(rows, key=lambda row: row["id"])
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
