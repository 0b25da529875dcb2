"""Several workers on one PostgreSQL: outbox and inbox claims with leases, leader election."""

from __future__ import annotations

import asyncio
import gc
from datetime import timedelta

import pytest

from storage import open_storage
from storage.audience import Audience
from tests.support.broadcasting import add_user

pytestmark = pytest.mark.postgresql


async def _workers(url: str, n: int):
    return [await open_storage(url, pool_size=3) for _ in range(n)]


async def test_concurrent_claims_never_share_a_row_and_a_dead_workers_lease_expires(
    database_url,
):
    a, b = await _workers(database_url, 2)
    try:
        for i in range(40):
            await add_user(a, str(5000 + i))
        broadcast = await a.broadcasts.create_now(("telegram", "9000", "id"), "Halo", Audience())
        ids = [d.id for d in await a.deliveries.due("telegram", a.db.now(), 100)]
        lease = a.db.now() + timedelta(seconds=60)
        first = await b.deliveries.claim_batch(ids[:5], "worker-b", lease)
        took_a, took_b = await asyncio.gather(  # both go for every row at once
            a.deliveries.claim_batch(ids, "worker-a", lease),
            b.deliveries.claim_batch(ids, "worker-b", lease),
        )
        took_b += first
        assert not set(took_a) & set(took_b) and sorted(took_a + took_b) == sorted(ids)
        # worker-a dies here; its lease still runs: nobody takes its rows yet
        assert await b.deliveries.release_in_doubt("telegram") == 0
        assert await b.deliveries.renew("worker-b", lease + timedelta(seconds=60)) == len(took_b)
        b.db.now = lambda: a.db.now() + timedelta(seconds=61)  # a's lease is over, b's renewed
        assert await b.deliveries.release_in_doubt("telegram") == len(took_a)
        again = [d.id for d in await b.deliveries.due("telegram", b.db.now(), 100)]
        assert sorted(again) == sorted(took_a)  # exactly the dead worker's rows come back
        counts = await b.broadcasts.counts(broadcast.id)
        want = {"pending": len(took_a), "sending": len(took_b)}
        assert counts == {status: n for status, n in want.items() if n}
    finally:
        for storage in (a, b):
            await storage.close()


async def test_one_leader_at_a_time_and_failover(database_url):
    a, b = await _workers(database_url, 2)
    try:
        first, second = a.db.leadership("scheduler"), b.db.leadership("scheduler")
        assert await first.lead() is True
        assert await second.lead() is False
        assert await first.lead() is True  # still
        await first.resign()  # or dies: its session ends either way
        assert await second.lead() is True
        assert await first.lead() is False
        await second.resign()
    finally:
        for storage in (a, b):
            await storage.close()


async def test_a_stop_cancelling_an_election_anywhere_leaves_asyncpg_nothing_unread(
    database_url,
):
    """A worker's stop cancels a non-leader's election wherever it is (connecting, asking for
    the lock, dropping the connection); asyncpg must not be left a future nobody reads, which
    asyncio logs as an error at the stop (seen in a worker's log under load)."""
    loop = asyncio.get_running_loop()
    unread: list[str] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: unread.append(context["message"]))
    [storage] = await _workers(database_url, 1)
    leader = storage.db.leadership("scheduler")
    try:
        assert await leader.lead() is True
        for turns in range(60):  # cancelled after 0, 1, 2 ... turns of the event loop
            task = asyncio.create_task(storage.db.leadership("scheduler").lead())
            for _ in range(turns):
                await asyncio.sleep(0)
            task.cancel()
            [result] = await asyncio.gather(task, return_exceptions=True)
            assert result is False or isinstance(result, asyncio.CancelledError)
        background = ("connect", "Connection.close")  # finished after a cancelled election
        async with asyncio.timeout(10):
            while any(t.get_coro().__qualname__ in background for t in asyncio.all_tasks()):  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        for _ in range(3):  # the dropped transports' connection_lost callbacks
            await asyncio.sleep(0)
        gc.collect()  # a future nobody read is reported when it is collected
    finally:
        loop.set_exception_handler(previous)
        await leader.resign()
        await storage.close()
    assert unread == []


async def test_a_second_worker_refuses_to_poll_telegram(make_settings, capsys):
    from wiring.runners import run_telegram

    settings = make_settings(TELEGRAM_BOT_TOKEN="123456:TEST-token")
    holder = await open_storage(settings.database_url, pool_size=2)
    lead = holder.db.leadership("telegram-polling")
    try:
        assert await lead.lead()  # the first worker polls
        assert await run_telegram(settings, None) == 1
        assert "already polls Telegram" in capsys.readouterr().err
    finally:
        await lead.resign()
        await holder.close()


async def test_handoff_outbox_and_inbox_rows_of_a_dead_worker_are_taken_after_its_lease(
    database_url,
):
    a, b = await _workers(database_url, 2)
    try:
        ids = [await a.outbox.add("telegram", str(7000 + i), "reply", "[]") for i in range(6)]
        lease = a.db.now() + timedelta(seconds=60)
        took_a = await a.outbox.claim_batch(ids[:4], "worker-a", lease)
        took_b = await b.outbox.claim_batch(ids, "worker-b", lease)
        assert sorted(took_a + took_b) == ids and not set(took_a) & set(took_b)
        await a.inbox.add("telegram", [("1", "{}"), ("2", "{}")], "worker-a", lease)
        await b.inbox.add("telegram", [("3", "{}")], "worker-b", lease)
        # worker-a dies here. Its leases still run: nobody takes its rows yet.
        assert await b.outbox.release_in_doubt("telegram") == 0
        assert await b.inbox.take_over("telegram", "worker-b", lease) == []
        # worker-b renews; a's leases run out.
        later = lease + timedelta(seconds=60)
        assert await b.outbox.renew("worker-b", later) == 2
        assert await b.inbox.renew("worker-b", later) == 1
        b.db.now = lambda: lease + timedelta(seconds=1)
        assert await b.outbox.release_in_doubt("telegram") == 4
        assert sorted(m.id for m in await b.outbox.due("telegram", b.db.now(), 10)) == took_a
        taken = await b.inbox.take_over("telegram", "worker-b", later)
        assert [m.key for m in taken] == ["1", "2"]  # a's messages, in arrival order
        assert await b.inbox.take_over("telegram", "worker-c", later) == []  # b holds them now
        # b stops: rows it claimed but never tried go back for anyone
        assert await b.outbox.release_own("worker-b", "telegram") == 2
        assert await b.outbox.count(status="pending") == 6
    finally:
        for storage in (a, b):
            await storage.close()


async def test_a_restarted_worker_takes_back_its_own_rows_at_once(database_url):
    a = await open_storage(database_url, pool_size=2)
    try:
        lease = a.db.now() + timedelta(seconds=60)
        [row] = [await a.outbox.add("telegram", "7001", "reply", "[]")]
        await a.outbox.claim_batch([row], "w1", lease)
        await a.inbox.add("telegram", [("9", "{}")], "w1", lease)
        # WORKER_ID=w1 starts again: its rows are in doubt now, not after the lease
        assert await a.outbox.release_in_doubt("telegram", own="w2") == 0
        assert await a.outbox.release_in_doubt("telegram", own="w1") == 1
        assert await a.inbox.take_over("telegram", "w1", lease) == []
        assert [m.key for m in await a.inbox.take_over("telegram", "w1", lease, own=True)] == ["9"]
    finally:
        await a.close()


async def test_the_flood_limit_and_a_chats_gap_hold_across_workers(make_settings):
    from handlers.broadcast.shared_pacing import SharedPacer
    from handlers.flood import SharedFloodGuard, Verdict
    from wiring.deps import open_deps

    settings = make_settings(FLOOD_RATE="0.5", FLOOD_BURST="4")
    a, b = await open_deps(settings), await open_deps(settings)
    try:
        guards = [SharedFloodGuard(d.storage.pace, 0.5, 4) for d in (a, b)]
        # a flooder's messages spread over two workers (a round-robin proxy)
        verdicts = [await guards[n % 2].allow("telegram", "666") for n in range(8)]
        assert verdicts == [Verdict.ALLOW] * 4 + [Verdict.WARN] + [Verdict.SILENCE] * 3
        assert await guards[1].allow("telegram", "777") is Verdict.ALLOW

        gap = 0.2
        first = SharedPacer(a.storage.pace, "telegram", rate=100, chat_gap=gap)
        second = SharedPacer(b.storage.pace, "telegram", rate=100, chat_gap=gap)
        await first.go("42")
        sent = first.clock()
        await second.go("42")  # the other worker's message to the same chat waits the gap
        assert second.clock() - sent > gap / 2  # (without sharing: at once)
        await second.go("43")  # another chat does not
    finally:
        for deps in (a, b):
            await deps.storage.close()
