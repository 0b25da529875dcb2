"""Conversation state per user: the current flow, its step and the draft answers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.db import Database, parse_time


@dataclass(frozen=True)
class Conversation:
    user_pk: int
    flow: str
    step: str
    draft: dict[str, Any] = field(default_factory=dict)
    updated_at: datetime | None = None


def conversation(row) -> Conversation:
    return Conversation(
        user_pk=row["user_pk"],
        flow=row["flow"],
        step=row["step"],
        draft=json.loads(row["draft"]),
        updated_at=parse_time(row["updated_at"]),
    )


class ConversationRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_pk: int) -> Conversation | None:
        row = await self.db.fetchone("SELECT * FROM conversations WHERE user_pk = ?", (user_pk,))
        return conversation(row) if row is not None else None

    async def save(self, user_pk: int, flow: str, step: str, draft: dict[str, Any]) -> Conversation:
        """Write the state now (every step), replacing what was there."""
        now = self.db.now()
        await self.db.execute(
            """INSERT INTO conversations (user_pk, flow, step, draft, updated_at)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (user_pk) DO UPDATE SET flow = excluded.flow, step = excluded.step,
                 draft = excluded.draft, updated_at = excluded.updated_at""",
            (user_pk, flow, step, json.dumps(draft, ensure_ascii=False), now.isoformat()),
        )
        return Conversation(user_pk, flow, step, dict(draft), now)

    async def clear(self, user_pk: int) -> None:
        await self.db.execute("DELETE FROM conversations WHERE user_pk = ?", (user_pk,))

    async def count(self) -> int:
        row = await self.db.fetchone("SELECT COUNT(*) FROM conversations")
        return row[0]
