"""Broadcast audiences: which subscribed, unblocked users a combination of filters selects."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any

from storage.db import Database

STATUSES = ("none", "submitted", "verified", "rejected")  # "none": not registered


@dataclass(frozen=True)
class Audience:
    """Filters combined with AND; the values inside one filter are alternatives (OR)."""

    registered: bool = False
    subsectors: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_data(cls, data: dict[str, Any] | str | None) -> Audience:
        """An Audience from its JSON (or dict) form; unknown keys are ignored."""
        if isinstance(data, str):
            data = json.loads(data or "{}")
        data = data or {}
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in data:
                raw = data[f.name]
                values[f.name] = bool(raw) if f.name == "registered" else tuple(sorted(raw))
        return cls(**values)

    def is_everyone(self) -> bool:
        return self == Audience()


@dataclass(frozen=True)
class Recipient:
    """A user a broadcast goes to, with the values its template may use."""

    user_pk: int
    channel: str
    user_id: str
    language: str
    display_name: str | None
    owner_name: str | None
    business_name: str | None


RECIPIENTS_FROM = "FROM users u LEFT JOIN registrations r ON r.user_pk = u.id"
LANGUAGE_SQL = "COALESCE(u.language, r.language, 'id')"


def _in(column: str, values: tuple[str, ...], params: list[Any]) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join('?' for _ in values)})"


def audience_where(audience: Audience) -> tuple[str, list[Any]]:
    """The WHERE clause (fixed fragments, values as parameters) selecting the audience."""
    params: list[Any] = []
    parts = ["u.subscribed = 1", "u.blocked = 0"]
    if audience.registered:
        parts.append("r.id IS NOT NULL")
    if audience.subsectors:
        parts.append(_in("r.subsector", audience.subsectors, params))
    if audience.languages:
        parts.append(_in(LANGUAGE_SQL, audience.languages, params))
    if audience.channels:
        parts.append(_in("u.channel", audience.channels, params))
    if audience.statuses:
        statuses = tuple(s for s in audience.statuses if s != "none")
        either = [_in("r.status", statuses, params)] if statuses else []
        if "none" in audience.statuses:
            either.append("r.id IS NULL")
        parts.append("(" + " OR ".join(either) + ")")
    return " AND ".join(parts), params


def recipient_from_row(row) -> Recipient:
    return Recipient(
        user_pk=row["user_pk"],
        channel=row["channel"],
        user_id=row["user_id"],
        language=row["language"],
        display_name=row["display_name"],
        owner_name=row["owner_name"],
        business_name=row["business_name"],
    )


RECIPIENT_COLUMNS = (
    "u.id AS user_pk, u.channel, u.user_id, u.display_name, "
    f"{LANGUAGE_SQL} AS language, r.owner_name, r.business_name"
)


class AudienceRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def count_by_channel(self, audience: Audience) -> dict[str, int]:
        """The exact number of recipients per channel."""
        where, params = audience_where(audience)
        rows = await self.db.fetchall(
            f"SELECT u.channel, COUNT(*) {RECIPIENTS_FROM} WHERE {where} GROUP BY u.channel",  # noqa: S608 -- fixed fragments, values bound
            params,
        )
        return {row[0]: row[1] for row in rows}

    async def first(self, audience: Audience) -> Recipient | None:
        """The first recipient (by user id), for the preview."""
        where, params = audience_where(audience)
        row = await self.db.fetchone(
            f"SELECT {RECIPIENT_COLUMNS} {RECIPIENTS_FROM} WHERE {where} ORDER BY u.id LIMIT 1",  # noqa: S608 -- fixed fragments, values bound
            params,
        )
        return recipient_from_row(row) if row else None

    async def first_in(self, audience: Audience, language: str) -> Recipient | None:
        """The first recipient (by user id) whose language is `language`, for its preview."""
        where, params = audience_where(audience)
        row = await self.db.fetchone(
            f"SELECT {RECIPIENT_COLUMNS} {RECIPIENTS_FROM} WHERE {where} AND {LANGUAGE_SQL} = ?"  # noqa: S608 -- fixed fragments, values bound
            " ORDER BY u.id LIMIT 1",
            [*params, language],
        )
        return recipient_from_row(row) if row else None

    async def count_by_language(self, audience: Audience) -> dict[str, int]:
        """The exact number of recipients per language."""
        where, params = audience_where(audience)
        rows = await self.db.fetchall(
            f"SELECT {LANGUAGE_SQL}, COUNT(*) {RECIPIENTS_FROM} WHERE {where} GROUP BY 1",  # noqa: S608 -- fixed fragments, values bound
            params,
        )
        return {row[0]: row[1] for row in rows}

    async def options(self) -> dict[str, list[str]]:
        """The values the filters can take now: subsectors, languages and channels in use."""
        subsectors = await self.db.fetchall(
            "SELECT DISTINCT subsector FROM registrations ORDER BY subsector"
        )
        languages = await self.db.fetchall(
            f"SELECT DISTINCT {LANGUAGE_SQL} {RECIPIENTS_FROM} ORDER BY 1"  # noqa: S608 -- constant
        )
        channels = await self.db.fetchall("SELECT DISTINCT channel FROM users ORDER BY channel")
        return {
            "subsectors": [row[0] for row in subsectors],
            "languages": [row[0] for row in languages],
            "channels": [row[0] for row in channels],
            "statuses": list(STATUSES),
        }
