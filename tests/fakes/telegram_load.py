"""Simulated Telegram users living beside the stand-in Bot API: ask, wait for the answer, ask again.

Run it in a process of its own so that the bot under test has its CPU to itself:

    python -m tests.fakes.telegram_load
    -> {"base_url": "http://127.0.0.1:PORT/bot", "token": "..."}     (first line on stdout)
    <- run FIRST_USER_ID USERS PER_USER                                (a line on stdin)
    -> {"answered": N, "elapsed_s": ..., "p50_ms": ..., "p99_ms": ...}  (when every user is done)

A question counts as answered when the first message to that user arrives after it; the
next question goes out at once. Latency is pushed -> first reply, measured here.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time

from tests.fakes.telegram_api import FakeBotApi
from tests.fakes.telegram_updates import user


class SimulatedUsers:
    """Users `first_id`... each asking `per_user` questions one after another."""

    def __init__(self, api: FakeBotApi, questions: list[str]) -> None:
        self.api = api
        self.questions = questions
        self.latencies: list[float] = []
        self.replies = 0
        self._asked_at: dict[int, float] = {}
        self._left: dict[int, int] = {}
        self._done = asyncio.Event()

    def _ask(self, chat_id: int) -> None:
        self._left[chat_id] -= 1
        question = self.questions[(chat_id + self._left[chat_id]) % len(self.questions)]
        self._asked_at[chat_id] = time.perf_counter()
        self.api.send_text(user(chat_id, f"User{chat_id}", "id"), question)

    def _on_message(self, message: dict) -> None:
        self.replies += 1
        chat_id = message["chat"]["id"]
        asked = self._asked_at.pop(chat_id, None)
        if asked is None:  # not waiting for an answer (a further message of one answer)
            return
        self.latencies.append(time.perf_counter() - asked)
        if self._left[chat_id] > 0:
            self._ask(chat_id)
        elif not self._asked_at and not any(self._left.values()):
            self._done.set()

    async def run(self, first_id: int, users: int, per_user: int, within: float = 600) -> dict:
        self.latencies, self._done, self.replies = [], asyncio.Event(), 0
        polls = len(self.api.calls_to("getUpdates"))
        self._left = {first_id + n: per_user for n in range(users)}
        self.api.on_message = self._on_message
        started = time.perf_counter()
        for chat_id in list(self._left):
            self._ask(chat_id)
        try:
            async with asyncio.timeout(within):
                await self._done.wait()
        finally:
            self.api.on_message = None
        elapsed = time.perf_counter() - started
        return {
            "answered": len(self.latencies),
            "replies": self.replies,  # every message sent to these users
            "polls": len(self.api.calls_to("getUpdates")) - polls,
            "elapsed_s": elapsed,
            "p50_ms": statistics.median(self.latencies) * 1000,
            "p99_ms": statistics.quantiles(self.latencies, n=100)[98] * 1000,
        }


async def _serve(questions: list[str]) -> None:
    loop = asyncio.get_running_loop()
    async with FakeBotApi() as api:
        print(json.dumps({"base_url": api.base_url, "token": api.token}), flush=True)
        crowd = SimulatedUsers(api, questions)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            command, *numbers = line.split()
            if command == "run":
                first_id, users, per_user = map(int, numbers)
                print(json.dumps(await crowd.run(first_id, users, per_user)), flush=True)


if __name__ == "__main__":
    asyncio.run(_serve(json.loads(sys.argv[1]) if len(sys.argv) > 1 else ["Apa itu MEA?"]))
