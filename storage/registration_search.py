"""Registrations for the staff workspace: search and filters, one page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.registrations import _SELECT, Registration, _registration

SEARCHED = ("r.business_name", "r.owner_name", "r.reference", "r.phone", "r.email", "r.city",
            "r.district")  # fmt: skip


@dataclass(frozen=True)
class RegistrationFilter:
    """AND of what is set: words in names/reference/phone/e-mail/place, status, subsector,
    and created between two moments (UTC, `until` exclusive)."""

    query: str = ""
    status: str | None = None
    subsector: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.casefold()}%"


def _where(found: RegistrationFilter) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    for word in found.query.split()[:8]:
        either = " OR ".join(f"LOWER(COALESCE({column}, '')) LIKE ? ESCAPE '\\'"
                             for column in SEARCHED)
        parts.append(f"({either})")
        params += [_like(word)] * len(SEARCHED)
    if found.status:
        parts.append("r.status = ?")
        params.append(found.status)
    if found.subsector:
        parts.append("r.subsector = ?")
        params.append(found.subsector)
    if found.since:
        parts.append("r.created_at >= ?")
        params.append(found.since.isoformat())
    if found.until:
        parts.append("r.created_at < ?")
        params.append(found.until.isoformat())
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


class RegistrationSearchRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def search(
        self, found: RegistrationFilter, limit: int = 25, offset: int = 0
    ) -> tuple[list[Registration], int]:
        """One page of matching registrations (newest first) and how many match in all."""
        where, params = _where(found)
        rows = await self.db.fetchall(
            f"{_SELECT}{where} ORDER BY r.id DESC LIMIT ? OFFSET ?",  # noqa: S608 -- fixed fragments, values bound
            [*params, limit, offset],
        )
        total = await self.db.fetchone(
            f"SELECT COUNT(*) FROM registrations r JOIN users u ON u.id = r.user_pk{where}",  # noqa: S608 -- fixed fragments, values bound
            params,
        )
        return [_registration(row) for row in rows], total[0]

    async def every(self, found: RegistrationFilter) -> list[Registration]:
        """Every matching registration, oldest first (for the export of the current filter)."""
        where, params = _where(found)
        rows = await self.db.fetchall(f"{_SELECT}{where} ORDER BY r.id", params)  # noqa: S608 -- fixed fragments, values bound
        return [_registration(row) for row in rows]
