"""Users of every channel: who they are, their language, subscription and blocked state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from storage.batching import GroupCall
from storage.conversations import Conversation, conversation
from storage.db import Database, Query, parse_time


@dataclass(frozen=True)
class User:
    id: int
    channel: str
    user_id: str
    display_name: str | None
    language: str | None
    subscribed: bool
    blocked: bool
    first_seen: datetime
    last_seen: datetime
    language_explicit: bool = False  # chosen by the user, not followed from their messages
    offer: str | None = None  # a yes/no question asked, as JSON of its buttons' payloads ...
    offer_at: datetime | None = None  # ... and when (handlers/offers.py)
    topic: str | None = None  # the FAQ topic last chosen with a button or a request's twin ...
    topic_at: datetime | None = None  # ... and when (a follow-up leans on it)

    @property
    def key(self) -> str:
        """`channel:user_id`, the form used in ADMIN_IDS and staff commands."""
        return f"{self.channel}:{self.user_id}"


def _user(row) -> User:
    return User(
        id=row["id"],
        channel=row["channel"],
        user_id=row["user_id"],
        display_name=row["display_name"],
        language=row["language"],
        subscribed=bool(row["subscribed"]),
        blocked=bool(row["blocked"]),
        first_seen=parse_time(row["first_seen"]),
        last_seen=parse_time(row["last_seen"]),
        language_explicit=bool(row["language_explicit"]),
        offer=row["offer"],
        offer_at=parse_time(row["offer_at"]),
        topic=row["topic"],
        topic_at=parse_time(row["topic_at"]),
    )


# An arrival rewrites the user's row only when something in it changes, or last_seen is older
# than this: a user's next messages in a conversation then cost no write (SQLite).
LAST_SEEN_STEP = timedelta(minutes=1)
_CONVERSATION = """SELECT conversations.* FROM conversations JOIN users ON users.id = user_pk
                   WHERE users.channel = ? AND users.user_id = ?"""
# The user's row with their conversation's columns (NULL without one) beside it: one statement.
_USER_AND_CONVERSATION = """SELECT users.*, conversations.user_pk, conversations.flow,
                              conversations.step, conversations.draft, conversations.updated_at
                            FROM users LEFT JOIN conversations ON conversations.user_pk = users.id
                            WHERE users.channel = ? AND users.user_id = ?"""
Arrival = tuple[str, str, str | None]  # channel, user id, display name


# `touch`, run (SQLite) only when the row read just before would change (`_unchanged`); its
# WHERE says the same for a row another process changed in between (then no row comes back).
_ARRIVE = """INSERT INTO users (channel, user_id, display_name, first_seen, last_seen)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (channel, user_id) DO UPDATE SET
               display_name = COALESCE(excluded.display_name, users.display_name),
               last_seen = excluded.last_seen, blocked = 0
             WHERE users.last_seen < ? OR users.blocked <> 0
               OR users.display_name IS NOT COALESCE(excluded.display_name, users.display_name)
             RETURNING *"""


def _unchanged(row, display_name: str | None, stale: str) -> bool:
    """True when `_ARRIVE` would leave the user's row (None: no user yet) as it is."""
    return (
        row is not None
        and row["last_seen"] >= stale
        and not row["blocked"]
        and display_name in (None, row["display_name"])
    )


class UserRepo:
    def __init__(self, db: Database) -> None:
        self.db = db
        # SQLite: the arrivals asked for while the previous ones ran go to its thread together
        # (each statement still in autocommit, as alone). PostgreSQL: each on its own connection.
        self._arrivals: GroupCall[Arrival, tuple] | None = (
            None if db.shared else GroupCall(self._arrive_all)
        )

    async def touch(self, channel: str, user_id: str, display_name: str | None) -> User:
        """Record that the user wrote now (creating them); writing again unblocks them."""
        return _user(await self.db.fetchone(*self._touch(channel, user_id, display_name)))

    async def arrive(
        self, channel: str, user_id: str, display_name: str | None
    ) -> tuple[User, Conversation | None]:
        """`touch`, and the user's conversation state read in the same round trip."""
        if self._arrivals is not None:
            touched, state = await self._arrivals((channel, user_id, display_name))
        else:  # PostgreSQL: a round trip per statement; the touch returns the row
            touch = self._touch(channel, user_id, display_name)
            touched, state = await self.db.fetch_each([touch, (_CONVERSATION, (channel, user_id))])
        return _user(touched), conversation(state) if state is not None else None

    async def _arrive_all(self, arrivals: list[Arrival]) -> list[tuple]:
        """SQLite: (user row, conversation row or None) per arrival, in one `fetch_each`.

        The user's row and conversation are read first (one statement), and the row is written
        only when the arrival changes it: a user's next messages within LAST_SEEN_STEP cost one
        read and no write (the upsert they ran before changed nothing, but still cost a write
        statement, ~20-30 us in the thread; the conversation was a second read).
        """
        now = self.db.now()
        stale = (now - LAST_SEEN_STEP).isoformat()
        queries: list[Query] = []
        for channel, user_id, display_name in arrivals:
            fresh = (channel, user_id, display_name, now.isoformat(), now.isoformat(), stale)
            unchanged = partial(_unchanged, display_name=display_name, stale=stale)
            queries += [(_USER_AND_CONVERSATION, (channel, user_id)), (_ARRIVE, fresh, unchanged)]
        rows = await self.db.fetch_each(queries)
        found = []
        for read, written in zip(rows[0::2], rows[1::2], strict=True):
            state = read if read is not None and read["user_pk"] is not None else None
            found.append((read if written is None else written, state))
        return found

    def _touch(self, channel: str, user_id: str, display_name: str | None) -> tuple[str, tuple]:
        now = self.db.now().isoformat()
        return (
            """INSERT INTO users (channel, user_id, display_name, first_seen, last_seen)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (channel, user_id) DO UPDATE SET
                 display_name = COALESCE(excluded.display_name, users.display_name),
                 last_seen = excluded.last_seen, blocked = 0
               RETURNING *""",
            (channel, user_id, display_name, now, now),
        )

    async def get(self, channel: str, user_id: str) -> User | None:
        row = await self.db.fetchone(
            "SELECT * FROM users WHERE channel = ? AND user_id = ?", (channel, user_id)
        )
        return _user(row) if row else None

    async def get_by_id(self, pk: int) -> User | None:
        row = await self.db.fetchone("SELECT * FROM users WHERE id = ?", (pk,))
        return _user(row) if row else None

    async def set_language(self, pk: int, language: str, explicit: bool = True) -> None:
        """Store a language the user chose (explicit) or wrote in (unless they chose one)."""
        if explicit:
            await self.db.execute(
                "UPDATE users SET language = ?, language_explicit = 1 WHERE id = ?", (language, pk)
            )
        else:
            await self.db.execute(
                "UPDATE users SET language = ? WHERE id = ? AND language_explicit = 0",
                (language, pk),
            )

    async def set_subscribed(self, pk: int, subscribed: bool) -> None:
        await self.db.execute("UPDATE users SET subscribed = ? WHERE id = ?", (int(subscribed), pk))

    async def set_offer(self, pk: int, offer: str | None) -> None:
        """Record the yes/no question just asked (JSON of its payloads), or clear it (None)."""
        at = self.db.now().isoformat() if offer is not None else None
        await self.db.execute(
            "UPDATE users SET offer = ?, offer_at = ? WHERE id = ?", (offer, at, pk)
        )

    async def set_topic(self, pk: int, topic: str) -> datetime:
        """Record the FAQ topic the user just chose with a button (or the twin topic of the
        request in words just run); returns the time stored."""
        now = self.db.now()
        await self.db.execute(
            "UPDATE users SET topic = ?, topic_at = ? WHERE id = ?", (topic, now.isoformat(), pk)
        )
        return now

    async def set_blocked_by_key(self, channel: str, user_id: str, blocked: bool) -> None:
        await self.db.execute(
            "UPDATE users SET blocked = ? WHERE channel = ? AND user_id = ?",
            (int(blocked), channel, user_id),
        )

    async def count(self) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM users")
        return row[0]
