"""Broadcast throughput through the real Telegram sender against the stand-in Bot API.

1. BROADCAST_RATE 25/s against a stand-in that, like Telegram, answers 429 beyond 30 messages
   in any second: the achieved rate as a share of 25 (target >= 95%) and the 429s we caused (0).
2. The ceiling: the rate raised to 1,000/s (Telegram's paid-broadcast limit), no limit enforced.
3. For scale: the outbox with a sender that costs nothing, and bare httpx calls to the stand-in.
The stand-in runs in its own process, so that it does not share the bot's event loop.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PTB_TIMEDELTA", "true")

from tests.fakes.telegram_api import FakeBotApi, _error  # noqa: E402

FIRST_CHAT = 700_000
ROOT = Path(__file__).resolve().parent.parent
TELEGRAM_LIMIT = 30  # messages in any one second, as Telegram enforces for bulk sending


class LimitedBotApi(FakeBotApi):
    """The stand-in, refusing sendMessage beyond `limit` per sliding second (429, retry after 1)."""

    def __init__(self, limit: int | None) -> None:
        super().__init__()
        self.limit = limit
        self.window: collections.deque[float] = collections.deque()
        self.accepted: list[float] = []
        self.too_many = 0

    async def _endpoint(self, request):
        method = request.path_params["method"]
        if method == "benchStats":
            done = self.accepted
            return _json({"accepted": len(done), "too_many": self.too_many,
                          "span": done[-1] - done[0] if len(done) > 1 else 0.0})
        if method == "sendMessage" and self.limit is not None:
            now = time.monotonic()
            while self.window and now - self.window[0] >= 1.0:
                self.window.popleft()
            if len(self.window) >= self.limit:
                self.too_many += 1
                return _error(429, "Too Many Requests: retry after 1", {"retry_after": 1})
            self.window.append(now)
        response = await super()._endpoint(request)
        if method == "sendMessage" and response.status_code == 200:
            self.accepted.append(time.monotonic())
        return response


def _json(data: dict):
    from starlette.responses import JSONResponse

    return JSONResponse({"ok": True, "result": data})


async def serve(limit: int | None) -> None:
    """Child process: run the stand-in, print its base URL and token, stop when stdin closes."""
    async with LimitedBotApi(limit) as api:
        print(json.dumps({"base_url": api.base_url, "token": api.token}), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


async def finished(deps, broadcast_id: int) -> None:
    """Return once the broadcast is done (the worker marks it)."""
    while (await deps.storage.broadcasts.get(broadcast_id)).status != "done":  # noqa: ASYNC110
        await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def stand_in(limit: int | None):
    """The stand-in Bot API in a child process; yields (base_url, token)."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "benchmarks.broadcast", "serve", str(limit or 0),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=ROOT,
    )
    try:
        info = json.loads(await asyncio.wait_for(child.stdout.readline(), 30))
        yield info["base_url"], info["token"]
    finally:
        child.stdin.close()
        await child.wait()


async def one_broadcast(folder: str, recipients: int, rate: float, limit: int | None) -> dict:
    """Send one broadcast to `recipients` users at `rate`; the stand-in's figures."""
    import httpx

    from channels.telegram.app import TelegramChannel
    from handlers import Assistant
    from handlers.broadcast.worker import BroadcastWorker
    from settings import load_settings
    from storage.audience import Audience
    from tests.support.broadcasting import add_user
    from wiring.deps import open_deps

    async with stand_in(limit) as (base_url, token):
        db = Path(folder) / f"bench-{rate:g}.sqlite3"
        settings = load_settings(environ={
            "DATABASE_URL": f"sqlite:///{db}", "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_API_URL": base_url, "BROADCAST_RATE": str(rate)}, env_file=None)
        deps = await open_deps(settings)
        channel = TelegramChannel(Assistant(deps))
        await channel.app.initialize()
        for i in range(recipients):
            await add_user(deps.storage, str(FIRST_CHAT + i), name=f"User {i}")
        broadcast = await deps.storage.broadcasts.create_now(
            ("telegram", str(FIRST_CHAT - 1), "en"), "Hello {{ name }}: the expo opens Monday.",
            Audience())
        started = time.perf_counter()
        async with BroadcastWorker(deps, progress_every=1.0, poll=0.05) as worker:
            await finished(deps, broadcast.id)
        elapsed = time.perf_counter() - started
        counts = await deps.storage.broadcasts.counts(broadcast.id)
        stats = worker.outboxes["telegram"].stats
        await channel.app.shutdown()
        await deps.storage.close()
        async with httpx.AsyncClient() as client:
            answer = await client.post(f"{base_url}{token}/benchStats")
        served = answer.json()["result"]
    sent_rate = (served["accepted"] - 1) / served["span"] if served["span"] else 0.0
    return {"sent": counts.get("sent", 0), "rate": sent_rate, "too_many": served["too_many"],
            "retry_later": stats["retry_later"], "elapsed": elapsed}


async def bare_http(requests: int) -> float:
    """sendMessage calls per second a plain httpx client gets from the stand-in right now."""
    import httpx

    async with stand_in(None) as (base_url, token):
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=12)) as client:
            slots = asyncio.Semaphore(12)

            async def one(i: int) -> None:
                async with slots:
                    await client.post(f"{base_url}{token}/sendMessage",
                                      data={"chat_id": FIRST_CHAT + i, "text": "hi"})

            started = time.perf_counter()
            await asyncio.gather(*(one(i) for i in range(requests)))
            return requests / (time.perf_counter() - started)


class NullSender:
    """Accepts every message at once: what the outbox itself (storage, pacing) can do."""

    channel = "telegram"

    def __init__(self) -> None:
        self.count = 0

    async def send(self, user_id: str, replies: list) -> list[str]:
        self.count += 1
        return [str(self.count)]


async def outbox_only(folder: str, recipients: int) -> float:
    """Messages per second with the rate at 1,000/s and a sender that costs nothing."""
    from handlers.broadcast.worker import BroadcastWorker
    from settings import load_settings
    from storage.audience import Audience
    from tests.support.broadcasting import add_user
    from wiring.deps import open_deps

    settings = load_settings(environ={"DATABASE_URL": f"sqlite:///{Path(folder) / 'null.sqlite3'}"},
                             env_file=None)
    deps = await open_deps(settings)
    deps.senders["telegram"] = NullSender()
    for i in range(recipients):
        await add_user(deps.storage, str(FIRST_CHAT + i), name=f"User {i}")
    broadcast = await deps.storage.broadcasts.create_now(("telegram", str(FIRST_CHAT - 1), "en"), "Hi", Audience())
    started = time.perf_counter()
    async with BroadcastWorker(deps, rate=1000, progress_every=1.0, poll=0.05):
        await finished(deps, broadcast.id)
    elapsed = time.perf_counter() - started
    await deps.storage.close()
    return recipients / elapsed


async def run(quick: bool) -> dict:
    paced_n, ceiling_n = (150, 400) if quick else (500, 2000)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        paced = await one_broadcast(folder, paced_n, 25, TELEGRAM_LIMIT)
        ceiling = await one_broadcast(folder, ceiling_n, 1000, None)
        null_rate = await outbox_only(folder, ceiling_n)
        bare = await bare_http(paced_n)
    figures = {
        "broadcast_rate_setting": 25,
        "broadcast_recipients": paced_n,
        "broadcast_achieved_per_s": round(paced["rate"], 2),
        "broadcast_share_of_rate_pct": round(100 * paced["rate"] / 25, 1),
        "broadcast_429_caused": paced["too_many"],
        "broadcast_all_sent": int(paced["sent"] == paced_n),
        "broadcast_ceiling_recipients": ceiling_n,
        "broadcast_ceiling_per_s": round(ceiling["rate"], 1),
        "broadcast_ceiling_share_of_1000_pct": round(ceiling["rate"] / 10, 1),
        "broadcast_ceiling_all_sent": int(ceiling["sent"] == ceiling_n),
        "broadcast_outbox_null_sender_per_s": round(null_rate, 1),
        "broadcast_bare_http_per_s": round(bare, 1),
    }
    print(f"broadcast at 25/s to {paced_n}: {paced['rate']:.2f}/s "
          f"({figures['broadcast_share_of_rate_pct']}% of the setting), "
          f"429s caused: {paced['too_many']}")
    print(f"broadcast ceiling (rate 1000/s) to {ceiling_n}: {ceiling['rate']:.1f}/s; "
          f"outbox alone (sender that costs nothing): {null_rate:.0f}/s; "
          f"bare httpx to the same stand-in: {bare:.0f}/s")
    return figures


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        asyncio.run(serve(int(sys.argv[2]) or None))
    else:
        print(json.dumps(asyncio.run(run("--quick" in sys.argv)), indent=2))
