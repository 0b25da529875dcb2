"""Helpers for the staff tests: registrations in storage, staff with roles, a recording Sender."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from handlers import Reply
from handlers.app import FEATURES
from handlers.router import Router
from storage.registrations import Registration, RegistrationData

BASE = RegistrationData(
    owner_name="Siti Rahma",
    business_name="Keripik Ubi Ungu",
    subsector="kuliner",
    subsector_other=None,
    description="Keripik ubi ungu tanpa pengawet",
    city="Bandung",
    district="Coblong",
    phone="+6281234500001",
    phone_verified=True,
    email="siti@example.com",
    nib=None,
    scale="mikro",
    export_experience="none",
    export_countries=None,
    interests=("little-bandung", "export"),
    website=None,
)


async def add_registration(
    deps, user_id: str, language: str = "id", channel: str = "telegram", **fields
) -> Registration:
    """A submitted registration of user `channel:user_id` in `language`."""
    user = await deps.storage.users.touch(channel, user_id, fields.pop("display_name", None))
    await deps.storage.users.set_language(user.id, language)
    phone = fields.pop("phone", f"+62812345{int(user_id) % 100000:05d}")
    data = replace(BASE, phone=phone, **fields)
    return await deps.storage.registrations.submit_new(
        user.id, data, language, datetime(2026, 11, 1, tzinfo=UTC), "v1"
    )


async def make_staff(deps, user_id: str, *roles: str, channel: str = "telegram") -> None:
    """Give `roles` to `channel:user_id` in storage."""
    for role in roles:
        await deps.storage.roles.grant(channel, user_id, role, granted_by="telegram:9000")


def router_without(*names: str) -> Router:
    """A router of every feature except the modules whose name ends with one of `names`."""
    router = Router()
    for feature in FEATURES:
        if not feature.__name__.endswith(names):
            feature.register(router)
    return router


class RecordingSender:
    """A Sender that keeps what it was asked to send."""

    def __init__(self, channel: str = "telegram") -> None:
        self.channel = channel
        self.sent: list[tuple[str, list[Reply]]] = []

    async def send(self, user_id: str, replies: list[Reply]) -> list[str]:
        self.sent.append((user_id, list(replies)))
        return [str(len(self.sent))]
