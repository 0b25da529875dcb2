"""Load: 2,000 simulated users for 60 s through the stand-in Bot API against `python bot.py telegram`.

Every user is a closed loop: send, wait for the reply, think, send again. A third ask FAQ
questions (reading an answer and asking the next takes 1-3 minutes), a third fill in the
registration form (10-30 s a question; one in 20 of them 1.5-4 s, so that some forms are
submitted within the run) and then check /status, a third check /status and the menu (1-3
minutes). That offers about 45 messages a second from 2,000 people, all of them
active at once. Reported: replies per
second, p50/p99 time from update to first reply, and errors (no reply within 30 s, an apology,
a call the real Bot API would refuse, an ERROR logged, a registration confirmed but not stored,
a damaged database). BENCH_LOAD_USERS / BENCH_LOAD_SECONDS override the size (quick: 300 users
for 20 s).

One user in 50 asks for a person instead (/petugas, then their question) and then checks /status
like the others: reported is the time from their question to the agent's card arriving in the
agent's Telegram chat (p50/p99), through the durable outbox at its per-chat pace of one message
a second. `python -m benchmarks load` runs just this benchmark.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from tests.fakes import telegram_updates as updates
from tests.support.botprocess import BotProcess, WatchedBotApi

REPLY_TIMEOUT = 30.0
THINK = {"faq": (60.0, 180.0), "register": (10.0, 30.0), "status": (60.0, 180.0),
         "quick": (1.5, 4.0)}  # fmt: skip
# One registrant in QUICK_FORM_EVERY knows every answer (1.5-4 s a step): the form's 17 steps at
# 10-30 s take longer than the run, and without these no form would be submitted, so a
# registration confirmed but not stored could never be seen (session 24: 0 in every run before)
QUICK_FORM_EVERY = 20
FIRST_CHAT = 5_000_001
QUESTIONS = {
    "id": ["gmn caranya gabung little bandung kak", "apa itu MEA", "cara daftar nib di oss",
           "kota kembar bandung apa aja", "berapa biaya ikut little bandung"],
    "en": ["How do I join Little Bandung?", "what is the ASEAN Economic Community",
           "how to get halal certification", "sister cities of Bandung"],
    "ms": ["macam mana nak sertai little bandung", "apa itu komuniti ekonomi asean",
           "bandar berkembar bandung"],
}  # fmt: skip
# The registration form answered step by step (see tests/test_telegram_e2e.py).
FORM = [
    ("text", "/daftar"), ("press", "reg:consent:yes"), ("text", "Sari Wulandari"),
    ("text", "Warung Sari"), ("press", "reg:pick:subsector:kuliner"),
    ("text", "Kopi bubuk dan kue kering khas Bandung"), ("text", "Bandung"), ("text", "Coblong"),
    ("contact", None), ("press", "reg:skip"), ("press", "reg:skip"),
    ("press", "reg:pick:scale:mikro"), ("press", "reg:pick:export_experience:none"),
    ("press", "reg:toggle:showcase"), ("press", "reg:done"), ("press", "reg:skip"),
    ("press", "reg:submit"), ("text", "/status"),
]  # fmt: skip
STATUS = [("text", "/start"), ("text", "/status"), ("press", "menu:help"), ("text", "/menu")]
AGENT_CHAT = 9000  # ADMIN_IDS of the bot under load: it receives every ticket's card
HANDOFF_EVERY = 50  # one user in 50 asks for a person


LoadApi = WatchedBotApi


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.timeouts = 0
        self.apologies = 0
        self.registered = 0
        self.kinds: dict[str, int] = {}
        self.handoff_asked: dict[str, float] = {}  # question token -> time it was sent
        self.handoff_notified: dict[str, float] = {}  # token -> time the agent's card arrived

    def watch_agent(self, message: dict) -> None:
        """The stand-in's hook: a card reaching the agent names the question's token."""
        if message["chat"]["id"] == AGENT_CHAT:
            for token in self.handoff_asked.keys() - self.handoff_notified.keys():
                if token in message.get("text", ""):
                    self.handoff_notified[token] = time.perf_counter()


async def user_loop(api: LoadApi, i: int, stop_at: float, stats: Stats, bad: set[str]) -> None:
    """One simulated person, until `stop_at`."""
    rng = random.Random(i)
    chat = FIRST_CHAT + i
    lang = ("id", "id", "en", "ms")[i % 4]
    sender = updates.user(chat, f"User{i}", lang)
    persona = ("faq", "register", "status")[i % 3]
    script = itertools.cycle(STATUS) if persona == "status" else iter(FORM)
    token = f"nomor {chat}"
    if i % HANDOFF_EVERY == HANDOFF_EVERY - 1:  # asks for a person, then checks /status
        persona = "handoff"
        question = ("text", f"Saya butuh bantuan petugas soal izin usaha, {token}")
        script = itertools.chain([("text", "/petugas"), question], itertools.cycle(STATUS))
    ids = itertools.count(1)
    think = THINK["register" if persona == "handoff" else persona]  # typing the question
    if persona == "register" and i % QUICK_FORM_EVERY == 0:
        think = THINK["quick"]
    await asyncio.sleep(rng.uniform(0, min(think[0], seconds_left(stop_at) / 2)))  # spread out
    while time.perf_counter() < stop_at:
        if persona == "faq":
            action, value = "text", rng.choice(QUESTIONS[lang])
        else:
            action, value = next(script, ("text", rng.choice(QUESTIONS[lang])))
        future = api.expect_reply(chat)
        sent = time.perf_counter()
        if action == "text":
            api.push_update(updates.text(sender, value, next(ids)))
        elif action == "contact":
            api.push_update(updates.contact(sender, f"62812{chat:08d}", next(ids)))
        else:
            shown = api.last_message.get(chat, {"message_id": 1, "chat": {"id": chat}})
            api.push_update(updates.callback(sender, shown, value, f"q{chat}-{next(ids)}"))
        if value is not None and token in value:
            stats.handoff_asked[token] = sent
        try:
            answered, text = await asyncio.wait_for(future, REPLY_TIMEOUT)
        except TimeoutError:
            stats.timeouts += 1
            api.waiting.pop(chat, None)
            return
        stats.latencies.append(answered - sent)
        stats.kinds[persona] = stats.kinds.get(persona, 0) + 1
        if text.strip() in bad:
            stats.apologies += 1
        if value == "reg:submit":
            stats.registered += 1
        pause = rng.uniform(*think)
        if time.perf_counter() + pause >= stop_at:
            return  # the run is over for this person; do not wait past its end
        await asyncio.sleep(pause)


async def wait_for_cards(api: LoadApi, stats: Stats, stall: float = 30.0) -> None:
    """After the run: the cards still queued for the agent (one a second) arrive; stop waiting
    only when none has arrived for `stall` seconds (the rest count as missing)."""
    while not stats.handoff_notified.keys() >= stats.handoff_asked.keys():
        arrived = len(stats.handoff_notified)
        try:
            await api.wait_until(lambda n=arrived: len(stats.handoff_notified) > n, stall)
        except TimeoutError:
            return


async def start_bot(bot: BotProcess) -> float:
    """Start the bot and wait until it polls (its readiness), however loaded the machine is:
    BENCH_LOAD_START_WITHIN seconds at most (default 600). Returns the seconds it took."""
    began = time.perf_counter()
    await bot.start(within=float(os.environ.get("BENCH_LOAD_START_WITHIN", 600)))
    return time.perf_counter() - began


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a running process has used, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    return round(os.getloadavg()[0], 1)


def card_queue_seconds(db: Path) -> list[float]:
    """Per card sent to the agent: seconds from its outbox row written to its row settled."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT created_at, updated_at FROM outbox WHERE purpose = 'notify' AND status = 'sent'"
        ).fetchall()
    finally:
        conn.close()
    return sorted((datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()
                  for a, b in rows)  # fmt: skip


def seconds_left(stop_at: float) -> float:
    return max(0.0, stop_at - time.perf_counter())


def apology_texts() -> set[str]:
    """Every language's "something went wrong" and "slow down" texts: any of them is an error."""
    from knowledge import load_knowledge

    texts = load_knowledge().texts
    keys = ("core.error", "core.storage_error", "limits.slow_down")
    return {texts.render(lang, key) for lang in ("id", "en", "ms") for key in keys}


def check_database(path: Path) -> tuple[bool, int]:
    conn = sqlite3.connect(path)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = conn.execute("SELECT COUNT(*) FROM registrations").fetchone()[0]
    finally:
        conn.close()
    return ok, count


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def run(quick: bool) -> dict:
    users = int(os.environ.get("BENCH_LOAD_USERS", 300 if quick else 2_000))
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", 20 if quick else 60))
    stats, bad = Stats(), apology_texts()
    load_start = load_average()  # the machine's load before: the figures depend on it
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        db, log = Path(tmp) / "load.sqlite3", Path(tmp) / "bot.log"
        async with LoadApi() as api:
            api.on_message = stats.watch_agent
            bot = BotProcess(api, db, log, LOG_LEVEL="WARNING", ADMIN_IDS=f"telegram:{AGENT_CHAT}")
            start_s = await start_bot(bot)
            started = time.perf_counter()
            stop_at = started + seconds
            await asyncio.gather(*(user_loop(api, i, stop_at, stats, bad) for i in range(users)))
            elapsed = time.perf_counter() - started
            await wait_for_cards(api, stats)
            bot_cpu = process_cpu_seconds(bot.proc.pid)
            exit_code = await bot.stop()
            errors_logged = len(bot.error_lines())
        integrity_ok, registrations = check_database(db)
        queued = card_queue_seconds(db)
    lat = sorted(stats.latencies)
    handoff = sorted(stats.handoff_notified[t] - stats.handoff_asked[t]
                     for t in stats.handoff_notified)  # fmt: skip
    missing_cards = len(stats.handoff_asked) - len(handoff)
    rejected = sum(api.rejected.values())
    errors = stats.timeouts + stats.apologies + rejected + errors_logged
    errors += int(registrations != stats.registered) + int(exit_code != 0) + int(not integrity_ok)
    errors += missing_cards
    offered = sum(users / 3 / ((lo + hi) / 2) for lo, hi in THINK.values())
    figures = {
        "users": users,
        "offered_msg_per_s": round(offered, 1),
        "seconds": round(elapsed, 1),
        "replies": len(lat),
        "replies_per_s": round(len(lat) / elapsed, 1),
        "latency_p50_ms": round(percentile(lat, 50) * 1000, 1),
        "latency_p99_ms": round(percentile(lat, 99) * 1000, 1),
        "latency_max_ms": round(lat[-1] * 1000, 1) if lat else None,
        "handoff_requests": len(stats.handoff_asked),
        "handoff_card_p50_ms": round(percentile(handoff, 50) * 1000, 1) if handoff else None,
        "handoff_card_p99_ms": round(percentile(handoff, 99) * 1000, 1) if handoff else None,
        "handoff_cards_missing": missing_cards,
        "handoff_card_outbox_p50_ms": round(percentile(queued, 50) * 1000, 1) if queued else None,
        "handoff_card_outbox_p99_ms": round(percentile(queued, 99) * 1000, 1) if queued else None,
        "bot_start_s": round(start_s, 1),
        "bot_cpu_s": round(bot_cpu, 1),
        "bot_cpu_ms_per_reply": round(bot_cpu * 1000 / len(lat), 2) if lat else None,
        "load_avg_1m_start": load_start,
        "load_avg_1m_end": load_average(),
        "registrations_completed": stats.registered,
        "registrations_stored": registrations,
        "timeouts": stats.timeouts,
        "apologies": stats.apologies,
        "rejected_calls": rejected,
        "errors_logged": errors_logged,
        "errors": errors,
    }
    print(
        f"load: {users} users, {elapsed:.0f} s: {figures['replies_per_s']} replies/s,"
        f" p50 {figures['latency_p50_ms']} ms, p99 {figures['latency_p99_ms']} ms,"
        f" {stats.registered} registrations, {errors} errors;"
        f" {len(stats.handoff_asked)} asked for a person: card to the agent p50"
        f" {figures['handoff_card_p50_ms']} ms, p99 {figures['handoff_card_p99_ms']} ms"
        f" (in the outbox p50 {figures['handoff_card_outbox_p50_ms']} ms,"
        f" p99 {figures['handoff_card_outbox_p99_ms']} ms); bot ready in {start_s:.1f} s"
    )
    if api.rejected:
        print(f"load: calls the Bot API would refuse: {api.rejected}")
    return figures
