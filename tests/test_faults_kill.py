"""SIGKILL the real bot process at random points while users register, on Telegram and on
WhatsApp: no message is lost, no form mixed up or set back (tests/support/killtest.py)."""

from __future__ import annotations

import contextlib

import httpx
import pytest

from tests.fakes import graph_api
from tests.fakes import telegram_updates as updates
from tests.fakes.asgi import serving
from tests.support.botprocess import BotProcess, WatchedBotApi
from tests.support.killtest import FIRST, Channel, Users, check_database, phone
from tests.support.whatsapp_process import (
    ServeProcess,
    WatchedGraphApi,
    post_signed,
    user_message,
)

pytestmark = pytest.mark.slow

# 30 people at once keep messages in flight at every kill (the test prints how many and fails
# on a kill that met none); each kill and restart costs a bot start (~1-2 s of CPU).
USERS = 30
KILLS = 5


def telegram(api: WatchedBotApi, bot: BotProcess) -> Channel:
    async def send(i: int, action: str, value: str, n: int) -> str:
        sender = updates.user(FIRST + i, f"Pemilik{i}", "id")
        if action == "text":
            update = updates.text(sender, value, n)
        elif action == "contact":
            update = updates.contact(sender, value, n)
        else:  # a press on the question the user is answering
            update = updates.callback(sender, api.last_message[FIRST + i], value, f"k{i}-{n}")
        return str(api.push_update(update))

    return Channel(
        name="telegram",
        user_id=lambda i: str(FIRST + i),
        send=send,
        acknowledged=lambda key: api.delivered(int(key)),  # Telegram keeps it until confirmed
        replies=lambda i: api.reply_texts.get(FIRST + i, []),
        total=lambda: api.replies,
        wait=api.wait_until,
        poke=api.notify,
        bot=bot,
    )


def whatsapp(graph: WatchedGraphApi, bot: ServeProcess, http: httpx.AsyncClient) -> Channel:
    channel: Channel

    async def send(i: int, action: str, value: str, n: int) -> str:
        if action == "contact":  # WhatsApp offers the number the user writes from
            action, value = "press", "reg:phone:wa"
        key = f"wamid.KILL{i:03d}x{n:03d}"
        body = user_message(phone(i), key, action, value, f"Pemilik{i}")
        while True:  # Meta posts it again until acknowledged: here once the bot is back
            seen = channel.restarts
            if await post_signed(http, body) == 200:
                return key
            with contextlib.suppress(TimeoutError):  # or in a second, if it never went away
                await channel.wait(lambda s=seen: channel.restarts > s, 1)

    channel = Channel(
        name="whatsapp",
        user_id=phone,
        send=send,
        acknowledged=lambda key: True,  # send returns once the bot answered 200
        replies=lambda i: graph.reply_texts.get(phone(i), []),
        total=lambda: graph.replies,
        wait=graph.wait_until,
        poke=graph.notify,
        bot=bot,
    )
    return channel


def check(users: Users, bot: BotProcess, points: list[int], db) -> None:
    print(users.report(points, bot.log()))
    assert bot.starts == KILLS + 1
    assert all(users.in_flight_at_kill), "a kill met no message in flight"
    assert users.lost == [], "messages done without any reply"
    check_database(db, users)
    assert bot.error_lines() == []


async def test_sigkill_at_random_points_while_users_register_on_telegram(tmp_path):
    db = tmp_path / "bot.sqlite3"
    async with WatchedBotApi() as api:
        bot = BotProcess(api, db, tmp_path / "bot.log", FLOOD_RATE="0")
        await bot.start()
        users = Users(telegram(api, bot), db, USERS)
        points = await users.run(KILLS)
        await bot.stop()
    check(users, bot, points, db)


async def test_sigkill_at_random_points_while_users_register_on_whatsapp(tmp_path):
    db = tmp_path / "bot.sqlite3"
    graph = WatchedGraphApi()
    async with serving(graph.app, lifespan="off") as url:
        graph.url = f"{url}/{graph_api.VERSION}"
        bot = ServeProcess(graph, db, tmp_path / "bot.log", FLOOD_RATE="0")
        try:
            await bot.start()
            async with httpx.AsyncClient(base_url=bot.url, timeout=60) as http:
                users = Users(whatsapp(graph, bot, http), db, USERS)
                points = await users.run(KILLS)
            await bot.stop()
        finally:
            await bot.kill()
    check(users, bot, points, db)
