"""SIGKILL the real bot process at random points while 100 users register, on Telegram and on
WhatsApp; no message is lost on either."""

from __future__ import annotations

import asyncio
import json
import random
import re
import sqlite3
from pathlib import Path

import httpx
import pytest
import yaml

from tests.fakes import graph_api
from tests.fakes import telegram_updates as updates
from tests.fakes.asgi import serving
from tests.support.botprocess import BotProcess, WatchedBotApi
from tests.support.whatsapp import notification as wa_notification
from tests.support.whatsapp_process import ServeProcess, WatchedGraphApi, post_signed

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


class WhatsAppUsers:
    """The same 100 people on WhatsApp: Meta posts each message until the bot answers 200."""

    def __init__(self, graph: WatchedGraphApi, bot: ServeProcess, db: Path) -> None:
        self.graph, self.bot = graph, bot
        self.http = httpx.AsyncClient(base_url=bot.url, timeout=60)
        self.read = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
        self.up = asyncio.Event()
        self.confirmed: dict[int, str] = {}
        self.steps: dict[int, list[str]] = {i: [] for i in range(USERS)}
        self.lost = self.cut_off = 0
        self.sent_at_kill: dict[str, int] = {}

    def state(self, i: int) -> tuple[str | None, dict, bool]:
        row = self.read.execute(
            "SELECT c.step, c.draft FROM conversations c JOIN users u ON u.id = c.user_pk"
            " WHERE u.channel = 'whatsapp' AND u.user_id = ?",
            (phone(i),),
        ).fetchone()
        registered = self.read.execute(
            "SELECT COUNT(*) FROM registrations r JOIN users u ON u.id = r.user_pk"
            " WHERE u.channel = 'whatsapp' AND u.user_id = ?",
            (phone(i),),
        ).fetchone()[0]
        return (row[0], json.loads(row[1]), bool(registered)) if row else (None, {}, bool(registered))

    def in_inbox(self, key: str) -> bool:
        sql = ("SELECT 1 FROM inbox WHERE channel = 'whatsapp' AND message_key = ?"
               " AND status <> 'done'")  # fmt: skip
        return self.read.execute(sql, (key,)).fetchone() is not None

    def notification(self, i: int, action: str, value: str, n: int) -> tuple[str, dict]:
        """(message id, notification) for what user `i` does; the phone step confirms the number."""
        if action == "contact":
            action, value = "press", "reg:phone:wa"
        if action == "text":
            kind, content = "text", {"body": value}
        else:
            kind = "interactive"
            content = {"type": "button_reply", "button_reply": {"id": value, "title": "x"}}
        key = f"wamid.KILL{i:03d}x{n:03d}"
        raw = {"from": phone(i), "id": key, "timestamp": "1764547200", "type": kind, kind: content}
        value_ = {"contacts": [{"profile": {"name": f"Pemilik{i}"}, "wa_id": phone(i)}],
                  "messages": [raw]}  # fmt: skip
        return key, wa_notification(value_)

    async def post(self, notification: dict) -> None:
        """Like Meta: posted again (same message id) until the bot acknowledges it."""
        while True:
            await self.up.wait()
            if await post_signed(self.http, notification) == 200:
                return
            await asyncio.sleep(0.05)  # down or being killed: Meta tries again a little later

    async def register(self, i: int) -> None:
        wa_id, rng = phone(i), random.Random(i)
        await asyncio.sleep(rng.uniform(0, 2))
        lost = False
        for n in range(1, 200):
            step, draft, registered = self.state(i)
            if step is None and registered:
                return
            if step is not None:
                self.steps[i].append(step)
            action, value = ("text", "/daftar") if lost else answer(step, draft, i)
            lost = False
            key, notification = self.notification(i, action, value, n)
            reply = self.graph.expect_reply(wa_id)
            await self.post(notification)
            try:
                result = await asyncio.wait_for(reply, 60)
            except TimeoutError:
                raise AssertionError(f"user {i}: no reply to {value!r} at {step}") from None
            if result is KILLED:
                lost = not await self.after_kill(wa_id, key, notification)
                continue
            if value == "reg:submit" and REFERENCE.search(result[1]):
                self.confirmed[i] = REFERENCE.search(result[1])[0]
            await self.settled(key)
        raise AssertionError(f"user {i} never finished: {self.steps[i][-5:]}")

    async def settled(self, key: str) -> None:
        """Until the bot is done with message `key` (all its replies delivered)."""
        # Done is written after the last reply went out. Checked five times a second: checking
        # on every request, from 100 users, slowed the stand-in enough to time the bot out.
        async with asyncio.timeout(120):
            while self.in_inbox(key):  # noqa: ASYNC110 -- the database is the only signal
                await asyncio.sleep(0.2)

    async def after_kill(self, wa_id: str, key: str, notification: dict) -> bool:
        """The bot died with our message in flight: True if it was answered after all."""
        first = self.sent_at_kill.get(wa_id, 0)  # from the kill that cut this message off
        while True:
            reply = self.graph.expect_reply(wa_id)
            await self.post(notification)  # Meta re-delivers; a stored copy is not taken twice
            await self.settled(key)
            since = self.graph.texts(wa_id)[first:]
            if since:
                self.cut_off += CUT_OFF in since
                return True
            try:
                result = await asyncio.wait_for(reply, 5)
            except TimeoutError:
                self.lost += 1
                return False
            if result is not KILLED:
                self.cut_off += result[1] == CUT_OFF
                return True

    async def killer(self, kills: int, rng: random.Random) -> list[int]:
        points = sorted(rng.sample(range(40, USERS * 14), kills))
        for point in points:
            await self.graph.wait_until(lambda p=point: self.graph.replies >= p, 300)
            await asyncio.sleep(rng.uniform(0, 0.05))
            self.up.clear()
            await self.bot.kill()
            for wa_id in self.graph.waiting:
                self.sent_at_kill[wa_id] = len(self.graph.sent_to(wa_id))
            for future in list(self.graph.waiting.values()):
                if not future.done():
                    future.set_result(KILLED)
            self.graph.waiting.clear()
            await self.bot.start()
            self.up.set()
        return points


async def test_sigkill_at_ten_random_points_while_100_users_register_on_whatsapp(tmp_path):
    db, log = tmp_path / "bot.sqlite3", tmp_path / "bot.log"
    graph = WatchedGraphApi()
    async with serving(graph.app, lifespan="off") as url:
        graph.url = f"{url}/{graph_api.VERSION}"
        bot = ServeProcess(graph, db, log, FLOOD_RATE="0")
        try:
            await bot.start()
            users = WhatsAppUsers(graph, bot, db)
            users.up.set()
            async with asyncio.timeout(900):
                killer = asyncio.create_task(users.killer(KILLS, random.Random(8)))
                await asyncio.gather(*(users.register(i) for i in range(USERS)))
                points = await killer
            await bot.stop()
        finally:
            await bot.kill()
        await users.http.aclose()
        users.read.close()
    resent = bot.log().count("sending the replies of the last run again")
    print(
        f"whatsapp: killed at replies {points}; {users.lost} answers lost in flight,"
        f" {users.cut_off} cut off while being handled (the user was told); {resent} stored"
        " replies sent again after a restart"
    )
    assert bot.starts == KILLS + 1
    assert users.lost == 0
    check_database(db, "whatsapp", phone, users.confirmed, users.steps)
    assert bot.error_lines() == []
