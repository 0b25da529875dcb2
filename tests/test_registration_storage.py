"""The registrations repository: what staff tools use (lists, counts, review, export)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from storage import open_storage
from storage.registrations import RegistrationConflict, RegistrationData

pytestmark = pytest.mark.both_engines

CONSENT = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


def data(phone: str, **changes) -> RegistrationData:
    base = RegistrationData(
        owner_name="Siti", business_name="Warung", subsector="kuliner", subsector_other=None,
        description="Keripik pedas", city="Bandung", district="Coblong", phone=phone,
        phone_verified=False, email=None, nib=None, scale="mikro", export_experience="none",
        export_countries=None, interests=("training",), website=None,
    )
    return dataclasses.replace(base, **changes)


@pytest.fixture
async def storage(database_url):
    storage = await open_storage(database_url)
    yield storage
    await storage.close()


async def new_user(storage, channel: str, user_id: str) -> int:
    return (await storage.users.touch(channel, user_id, "X")).id


async def test_submit_gives_a_reference_and_one_per_user(storage):
    pk = await new_user(storage, "telegram", "1")
    reg = await storage.registrations.submit_new(pk, data("+6281200000001"), "id", CONSENT, "v1")
    assert reg.reference == f"UMKM-{reg.created_at.year}-{reg.id:06d}"
    assert (reg.channel, reg.user_id, reg.status, reg.interests) == (
        "telegram", "1", "submitted", ("training",))
    assert await storage.registrations.get_for_user(pk) == reg
    with pytest.raises(RegistrationConflict) as caught:
        await storage.registrations.submit_new(pk, data("+6281200000009"), "id", CONSENT, "v1")
    assert caught.value.reason == "already_registered"
    other = await new_user(storage, "whatsapp", "6281200000001")
    with pytest.raises(RegistrationConflict) as caught:
        await storage.registrations.submit_new(other, data("+6281200000001"), "en", CONSENT, "v1")
    assert caught.value.reason == "phone_taken"
    assert await storage.registrations.count() == 1


async def test_review_lists_counts_and_export(storage):
    regs = []
    for i, (channel, subsector, scale) in enumerate(
        [("telegram", "kuliner", "mikro"), ("whatsapp", "fesyen", "kecil"),
         ("telegram", "kuliner", "menengah")]
    ):
        pk = await new_user(storage, channel, str(i))
        regs.append(await storage.registrations.submit_new(
            pk, data(f"+628120000000{i}", subsector=subsector, scale=scale), "id", CONSENT, "v1"))
    reviewed = await storage.registrations.set_status(regs[1].id, "rejected", "NIB salah", "tg:9")
    assert (reviewed.status, reviewed.staff_note, reviewed.reviewed_by) == (
        "rejected", "NIB salah", "tg:9")
    assert reviewed.reviewed_at is not None
    with pytest.raises(ValueError):
        await storage.registrations.set_status(regs[0].id, "deleted", None, "tg:9")
    rejected = await storage.registrations.list_by_status("rejected")
    assert [r.id for r in rejected] == [regs[1].id]
    assert [r.id for r in await storage.registrations.list_by_status(limit=2, offset=1)] == [
        regs[1].id, regs[2].id]
    assert await storage.registrations.count_by("status") == {"submitted": 2, "rejected": 1}
    assert await storage.registrations.count_by("subsector") == {"kuliner": 2, "fesyen": 1}
    assert await storage.registrations.count_by("channel") == {"telegram": 2, "whatsapp": 1}
    assert await storage.registrations.count_by("scale") == {"kecil": 1, "menengah": 1, "mikro": 1}
    with pytest.raises(KeyError):
        await storage.registrations.count_by("owner_name; DROP TABLE users")
    assert [r.id for r in await storage.registrations.all()] == [r.id for r in regs]
    assert await storage.registrations.count("submitted") == 2


async def test_update_sends_back_to_review_and_take_over_moves_the_registration(storage):
    first = await new_user(storage, "telegram", "1")
    reg = await storage.registrations.submit_new(first, data("+6281200000001"), "id", CONSENT, "v1")
    await storage.registrations.set_status(reg.id, "rejected", "cek", "tg:9")
    updated = await storage.registrations.update(reg.id, data("+6281200000001", city="Cimahi"))
    assert (updated.status, updated.staff_note, updated.city) == ("submitted", None, "Cimahi")
    second = await new_user(storage, "whatsapp", "6281200000001")
    moved = await storage.registrations.take_over(
        second, data("+6281200000001", owner_name="Baru", phone_verified=True), "en", CONSENT, "v2"
    )
    assert (moved.id, moved.reference, moved.user_pk, moved.owner_name) == (
        reg.id, reg.reference, second, "Baru")
    assert (moved.language, moved.consent_version, moved.channel) == ("en", "v2", "whatsapp")
    assert await storage.registrations.get_for_user(first) is None
    third = await new_user(storage, "telegram", "3")
    with pytest.raises(RegistrationConflict):
        await storage.registrations.take_over(third, data("+6281299999999"), "id", CONSENT, "v1")
