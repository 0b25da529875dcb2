"""Several `python bot.py serve` workers on one PostgreSQL schema, against the stand-in Bot API.

Each worker is a real process (SIGKILL-able) with its own port and WORKER_ID (w1, w2...);
they share the database given. Telegram updates reach them as webhooks (`post`). Each has
DATABASE_POOL_SIZE=5 unless told otherwise: 3 workers then hold at most 30 connections of
the test server's 100, which other tests use at the same time.
"""

from __future__ import annotations

import asyncio
import bisect
import socket
from pathlib import Path

import httpx

from channels.telegram.webhook import SECRET_HEADER
from tests.fakes.telegram_api import FakeBotApi
from tests.support.botprocess import BotProcess

SECRET = "workers-test-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Workers:
    """`n` serve processes; `start()` returns once every one answers /healthz."""

    def __init__(
        self, api: FakeBotApi, database_url: str, folder: Path, n: int, **env: str
    ) -> None:
        self.api = api
        self.ports = [free_port() for _ in range(n)]
        self.processes = [
            BotProcess(
                api, folder / f"unused{i}.sqlite3", folder / f"w{i + 1}.log",
                ("bot.py", "serve", "--port", str(port)),
                DATABASE_URL=database_url, WORKER_ID=f"w{i + 1}",
                TELEGRAM_WEBHOOK_SECRET=SECRET, PUBLIC_URL="https://bot.example.id",
                **{"DATABASE_POOL_SIZE": "5", **env},
            )
            for i, port in enumerate(self.ports)
        ]
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(30.0), limits=httpx.Limits(
            max_connections=64 * n, max_keepalive_connections=16 * n))

    async def start(self, within: float = 120.0) -> None:
        for process in self.processes:
            process._spawn()
        async with asyncio.timeout(within):
            for process, port in zip(self.processes, self.ports, strict=True):
                await self._ready(process, port)

    async def _ready(self, process: BotProcess, port: int) -> None:
        """Until the worker's /healthz answers 200 (it is listening and its parts started)."""
        while True:
            if not process.alive:
                raise RuntimeError(f"worker exited:\n{process.log()[-3000:]}")
            try:
                answer = await self.client.get(f"http://127.0.0.1:{port}/healthz")
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)  # polling a readiness signal, not a timed wait

    def alive(self) -> list[int]:
        return [i for i, p in enumerate(self.processes) if p.alive]

    async def post(self, worker: int, update: dict) -> int:
        """Deliver one update to worker `worker` as Telegram would; the HTTP status (0: the
        connection failed, as to a worker that was killed)."""
        try:
            answer = await self.client.post(
                f"http://127.0.0.1:{self.ports[worker]}/telegram/webhook", json=update,
                headers={SECRET_HEADER: SECRET},
            )
        except httpx.TransportError:
            return 0
        return answer.status_code

    async def kill(self, worker: int) -> None:
        await self.processes[worker].kill()

    async def stop(self) -> list[int]:
        """SIGTERM every live worker; their exit codes."""
        codes = await asyncio.gather(*(p.stop() for p in self.processes if p.alive))
        await self.client.aclose()
        return list(codes)

    def errors(self) -> list[str]:
        return [line for p in self.processes for line in p.error_lines()]


def busiest_seconds(times: list[float], width: float = 1.0) -> list[int]:
    """For each of the sorted `times`, how many fall in the `width` seconds starting at it."""
    return [bisect.bisect_left(times, t + width) - i for i, t in enumerate(times)]
