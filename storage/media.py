"""Broadcast media: a photo or document stored once, and the platforms' ids of its uploads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.broadcasts import stamp
from storage.db import Database, parse_time

FLOW = "broadcast"  # drafts of this conversation flow may hold a media_id (handlers.broadcast)
_IN_DRAFTS = """id NOT IN (SELECT {media_id} FROM conversations
      WHERE flow = ? AND {media_id} IS NOT NULL)"""
_IN_BROADCASTS = "id NOT IN (SELECT media_id FROM broadcasts WHERE media_id IS NOT NULL{})"


@dataclass(frozen=True)
class StoredMedia:
    """What is known about a stored file, without its bytes."""

    id: int
    kind: str  # photo | document
    filename: str
    mime_type: str
    size: int
    sha256: str
    created_at: datetime


def _media(row) -> StoredMedia:
    return StoredMedia(
        id=row["id"], kind=row["kind"], filename=row["filename"], mime_type=row["mime_type"],
        size=row["size"], sha256=row["sha256"], created_at=parse_time(row["created_at"]),
    )


class MediaRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, kind: str, filename: str, mime_type: str, data: bytes) -> StoredMedia:
        """Store the bytes once; the new row."""
        digest = hashlib.sha256(data).hexdigest()
        media_id = await self.db.execute(
            """INSERT INTO broadcast_media (kind, filename, mime_type, size, sha256, data,
                 created_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (kind, filename, mime_type, len(data), digest, data, stamp(self.db.now())),
        )
        found = await self.get(media_id)
        assert found is not None
        return found

    async def get(self, media_id: int) -> StoredMedia | None:
        row = await self.db.fetchone(
            """SELECT id, kind, filename, mime_type, size, sha256, created_at
               FROM broadcast_media WHERE id = ?""",
            (media_id,),
        )
        return _media(row) if row else None

    async def data(self, media_id: int) -> bytes | None:
        """The stored bytes (read only when a channel uploads them)."""
        row = await self.db.fetchone("SELECT data FROM broadcast_media WHERE id = ?", (media_id,))
        return bytes(row[0]) if row else None

    async def ref(self, media_id: int, channel: str, max_age: timedelta | None = None) -> str | None:
        """The channel's id of the uploaded file, if uploaded (and younger than `max_age`)."""
        row = await self.db.fetchone(
            "SELECT ref, created_at FROM broadcast_media_refs WHERE media_id = ? AND channel = ?",
            (media_id, channel),
        )
        if row is None:
            return None
        if max_age is not None and self.db.now() - parse_time(row["created_at"]) > max_age:
            return None
        return row["ref"]

    async def set_ref(self, media_id: int, channel: str, ref: str) -> None:
        await self.db.execute(
            """INSERT INTO broadcast_media_refs (media_id, channel, ref, created_at)
               VALUES (?, ?, ?, ?)
               ON CONFLICT (media_id, channel) DO UPDATE SET ref = excluded.ref,
                 created_at = excluded.created_at""",
            (media_id, channel, ref, stamp(self.db.now())),
        )

    async def delete_if_unused(self, media_id: int) -> bool:
        """Drop a file no broadcast and no draft refers to (a removed or replaced attachment)."""
        unused = f"{_IN_BROADCASTS.format('')} AND {self._in_drafts()}"
        return bool(
            await self.db.execute(
                f"DELETE FROM broadcast_media WHERE id = ? AND {unused}",  # noqa: S608 -- constants
                (media_id, FLOW),
            )
        )

    async def purge_unused(self, before: datetime) -> int:
        """Drop files stored before `before` that no open broadcast or draft refers to."""
        open_ones = " AND status IN ('scheduled', 'sending')"
        unused = f"{_IN_BROADCASTS.format(open_ones)} AND {self._in_drafts()}"
        return await self.db.execute(
            f"DELETE FROM broadcast_media WHERE created_at < ? AND {unused}",  # noqa: S608 -- constants
            (stamp(before), FLOW),
        )

    def _in_drafts(self) -> str:
        return _IN_DRAFTS.format(media_id=self.db.dialect.json_int("draft", "media_id"))

    async def count(self) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM broadcast_media")
        return row[0]

