"""A stand-in Telegram Bot API: a real HTTP server on 127.0.0.1 that records calls and injects faults.

async with FakeBotApi() as api:
    app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
    api.send_text(1001, "/start")
    [reply] = await api.wait_for_messages(1001, 1)
    api.fail_next("sendMessage", 429, retry_after=1)
    api.block(1002)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.asgi import QuickStopServer
from tests.fakes.bot_methods import ApiError, Methods
from tests.fakes.forms import parse_body
from tests.fakes.telegram_users import UserActions

# PTB 22 warns about int `retry_after` unless opted in to timedelta (pytest turns warnings into errors).
os.environ.setdefault("PTB_TIMEDELTA", "true")

TOKEN = "7000000001:AAFakeTokenForTestsOnly_0123456789ab"
BLOCKED = "Forbidden: bot was blocked by the user"


@dataclass
class Call:
    """One request the bot made: method, decoded parameters and uploaded files."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)
    faulted: bool = False  # answered with an injected fault (429, 500, drop...) instead
    content_type: str = ""  # how the body came: form, multipart or JSON

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None


@dataclass
class Fault:
    """What to do instead of answering normally: an error status, a drop, or a delay."""

    method: str  # "*" for any method
    times: int
    status: int = 500
    description: str = "Internal Server Error"
    retry_after: int | None = None
    chat_id: int | None = None
    drop: bool = False
    delay: float = 0.0

    def matches(self, call: Call) -> bool:
        return self.method in ("*", call.method) and self.chat_id in (None, call.chat_id)


class FakeBotApi(Methods, UserActions):
    """The Bot API over HTTP; the bot's token is `token`, its base URL `base_url`."""

    def __init__(self, token: str = TOKEN, username: str = "umkm_bandung_test_bot") -> None:
        super().__init__(token, username)
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.blocked: set[int] = set()
        self.delayed = 0  # calls held back by slow_next and not answered yet
        self._changed = asyncio.Event()
        self._ids = itertools.count(1)
        self._port = 0
        self._server: QuickStopServer | None = None
        self._task: asyncio.Task | None = None
        route = Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])
        download = Route("/file/bot{token}/{path:path}", self._download, methods=["GET"])
        self.app = Starlette(routes=[route, download])

    # --- lifecycle -------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """What to give PTB's `base_url` (the token is appended to it)."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def port(self) -> int:
        return self._port

    async def start(self) -> FakeBotApi:
        """Listen on 127.0.0.1 (an ephemeral port first, the same port after a stop)."""
        self.closing = False
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self._port,
            log_level="critical",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
            timeout_keep_alive=30,
        )
        self._server = QuickStopServer(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()
                raise RuntimeError("fake Bot API did not start")
            await asyncio.sleep(0.01)
        self._port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        """Stop listening (connections are then refused); `start()` again reuses the port."""
        self.closing = True
        self._new_update.set()  # a long poll in progress ends now, not at its next 0.5 s tick
        self._notify()
        if self._server is not None and self._task is not None:
            self._server.stop()
            await self._task
        self._server = self._task = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- faults ----------------------------------------------------------------------------
    def fail_next(
        self,
        method: str = "*",
        status: int = 500,
        *,
        times: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with an error (429 carries retry_after)."""
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = {
                429: f"Too Many Requests: retry after {retry_after}",
                403: BLOCKED,
                400: "Bad Request: chat not found",
            }.get(status, "Internal Server Error")
        self.faults.append(Fault(method, times, status, description, retry_after, chat_id))

    def drop_next(self, method: str = "*", *, times: int = 1, chat_id: int | None = None) -> None:
        """Cut the connection mid-answer for the next `times` calls of `method`."""
        self.faults.append(Fault(method, times, chat_id=chat_id, drop=True))

    def slow_next(
        self,
        method: str = "*",
        seconds: float = 10.0,
        *,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Delay the answer to the next `times` calls of `method` by `seconds`."""
        self.faults.append(Fault(method, times, chat_id=chat_id, delay=seconds))

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: every send to them gets 403 from now on."""
        self.blocked.add(int(chat_id))

    def unblock(self, chat_id: int) -> None:
        self.blocked.discard(int(chat_id))

    def _take_fault(self, call: Call) -> Fault | None:
        for fault in self.faults:
            if fault.matches(call):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    # --- what the bot did ------------------------------------------------------------------
    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == method and chat_id in (None, c.chat_id)]

    def sent_to(self, chat_id: int) -> list[dict]:
        """Messages the bot sent to `chat_id` (text, documents, photos), as they are now."""
        return [m for m in self.messages.values() if m["chat"]["id"] == int(chat_id)]

    def texts(self, chat_id: int) -> list[str]:
        """The text (or caption) of every message sent to `chat_id`."""
        return [m.get("text", m.get("caption", "")) for m in self.sent_to(chat_id)]

    def last_keyboard(self, chat_id: int) -> dict | None:
        """The last message to `chat_id` that carries an inline keyboard."""
        for msg in reversed(self.sent_to(chat_id)):
            if "inline_keyboard" in msg.get("reply_markup", {}):
                return msg
        return None

    async def wait_until(self, predicate: Callable[[], bool], within: float = 20.0) -> None:
        """Return once `predicate()` holds; fail after `within` seconds (a guard, not a test)."""
        async with asyncio.timeout(within):
            while not predicate():
                self._changed.clear()
                await self._changed.wait()

    async def wait_for_messages(self, chat_id: int, n: int, within: float = 20.0) -> list[dict]:
        """The first `n` messages sent to `chat_id`, once there are that many."""
        await self.wait_until(lambda: len(self.sent_to(chat_id)) >= n, within)
        return self.sent_to(chat_id)[:n]

    def _notify(self) -> None:
        self._changed.set()

    def notify(self) -> None:
        """Wake `wait_until` callers to check their condition again."""
        self._changed.set()

    def uploads(self, method: str) -> list[Call]:
        """Calls of `method` that carried file bytes (not a file_id)."""
        return [c for c in self.calls_to(method) if c.files and not c.faulted]

    # --- HTTP ------------------------------------------------------------------------------
    async def _download(self, request: Request) -> Response:
        """GET /file/bot<token>/<file_path>: the file's bytes, as the Bot API serves them."""
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        self.calls.append(Call("download", {"path": request.path_params["path"]}))
        data = self.file_by_path(request.path_params["path"])
        if data is None:
            return _error(404, "Not Found")
        return Response(data, media_type="application/octet-stream")

    async def _endpoint(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        content_type = request.headers.get("content-type", "")
        params, files = parse_body(content_type, await request.body(), request.query_params)
        call = Call(request.path_params["method"], params, files, content_type=content_type)
        self.calls.append(call)
        self._notify()
        fault = self._take_fault(call)
        if fault is not None and fault.delay:  # a slow answer: held back, then given
            self.delayed += 1
            try:
                await asyncio.sleep(fault.delay)
                return await self._answer(call, params, files)
            finally:
                self.delayed -= 1
                self._notify()
        if fault is not None:
            call.faulted = True
            if fault.drop:
                return _Dropped()
            extra = {"retry_after": fault.retry_after} if fault.retry_after else None
            return _error(fault.status, fault.description, extra)
        return await self._answer(call, params, files)

    async def _answer(self, call: Call, params: dict, files: dict) -> Response:
        if call.chat_id in self.blocked and call.method != "answerCallbackQuery":
            return _error(403, BLOCKED)
        try:
            result = await self.dispatch(call.method, params, files)
        except ApiError as exc:
            return _error(exc.status, exc.description)
        self._notify()
        return JSONResponse({"ok": True, "result": result})


def _error(status: int, description: str, parameters: dict | None = None) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Response(json.dumps(body), status_code=status, media_type="application/json")


class _Dropped(Response):
    """Start an answer, then fail: the server closes the connection mid-response."""

    def __init__(self) -> None:
        super().__init__(b"", 200)

    async def __call__(self, scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise ConnectionAbortedError("fake Bot API dropped the connection")
