"""Broadcasts: composed messages, their audience, schedule and outcome figures."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from storage.audience import RECIPIENTS_FROM, Audience, audience_where
from storage.db import Database, Tx, parse_time

OPEN = ("scheduled", "sending")


def stamp(when: datetime) -> str:
    """A UTC timestamp in one fixed format, so that text order is time order."""
    return when.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Broadcast:
    id: int
    creator_channel: str
    creator_user_id: str
    creator_language: str
    text: str
    audience: Audience
    status: str
    scheduled_at: datetime | None
    total: int
    progress_message_id: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    media_id: int | None = None  # a photo or document sent with the text (storage.media)
    texts: dict[str, str] = field(default_factory=dict)  # versions by language; `text` is main


def _broadcast(row) -> Broadcast:
    return Broadcast(
        id=row["id"],
        creator_channel=row["creator_channel"],
        creator_user_id=row["creator_user_id"],
        creator_language=row["creator_language"],
        text=row["text"],
        audience=Audience.from_data(row["audience"]),
        status=row["status"],
        scheduled_at=parse_time(row["scheduled_at"]),
        total=row["total"],
        progress_message_id=row["progress_message_id"],
        created_at=parse_time(row["created_at"]),
        started_at=parse_time(row["started_at"]),
        finished_at=parse_time(row["finished_at"]),
        media_id=row["media_id"],
        texts=json.loads(row["texts"] or "{}"),
    )


def texts_json(texts: dict[str, str] | None) -> str:
    """The versions as stored: blank ones dropped, surrounding space stripped."""
    kept = {lang: text.strip() for lang, text in (texts or {}).items() if text.strip()}
    return json.dumps(dict(sorted(kept.items())), ensure_ascii=False)


async def _materialise(tx: Tx, broadcast_id: int, audience: Audience, now: str) -> int:
    """Insert one pending delivery per recipient; return how many."""
    where, params = audience_where(audience)
    cursor = await tx.execute(
        f"""INSERT INTO deliveries (broadcast_id, user_pk, channel, updated_at)
            SELECT ?, u.id, u.channel, ? {RECIPIENTS_FROM} WHERE {where} ORDER BY u.id""",  # noqa: S608 -- fixed fragments, values bound
        [broadcast_id, now, *params],
    )
    total = cursor.rowcount
    await tx.execute(
        "UPDATE broadcasts SET total = ?, status = 'sending', started_at = ? WHERE id = ?",
        (total, now, broadcast_id),
    )
    return total


class BroadcastRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _insert(
        self, tx: Tx, creator: tuple[str, str, str], text: str, audience: Audience, status: str,
        scheduled_at: datetime | None, media_id: int | None, texts: dict[str, str] | None,
    ) -> int:
        cursor = await tx.execute(
            """INSERT INTO broadcasts (creator_channel, creator_user_id, creator_language, text,
                 audience, status, scheduled_at, created_at, media_id, texts)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (*creator, text, audience.to_json(), status,
             stamp(scheduled_at) if scheduled_at else None, stamp(self.db.now()), media_id,
             texts_json(texts)),
        )
        return cursor.lastrowid

    async def create_now(
        self, creator: tuple[str, str, str], text: str, audience: Audience,
        media_id: int | None = None, texts: dict[str, str] | None = None,
    ) -> Broadcast:
        """Store the broadcast and one delivery per recipient in one transaction."""
        async with self.db.transaction() as tx:
            broadcast_id = await self._insert(
                tx, creator, text, audience, "scheduled", None, media_id, texts
            )
            await _materialise(tx, broadcast_id, audience, stamp(self.db.now()))
        return await self.get(broadcast_id)

    async def create_scheduled(
        self, creator: tuple[str, str, str], text: str, audience: Audience, when: datetime,
        media_id: int | None = None, texts: dict[str, str] | None = None,
    ) -> Broadcast:
        """Store a broadcast due at `when`; its recipients are chosen when it starts."""
        async with self.db.transaction() as tx:
            broadcast_id = await self._insert(
                tx, creator, text, audience, "scheduled", when, media_id, texts
            )
        return await self.get(broadcast_id)

    async def due(self, now: datetime) -> list[Broadcast]:
        """Scheduled broadcasts due by `now`, not started yet."""
        rows = await self.db.fetchall(
            "SELECT * FROM broadcasts WHERE status = 'scheduled' AND scheduled_at <= ? ORDER BY id",
            (stamp(now),),
        )
        return [_broadcast(row) for row in rows]

    async def start_due(self, now: datetime) -> list[Broadcast]:
        """Start every scheduled broadcast due by `now`, writing its deliveries atomically."""
        rows = await self.db.fetchall(
            "SELECT id, audience FROM broadcasts WHERE status = 'scheduled' AND scheduled_at <= ?",
            (stamp(now),),
        )
        started = []
        for row in rows:
            async with self.db.transaction() as tx:
                still = await tx.fetchone(  # another worker may be starting it too
                    "SELECT 1 FROM broadcasts WHERE id = ? AND status = 'scheduled'"  # noqa: S608 -- a constant fragment
                    + self.db.dialect.for_update,
                    (row["id"],),
                )
                if still is None:
                    continue
                await _materialise(tx, row["id"], Audience.from_data(row["audience"]), stamp(now))
            started.append(await self.get(row["id"]))
        return started

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self.db.fetchone("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        return _broadcast(row) if row else None

    async def list_open(self) -> list[Broadcast]:
        """Scheduled and running broadcasts, soonest first."""
        rows = await self.db.fetchall(
            """SELECT * FROM broadcasts WHERE status IN ('scheduled', 'sending')
               ORDER BY COALESCE(scheduled_at, created_at), id"""
        )
        return [_broadcast(row) for row in rows]

    async def recent(self, limit: int = 5) -> list[Broadcast]:
        rows = await self.db.fetchall(
            "SELECT * FROM broadcasts ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [_broadcast(row) for row in rows]

    async def sending(self) -> list[Broadcast]:
        rows = await self.db.fetchall("SELECT * FROM broadcasts WHERE status = 'sending'")
        return [_broadcast(row) for row in rows]

    async def cancel(self, broadcast_id: int) -> bool:
        """Cancel a scheduled or running broadcast; deliveries not yet sent are dropped."""
        now = stamp(self.db.now())
        async with self.db.transaction() as tx:
            cursor = await tx.execute(
                """UPDATE broadcasts SET status = 'cancelled', finished_at = ?
                   WHERE id = ? AND status IN ('scheduled', 'sending')""",
                (now, broadcast_id),
            )
            if cursor.rowcount == 0:
                return False
            await tx.execute(
                """UPDATE deliveries SET status = 'cancelled', updated_at = ?
                   WHERE broadcast_id = ? AND status = 'pending'""",
                (now, broadcast_id),
            )
        return True

    async def set_progress_message(self, broadcast_id: int, message_id: str) -> None:
        await self.db.execute(
            "UPDATE broadcasts SET progress_message_id = ? WHERE id = ?", (message_id, broadcast_id)
        )

    async def finish_if_complete(self, broadcast_id: int) -> bool:
        """Mark a running broadcast done once nothing is pending or in flight; True if now done."""
        return bool(
            await self.db.execute(
                """UPDATE broadcasts SET status = 'done', finished_at = ?
                   WHERE id = ? AND status = 'sending' AND NOT EXISTS (
                     SELECT 1 FROM deliveries WHERE broadcast_id = broadcasts.id
                       AND status IN ('pending', 'sending'))""",
                (stamp(self.db.now()), broadcast_id),
            )
        )

    async def counts(self, broadcast_id: int) -> dict[str, int]:
        """Deliveries of the broadcast by status."""
        rows = await self.db.fetchall(
            "SELECT status, COUNT(*) FROM deliveries WHERE broadcast_id = ? GROUP BY status",
            (broadcast_id,),
        )
        return {row[0]: row[1] for row in rows}
