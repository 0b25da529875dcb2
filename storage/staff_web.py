"""Sign-in for the staff web workspace: one-time links and sessions, stored as hashes only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.broadcasts import stamp
from storage.db import Database, parse_time


def token_hash(token: str) -> str:
    """The SHA-256 of a link token or session id: what the database keeps instead of it."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class StaffSession:
    channel: str
    user_id: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime

    @property
    def member(self) -> str:
        return f"{self.channel}:{self.user_id}"


class StaffWebRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_link(self, token: str, channel: str, user_id: str, valid: timedelta) -> None:
        """Record a sign-in link for the staff member, valid for `valid` from now."""
        now = self.db.now()
        await self.db.execute(
            """INSERT INTO staff_login_links (token_hash, channel, user_id, created_at, expires_at)
               VALUES (?, ?, ?, ?, ?)""",
            (token_hash(token), channel, user_id, stamp(now), stamp(now + valid)),
        )

    async def link_usable(self, token: str) -> bool:
        """True while the link is unused and within its validity (nothing is spent)."""
        row = await self.db.fetchone(
            """SELECT 1 FROM staff_login_links
               WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?""",
            (token_hash(token), stamp(self.db.now())),
        )
        return row is not None

    async def use_link(self, token: str) -> tuple[str, str] | None:
        """Spend a link: (channel, user_id) the first time within its validity, else None."""
        now = stamp(self.db.now())
        row = await self.db.fetchone(
            """UPDATE staff_login_links SET used_at = ?
               WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
               RETURNING channel, user_id""",
            (now, token_hash(token), now),
        )
        return (row["channel"], row["user_id"]) if row else None

    async def open_session(
        self, session_id: str, channel: str, user_id: str, csrf_token: str
    ) -> None:
        now = stamp(self.db.now())
        await self.db.execute(
            """INSERT INTO staff_sessions (id_hash, channel, user_id, csrf_token, created_at,
                 last_seen_at) VALUES (?, ?, ?, ?, ?, ?)""",
            (token_hash(session_id), channel, user_id, csrf_token, now, now),
        )

    async def session(
        self, session_id: str, idle: timedelta, longest: timedelta = timedelta(hours=12),
        touch: bool = True,
    ) -> StaffSession | None:
        """The open session, its idle clock restarted (unless `touch` is off: a page asking
        for news by itself is not the staff member at work); None (and ended) once idle too
        long or older than `longest`."""
        now = self.db.now()
        key = token_hash(session_id)
        row = await self.db.fetchone(
            "SELECT * FROM staff_sessions WHERE id_hash = ? AND ended_at IS NULL", (key,)
        )
        if row is None:
            return None
        if (parse_time(row["last_seen_at"]) + idle <= now
                or parse_time(row["created_at"]) + longest <= now):
            await self.end_session(session_id)
            return None
        if not touch:
            return StaffSession(row["channel"], row["user_id"], row["csrf_token"],
                                parse_time(row["created_at"]), parse_time(row["last_seen_at"]))
        await self.db.execute(
            "UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ?", (stamp(now), key)
        )
        return StaffSession(row["channel"], row["user_id"], row["csrf_token"],
                            parse_time(row["created_at"]), now)

    async def end_session(self, session_id: str) -> bool:
        """Sign out; True if the session was open."""
        return bool(
            await self.db.execute(
                "UPDATE staff_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL",
                (stamp(self.db.now()), token_hash(session_id)),
            )
        )

    async def purge(self, older_than: timedelta) -> int:
        """Delete links and ended sessions older than `older_than`; return how many rows."""
        cutoff = stamp(self.db.now() - older_than)
        links = await self.db.execute(
            "DELETE FROM staff_login_links WHERE expires_at < ?", (cutoff,)
        )
        sessions = await self.db.execute(
            "DELETE FROM staff_sessions WHERE last_seen_at < ?", (cutoff,)
        )
        return links + sessions
