"""`python bot.py serve` with WhatsApp as a real process, against the stand-in Graph API."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import time

import httpx

from channels.whatsapp.signature import sign
from tests.fakes import graph_api
from tests.fakes.graph_api import FakeGraphApi
from tests.support.botprocess import BotProcess

APP_SECRET = "kill-test-app-secret"
VERIFY_TOKEN = "kill-test-verify"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class WatchedGraphApi(FakeGraphApi):
    """The stand-in Graph API, telling each waiting user when the bot wrote to them."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting: dict[str, asyncio.Future] = {}
        self.replies = 0

    async def _messages(self, request):
        response = await super()._messages(request)
        if response.status_code == 200:
            body = self.messages[-1]
            to = str(body["to"]).lstrip("+")
            self.replies += 1
            future = self.waiting.pop(to, None)
            if future is not None and not future.done():
                future.set_result((time.perf_counter(), _text(body)))
        return response

    def expect_reply(self, wa_id: str) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.waiting[wa_id] = future
        return future

    def texts(self, wa_id: str) -> list[str]:
        return [_text(m) for m in self.sent_to(wa_id)]

    async def wait_until(self, predicate, within: float = 20.0, tick: float | None = None) -> None:
        """Until `predicate()` holds, checked on every request to the stand-in (and every
        `tick` seconds, for a condition the bot meets after its last request)."""
        async with asyncio.timeout(within):
            while not predicate():
                self._changed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), tick)


def _text(body: dict) -> str:
    if body["type"] == "text":
        return body["text"]["body"]
    if body["type"] == "interactive":
        return body["interactive"]["body"]["text"]
    return ""


class ServeProcess(BotProcess):
    """`python bot.py serve` answering WhatsApp webhooks on a fixed port across restarts."""

    def __init__(self, graph: WatchedGraphApi, db_path, log_path, **env: str) -> None:
        super().__init__(None, db_path, log_path, ("bot.py", "serve"), **env)  # type: ignore[arg-type]
        self.graph = graph
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def environ(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DATABASE_URL": f"sqlite:///{self.db_path}",
            "LOG_LEVEL": "INFO",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WHATSAPP_TOKEN": graph_api.TOKEN,
            "WHATSAPP_PHONE_NUMBER_ID": graph_api.PHONE_NUMBER_ID,
            "WHATSAPP_APP_SECRET": APP_SECRET,
            "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "WHATSAPP_API_URL": self.graph.url,
            **self.env,
        }

    async def start(self, within: float = 60.0) -> None:
        """Start the process and return once /healthz answers 200."""
        self._spawn()
        async with httpx.AsyncClient(base_url=self.url) as client, asyncio.timeout(within):
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"bot exited with {self.proc.returncode}:\n{self.log()[-2000:]}")
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.05)


async def post_signed(client: httpx.AsyncClient, notification: dict) -> int:
    """POST a notification as Meta does (signed); its HTTP status, 0 when nobody answered."""
    body = json.dumps(notification).encode()
    headers = {"X-Hub-Signature-256": sign(APP_SECRET, body), "Content-Type": "application/json"}
    try:
        response = await client.post("/whatsapp/webhook", content=body, headers=headers)
    except httpx.HTTPError:
        return 0
    return response.status_code
