"""The webhook routes: GET verification handshake, POST signed notifications (background)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from channels.common.webhook import read_capped
from channels.whatsapp.limits import LIMITS
from channels.whatsapp.parse import BadNotification, Inbound, Status, parse_notification
from channels.whatsapp.signature import SIGNATURE_HEADER, challenge_answer, signature_status
from storage import StorageError

log = logging.getLogger(__name__)
PATH = "/whatsapp/webhook"
# Stores a notification's messages (raises StorageError) and returns the work to do.
Acceptor = Callable[[list[Inbound], list[Status]], Awaitable[list[Coroutine]]]


class WhatsAppWebhook:
    """Verifies before parsing, stores before the 200, processes in tracked background tasks."""

    def __init__(
        self, app_secret: str, verify_token: str, accept: Acceptor,
        phone_number_id: str | None = None,
    ) -> None:
        self._secret, self._verify_token, self._accept = app_secret, verify_token, accept
        self._phone_number_id = phone_number_id  # notifications for other numbers are ignored
        self._tasks: set[asyncio.Task] = set()

    @property
    def routes(self) -> list[Route]:
        return [
            Route(PATH, self.verify, methods=["GET"]),
            Route(PATH, self.receive, methods=["POST"]),
        ]

    async def verify(self, request: Request) -> Response:
        """Meta's subscription handshake: echo hub.challenge for the right verify token."""
        answer = challenge_answer(request.query_params, self._verify_token)
        if answer is None:
            log.warning("WhatsApp webhook verification refused")
            return PlainTextResponse("forbidden", status_code=403)
        return PlainTextResponse(answer)

    async def receive(self, request: Request) -> Response:
        """A notification: signature first, then shape; 200 at once, work in the background."""
        body = await read_capped(request, LIMITS.body_max)
        if body is None:
            return PlainTextResponse("too large", status_code=413)
        status = signature_status(self._secret, body, request.headers.get(SIGNATURE_HEADER))
        if status != 200:
            log.warning("WhatsApp webhook with %s signature refused", _why(status))
            return PlainTextResponse(_why(status) + " signature", status_code=status)
        try:
            messages, statuses = parse_notification(json.loads(body), self._phone_number_id)
        except (ValueError, BadNotification, RecursionError):  # RecursionError: nested too deep
            return PlainTextResponse("not a WhatsApp notification", status_code=400)
        try:  # stored before the 200: a crash after it cannot lose a message
            jobs = await self._accept(messages, statuses)
        except StorageError:
            log.error("could not store a WhatsApp notification; Meta will send it again")
            return PlainTextResponse("not stored", status_code=503)
        for job in jobs:
            self.spawn(job)
        return PlainTextResponse("ok")

    def spawn(self, job: Coroutine) -> None:
        """Run `job` in the background; `drain` waits for it."""
        task = asyncio.create_task(job)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the notifications still being processed (at shutdown)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


def _why(status: int) -> str:
    return "missing" if status == 401 else "wrong"
