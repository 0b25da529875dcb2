"""Staff roles granted from the chat, and the audit log of staff actions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.db import Database, parse_time


@dataclass(frozen=True)
class StaffRole:
    channel: str
    user_id: str
    role: str
    granted_by: str
    granted_at: datetime

    @property
    def key(self) -> str:
        """`channel:user_id` of the staff member."""
        return f"{self.channel}:{self.user_id}"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    actor: str
    action: str
    target: str | None
    detail: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None


class RoleRepo:
    """Roles stored per (channel, user id)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def grant(self, channel: str, user_id: str, role: str, granted_by: str) -> bool:
        """Give the role; False if it was already held."""
        row = await self.db.fetchone(
            """INSERT INTO staff_roles (channel, user_id, role, granted_by, granted_at)
               VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING role""",
            (channel, user_id, role, granted_by, self.db.now().isoformat()),
        )
        return row is not None

    async def revoke(self, channel: str, user_id: str, role: str) -> bool:
        """Take the role away; False if it was not held."""
        count = await self.db.execute(
            "DELETE FROM staff_roles WHERE channel = ? AND user_id = ? AND role = ?",
            (channel, user_id, role),
        )
        return count > 0

    async def roles_of(self, channel: str, user_id: str) -> set[str]:
        rows = await self.db.fetchall(
            "SELECT role FROM staff_roles WHERE channel = ? AND user_id = ?", (channel, user_id)
        )
        return {row["role"] for row in rows}

    async def all(self) -> list[StaffRole]:
        rows = await self.db.fetchall("SELECT * FROM staff_roles ORDER BY channel, user_id, role")
        return [
            StaffRole(
                row["channel"],
                row["user_id"],
                row["role"],
                row["granted_by"],
                parse_time(row["granted_at"]),
            )
            for row in rows
        ]


class AuditRepo:
    """Append-only log of staff actions."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, actor: str, action: str, target: str | None = None, detail: dict | None = None
    ) -> int:
        """Write one audit row now; return its id."""
        return await self.db.execute(
            "INSERT INTO audit (actor, action, target, detail, created_at) VALUES (?, ?, ?, ?, ?)",
            (
                actor,
                action,
                target,
                json.dumps(detail or {}, ensure_ascii=False, default=str),
                self.db.now().isoformat(),
            ),
        )

    async def recent(self, limit: int = 50, action: str | None = None) -> list[AuditEntry]:
        """The newest entries first, optionally of one action."""
        sql = "SELECT * FROM audit"
        params: tuple = ()
        if action is not None:
            sql += " WHERE action = ?"
            params = (action,)
        rows = await self.db.fetchall(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
        return [
            AuditEntry(
                row["id"],
                row["actor"],
                row["action"],
                row["target"],
                json.loads(row["detail"]),
                parse_time(row["created_at"]),
            )
            for row in rows
        ]
