"""The outbox with an in-process sender: outcomes, retries, restarts, schedule, progress."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

from handlers import Assistant
from handlers.broadcast.worker import BroadcastWorker
from handlers.outbound import PermanentFailure, RetryLater, SendError
from storage.audience import Audience
from tests.support.broadcasting import Clock, RecordingSender, add_registration, add_user
from tests.support.chat import Chat
from wiring.deps import open_deps

ADMIN = ("telegram", "9000", "en")
# Short waits, same behaviour; chat_gap (1 s per chat by default, Telegram's limit) is kept
# but short: tests/test_broadcast_wiring.py checks the default gap itself.
FAST = {"rate": 1000, "progress_every": 0.02, "poll": 0.02, "retry_base": 0.01, "chat_gap": 0.1}


async def until(predicate: Callable[[], object], within: float = 20.0) -> None:
    """Wait for a condition (a guard against hanging, not a timing assertion)."""
    async with asyncio.timeout(within):
        while not await _value(predicate()):  # noqa: ASYNC110 -- polls storage and senders
            await asyncio.sleep(0.01)


def looks_for_due(worker: BroadcastWorker) -> list[bool]:
    """What each of the worker's looks for due broadcasts found (a spy on start_due)."""
    found: list[bool] = []
    real = worker.start_due

    async def spy() -> bool:
        result = await real()
        found.append(result)
        return result

    worker.start_due = spy
    return found


async def _value(result):
    return await result if asyncio.iscoroutine(result) else result


async def populate(storage, n: int) -> list[str]:
    ids = []
    for i in range(n):
        user_id = str(5000 + i)
        pk = await add_user(storage, user_id, name=f"tg{i}", language=("id", "en", "ms")[i % 3])
        if i % 2 == 0:
            await add_registration(storage, pk, owner=f"Pemilik {i}", business=f"Usaha {i}")
        ids.append(user_id)
    return ids


async def done(storage, broadcast_id: int) -> bool:
    return (await storage.broadcasts.get(broadcast_id)).status == "done"


async def test_each_recipient_gets_one_personalised_copy_and_a_report(deps):
    ids = await populate(deps.storage, 30)
    await add_user(deps.storage, "6001", name="Quitter", subscribed=False)
    sender = RecordingSender()
    deps.senders["telegram"] = sender
    broadcast = await deps.storage.broadcasts.create_now(ADMIN, "Halo {{ nama }} ({{ usaha }})", Audience())
    assert broadcast.total == 30  # the unsubscribed user has no delivery row at all
    async with BroadcastWorker(deps, **FAST):
        await until(lambda: done(deps.storage, broadcast.id))
        await until(lambda: any("Report" in t for t in sender.sent["9000"]))
    for i, user_id in enumerate(ids):
        hint = {"id": "Ketik /berhenti", "en": "Type /stop", "ms": "Taip /berhenti"}[("id", "en", "ms")[i % 3]]
        name = f"Pemilik {i} (Usaha {i})" if i % 2 == 0 else f"tg{i} ("
        [text] = sender.sent[user_id]
        assert text.startswith(f"Halo {name}") and text.endswith(hint + ".")
    assert "6001" not in sender.sent
    report = sender.sent["9000"][-1]
    assert report.startswith("Report for broadcast #1: finished") and "Sent: 30" in report
    assert "▓" * 20 + " 100%" in report


async def test_rate_limits_blocks_and_failures_are_settled(deps):
    ids = await populate(deps.storage, 20)
    sender = RecordingSender()
    sender.fail(RetryLater(0.05), times=3)  # a burst of 429s
    sender.blocked = {ids[1], ids[2]}
    sender.fail(SendError("timed out"), user_id=ids[3], times=99)
    sender.fail(SendError("timed out"), user_id=ids[4], times=1)
    sender.fail(PermanentFailure("Bad Request: chat not found"), user_id=ids[5])
    deps.senders["telegram"] = sender
    broadcast = await deps.storage.broadcasts.create_now(ADMIN, "Info {{ name }}", Audience())
    async with BroadcastWorker(deps, max_attempts=3, **FAST) as worker:
        await until(lambda: done(deps.storage, broadcast.id))
        await until(lambda: any("Report" in t for t in sender.sent["9000"]))
    counts = await deps.storage.broadcasts.counts(broadcast.id)
    assert counts == {"sent": 16, "blocked": 2, "failed": 2}
    assert worker.outboxes["telegram"].stats["retry_later"] == 3
    assert all(len(sender.sent[u]) == 1 for u in ids if u not in ids[1:4] + ids[5:6])
    for user_id in ids[1:3]:
        assert (await deps.storage.users.get("telegram", user_id)).blocked
    report = sender.sent["9000"][-1]
    assert "Sent: 16" in report and "Failed: 2" in report and "Blocked the bot: 2" in report
    rows = await deps.storage.db.fetchall(
        "SELECT user_pk, error, attempts FROM deliveries WHERE status = 'failed' ORDER BY id")
    assert [(r["error"], r["attempts"]) for r in rows] == [
        ("timed out", 3), ("Bad Request: chat not found", 1)]

    second = await deps.storage.broadcasts.create_now(ADMIN, "Lagi", Audience())
    assert second.total == 18  # the two who blocked the bot are no longer chosen
    tried = dict(sender.attempts)
    async with BroadcastWorker(deps, **FAST):
        await until(lambda: done(deps.storage, second.id))
    assert all(sender.attempts[u] == tried[u] for u in ids[1:3])  # not tried again
    assert all(sender.attempts[u] == tried[u] + 1 for u in [ids[0], *ids[4:]])


async def test_in_doubt_rows_are_resent_and_delivered_ones_never(deps):
    ids = await populate(deps.storage, 10)
    broadcast = await deps.storage.broadcasts.create_now(ADMIN, "Halo", Audience())
    # a crashed process: three rows delivered, two were in flight (sent or not, nobody knows)
    rows = await deps.storage.db.fetchall("SELECT id FROM deliveries ORDER BY id")
    for row in rows[:3]:
        await deps.storage.deliveries.sent(row["id"], "1")
    await deps.storage.deliveries.claim_batch([rows[3]["id"], rows[4]["id"]])
    sender = RecordingSender()
    deps.senders["telegram"] = sender
    async with BroadcastWorker(deps, **FAST):
        await until(lambda: done(deps.storage, broadcast.id))
        await until(lambda: any("Report" in t for t in sender.sent["9000"]))  # then stop
    assert sorted(sender.sent) == sorted(["9000", *ids[3:]])  # the author gets the report


async def test_a_restart_mid_broadcast_finishes_it_without_duplicates(settings):
    first = await open_deps(settings)
    ids = await populate(first.storage, 200)
    sender = RecordingSender()
    first.senders["telegram"] = sender
    broadcast = await first.storage.broadcasts.create_now(ADMIN, "Halo {{ nama }}", Audience())
    worker = BroadcastWorker(first, **{**FAST, "rate": 200})
    await worker.start()
    await until(lambda: len(sender.sent) >= 60)
    await worker.stop()  # the process is told to stop: calls in flight are settled
    await first.storage.close()
    midway = len(sender.sent)
    assert midway < 200

    second = await open_deps(settings)
    second.senders["telegram"] = sender
    async with BroadcastWorker(second, **FAST):
        await until(lambda: done(second.storage, broadcast.id))
        await until(lambda: any("Report" in t for t in sender.sent["9000"]))
    assert all(len(sender.sent[u]) == 1 for u in ids)
    assert (await second.storage.broadcasts.counts(broadcast.id)) == {"sent": 200}
    await second.storage.close()


async def test_a_scheduled_broadcast_fires_after_a_restart(settings):
    clock = Clock()  # 2026-11-28 02:00 UTC = 09:00 WIB
    first = await open_deps(settings)
    first.storage.db.now = clock
    await populate(first.storage, 5)
    admin = Chat(Assistant(first), "9000")
    await admin.send("/siaran Selamat pagi {{ nama }}")
    await admin.press("Jadwalkan")
    await admin.send("kemarin")
    assert "tidak terbaca" in admin.text
    await admin.send("28-11-2026 08:00")
    assert "sudah lewat" in admin.text
    await admin.send("28-11-2026 10:30")
    assert "Siaran #1 dijadwalkan pada 28-11-2026 10:30 WIB" in admin.text
    await admin.send("/siaran daftar")
    assert "#1 · terjadwal 28-11-2026 10:30 WIB · Selamat pagi {{ nama }}" in admin.text
    sender = RecordingSender()
    first.senders["telegram"] = sender
    worker = BroadcastWorker(first, **FAST)
    looks = looks_for_due(worker)
    async with worker:
        await until(lambda: len(looks) >= 2)  # running, but not due: nothing goes out
    assert not any(looks) and sender.calls == 0
    await first.storage.close()

    clock.advance(hours=1, minutes=31)
    second = await open_deps(settings)
    second.storage.db.now = clock
    second.senders["telegram"] = sender
    async with BroadcastWorker(second, **FAST):
        await until(lambda: done(second.storage, 1))
    assert sender.sent["5000"] == ["Selamat pagi Pemilik 0\n\n— Tidak ingin menerima pengumuman lagi? Ketik /berhenti."]
    assert len(sender.sent) == 6
    broadcast = await second.storage.broadcasts.get(1)
    assert broadcast.started_at == clock.now
    await second.storage.close()


async def test_scheduled_broadcast_can_be_cancelled(admin_chat, deps):
    clock = Clock()
    deps.storage.db.now = clock
    await populate(deps.storage, 3)
    await admin_chat.send("/siaran Halo")
    await admin_chat.press("Jadwalkan")
    await admin_chat.send("11:00")
    assert "28-11-2026 11:00 WIB" in admin_chat.text
    await admin_chat.send("/siaran batal 1")
    assert "Siaran #1 dibatalkan" in admin_chat.text
    await admin_chat.send("/siaran batal 1")
    assert "Tidak ada siaran" in admin_chat.text
    await admin_chat.send("/siaran daftar")
    assert "Tidak ada siaran terjadwal" in admin_chat.text
    clock.advance(hours=3)
    sender = RecordingSender()
    deps.senders["telegram"] = sender
    worker = BroadcastWorker(deps, **FAST)
    looks = looks_for_due(worker)
    async with worker:
        await until(lambda: len(looks) >= 2)  # it looked, and found nothing to start
    assert not any(looks) and sender.calls == 0
    audit = await deps.storage.audit.recent()
    assert [e.action for e in audit] == ["broadcast.cancel", "broadcast.schedule"]


async def test_confirm_from_the_chat_sends_and_status_shows_the_report(admin_chat, deps):
    await populate(deps.storage, 4)
    sender = RecordingSender()
    deps.senders["telegram"] = sender
    async with BroadcastWorker(deps, **FAST):
        await admin_chat.send("/language en")
        await admin_chat.send("/broadcast")
        await admin_chat.send("Dear {{ business }}: the expo opens Monday.")
        await admin_chat.press("Send to 5")
        assert "Broadcast #1 is being sent to 5 recipients" in admin_chat.text
        await until(lambda: done(deps.storage, 1))
        await until(lambda: any("Report" in t for t in sender.sent["9000"]))
    assert sender.sent["5001"] == ["Dear your business: the expo opens Monday.\n\n— Don't want these announcements? Type /stop."]
    await admin_chat.send("/broadcast status 1")
    assert admin_chat.text.startswith("Report for broadcast #1: finished")
    assert "Sent: 5" in admin_chat.text
    entry = (await deps.storage.audit.recent())[0]
    assert (entry.actor, entry.action, entry.target) == ("telegram:9000", "broadcast.send", "broadcast:1")
    await admin_chat.send("/broadcast status 99")
    assert "was not found" in admin_chat.text


async def test_progress_is_one_message_edited_in_place_then_a_report(deps):
    await populate(deps.storage, 40)
    sender = RecordingSender()
    deps.senders["telegram"] = sender
    broadcast = await deps.storage.broadcasts.create_now(ADMIN, "Halo", Audience())
    async with BroadcastWorker(deps, **{**FAST, "rate": 20}):
        await until(lambda: done(deps.storage, broadcast.id))
        await until(lambda: any("Report" in t for t in sender.sent["9000"]))
    first, report = sender.sent["9000"]  # one progress message, edited; one report
    assert first.startswith("Broadcast #1 is being sent\n")
    assert "of 40 left" in first and "s to go" in first
    *running, last = sender.edits["9000"]  # how many updates came depends on the machine's pace
    assert last == report  # the progress message ends showing the report
    left = [int(re.search(r"(\d+) of 40 left", t)[1]) for t in [first, *running]]
    assert left == sorted(left, reverse=True)  # any figures part-way, never going back
    assert all(t.startswith("Broadcast #1 is being sent\n") and "s to go" in t for t in running)
    assert "Recipients: 40" in report and "Sent: 40" in report
    shown = (await deps.storage.broadcasts.get(broadcast.id)).progress_message_id
    assert shown is not None
