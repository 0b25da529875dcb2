"""Resident memory of a fresh bot process with 100,000 stored users and 10,000 conversations open.

The parent builds the database (executemany, one transaction), then starts a fresh process that
opens it, builds the Assistant and handles messages; that process reports its own RSS. The same
probe on an empty database shows what the stored data itself costs in memory.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS, CONVERSATIONS, REGISTRATIONS = 100_000, 10_000, 20_000
QUICK = (20_000, 2_000, 4_000)
QUESTIONS = [
    "gmn caranya gabung little bandung kak",
    "What is the sister city programme with Petaling Jaya?",
    "apa itu MEA",
    "macam mana nak daftar perniagaan",
    "berapa biaya ikut little bandung",
]


def rss_kb() -> dict[str, int]:
    """VmRSS and VmHWM (peak) of this process in kB, from /proc."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def _draft(i: int) -> dict:
    """A registration draft three questions in (the registration flow's own shape)."""
    answers = {
        "owner_name": f"Pemilik {i}",
        "business_name": f"Usaha {i}",
        "subsector": "kuliner",
        "description": "Keripik singkong pedas khas Bandung",
    }
    try:
        from handlers.registration.state import new_draft

        draft = new_draft()
        draft["answers"] = answers
        draft["consent_at"], draft["consent_version"] = "2026-11-01T00:00:00+00:00", "2026-11-v1"
        return draft
    except ImportError:  # the flow is not there: the state is stored all the same
        return {"mode": "new", "answers": answers}


def build_database(path: str, users: int, conversations: int, registrations: int) -> None:
    """Migrate through the storage package, then bulk-insert the rows."""
    from storage import open_storage

    async def migrate() -> None:
        await (await open_storage(path)).close()

    asyncio.run(migrate())
    now = "2026-11-01T00:00:00+00:00"
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO users (id, channel, user_id, display_name, language, first_seen, last_seen)"
            " VALUES (?, 'telegram', ?, ?, ?, ?, ?)",
            ((i, str(10_000_000 + i), f"User {i}", ("id", "en", "ms")[i % 3], now, now)
             for i in range(1, users + 1)),
        )  # fmt: skip
        draft = _draft(0)
        conn.executemany(
            "INSERT INTO conversations (user_pk, flow, step, draft, updated_at)"
            " VALUES (?, 'register', 'city', ?, ?)",
            ((i, json.dumps(draft), now) for i in range(1, conversations + 1)),
        )
        conn.executemany(
            "INSERT INTO registrations (user_pk, reference, status, owner_name, business_name,"
            " subsector, description, city, district, phone, scale, export_experience, language,"
            " consent_at, consent_version, created_at, updated_at)"
            " VALUES (?, ?, 'submitted', 'Sari', 'Warung Sari', 'kuliner', 'Keripik singkong',"
            " 'Bandung', 'Coblong', ?, 'mikro', 'none', 'id', ?, 'v1', ?, ?)",
            ((i, f"UMKM-2026-{i:06d}", f"+62812{i:08d}", now, now, now)
             for i in range(users - registrations + 1, users + 1)),
        )  # fmt: skip
    conn.close()


async def probe(path: str, messages: int) -> dict:
    """In the fresh process: open, build the Assistant, handle messages; report memory."""
    from handlers import Assistant, Incoming
    from settings import load_settings
    from wiring.deps import open_deps

    after_import = rss_kb()["VmRSS"]
    settings = load_settings(
        environ={"DATABASE_URL": f"sqlite:///{path}", "FLOOD_RATE": "0"}, env_file=None
    )
    deps = await open_deps(settings)
    assistant = Assistant(deps)
    opened = rss_kb()["VmRSS"]
    users = await deps.storage.users.count()
    rng = random.Random(7)
    started = time.perf_counter()
    for n in range(messages):
        user = str(10_000_000 + rng.randint(1, max(users, 1))) if users else str(n)
        kind = n % 3
        if kind == 0:  # carry on an open registration (or start talking)
            incoming = Incoming.from_text("telegram", user, "Bandung")
        elif kind == 1:
            incoming = Incoming.from_text("telegram", user, rng.choice(QUESTIONS))
        else:
            incoming = Incoming.from_text("telegram", user, "/status")
        await assistant.handle(incoming)
    elapsed = time.perf_counter() - started
    after = rss_kb()
    await deps.storage.close()
    return {
        "after_import_kb": after_import,
        "opened_kb": opened,
        "after_kb": after["VmRSS"],
        "peak_kb": after["VmHWM"],
        "messages": messages,
        "msg_per_s": messages / elapsed,
    }


def run_probe(path: str, messages: int) -> dict:
    """Start a fresh interpreter for the probe and read its JSON line."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", "--probe", path, str(messages)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


async def run(quick: bool) -> dict:
    return await asyncio.to_thread(measure, quick)


def measure(quick: bool) -> dict:
    """Build both databases, probe each in a fresh process, and compare."""
    users, conversations, registrations = QUICK if quick else (USERS, CONVERSATIONS, REGISTRATIONS)
    messages = 600 if quick else 3_000
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        full, empty = str(Path(tmp) / "full.sqlite3"), str(Path(tmp) / "empty.sqlite3")
        started = time.perf_counter()
        build_database(full, users, conversations, registrations)
        built = time.perf_counter() - started
        build_database(empty, 0, 0, 0)
        loaded = run_probe(full, messages)
        bare = run_probe(empty, messages)
        db_mb = os.path.getsize(full) / 2**20
    mb = 1 / 1024
    figures = {
        "stored_users": users,
        "open_conversations": conversations,
        "db_file_mb": round(db_mb, 1),
        "db_build_s": round(built, 1),
        "rss_after_open_mb": round(loaded["opened_kb"] * mb, 1),
        "rss_after_messages_mb": round(loaded["after_kb"] * mb, 1),
        "rss_peak_mb": round(loaded["peak_kb"] * mb, 1),
        "rss_empty_db_after_messages_mb": round(bare["after_kb"] * mb, 1),
        "messages_handled": messages,
    }
    print(
        f"memory: {users:,} users, {conversations:,} open conversations ({db_mb:.0f} MB file):"
        f" RSS {figures['rss_after_messages_mb']} MB after {messages} messages"
        f" (empty database: {figures['rss_empty_db_after_messages_mb']} MB)"
    )
    return figures


if __name__ == "__main__" and sys.argv[1:2] == ["--probe"]:
    print(json.dumps(asyncio.run(probe(sys.argv[2], int(sys.argv[3])))))
