"""Registration: N users fill in the whole form at once, in-process, on a real SQLite file.

Reported: wall time, registrations per second, messages per second, and per-message p50/p99
time through `Assistant.handle` (every answer is validated and its state written to SQLite).
BENCH_REG_USERS overrides the size (default 500; quick: 100).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from handlers import Assistant, Incoming
from settings import load_settings
from wiring.deps import open_deps


def form(i: int) -> list[tuple[str, str]]:
    """One user's messages from /daftar to submit: ("text" | "press", value)."""
    return [
        ("text", "/daftar"), ("press", "reg:consent:yes"), ("text", f"Pemilik {i}"),
        ("text", f"Usaha {i}"), ("press", "reg:pick:subsector:kuliner"),
        ("text", f"Keripik pedas nomor {i}"), ("text", "Bandung"), ("text", "Coblong"),
        ("text", f"08123{i:07d}"), ("text", f"usaha{i}@contoh.id"), ("press", "reg:skip"),
        ("press", "reg:pick:scale:mikro"), ("press", "reg:pick:export_experience:once"),
        ("text", "Malaysia"), ("press", "reg:toggle:showcase"), ("press", "reg:done"),
        ("press", "reg:skip"), ("press", "reg:submit"),
    ]  # fmt: skip


async def one_user(assistant: Assistant, i: int, latencies: list[float]) -> bool:
    user_id = f"bench{i}"
    replies = []
    for kind, value in form(i):
        incoming = (
            Incoming.from_text("telegram", user_id, value)
            if kind == "text"
            else Incoming("telegram", user_id, payload=value)
        )
        started = time.perf_counter()
        replies = await assistant.handle(incoming)
        latencies.append(time.perf_counter() - started)
    return any("UMKM-" in reply.text for reply in replies)


async def run(quick: bool) -> dict:
    users = int(os.environ.get("BENCH_REG_USERS", 100 if quick else 500))
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            environ={"DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                     "FLOOD_RATE": "0"},
            env_file=None,
        )
        deps = await open_deps(settings)
        try:
            assistant = Assistant(deps)
            latencies: list[float] = []
            started = time.perf_counter()
            done = await asyncio.gather(*(one_user(assistant, i, latencies) for i in range(users)))
            wall = time.perf_counter() - started
            stored = await deps.storage.registrations.count()
        finally:
            await deps.storage.close()
    latencies.sort()
    result = {
        "reg_users": users,
        "reg_stored": stored,
        "reg_ok": sum(done),
        "reg_wall_s": round(wall, 2),
        "reg_per_s": round(users / wall, 1),
        "reg_messages_per_s": round(len(latencies) / wall, 1),
        "reg_msg_p50_ms": round(statistics.median(latencies) * 1000, 2),
        "reg_msg_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
    }
    print(f"registration: {users} users, {stored} stored in {wall:.1f} s "
          f"({result['reg_per_s']}/s, {result['reg_messages_per_s']} msg/s); "
          f"per message p50 {result['reg_msg_p50_ms']} ms, p99 {result['reg_msg_p99_ms']} ms")
    return result
