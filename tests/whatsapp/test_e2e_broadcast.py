"""End to end: a broadcast through the WhatsApp Sender, the 24-hour rule, status webhooks."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from tests.whatsapp.conftest import status

broadcast_worker = pytest.importorskip("handlers.broadcast.worker", reason="broadcasts (issue 6)")
audience_module = pytest.importorskip("storage.audience", reason="broadcasts (issue 6)")

ADMIN = "6281200000001"  # ADMIN_IDS in wa_env
INSIDE, OUTSIDE, NEVER = "6281111111111", "6282222222222", "6283333333333"
TEXT = "Pameran UMKM di Little Bandung tanggal 5 Juni.\nDaftar lewat /daftar."


async def people(server) -> None:
    """INSIDE and ADMIN wrote just now, OUTSIDE 25 hours ago, NEVER only exists."""
    if not hasattr(server.deps.storage, "broadcasts"):
        pytest.skip("the broadcast repositories (issue 6) are not in Storage yet")
    for wa_id in (ADMIN, INSIDE):
        assert await server.text(wa_id, "halo")
    storage = server.deps.storage
    for wa_id in (OUTSIDE, NEVER):
        await storage.users.touch("whatsapp", wa_id, None)
    await storage.whatsapp.record_inbound(OUTSIDE)
    stale = (storage.db.now() - timedelta(hours=25)).isoformat()
    await storage.db.execute(
        "UPDATE whatsapp_contacts SET last_inbound_at = ? WHERE wa_id = ?", (stale, OUTSIDE)
    )


async def run_broadcast(server, text: str = TEXT) -> int:
    """Store a broadcast to every WhatsApp subscriber and send it through the real outbox."""
    storage = server.deps.storage
    audience = audience_module.Audience(channels=("whatsapp",))
    broadcast = await storage.broadcasts.create_now(("whatsapp", ADMIN, "id"), text, audience)
    worker = broadcast_worker.BroadcastWorker(
        server.deps, rate=50, poll=0.05, chat_gap=0, retry_base=0.05, progress_every=0.2
    )
    async with worker:
        worker.wake()
        async with asyncio.timeout(60):
            while (await storage.broadcasts.get(broadcast.id)).status != "done":  # noqa: ASYNC110 -- the status lives in the database
                await asyncio.sleep(0.05)
    return broadcast.id


def bodies(server, wa_id: str) -> list[dict]:
    """What the Graph API accepted for `wa_id` after the greeting exchange."""
    return [m for m in server.graph.sent_to(wa_id) if TEXT.split()[0] in str(m)]


async def deliveries(server, broadcast_id: int) -> dict[str, dict]:
    rows = await server.deps.storage.db.fetchall(
        """SELECT u.user_id, d.status, d.message_id, d.receipt, d.error FROM deliveries d
           JOIN users u ON u.id = d.user_pk WHERE d.broadcast_id = ?""",
        (broadcast_id,),
    )
    return {row["user_id"]: dict(row) for row in rows}


async def test_template_only_outside_the_window_and_receipts(wa_server):
    await people(wa_server)
    broadcast_id = await run_broadcast(wa_server)
    (inside,) = bodies(wa_server, INSIDE)
    assert inside["type"] == "text" and inside["text"]["body"].startswith(TEXT)
    for wa_id in (OUTSIDE, NEVER):
        (outside,) = bodies(wa_server, wa_id)
        assert outside["type"] == "template"
        parameter = outside["template"]["components"][0]["parameters"][0]["text"]
        assert parameter.startswith(TEXT.replace("\n", " · ")) and "\n" not in parameter
    assert wa_server.graph.rejected == []

    rows = await deliveries(wa_server, broadcast_id)
    assert {rows[w]["status"] for w in (INSIDE, OUTSIDE, NEVER)} == {"sent"}
    updates = [
        status(rows[INSIDE]["message_id"], INSIDE, "delivered"),
        status(rows[OUTSIDE]["message_id"], OUTSIDE, "read"),
        status(rows[OUTSIDE]["message_id"], OUTSIDE, "delivered"),  # late: ignored
        status(rows[NEVER]["message_id"], NEVER, "failed", error_code=131026),
    ]
    for update in updates:
        assert (await wa_server.post(update)).status_code == 200
    await wa_server.channel.webhook.drain()
    rows = await deliveries(wa_server, broadcast_id)
    assert rows[INSIDE]["receipt"] == "delivered" and rows[INSIDE]["status"] == "sent"
    assert rows[OUTSIDE]["receipt"] == "read"
    assert rows[NEVER]["receipt"] == "failed" and rows[NEVER]["status"] == "blocked"
    assert "131026" in rows[NEVER]["error"]
    assert (await wa_server.deps.storage.users.get("whatsapp", NEVER)).blocked
    counts = await wa_server.deps.storage.receipts.counts(broadcast_id)
    assert counts == {"delivered": 1, "read": 1, "failed": 1}


async def test_window_closed_at_meta_falls_back_to_the_template(wa_server):
    await people(wa_server)
    wa_server.graph.window_closed.add(INSIDE)  # 131047 in the send answer
    await run_broadcast(wa_server)
    assert [m["type"] for m in bodies(wa_server, INSIDE)] == ["template"]
    assert 131047 in [code for _, code in wa_server.graph.refused]


async def test_late_131047_status_resends_as_template_and_receipts_follow(wa_server):
    await people(wa_server)
    broadcast_id = await run_broadcast(wa_server)
    first = (await deliveries(wa_server, broadcast_id))[INSIDE]["message_id"]
    failed = status(first, INSIDE, "failed", error_code=131047)
    for _ in range(2):  # re-delivered: still only one template
        assert (await wa_server.post(failed)).status_code == 200
        await wa_server.channel.webhook.drain()
    sent = bodies(wa_server, INSIDE)
    assert [m["type"] for m in sent] == ["text", "template"]
    template = await wa_server.deps.storage.db.fetchone(
        "SELECT wamid FROM whatsapp_messages WHERE origin_wamid = ?", (first,)
    )
    await wa_server.post(status(template[0], INSIDE, "delivered"))
    await wa_server.channel.webhook.drain()
    row = (await deliveries(wa_server, broadcast_id))[INSIDE]
    assert row["receipt"] == "delivered" and row["status"] == "sent"


async def test_rate_limit_backs_off_and_everyone_gets_one_copy(wa_server):
    await people(wa_server)
    wa_server.channel.sender.retry_after[130429] = 0.05
    wa_server.graph.fail(130429, times=3)
    broadcast_id = await run_broadcast(wa_server)
    assert [code for _, code in wa_server.graph.refused].count(130429) == 3
    for wa_id in (ADMIN, INSIDE, OUTSIDE, NEVER):
        assert len(bodies(wa_server, wa_id)) == 1, wa_id
    rows = await deliveries(wa_server, broadcast_id)
    assert {row["status"] for row in rows.values()} == {"sent"}
