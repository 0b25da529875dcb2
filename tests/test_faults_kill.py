"""SIGKILL the real bot process at random points while 100 users register; nothing is lost."""

from __future__ import annotations

import asyncio
import json
import random
import re
import sqlite3
from pathlib import Path

import pytest
import yaml

from tests.fakes import telegram_updates as updates
from tests.support.botprocess import BotProcess, WatchedBotApi

pytestmark = pytest.mark.slow

USERS = 100
KILLS = 10
FIRST_CHAT = 7_000_001
KILLED = object()  # what a user's wait resolves to when the bot dies under it
REFERENCE = re.compile(r"UMKM-\d{4}-\d{6}")
TEXTS = Path(__file__).resolve().parent.parent / "knowledge" / "texts" / "id" / "inbox.yaml"
# What a user whose message was being handled when the bot died is told after the restart.
CUT_OFF = yaml.safe_load(TEXTS.read_text(encoding="utf-8"))["inbox.interrupted"]
# Form order, to check that a user's step never goes back to an earlier question.
ORDER = ["consent", "owner_name", "business_name", "subsector", "description", "city",
         "district", "phone", "email", "nib", "scale", "export_experience", "interests",
         "website", "summary"]  # fmt: skip


def phone(i: int) -> str:
    return f"62812{FIRST_CHAT + i:08d}"


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


class Users:
    """100 people registering concurrently; they read their step from the database as it is."""

    def __init__(self, api: WatchedBotApi, bot: BotProcess, db: Path) -> None:
        self.api, self.bot = api, bot
        self.read = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
        self.up = asyncio.Event()
        self.confirmed: dict[int, str] = {}  # user -> reference the bot told them
        self.steps: dict[int, list[str]] = {i: [] for i in range(USERS)}
        self.lost = 0  # messages in flight at a kill that got no answer at all
        self.cut_off = 0  # ... that got the "may not have gone through" notice instead
        self.sent_at_kill: dict[int, int] = {}  # chat -> messages it had got when the bot died

    def state(self, i: int) -> tuple[str | None, dict, bool]:
        """(step, draft, registered) of user `i` as stored now."""
        row = self.read.execute(
            "SELECT c.step, c.draft FROM conversations c JOIN users u ON u.id = c.user_pk"
            " WHERE u.channel = 'telegram' AND u.user_id = ?",
            (str(FIRST_CHAT + i),),
        ).fetchone()
        registered = self.read.execute(
            "SELECT COUNT(*) FROM registrations r JOIN users u ON u.id = r.user_pk"
            " WHERE u.user_id = ?",
            (str(FIRST_CHAT + i),),
        ).fetchone()[0]
        return (
            (row[0], json.loads(row[1]), bool(registered)) if row else (None, {}, bool(registered))
        )

    def in_inbox(self, update_id: int) -> bool:
        """True while the bot keeps `update_id` stored: its replies are not all delivered yet."""
        sql = ("SELECT 1 FROM inbox WHERE channel = 'telegram' AND message_key = ?"
               " AND status <> 'done'")  # fmt: skip
        return self.read.execute(sql, (str(update_id),)).fetchone() is not None

    def push(self, i: int, action: str, value: str, n: int) -> int:
        sender = updates.user(FIRST_CHAT + i, f"Pemilik{i}", "id")
        if action == "text":
            return self.api.push_update(updates.text(sender, value, n))
        if action == "contact":
            return self.api.push_update(updates.contact(sender, value, n))
        shown = self.api.last_message[FIRST_CHAT + i]  # the question the user is answering
        return self.api.push_update(updates.callback(sender, shown, value, f"k{i}-{n}"))

    async def register(self, i: int) -> None:
        """Answer whatever the stored step asks until the registration is stored."""
        chat, rng = FIRST_CHAT + i, random.Random(i)
        await asyncio.sleep(rng.uniform(0, 2))
        lost = False
        for n in range(1, 200):
            step, draft, registered = self.state(i)
            if step is None and registered:
                return
            if step is not None:
                self.steps[i].append(step)
            # A user whose last answer went unanswered comes back with /daftar (and resumes).
            action, value = ("text", "/daftar") if lost else answer(step, draft, i)
            lost = False
            await self.up.wait()
            reply = self.api.expect_reply(chat)
            update_id = self.push(i, action, value, n)
            try:
                result = await asyncio.wait_for(reply, 60)
            except TimeoutError:
                raise AssertionError(
                    f"user {i}: no reply to {value!r} at {step}; bot alive: {self.bot.alive};"
                    f" last: {self.api.texts(chat)[-2:]}"
                ) from None
            if result is KILLED:
                lost = not await self.after_kill(chat, update_id)
                continue
            if value == "reg:submit" and REFERENCE.search(result[1]):
                self.confirmed[i] = REFERENCE.search(result[1])[0]
            # Replies go out at least once: after a kill an earlier one may come again, so the
            # step is read once the bot is done with this message (as `after_kill` does).
            await self.settled(update_id)
        raise AssertionError(f"user {i} never finished: {self.steps[i][-5:]}")

    async def settled(self, update_id: int) -> None:
        """Until the bot has taken `update_id` and delivered all its replies."""
        await self.api.wait_until(lambda: self.api.delivered(update_id), 60)
        await self.api.wait_until(lambda: not self.in_inbox(update_id), 120)

    async def after_kill(self, chat: int, update_id: int) -> bool:
        """The bot died with our message in flight: True if it was answered after all."""
        # Counted from the kill that cut this message off: a later kill may come meanwhile.
        first = self.sent_at_kill.get(chat, 0)
        while True:
            await self.up.wait()
            reply = self.api.expect_reply(chat)
            await self.api.wait_until(lambda: self.api.delivered(update_id), 60)
            # Still in the bot's inbox: it will be answered (replayed after the restart).
            await self.api.wait_until(lambda: not self.in_inbox(update_id), 120)
            # Perhaps answered before this user started listening again.
            since = self.api.texts(chat)[first:]
            if since:
                self.cut_off += CUT_OFF in since
                return True
            try:
                result = await asyncio.wait_for(reply, 5)
            except TimeoutError:  # taken by the dead process and never answered
                self.lost += 1
                return False
            if result is not KILLED:
                self.cut_off += result[1] == CUT_OFF
                return True
            # Killed again meanwhile: the message may still be answered, keep waiting for it.

    async def killer(self, kills: int, rng: random.Random) -> list[int]:
        """SIGKILL the bot after random numbers of replies, then start it again."""
        points = sorted(rng.sample(range(40, USERS * 14), kills))
        for point in points:
            await self.api.wait_until(lambda p=point: self.api.replies >= p, 300)
            await asyncio.sleep(rng.uniform(0, 0.05))
            self.up.clear()
            await self.bot.kill()
            for chat in self.api.waiting:
                self.sent_at_kill[chat] = len(self.api.sent_to(chat))
            for future in list(self.api.waiting.values()):
                if not future.done():
                    future.set_result(KILLED)
            self.api.waiting.clear()
            await self.bot.start()
            self.up.set()
        return points


async def test_sigkill_at_ten_random_points_while_100_users_register(tmp_path):
    db, log = tmp_path / "bot.sqlite3", tmp_path / "bot.log"
    async with WatchedBotApi() as api:
        bot = BotProcess(api, db, log, FLOOD_RATE="0")
        await bot.start()
        users = Users(api, bot, db)
        users.up.set()
        rng = random.Random(8)
        async with asyncio.timeout(900):
            killer = asyncio.create_task(users.killer(KILLS, rng))
            await asyncio.gather(*(users.register(i) for i in range(USERS)))
            points = await killer
        await bot.stop()
        users.read.close()
    resent = bot.log().count("sending the replies of the last run again")
    print(
        f"telegram: killed at replies {points}; {users.lost} answers lost in flight, {users.cut_off}"
        f" cut off while being handled (the user was told); {resent} stored replies sent again"
        " after a restart; users came back"
    )
    assert bot.starts == KILLS + 1

    check_database(db, "telegram", lambda i: str(FIRST_CHAT + i), users.confirmed, users.steps)
    assert bot.error_lines() == []


def check_database(db: Path, channel: str, user_id, confirmed: dict, steps: dict) -> None:
    """Every user registered once, with their own answers; nothing half-written."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 0
    rows = conn.execute(
        "SELECT u.user_id, r.reference, r.status, r.owner_name, r.business_name, r.description,"
        " r.phone, r.interests FROM registrations r JOIN users u ON u.id = r.user_pk"
        " WHERE u.channel = ?",
        (channel,),
    ).fetchall()
    conn.close()
    assert len(rows) == USERS
    index = {user_id(i): i for i in range(USERS)}
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
        if i in confirmed:  # what the bot told the user is what is stored
            assert confirmed[i] == reference
    for i, seen in steps.items():  # half-finished forms resumed at their step, never earlier
        form = [ORDER.index(s) for s in seen if s in ORDER]
        assert form == sorted(form), f"user {i} went back: {seen}"
