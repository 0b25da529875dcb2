"""The Bot API away for a while (refused, 500s, too slow): the bot retries, logs little, recovers."""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.fakes import telegram_updates as updates
from tests.support.botprocess import BotProcess, WatchedBotApi

pytestmark = pytest.mark.slow

USERS = [updates.user(8_000_001 + i, f"U{i}", "id") for i in range(10)]
READ_TIMEOUT = 3.0  # PLATFORM_READ_TIMEOUT (15 s by default), short for the test
LOUD = re.compile(r" (WARNING|ERROR|CRITICAL) ")


def loud_lines(bot: BotProcess, since: int) -> list[str]:
    """WARNING and worse lines logged after line `since`."""
    return [line for line in bot.log().splitlines()[since:] if LOUD.search(line)]


async def logged(bot: BotProcess, since: int, text: str, within: float = 60) -> None:
    """Return once the bot logged a loud line with `text` after line `since` (a guard, not a
    test: the stand-in may be down, so the log file itself is watched)."""
    async with asyncio.timeout(within):
        while not any(text in line for line in loud_lines(bot, since)):  # noqa: ASYNC110 -- another process writes the log
            await asyncio.sleep(0.05)


async def everyone_says(api: WatchedBotApi, text: str, within: float = 120) -> None:
    """Every user sends `text`; returns when each of them got an answer."""
    before = {u["id"]: len(api.sent_to(u["id"])) for u in USERS}
    for n, sender in enumerate(USERS):
        api.push_update(updates.text(sender, text, 100 + n))
    await api.wait_until(
        lambda: all(len(api.sent_to(u["id"])) > before[u["id"]] for u in USERS), within
    )


async def test_refused_500s_and_slow_answers_are_ridden_out(tmp_path):
    async with WatchedBotApi() as api:
        bot = BotProcess(api, tmp_path / "bot.sqlite3", tmp_path / "bot.log", FLOOD_RATE="0",
                         PLATFORM_READ_TIMEOUT=str(READ_TIMEOUT))
        await bot.start()
        await everyone_says(api, "/start")
        report = {}

        # Each outage ends when the bot says it does ("works again", logged once a call went
        # through): the next one starts only then, so each line is counted with its own outage.
        # 1. Connections refused until the bot has noticed (Telegram keeps the users' messages).
        mark = len(bot.log().splitlines())
        await api.stop()
        for n, sender in enumerate(USERS):
            api.push_update(updates.text(sender, "/help", 100 + n))
        await logged(bot, mark, "failing")
        await api.start()  # same port
        await api.wait_until(lambda: all(len(api.sent_to(u["id"])) > 1 for u in USERS), 120)
        await logged(bot, mark, "works again")
        report["refused"] = loud_lines(bot, mark)

        # 2. Every call answered 500 for a while.
        mark = len(bot.log().splitlines())
        api.fail_next("*", 500, times=25)
        await everyone_says(api, "/menu")
        await logged(bot, mark, "works again")
        report["500s"] = loud_lines(bot, mark)
        assert not api.faults  # all 25 failures were met, and ridden out

        # 3. Answers slower than the bot's read timeout: it gives up and tries again.
        mark = len(bot.log().splitlines())
        chat = USERS[0]["id"]
        api.slow_next("sendMessage", READ_TIMEOUT + 1, times=1)
        before = len(api.sent_to(chat))
        api.push_update(updates.text(USERS[0], "/help", 999))
        await api.wait_until(lambda: len(api.sent_to(chat)) > before, 90)
        await everyone_says(api, "/start")  # and everyone else is still answered
        await logged(bot, mark, "works again")
        report["slow"] = loud_lines(bot, mark)
        assert bot.alive
        assert await bot.stop() == 0
        await api.wait_until(lambda: api.delayed == 0, 30)  # the slow answer was given too
        copies = len(api.sent_to(chat)) - before - 1  # the /start answer is one of them

    print({name: len(lines) for name, lines in report.items()}, f"copies after timeout: {copies}")
    for name, lines in report.items():  # one line per outage, not one per message or retry
        assert len(lines) == 2, f"{name}: {lines}"
        assert "failing" in lines[0] and "works again" in lines[1], f"{name}: {lines}"
    assert copies <= 2  # the timed-out call may still have arrived: at most one extra copy
    assert bot.error_lines() == []
