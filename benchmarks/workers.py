"""Worker scaling: handled messages per second, SQLite with one process and PostgreSQL with
1, 2 and 3 `python bot.py serve` workers, Telegram webhooks spread round-robin.

Closed loop, no thinking time: USERS people each send a message (an FAQ question, /status or
/menu, one reply each), wait for the reply, and send the next, so the bot is never idle; the
figure is what the workers can handle, not an offered load. Reported per set-up: messages
answered per second over the measured seconds (after a warm-up), and p50/p99 from the webhook
POST to the reply reaching the stand-in Bot API. Each worker has DATABASE_POOL_SIZE=5 (the
test server's 100 connections are shared with whatever else runs). The stand-in and these users run in this
process, on the same cores as the workers (and PostgreSQL): see docs/deploy.md for what that
means. BENCH_WORKERS_SECONDS overrides the measured time (quick: 8 s, full: 30 s).

Then a broadcast to 3,000 (quick: 1,000) through three workers at BROADCAST_RATE 100: the
most and the median sends per sliding second at the stand-in, all workers together.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import tempfile
import time
from pathlib import Path

import asyncpg

from storage import open_storage
from storage.audience import Audience
from tests.engines import create_schema, drop_schema, postgres_unavailable, test_postgres_url
from tests.fakes import telegram_updates as updates
from tests.support.botprocess import WatchedBotApi
from tests.support.broadcasting import add_recipients
from tests.support.workers import Workers, busiest_seconds

USERS = 60
FIRST_CHAT = 6_000_001
MESSAGES = ["Bagaimana cara ikut pameran Little Bandung?", "/status", "apa itu MEA", "/menu",
            "cara daftar nib di oss", "kota kembar bandung apa aja"]  # fmt: skip
SETUPS = [("sqlite", 1), ("postgresql", 1), ("postgresql", 2), ("postgresql", 3)]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by the processes `pids` (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def backends(schema: str | None) -> list[int]:
    """PostgreSQL's server processes serving this schema's connections (named after it)."""
    if schema is None:
        return []
    conn = await asyncpg.connect(test_postgres_url())
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE application_name = $1", schema)
    finally:
        await conn.close()
    return [row[0] for row in rows]


async def measure(engine: str, n: int, seconds: float, warmup: float) -> dict:
    """Start `n` workers on a fresh database, run the users, stop; the figures."""
    folder = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    schema = None
    if engine == "sqlite":
        url = f"sqlite:///{folder / 'bot.sqlite3'}"
    else:
        url, schema = await create_schema()
    try:
        async with WatchedBotApi() as api:
            workers = Workers(api, url, folder, n, FLOOD_RATE="0")
            try:
                await workers.start()
                return await drive(api, workers, seconds, warmup, schema)
            finally:
                await workers.stop()
    finally:
        if schema is not None:
            await drop_schema(schema)


async def drive(
    api: WatchedBotApi, workers: Workers, seconds: float, warmup: float, schema: str | None
) -> dict:
    rounds = itertools.count()
    ids = itertools.count(1)
    latencies: list[float] = []
    measuring = asyncio.Event()
    stop = asyncio.Event()
    failed = redelivered = 0

    async def person(i: int) -> None:
        nonlocal failed, redelivered
        chat = FIRST_CHAT + i
        sender = updates.user(chat, f"Warga{i}", "id")
        for n in itertools.count(1):
            if stop.is_set():
                return
            update = updates.text(sender, MESSAGES[(i + n) % len(MESSAGES)], n)
            update["update_id"] = next(ids)
            reply = api.expect_reply(chat)
            started = time.perf_counter()
            while await workers.post(next(rounds) % len(workers.ports), update) != 200:
                redelivered += 1  # as Telegram does: the same update again, to the next one
            try:
                answered, _ = await asyncio.wait_for(reply, 30)
            except TimeoutError:
                failed += 1
                continue
            if measuring.is_set() and not stop.is_set():
                latencies.append(answered - started)

    people = [asyncio.create_task(person(i)) for i in range(USERS)]
    await asyncio.sleep(warmup)  # the bench's own clock: not a test
    pids = [p.proc.pid for p in workers.processes]
    database = await backends(schema)
    cpu = (cpu_seconds(pids), cpu_seconds(database), cpu_seconds([os.getpid()]))
    measuring.set()
    began = time.perf_counter()
    await asyncio.sleep(seconds)
    stop.set()
    elapsed = time.perf_counter() - began
    used = [cpu_seconds(pids) - cpu[0], cpu_seconds(database) - cpu[1],
            cpu_seconds([os.getpid()]) - cpu[2]]  # fmt: skip
    await asyncio.gather(*people)
    latencies.sort()
    answered = max(1, len(latencies))
    return {
        "msg_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1),
        "unanswered": failed,  # no reply within 30 s
        "redelivered": redelivered,  # webhooks answered 503 (not stored) and posted again
        # CPU per answered message: the workers, PostgreSQL's processes for them, and this
        # process (the stand-in Bot API and the users); with the load average, what limits it
        "cpu_ms_workers": round(used[0] * 1000 / answered, 2),
        "cpu_ms_postgres": round(used[1] * 1000 / answered, 2),
        "cpu_ms_standin": round(used[2] * 1000 / answered, 2),
        "load_avg_1m": round(os.getloadavg()[0], 1),
    }


async def broadcast_rate(rate: float, recipients: int, n: int = 3) -> dict:
    """A broadcast through `n` workers on PostgreSQL at BROADCAST_RATE `rate`: the sends per
    sliding second at the stand-in (all workers together) while deliveries were waiting."""
    folder = Path(tempfile.mkdtemp(prefix="bench-broadcast-"))
    url, schema = await create_schema()
    try:
        storage = await open_storage(url, pool_size=2)
        try:
            await add_recipients(storage, FIRST_CHAT, recipients)
            async with WatchedBotApi() as api:
                workers = Workers(api, url, folder, n, BROADCAST_RATE=str(rate),
                                  BROADCAST_PROGRESS_EVERY="1")
                try:
                    await workers.start()
                    await storage.broadcasts.create_now(("telegram", "9000", "id"), "Info",
                                                        Audience())
                    await api.wait_until(  # the author's report: the broadcast is over
                        lambda: "Laporan" in api.last_message.get(9000, {}).get("text", ""),
                        within=recipients / rate * 5 + 60)
                finally:
                    await workers.stop()
        finally:
            await storage.close()
    finally:
        await drop_schema(schema)
    times = sorted(c.at for c in api.calls
                   if c.method in ("sendMessage", "editMessageText") and not c.faulted)
    windows = busiest_seconds(times)
    steady = [w for w, t in zip(windows, times, strict=True) if t + 1.0 <= times[-1]]
    return {
        "rate": rate,
        "recipients": recipients,
        "sends_max_per_s": max(windows),
        "sends_median_per_s": statistics.median(steady),
        "median_share_of_rate": round(statistics.median(steady) / rate, 3),
        "load_avg_1m": round(os.getloadavg()[0], 1),
    }


async def run(quick: bool) -> dict:
    seconds = float(os.environ.get("BENCH_WORKERS_SECONDS", "8" if quick else "30"))
    warmup = 3.0 if quick else 5.0
    figures: dict[str, object] = {"users": USERS, "seconds": seconds}
    for engine, n in SETUPS:
        if engine == "postgresql" and (why := postgres_unavailable()):
            figures[f"{engine}_{n}"] = f"skipped: {why}"
            continue
        result = await measure(engine, n, seconds, warmup)
        for key, value in result.items():
            figures[f"{engine}_{n}w_{key}"] = value
    if not postgres_unavailable():
        for key, value in (await broadcast_rate(100.0, 1000 if quick else 3000)).items():
            figures[f"broadcast_3w_{key}"] = value
    return figures
