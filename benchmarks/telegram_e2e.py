"""Telegram end to end: FAQ questions from 200 simulated users through the stand-in Bot API.

The real bot (PTB Application, long polling, SQLite file, the whole core) and, against the same
stand-in in the same run, a bare python-telegram-bot echo bot. Every user sends one question,
waits for the answer, then sends the next. Reported: messages per second for both, their ratio
(target >= 0.8), p50/p99 reply latency (update pushed -> first reply arrived), and the bot
process's CPU time per message (steadier than rates on a shared machine). The stand-in
and its simulated users run in a separate process (tests/fakes/telegram_load.py), so the bot
process spends its CPU on the bot.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import Update  # noqa: E402
from telegram.ext import ContextTypes, MessageHandler, filters  # noqa: E402

from channels.telegram.app import TelegramChannel, application_builder  # noqa: E402
from handlers import Assistant  # noqa: E402
from handlers.memory import freeze_live  # noqa: E402
from knowledge import KNOWLEDGE_DIR  # noqa: E402
from settings import load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
USERS = 200
CONCURRENCY = 64  # PTB concurrent_updates (HTTP pool: app.HTTP_POOL), the same for both bots
FALLBACK_QUESTIONS = ["Apa itu Little Bandung?", "Bagaimana cara mengurus NIB?", "Apa itu MEA?"]


def faq_questions() -> list[str]:
    """The first Indonesian sample question of every FAQ entry (real user phrasings)."""
    found = []
    for path in sorted((KNOWLEDGE_DIR / "faq").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            questions = (entry.get("questions") or {}).get("id") or []
            found += questions[:2]
    return found or FALLBACK_QUESTIONS


class Crowd:
    """The stand-in Bot API with its simulated users, in a process of its own."""

    def __init__(self, process: asyncio.subprocess.Process, info: dict) -> None:
        self.process = process
        self.base_url, self.token = info["base_url"], info["token"]

    @classmethod
    async def start(cls, questions: list[str]) -> Crowd:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.fakes.telegram_load", json.dumps(questions),
            cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        return cls(process, json.loads(await process.stdout.readline()))

    async def run(self, first_id: int, users: int, per_user: int) -> dict:
        self.process.stdin.write(f"run {first_id} {users} {per_user}\n".encode())
        await self.process.stdin.drain()
        return json.loads(await self.process.stdout.readline())

    async def close(self) -> None:
        self.process.stdin.close()
        await self.process.wait()


class Statements:
    """SQL statements the bot's database runs while `counting` (SQLite's trace callback)."""

    def __init__(self) -> None:
        self.counting = False
        self.writes = self.reads = 0

    def __call__(self, sql: str) -> None:
        if self.counting:
            verb = sql.lstrip()[:6].upper()
            if verb in ("INSERT", "UPDATE", "DELETE"):
                self.writes += 1
            elif verb == "SELECT":
                self.reads += 1


async def measure(
    crowd: Crowd, first_id: int, per_user: int, statements: Statements | None = None
) -> dict:
    """A warm-up user, then USERS users at once; messages per second and latencies."""
    await crowd.run(first_id, 1, 2)
    cpu = time.process_time()
    if statements is not None:
        statements.counting = True
    result = await crowd.run(first_id + 1, USERS, per_user)
    result["cpu_ms"] = (time.process_time() - cpu) / result["answered"] * 1000
    result["rate"] = result["answered"] / result["elapsed_s"]
    if statements is not None:
        statements.counting = False
        result["writes"] = statements.writes / result["answered"]
        result["reads"] = statements.reads / result["answered"]
    return result


async def assistant_bot(crowd: Crowd, folder: str, first_id: int, per_user: int) -> dict:
    """The real bot: PTB Application + bridge + Assistant + SQLite file, polling the stand-in."""
    from wiring.deps import open_deps

    settings = load_settings(
        environ={
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
            "TELEGRAM_BOT_TOKEN": crowd.token,
            "TELEGRAM_API_URL": crowd.base_url,
        },
        env_file=None,
    )
    deps = await open_deps(settings)
    freeze_live()  # as the runners do after start-up (wiring.deps.opened)
    statements = Statements()
    await deps.storage.db._conn.set_trace_callback(statements)  # noqa: SLF001 -- a bench probe
    channel = TelegramChannel(Assistant(deps), concurrency=CONCURRENCY)
    await channel.start_polling()
    try:
        return await measure(crowd, first_id, per_user, statements)
    finally:
        await channel.stop()
        await deps.storage.close()


async def echo_bot(crowd: Crowd, first_id: int, per_user: int) -> dict:
    """A bare PTB echo bot with the same builder settings, polling the same stand-in."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(update.message.text)

    app = application_builder(crowd.token, crowd.base_url, CONCURRENCY).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        await app.updater.start_polling()
        try:
            return await measure(crowd, first_id, per_user)
        finally:
            await app.updater.stop()
            await app.stop()


def _quiet() -> Callable[[], None]:
    previous = logging.root.level
    logging.root.setLevel(logging.ERROR)
    return lambda: logging.root.setLevel(previous)


def _median(results: list[dict], key: str) -> float:
    return statistics.median(result[key] for result in results)


async def run(quick: bool) -> dict:
    per_user, rounds = (2, 1) if quick else (5, 3)
    questions = faq_questions()
    restore = _quiet()
    bots: list[dict] = []
    echoes: list[dict] = []
    crowd = await Crowd.start(questions)
    try:
        with tempfile.TemporaryDirectory() as folder:
            for n in range(rounds):  # alternate, so that drift on the machine hits both
                echoes.append(await echo_bot(crowd, 1_000_000 * (2 * n + 1), per_user))
                bots.append(await assistant_bot(crowd, folder, 1_000_000 * (2 * n + 2), per_user))
    finally:
        await crowd.close()
        restore()
    keys = ("rate", "p50_ms", "p99_ms", "answered", "cpu_ms")
    ours = {key: _median(bots, key) for key in (*keys, "writes", "reads")}
    echo = {key: _median(echoes, key) for key in keys}
    ratio = ours["rate"] / echo["rate"]
    print(f"  {USERS} users x {per_user} FAQ questions, {rounds} round(s), medians")
    print(
        f"  assistant bot: {ours['rate']:.0f} msg/s, p50 {ours['p50_ms']:.0f} ms, "
        f"p99 {ours['p99_ms']:.0f} ms"
    )
    print(
        f"  bare PTB echo: {echo['rate']:.0f} msg/s, p50 {echo['p50_ms']:.0f} ms, "
        f"p99 {echo['p99_ms']:.0f} ms"
    )
    print(f"  ratio {ratio:.2f} (target >= 0.8)")
    print(f"  database per message: {ours['writes']:.2f} write and {ours['reads']:.2f} read "
          "statements")
    print(
        f"  bot-process CPU per message: assistant {ours['cpu_ms']:.1f} ms, "
        f"echo {echo['cpu_ms']:.1f} ms (CPU-bound ratio {echo['cpu_ms'] / ours['cpu_ms']:.2f})"
    )
    return {
        "users": USERS,
        "questions_per_round": int(ours["answered"]),
        "rounds": rounds,
        "bot_msgs_per_s": round(ours["rate"], 1),
        "echo_msgs_per_s": round(echo["rate"], 1),
        "ratio_vs_echo": round(ratio, 2),
        "bot_p50_ms": round(ours["p50_ms"], 1),
        "bot_p99_ms": round(ours["p99_ms"], 1),
        "echo_p50_ms": round(echo["p50_ms"], 1),
        "echo_p99_ms": round(echo["p99_ms"], 1),
        "bot_cpu_ms_per_msg": round(ours["cpu_ms"], 2),
        "db_writes_per_msg": round(ours["writes"], 2),
        "db_reads_per_msg": round(ours["reads"], 2),
        "echo_cpu_ms_per_msg": round(echo["cpu_ms"], 2),
        "cpu_bound_ratio": round(echo["cpu_ms"] / ours["cpu_ms"], 2),
    }
