"""The SIGKILL test's people and checks, the same on Telegram and on WhatsApp.

Users register concurrently against the real bot process while it is SIGKILLed at random points
and started again. Each user sends one message at a time, as the platform would deliver it
(Telegram keeps an update until the bot confirms it; Meta posts a webhook again until the bot
answers 200), and waits until the bot is done with it: the platform has it acknowledged and
its row in the bot's inbox is `done`, which the bot writes only after the replies went out. A
message is *lost* if it is done and its user got no reply at all since sending it. The user
then comes back with /daftar, and the test fails at the end.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REFERENCE = re.compile(r"UMKM-\d{4}-\d{6}")
TEXTS = Path(__file__).resolve().parents[2] / "knowledge" / "texts" / "id" / "inbox.yaml"
# What a user whose message was being handled when the bot died is told after the restart.
CUT_OFF = yaml.safe_load(TEXTS.read_text(encoding="utf-8"))["inbox.interrupted"]
# Form order, to check that a user's step never goes back to an earlier question.
ORDER = ["consent", "owner_name", "business_name", "subsector", "description", "city",
         "district", "phone", "email", "nib", "scale", "export_experience", "interests",
         "website", "summary"]  # fmt: skip
FIRST = 7_000_001


def phone(i: int) -> str:
    return f"62812{FIRST + i:08d}"


def answer(step: str | None, draft: dict, i: int) -> tuple[str, str]:
    """What user `i` does at `step` (read from the stored conversation state)."""
    picks = draft.get("picks") or []
    return {
        None: ("text", "/daftar"),
        "resume": ("press", "reg:resume:continue"),
        "consent": ("press", "reg:consent:yes"),
        "owner_name": ("text", f"Pemilik {i}"),
        "business_name": ("text", f"Usaha Nomor {i}"),
        "subsector": ("press", "reg:pick:subsector:kuliner"),
        "description": ("text", f"Keripik singkong nomor {i} khas Bandung"),
        "city": ("text", "Bandung"),
        "district": ("text", "Coblong"),
        "phone": ("contact", phone(i)),
        "email": ("press", "reg:skip"),
        "nib": ("press", "reg:skip"),
        "scale": ("press", "reg:pick:scale:mikro"),
        "export_experience": ("press", "reg:pick:export_experience:none"),
        "interests": ("press", "reg:done" if "showcase" in picks else "reg:toggle:showcase"),
        "website": ("press", "reg:skip"),
        "summary": ("press", "reg:submit"),
    }[step]


@dataclass
class Channel:
    """What the users need of one channel's stand-in and bot process."""

    name: str
    user_id: Callable[[int], str]  # user i's id in the bot's database
    send: Callable[[int, str, str, int], Awaitable[str]]  # delivers; returns the inbox key
    acknowledged: Callable[[str], bool]  # the platform knows the bot has the message
    replies: Callable[[int], list[str]]  # texts of every reply user i got, in order
    total: Callable[[], int]  # replies to anyone so far
    wait: Callable[[Callable[[], bool], float], Awaitable[None]]  # re-checked on activity
    poke: Callable[[], None]  # wake the waiters to check again (the database changed)
    bot: object  # a BotProcess: start(), kill(), starts
    restarts: int = 0  # restarts done, each once the bot was ready again


@dataclass
class Users:
    """`count` people registering concurrently through `channel`, reading their step from the
    database as it is."""

    channel: Channel
    db: Path
    count: int
    confirmed: dict[int, str] = field(default_factory=dict)  # user -> reference they were told
    steps: dict[int, list[str]] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)  # messages done without any reply
    cut_off: int = 0  # messages cut off while handled (the user got the notice instead)
    in_flight_at_kill: list[int] = field(default_factory=list)
    open: set[str] = field(default_factory=set)  # messages sent and not done yet

    def __post_init__(self) -> None:
        self.read = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, check_same_thread=False)
        self.steps = {i: [] for i in range(self.count)}
        self.done: set[str] = set()

    def state(self, i: int) -> tuple[str | None, dict, bool]:
        """(step, draft, registered) of user `i` as stored now."""
        uid, channel = self.channel.user_id(i), self.channel.name
        row = self.read.execute(
            "SELECT c.step, c.draft FROM conversations c JOIN users u ON u.id = c.user_pk"
            " WHERE u.channel = ? AND u.user_id = ?",
            (channel, uid),
        ).fetchone()
        registered = self.read.execute(
            "SELECT COUNT(*) FROM registrations r JOIN users u ON u.id = r.user_pk"
            " WHERE u.channel = ? AND u.user_id = ?",
            (channel, uid),
        ).fetchone()[0]
        found = (row[0], json.loads(row[1])) if row else (None, {})
        return (*found, bool(registered))

    async def watch_inbox(self) -> None:
        """Mark open messages done as the bot writes it: one query for everyone, twenty times a
        second (a query per user on every stand-in request slowed the stand-in too much)."""
        while True:
            keys = list(self.open - self.done)
            if keys:
                marks = ",".join("?" * len(keys))
                rows = self.read.execute(
                    f"SELECT message_key FROM inbox WHERE channel = ? AND status = 'done'"  # noqa: S608
                    f" AND message_key IN ({marks})",
                    (self.channel.name, *keys),
                ).fetchall()
                if rows:
                    self.done.update(row[0] for row in rows)
                    self.channel.poke()
            await asyncio.sleep(0.05)  # the database is the only signal of "done"

    async def register(self, i: int) -> None:
        """Answer whatever the stored step asks until the registration is stored."""
        came_back = False
        for n in range(1, 200):
            step, draft, registered = self.state(i)
            if step is None and registered:
                return
            if step is not None:
                self.steps[i].append(step)
            # A user whose message went unanswered comes back with /daftar (and resumes).
            action, value = ("text", "/daftar") if came_back else answer(step, draft, i)
            before = len(self.channel.replies(i))
            key = await self.channel.send(i, action, value, n)
            self.open.add(key)
            await self.channel.wait(lambda k=key: self.channel.acknowledged(k), 120)
            await self.channel.wait(lambda k=key: k in self.done, 120)
            self.open.discard(key)
            got = self.channel.replies(i)[before:]
            came_back = not got
            if came_back:
                self.lost.append(f"user {i}: {value!r} at {step}")
            self.cut_off += CUT_OFF in got
            found = [REFERENCE.search(text) for text in got if value == "reg:submit"]
            if any(found):
                self.confirmed[i] = next(m for m in found if m)[0]
        raise AssertionError(f"user {i} never finished: {self.steps[i][-5:]}")

    async def killer(self, kills: int, rng: random.Random) -> list[int]:
        """SIGKILL the bot after random numbers of replies, then start it again."""
        points = sorted(rng.sample(range(self.count // 2, self.count * 12), kills))
        for point in points:
            # past the point, and at a moment a message is in flight: a kill between two messages
            # (one user left, its answer just marked done) would prove nothing
            await self.channel.wait(
                lambda p=point: self.channel.total() >= p and bool(self.open - self.done), 300
            )
            self.in_flight_at_kill.append(len(self.open))
            await self.channel.bot.kill()
            await self.channel.bot.start()
            self.channel.restarts += 1
            self.channel.poke()  # a webhook refused meanwhile is posted again at once
        return points

    async def run(self, kills: int, seed: int = 8) -> list[int]:
        """Everyone registers while the killer does its work; the kill points."""
        watcher = asyncio.create_task(self.watch_inbox())
        try:
            async with asyncio.timeout(600):
                killer = asyncio.create_task(self.killer(kills, random.Random(seed)))
                await asyncio.gather(*(self.register(i) for i in range(self.count)))
                return await killer
        finally:
            watcher.cancel()
            self.read.close()

    def report(self, points: list[int], log: str) -> str:
        resent = log.count("sending the replies of the last run again")
        return (
            f"{self.channel.name}: killed at replies {points} with {self.in_flight_at_kill}"
            f" messages in flight; {len(self.lost)} lost, {self.cut_off} cut off while being"
            f" handled (the user was told); {resent} stored replies sent again after a restart"
        )


def check_database(db: Path, users: Users) -> None:
    """Every user registered once, with their own answers; nothing half-written."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 0
    rows = conn.execute(
        "SELECT u.user_id, r.reference, r.status, r.owner_name, r.business_name, r.description,"
        " r.phone, r.interests FROM registrations r JOIN users u ON u.id = r.user_pk"
        " WHERE u.channel = ?",
        (users.channel.name,),
    ).fetchall()
    conn.close()
    assert len(rows) == users.count
    index = {users.channel.user_id(i): i for i in range(users.count)}
    for uid, reference, status, owner, business, description, number, interests in rows:
        i = index[uid]
        assert (owner, business, number, status) == (
            f"Pemilik {i}",
            f"Usaha Nomor {i}",
            "+" + phone(i),
            "submitted",
        ), f"user {i}: fields mixed up or lost"
        assert description == f"Keripik singkong nomor {i} khas Bandung"
        assert json.loads(interests) == ["showcase"]
        if i in users.confirmed:  # what the bot told the user is what is stored
            assert users.confirmed[i] == reference
    for i, seen in users.steps.items():  # half-finished forms resumed at their step, never earlier
        form = [ORDER.index(s) for s in seen if s in ORDER]
        assert form == sorted(form), f"user {i} went back: {seen}"
