"""`python bot.py serve` with WhatsApp as a real process, against the stand-in Graph API."""

from __future__ import annotations

import asyncio
import json
import os
import socket

import httpx

from channels.whatsapp.signature import sign
from tests.fakes import graph_api
from tests.fakes.graph_api import FakeGraphApi
from tests.support.botprocess import BotProcess
from tests.support.whatsapp import notification

APP_SECRET = "kill-test-app-secret"
VERIFY_TOKEN = "kill-test-verify"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class WatchedGraphApi(FakeGraphApi):
    """The stand-in Graph API, keeping the text of every message per recipient."""

    def __init__(self) -> None:
        super().__init__()
        self.reply_texts: dict[str, list[str]] = {}
        self.replies = 0

    async def _messages(self, request):
        count = len(self.messages)
        response = await super()._messages(request)
        if len(self.messages) > count:  # accepted
            body = self.messages[-1]
            self.reply_texts.setdefault(str(body["to"]).lstrip("+"), []).append(_text(body))
            self.replies += 1
        return response

    def notify(self) -> None:
        """Wake `wait_until` callers to check their condition again."""
        self._changed.set()

    async def wait_until(self, predicate, within: float = 20.0) -> None:
        """Until `predicate()` holds, re-checked on every request to the stand-in and on
        every `notify()`."""
        async with asyncio.timeout(within):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()


def _text(body: dict) -> str:
    if body["type"] == "text":
        return body["text"]["body"]
    if body["type"] == "interactive":
        return body["interactive"]["body"]["text"]
    return ""


def user_message(wa_id: str, key: str, action: str, value: str, name: str) -> dict:
    """A notification of a text or a button press (`value` is the button's id)."""
    if action == "text":
        kind, content = "text", {"body": value}
    else:
        kind = "interactive"
        content = {"type": "button_reply", "button_reply": {"id": value, "title": "x"}}
    raw = {"from": wa_id, "id": key, "timestamp": "1764547200", "type": kind, kind: content}
    return notification({"contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                         "messages": [raw]})  # fmt: skip


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
            "SEMANTIC_MATCHING": "false",  # start in a second: these tests are about WhatsApp
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
                    log = self.log()[-2000:]
                    raise RuntimeError(f"bot exited with {self.proc.returncode}:\n{log}")
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.05)  # another process: /healthz is its readiness signal


async def post_signed(client: httpx.AsyncClient, body: dict) -> int:
    """POST a notification as Meta does (signed); its HTTP status, 0 when nobody answered."""
    data = json.dumps(body).encode()
    headers = {"X-Hub-Signature-256": sign(APP_SECRET, data), "Content-Type": "application/json"}
    try:
        response = await client.post("/whatsapp/webhook", content=data, headers=headers)
    except httpx.HTTPError:
        return 0
    return response.status_code
