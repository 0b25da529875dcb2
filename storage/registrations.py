"""Business registrations: one per user, with consent record, review outcome and reference."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import datetime

from storage.db import Database, Tx, parse_time

STATUSES = ("submitted", "verified", "rejected")
# Columns staff may count by (a fixed list: never interpolate anything else into SQL).
COUNTABLE = {
    "status": "r.status",
    "subsector": "r.subsector",
    "scale": "r.scale",
    "channel": "u.channel",
    "export_experience": "r.export_experience",
    "language": "r.language",
}


class RegistrationConflict(Exception):
    """The registration cannot be written as asked; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # phone_taken | already_registered | not_found


@dataclass(frozen=True, kw_only=True)
class RegistrationData:
    """What the user enters: one attribute (and column) per field of the form's declaration
    (handlers/registration/fields.py); a list answer is a tuple, stored as JSON."""

    owner_name: str
    business_name: str
    subsector: str
    subsector_other: str | None
    description: str
    city: str
    district: str
    phone: str  # E.164
    phone_verified: bool
    email: str | None
    nib: str | None
    scale: str
    export_experience: str
    export_countries: str | None
    interests: tuple[str, ...]
    website: str | None


@dataclass(frozen=True, kw_only=True)
class Registration(RegistrationData):
    id: int
    user_pk: int
    channel: str  # the owner's channel and user id, for notifications
    user_id: str
    reference: str
    status: str
    language: str
    consent_at: datetime
    consent_version: str
    staff_note: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None

    def data(self) -> RegistrationData:
        """Only the fields the user entered."""
        names = [f.name for f in fields(RegistrationData)]
        return RegistrationData(**{name: getattr(self, name) for name in names})


_DATA_COLUMNS = [f.name for f in fields(RegistrationData)]
_LISTS = [f.name for f in fields(RegistrationData) if str(f.type).startswith("tuple")]
_SELECT = "SELECT r.*, u.channel, u.user_id FROM registrations r JOIN users u ON u.id = r.user_pk"
_TIMES = ("consent_at", "reviewed_at", "created_at", "updated_at", "submitted_at")


def _registration(row) -> Registration:
    values = {key: row[key] for key in row.keys()}  # noqa: SIM118 (aiosqlite.Row)
    for key in _LISTS:
        values[key] = tuple(json.loads(values[key] or "[]"))
    values["phone_verified"] = bool(values["phone_verified"])
    for key in _TIMES:
        values[key] = parse_time(values[key])
    names = {f.name for f in fields(Registration)}
    return Registration(**{key: value for key, value in values.items() if key in names})


def _data_params(data: RegistrationData) -> dict:
    params = asdict(data)
    for key in _LISTS:
        params[key] = json.dumps(list(getattr(data, key)))
    params["phone_verified"] = int(data.phone_verified)
    return params


def reference_for(year: int, registration_id: int) -> str:
    """The public reference: UMKM-<year>-<6-digit id>."""
    return f"UMKM-{year}-{registration_id:06d}"


class RegistrationRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _one(self, where: str, params: tuple) -> Registration | None:
        row = await self.db.fetchone(f"{_SELECT} WHERE {where}", params)  # noqa: S608
        return _registration(row) if row else None

    async def get(self, registration_id: int) -> Registration | None:
        return await self._one("r.id = ?", (registration_id,))

    async def get_for_user(self, user_pk: int) -> Registration | None:
        return await self._one("r.user_pk = ?", (user_pk,))

    async def find_by_phone(self, phone: str) -> Registration | None:
        """The registration using this E.164 number, if any."""
        return await self._one("r.phone = ?", (phone,))

    async def submit_new(
        self, user_pk: int, data: RegistrationData, language: str, consent_at: datetime,
        consent_version: str,
    ) -> Registration:
        """Store a new submitted registration and give it its reference, atomically."""
        now = self.db.now()
        async with self.db.transaction() as tx:
            await _check_free(tx, user_pk, data.phone, own_id=None)
            if await tx.fetchone("SELECT 1 FROM registrations WHERE user_pk = ?", (user_pk,)):
                raise RegistrationConflict("already_registered")
            params = _data_params(data)
            columns = ", ".join(_DATA_COLUMNS)
            marks = ", ".join(f":{name}" for name in _DATA_COLUMNS)
            cursor = await tx.execute(
                f"""INSERT INTO registrations (user_pk, status, language, consent_at,
                      consent_version, created_at, updated_at, submitted_at, {columns})
                    VALUES (:user_pk, 'submitted', :language, :consent_at, :consent_version,
                      :now, :now, :now, {marks})""",  # noqa: S608 (column names are ours)
                {**params, "user_pk": user_pk, "language": language, "now": now.isoformat(),
                 "consent_at": consent_at.isoformat(), "consent_version": consent_version},
            )
            new_id = cursor.lastrowid
            await tx.execute(
                "UPDATE registrations SET reference = ? WHERE id = ?",
                (reference_for(now.year, new_id), new_id),
            )
        return await self.get(new_id)

    async def update(self, registration_id: int, data: RegistrationData) -> Registration:
        """Replace the fields; the registration goes back to `submitted` for review."""
        async with self.db.transaction() as tx:
            await _check_free(tx, None, data.phone, own_id=registration_id)
            count = await _replace(tx, registration_id, data, self.db.now(), {})
            if not count:
                raise RegistrationConflict("not_found")
        return await self.get(registration_id)

    async def take_over(
        self, user_pk: int, data: RegistrationData, language: str, consent_at: datetime,
        consent_version: str,
    ) -> Registration:
        """Move the registration with this (proven) phone to `user_pk`, replacing its fields."""
        async with self.db.transaction() as tx:
            if await tx.fetchone("SELECT 1 FROM registrations WHERE user_pk = ?", (user_pk,)):
                raise RegistrationConflict("already_registered")
            row = await tx.fetchone("SELECT id FROM registrations WHERE phone = ?", (data.phone,))
            if row is None:
                raise RegistrationConflict("not_found")
            extra = {"user_pk": user_pk, "language": language,
                     "consent_at": consent_at.isoformat(), "consent_version": consent_version}
            await _replace(tx, row["id"], data, self.db.now(), extra)
        return await self.get(row["id"])

    async def set_status(
        self, registration_id: int, status: str, note: str | None, reviewer: str
    ) -> Registration | None:
        """Record a review outcome (verified / rejected / submitted) with note and reviewer."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        now = self.db.now().isoformat()
        await self.db.execute(
            """UPDATE registrations SET status = ?, staff_note = ?, reviewed_by = ?,
                 reviewed_at = ?, updated_at = ? WHERE id = ?""",
            (status, note, reviewer, now, now, registration_id),
        )
        return await self.get(registration_id)

    async def list_by_status(
        self, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[Registration]:
        """Registrations, oldest first, optionally only those with `status`."""
        where, params = ("WHERE r.status = ?", (status,)) if status else ("", ())
        rows = await self.db.fetchall(
            f"{_SELECT} {where} ORDER BY r.id LIMIT ? OFFSET ?",  # noqa: S608
            (*params, limit, offset),
        )
        return [_registration(row) for row in rows]

    async def all(self) -> list[Registration]:
        """Every registration, oldest first (for export)."""
        rows = await self.db.fetchall(f"{_SELECT} ORDER BY r.id")  # noqa: S608
        return [_registration(row) for row in rows]

    async def count(self, status: str | None = None) -> int:
        where, params = ("WHERE status = ?", (status,)) if status else ("", ())
        row = await self.db.fetchone(f"SELECT COUNT(*) FROM registrations {where}", params)  # noqa: S608
        return row[0]

    async def count_by(self, what: str) -> dict[str, int]:
        """Counts per status, subsector, scale, channel, export_experience or language."""
        column = COUNTABLE[what]
        rows = await self.db.fetchall(
            f"""SELECT {column} AS k, COUNT(*) AS n FROM registrations r
                JOIN users u ON u.id = r.user_pk GROUP BY {column} ORDER BY n DESC, k"""  # noqa: S608
        )
        return {row["k"]: row["n"] for row in rows}


async def _check_free(tx: Tx, user_pk: int | None, phone: str, own_id: int | None) -> None:
    """Raise phone_taken if another user's registration uses `phone`."""
    row = await tx.fetchone("SELECT id, user_pk FROM registrations WHERE phone = ?", (phone,))
    if row is not None and row["id"] != own_id and row["user_pk"] != user_pk:
        raise RegistrationConflict("phone_taken")


async def _replace(
    tx: Tx, registration_id: int, data: RegistrationData, now: datetime, extra: dict
) -> int:
    """Overwrite the data fields (and `extra` columns); status back to submitted, review cleared."""
    params = {**_data_params(data), **extra, "id": registration_id, "now": now.isoformat()}
    sets = ", ".join(f"{name} = :{name}" for name in [*_DATA_COLUMNS, *extra])
    cursor = await tx.execute(
        f"""UPDATE registrations SET {sets}, status = 'submitted', staff_note = NULL,
              reviewed_by = NULL, reviewed_at = NULL, updated_at = :now, submitted_at = :now
            WHERE id = :id""",  # noqa: S608 (column names are ours)
        params,
    )
    return cursor.rowcount
