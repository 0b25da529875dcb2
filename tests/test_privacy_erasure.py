"""/hapus on WhatsApp also removes what is kept under the phone number (the wa_id)."""

from __future__ import annotations


async def test_erasure_drops_whatsapp_records_of_that_user_only(deps):
    storage = deps.storage
    wa = await storage.users.touch("whatsapp", "6281234567890", "Ani")
    other = await storage.users.touch("whatsapp", "60123456789", "Siti")
    now = storage.db.now().isoformat()
    for wa_id in (wa.user_id, other.user_id):
        await storage.db.execute(
            "INSERT INTO whatsapp_contacts (wa_id, last_inbound_at) VALUES (?, ?)", (wa_id, now)
        )
        await storage.db.execute(
            "INSERT INTO whatsapp_messages (wamid, wa_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (f"wamid.{wa_id}", wa_id, now, now),
        )
    await storage.privacy.erase_user(wa.id)
    for table in ("whatsapp_contacts", "whatsapp_messages"):
        rows = await storage.db.fetchall(f"SELECT wa_id FROM {table}")  # noqa: S608
        assert [row[0] for row in rows] == [other.user_id], table
    assert await storage.users.get_by_id(wa.id) is None
    assert (await storage.users.get_by_id(other.id)).display_name == "Siti"
