"""Helpers for the handoff tests: a settable clock, outbox rows as readable messages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


class Clock:
    """A clock the test moves by hand; put on the database so every part reads it."""

    def __init__(self, when: datetime) -> None:
        self.now = when

    def __call__(self) -> datetime:
        return self.now

    def set_local(self, *args: int) -> None:
        """Set the time as Bandung's clocks show it (WIB)."""
        self.now = datetime(*args, tzinfo=JAKARTA).astimezone(UTC)


def use_clock(deps, *local: int) -> Clock:
    """Make the database (and so every handler) read a clock set to `local` WIB time."""
    clock = Clock(datetime.now(UTC))
    clock.set_local(*local)
    deps.storage.db.now = clock
    return clock


@dataclass(frozen=True)
class Queued:
    id: int
    channel: str
    user_id: str
    purpose: str
    ticket_id: int | None
    status: str
    texts: list[str]
    payloads: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


async def queued(deps, **where) -> list[Queued]:
    """Outbox rows (optionally filtered by column = value), oldest first."""
    sql = "SELECT * FROM outbox"
    if where:
        sql += " WHERE " + " AND ".join(f"{column} = ?" for column in where)
    rows = await deps.storage.db.fetchall(sql + " ORDER BY id", tuple(where.values()))
    result = []
    for row in rows:
        replies = json.loads(row["replies"])
        result.append(Queued(
            row["id"], row["channel"], row["user_id"], row["purpose"], row["ticket_id"],
            row["status"], [r["text"] for r in replies],
            [payload for r in replies for _label, payload in r["buttons"]],
        ))  # fmt: skip
    return result
