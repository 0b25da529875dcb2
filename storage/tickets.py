"""Tickets: a user's request to talk to a person, its messages, who took it, when it closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.broadcasts import stamp
from storage.db import Database, parse_time


@dataclass(frozen=True)
class Ticket:
    id: int
    user_pk: int | None
    channel: str
    language: str
    status: str  # open | closed
    question: str | None
    assignee: str | None  # channel:user_id of the agent
    assignee_name: str | None
    opened_at: datetime
    first_reply_at: datetime | None
    last_user_at: datetime | None
    waiting_since: datetime | None
    realerted_at: datetime | None
    closed_at: datetime | None
    closed_by: str | None
    rating: str | None

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class TicketMessage:
    id: int
    ticket_id: int
    author: str  # user | staff
    staff_key: str | None
    text: str
    media_id: int | None
    created_at: datetime


def _ticket(row) -> Ticket:
    times = ("opened_at", "first_reply_at", "last_user_at", "waiting_since", "realerted_at",
             "closed_at")  # fmt: skip
    fields = {name: row[name] for name in row.keys() if name not in times}
    return Ticket(**fields, **{name: parse_time(row[name]) for name in times})


def _message(row) -> TicketMessage:
    return TicketMessage(
        row["id"], row["ticket_id"], row["author"], row["staff_key"], row["text"],
        row["media_id"], parse_time(row["created_at"]),
    )  # fmt: skip


class TicketExists(Exception):
    """The user already has an open ticket (one at a time)."""


class TicketRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _now(self) -> str:
        return stamp(self.db.now())

    async def open(self, user_pk: int, channel: str, language: str, question: str) -> Ticket:
        """Open a ticket with its first message; TicketExists if one is open already."""
        now = self._now()
        async with self.db.transaction() as tx:
            if await tx.fetchone(
                "SELECT id FROM tickets WHERE user_pk = ? AND status = 'open'", (user_pk,)
            ):
                raise TicketExists(user_pk)
            row = await tx.fetchone(
                """INSERT INTO tickets (user_pk, channel, language, question, opened_at,
                     last_user_at, waiting_since) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *""",
                (user_pk, channel, language, question, now, now, now),
            )
            await tx.execute(
                """INSERT INTO ticket_messages (ticket_id, author, text, created_at)
                   VALUES (?, 'user', ?, ?)""",
                (row["id"], question, now),
            )
        return _ticket(row)

    async def get(self, ticket_id: int) -> Ticket | None:
        row = await self.db.fetchone("SELECT * FROM tickets WHERE id = ?", (ticket_id,))
        return _ticket(row) if row else None

    async def open_for_user(self, user_pk: int) -> Ticket | None:
        row = await self.db.fetchone(
            "SELECT * FROM tickets WHERE user_pk = ? AND status = 'open'", (user_pk,)
        )
        return _ticket(row) if row else None

    async def list_open(self, limit: int = 50) -> list[Ticket]:
        rows = await self.db.fetchall(
            "SELECT * FROM tickets WHERE status = 'open' ORDER BY id LIMIT ?", (limit,)
        )
        return [_ticket(row) for row in rows]

    async def count_open(self) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM tickets WHERE status = 'open'")
        return row[0]

    async def add_message(
        self, ticket_id: int, author: str, text: str, *, staff_key: str | None = None,
        media_id: int | None = None,
    ) -> TicketMessage | None:
        """Add a message to an open ticket (None if it is closed); a user message makes it wait."""
        now = self._now()
        if author == "user":
            sets = "last_user_at = ?, waiting_since = COALESCE(waiting_since, ?)"
        else:
            sets = "first_reply_at = COALESCE(first_reply_at, ?), waiting_since = NULL, " \
                   "realerted_at = NULL, last_user_at = COALESCE(last_user_at, ?)"
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                f"UPDATE tickets SET {sets} WHERE id = ? AND status = 'open'",  # noqa: S608 -- constants
                (now, now, ticket_id),
            )
            if changed.rowcount == 0:
                return None
            row = await tx.fetchone(
                """INSERT INTO ticket_messages (ticket_id, author, staff_key, text, media_id,
                     created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *""",
                (ticket_id, author, staff_key, text, media_id, now),
            )
        return _message(row)

    async def messages(self, ticket_id: int, last: int = 50) -> list[TicketMessage]:
        """The newest `last` messages of the ticket, oldest first."""
        rows = await self.db.fetchall(
            """SELECT * FROM (SELECT * FROM ticket_messages WHERE ticket_id = ?
                 ORDER BY id DESC LIMIT ?) AS recent ORDER BY id""",
            (ticket_id, last),
        )
        return [_message(row) for row in rows]

    async def take(self, ticket_id: int, agent: str, name: str | None) -> bool:
        """Assign the ticket to `agent` if nobody has it: exactly one taker wins a race."""
        changed = await self.db.execute(
            """UPDATE tickets SET assignee = ?, assignee_name = ?
               WHERE id = ? AND status = 'open' AND assignee IS NULL""",
            (agent, name, ticket_id),
        )
        return changed == 1

    async def release(self, ticket_id: int) -> bool:
        """Un-assign an open ticket; it waits for any agent again."""
        changed = await self.db.execute(
            """UPDATE tickets SET assignee = NULL, assignee_name = NULL, realerted_at = NULL
               WHERE id = ? AND status = 'open' AND assignee IS NOT NULL""",
            (ticket_id,),
        )
        return changed == 1

    async def close(self, ticket_id: int, closed_by: str) -> bool:
        """Close an open ticket; False if it was closed already."""
        changed = await self.db.execute(
            """UPDATE tickets SET status = 'closed', closed_at = ?, closed_by = ?,
                 waiting_since = NULL WHERE id = ? AND status = 'open'""",
            (self._now(), closed_by, ticket_id),
        )
        return changed == 1

    async def rate(self, ticket_id: int, user_pk: int, rating: str) -> bool:
        """The user's 👍/👎 on their closed ticket, once."""
        changed = await self.db.execute(
            """UPDATE tickets SET rating = ? WHERE id = ? AND user_pk = ? AND status = 'closed'
                 AND rating IS NULL""",
            (rating, ticket_id, user_pk),
        )
        return changed == 1

    async def waiting_since_before(self, before: datetime) -> list[Ticket]:
        """Open tickets whose user waits since before `before` and were not re-alerted yet."""
        rows = await self.db.fetchall(
            """SELECT * FROM tickets WHERE status = 'open' AND waiting_since IS NOT NULL
                 AND waiting_since < ? AND realerted_at IS NULL ORDER BY id""",
            (stamp(before),),
        )
        return [_ticket(row) for row in rows]

    async def mark_realerted(self, ticket_id: int) -> bool:
        """Record the re-alert; False if another worker did it first."""
        changed = await self.db.execute(
            "UPDATE tickets SET realerted_at = ? WHERE id = ? AND realerted_at IS NULL",
            (self._now(), ticket_id),
        )
        return changed == 1

    async def since(self, start: datetime) -> list[Ticket]:
        """Tickets opened or closed since `start`, for statistics (erased ones too: no text)."""
        rows = await self.db.fetchall(
            "SELECT * FROM tickets WHERE opened_at >= ? OR closed_at >= ? ORDER BY id",
            (stamp(start), stamp(start)),
        )
        return [_ticket(row) for row in rows]

    async def recent_question(self, user_pk: int, since: datetime) -> str | None:
        """The user's last typed question since `since` (the one they just asked), if any."""
        row = await self.db.fetchone(
            """SELECT text FROM questions WHERE user_pk = ? AND created_at >= ?
               ORDER BY id DESC LIMIT 1""",
            (user_pk, since.isoformat()),
        )
        return row["text"] if row else None

    async def show_name(self, channel: str, user_id: str) -> bool:
        row = await self.db.fetchone(
            "SELECT show_name FROM agent_prefs WHERE channel = ? AND user_id = ?",
            (channel, user_id),
        )
        return bool(row and row["show_name"])

    async def set_show_name(self, channel: str, user_id: str, show: bool) -> None:
        await self.db.execute(
            """INSERT INTO agent_prefs (channel, user_id, show_name) VALUES (?, ?, ?)
               ON CONFLICT (channel, user_id) DO UPDATE SET show_name = excluded.show_name""",
            (channel, user_id, int(show)),
        )

    async def erase_user(self, tx, user_pk: int, channel: str, user_id: str) -> None:
        """Inside an erasure: close and strip the user's tickets; only times and ratings stay."""
        now = self._now()
        ids = "SELECT id FROM tickets WHERE user_pk = ?"
        await tx.execute(f"DELETE FROM ticket_messages WHERE ticket_id IN ({ids})", (user_pk,))  # noqa: S608
        await tx.execute(f"DELETE FROM outbox WHERE ticket_id IN ({ids})", (user_pk,))  # noqa: S608
        await tx.execute("DELETE FROM outbox WHERE channel = ? AND user_id = ?", (channel, user_id))
        await tx.execute(
            """UPDATE tickets SET status = 'closed', closed_at = ?, closed_by = 'erased',
                 waiting_since = NULL WHERE user_pk = ? AND status = 'open'""",
            (now, user_pk),
        )
        await tx.execute(
            "UPDATE tickets SET user_pk = NULL, question = NULL WHERE user_pk = ?", (user_pk,)
        )
