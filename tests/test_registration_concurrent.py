"""200 users registering at the same time: 200 correct registrations, nothing mixed up."""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.support.regform import register, user_pk

USERS = 200
SUBSECTORS = ("kuliner", "fesyen", "kriya", "musik", "lainnya")
SCALES = ("mikro", "kecil", "menengah")


def values_for(i: int) -> dict:
    """Answers that differ per user in every field, so a mix-up would show."""
    return {
        "owner_name": f"Pemilik {i} 🌶 \"{i}\"",
        "business_name": f"Usaha <b>{i}</b>",
        "subsector": SUBSECTORS[i % len(SUBSECTORS)],
        "subsector_other": f"Subsektor khusus {i}",
        "description": f"Produk nomor {i} dari Bandung",
        "city": f"Kota {i}",
        "district": f"Kecamatan {i}",
        "phone": f"08123{i:07d}",
        "email": f"usaha{i}@contoh.id",
        "nib": f"{i:013d}",
        "scale": SCALES[i % 3],
        "export_experience": ("none", "once", "regular")[i % 3],
        "export_countries": f"Negara {i}",
        "interests": [("showcase", "matching", "training", "export_info")[i % 4]],
        "website": f"@usaha{i}",
    }


@pytest.mark.slow  # about 30 s on a busy machine
async def test_200_users_register_concurrently_without_mixing(make_chat, deps):
    chats = [make_chat(f"c{i}") for i in range(USERS)]
    texts = await asyncio.gather(
        *(register(chat, **values_for(i)) for i, chat in enumerate(chats))
    )
    references = [re.search(r"UMKM-\d{4}-\d{6}", text)[0] for text in texts]
    assert len(set(references)) == USERS
    assert await deps.storage.registrations.count() == USERS
    for i, chat in enumerate(chats):
        reg = await deps.storage.registrations.get_for_user(await user_pk(deps, chat))
        want = values_for(i)
        assert reg.reference == references[i]
        assert (reg.owner_name, reg.business_name, reg.description) == (
            want["owner_name"], want["business_name"], want["description"])
        assert (reg.city, reg.district, reg.email, reg.nib, reg.website) == (
            want["city"], want["district"], want["email"], want["nib"], want["website"])
        assert reg.phone == "+628123" + f"{i:07d}"
        assert (reg.subsector, reg.scale, reg.export_experience) == (
            want["subsector"], want["scale"], want["export_experience"])
        assert reg.subsector_other == (want["subsector_other"] if reg.subsector == "lainnya"
                                       else None)
        assert reg.export_countries == (want["export_countries"]
                                        if reg.export_experience != "none" else None)
        assert reg.interests == tuple(want["interests"])
    assert await deps.storage.conversations.count() == 0
