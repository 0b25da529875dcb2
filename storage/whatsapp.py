"""WhatsApp bookkeeping: last inbound time, last options, sent messages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, parse_time

# Status order: a late "delivered" never overwrites "read"; "failed" is final.
STATUS_RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "played": 3, "failed": 4}
_RANK_SQL = (
    "(CASE status "
    + " ".join(f"WHEN '{name}' THEN {rank}" for name, rank in STATUS_RANK.items())
    + " ELSE 0 END)"
)


@dataclass(frozen=True)
class SentMessage:
    wamid: str
    wa_id: str
    origin_wamid: str | None
    fallback_text: str | None
    status: str
    error_code: int | None

    @property
    def root(self) -> str:
        """The wamid the caller got first (the free-text one when a template replaced it)."""
        return self.origin_wamid or self.wamid


@dataclass(frozen=True)
class Options:
    choices: tuple[tuple[str, str], ...]  # (label, payload)
    numbered: bool


def _sent(row) -> SentMessage:
    return SentMessage(
        wamid=row["wamid"],
        wa_id=row["wa_id"],
        origin_wamid=row["origin_wamid"],
        fallback_text=row["fallback_text"],
        status=row["status"],
        error_code=row["error_code"],
    )


class WhatsAppRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record_inbound(self, wa_id: str) -> None:
        """The user wrote now: the 24-hour window starts again."""
        await self.db.execute(
            """INSERT INTO whatsapp_contacts (wa_id, last_inbound_at) VALUES (?, ?)
               ON CONFLICT (wa_id) DO UPDATE SET last_inbound_at = excluded.last_inbound_at""",
            (wa_id, self.db.now().isoformat()),
        )

    async def last_inbound(self, wa_id: str) -> datetime | None:
        row = await self.db.fetchone(
            "SELECT last_inbound_at FROM whatsapp_contacts WHERE wa_id = ?", (wa_id,)
        )
        return parse_time(row["last_inbound_at"]) if row else None

    async def save_options(
        self, wa_id: str, choices: list[tuple[str, str]], numbered: bool
    ) -> None:
        """Remember the options last shown to the user (empty: none)."""
        await self.db.execute(
            """INSERT INTO whatsapp_contacts (wa_id, options, options_numbered) VALUES (?, ?, ?)
               ON CONFLICT (wa_id) DO UPDATE SET
                 options = excluded.options, options_numbered = excluded.options_numbered""",
            (wa_id, json.dumps(choices, ensure_ascii=False), int(numbered)),
        )

    async def options(self, wa_id: str) -> Options:
        row = await self.db.fetchone(
            "SELECT options, options_numbered FROM whatsapp_contacts WHERE wa_id = ?", (wa_id,)
        )
        if row is None:
            return Options((), False)
        choices = tuple((str(label), str(payload)) for label, payload in json.loads(row[0]))
        return Options(choices, bool(row[1]))

    async def record_sent(
        self,
        wamid: str,
        wa_id: str,
        fallback_text: str | None = None,
        origin_wamid: str | None = None,
    ) -> None:
        now = self.db.now().isoformat()
        await self.db.execute(
            """INSERT INTO whatsapp_messages
                 (wamid, wa_id, origin_wamid, fallback_text, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
            (wamid, wa_id, origin_wamid, fallback_text, now, now),
        )

    async def get_sent(self, wamid: str) -> SentMessage | None:
        row = await self.db.fetchone("SELECT * FROM whatsapp_messages WHERE wamid = ?", (wamid,))
        return _sent(row) if row else None

    async def apply_status(
        self, wamid: str, status: str, error_code: int | None
    ) -> tuple[SentMessage | None, bool]:
        """Move a sent message to `status` unless it is already further; (row, changed)."""
        rank = STATUS_RANK.get(status)
        if rank is not None:
            # one statement: concurrent webhooks cannot move a message backwards
            row = await self.db.fetchone(
                f"""UPDATE whatsapp_messages SET status = ?, error_code = ?, updated_at = ?
                    WHERE wamid = ? AND {_RANK_SQL} < ? RETURNING *""",  # noqa: S608
                (status, error_code, self.db.now().isoformat(), wamid, rank),
            )
            if row is not None:
                return _sent(row), True
        return await self.get_sent(wamid), False

    async def prune(self, before: datetime) -> None:
        """Forget sent messages older than `before`."""
        await self.db.execute(
            "DELETE FROM whatsapp_messages WHERE created_at < ?", (before.isoformat(),)
        )

    async def change_number(self, old: str, new: str) -> bool:
        """Carry a user's data and registration over to their new number (user_changed_number).

        False when nothing is kept under `old`, or when `new` already has a registration of its
        own (then both stay as they are). A verified phone equal to the old number follows too.
        """
        async with self.db.transaction() as tx:
            user = await tx.fetchone(
                "SELECT id FROM users WHERE channel = 'whatsapp' AND user_id = ?", (old,)
            )
            if user is None:
                return False
            taken = await tx.fetchone(
                """SELECT u.id, r.id AS registration FROM users u
                   LEFT JOIN registrations r ON r.user_pk = u.id
                   WHERE u.channel = 'whatsapp' AND u.user_id = ?""",
                (new,),
            )
            if taken is not None and taken["registration"] is not None:
                return False
            if taken is not None:  # wrote from the new number first: that fresh row gives way
                await tx.execute("DELETE FROM users WHERE id = ?", (taken["id"],))
            await tx.execute("UPDATE users SET user_id = ? WHERE id = ?", (new, user["id"]))
            await tx.execute(
                "UPDATE registrations SET phone = ? WHERE user_pk = ? AND phone = ?",
                (f"+{new}", user["id"], f"+{old}"),
            )
            await tx.execute("DELETE FROM whatsapp_contacts WHERE wa_id = ?", (new,))
            for table in ("whatsapp_contacts", "whatsapp_messages"):
                await tx.execute(f"UPDATE {table} SET wa_id = ? WHERE wa_id = ?", (new, old))  # noqa: S608 -- fixed names
        return True
