"""Helpers for the broadcast tests: populate users and registrations; an in-process Sender."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

from handlers.outbound import RecipientBlocked, RetryLater, SendError
from handlers.types import Reply
from storage import Storage


async def add_user(
    storage: Storage, user_id: str, *, channel: str = "telegram", name: str | None = None,
    language: str | None = None, subscribed: bool = True, blocked: bool = False,
) -> int:
    """A user as if they had written to the bot; returns the user's row id."""
    user = await storage.users.touch(channel, user_id, name)
    if language:
        await storage.users.set_language(user.id, language)
    if not subscribed:
        await storage.users.set_subscribed(user.id, False)
    if blocked:
        await storage.users.set_blocked_by_key(channel, user_id, True)
    return user.id


async def add_registration(
    storage: Storage, user_pk: int, *, owner: str, business: str, subsector: str = "kuliner",
    status: str = "submitted", language: str = "id",
) -> None:
    """A submitted registration (only the columns the audience filters read matter)."""
    now = storage.db.now().isoformat()
    await storage.db.execute(
        """INSERT INTO registrations (user_pk, reference, status, owner_name, business_name,
             subsector, description, city, district, phone, scale, export_experience, language,
             consent_at, consent_version, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'Usaha contoh untuk tes', 'Bandung', 'Coblong',
             '+6281234567890', 'mikro', 'none', ?, ?, 'test', ?, ?)""",
        (user_pk, f"UMKM-TEST-{user_pk:06d}", status, owner, business, subsector, language,
         now, now, now),
    )


async def add_recipients(storage: Storage, first: int, count: int) -> None:
    """`count` Telegram users (chat ids from `first`), subscribed, in one transaction."""
    now = storage.db.now().isoformat()
    async with storage.db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO users (channel, user_id, display_name, first_seen, last_seen)"
            " VALUES ('telegram', ?, ?, ?, ?)",
            [(str(first + i), f"Warga {i}", now, now) for i in range(count)],
        )


class RecordingSender:
    """A Sender that keeps what it sent per user; errors can be queued per user or for all."""

    def __init__(self, channel: str = "telegram") -> None:
        self.channel = channel
        self.sent: dict[str, list[str]] = defaultdict(list)
        self.edits: dict[str, list[str]] = defaultdict(list)
        self.blocked: set[str] = set()
        self.errors: dict[str | None, list[Exception]] = defaultdict(list)
        self.calls = 0
        self.attempts: Counter[str] = Counter()
        self._ids = itertools.count(1)

    def fail(self, error: Exception, user_id: str | None = None, times: int = 1) -> None:
        self.errors[user_id].extend([error] * times)

    async def send(self, user_id: str, replies: list[Reply]) -> list[str]:
        self.calls += 1
        self.attempts[user_id] += 1
        if user_id in self.blocked:
            raise RecipientBlocked("Forbidden: bot was blocked by the user")
        for key in (user_id, None):
            if self.errors[key]:
                raise self.errors[key].pop(0)
        ids = []
        for reply in replies:
            self.sent[user_id].append(reply.text)
            ids.append(str(next(self._ids)))
        return ids

    async def edit(self, user_id: str, message_id: str, reply: Reply) -> None:
        self.edits[user_id].append(reply.text)


class Clock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 28, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


__all__ = ["Clock", "RecordingSender", "RetryLater", "SendError", "add_recipients",
           "add_registration", "add_user"]
