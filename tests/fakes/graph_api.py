"""A stand-in WhatsApp Cloud (Graph) API on 127.0.0.1: records messages, rejects bad shapes.

Its checks are written apart from the channel's own (channels/whatsapp/limits.py), from Meta's
documented limits, so a shape the channel gets wrong is caught here rather than agreed with.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.forms import parse_body
from tests.fakes.graph_shapes import MEDIA_TYPES, Rejected, check_message

VERSION = "v23.0"
TOKEN = "wa-test-token"
PHONE_NUMBER_ID = "106540352242922"
TITLES = {
    130429: "Rate limit hit",
    131056: "Pair rate limit hit",
    131026: "Message undeliverable",
    131050: "User stopped marketing messages",
    131047: "Re-engagement message",
    131000: "Something went wrong",
    100: "Invalid parameter",
    132001: "Template does not exist",
    131053: "Media upload error",
}


@dataclass
class Fault:
    code: int
    times: int
    to: str | None = None  # only for this wa_id


class FakeGraphApi:
    """POST /{version}/{phone_number_id}/messages and /media, like the Cloud API."""

    def __init__(self, approved: set[tuple[str, str]] | None = None) -> None:
        self.approved = approved or {("pengumuman", code) for code in ("id", "en", "ms")}
        self.messages: list[dict] = []  # accepted bodies, in order
        self.wamids: list[str] = []  # the id each accepted body was given, in the same order
        self.rejected: list[tuple[dict, str]] = []  # (body, why) for bad shapes
        self.refused: list[tuple[dict, int]] = []  # (body, code) for scripted errors
        self.media: dict[str, tuple[str, bytes]] = {}  # uploaded by the bot: (filename, bytes)
        self.media_types: dict[str, str] = {}  # media id -> MIME type
        self.incoming_media: dict[str, tuple[str, bytes]] = {}  # sent by users: (mime, bytes)
        self.downloads: list[str] = []  # media ids whose bytes the bot downloaded
        self.window_closed: set[str] = set()  # wa_ids outside the 24-hour window
        self.faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        base = f"/{VERSION}/{{phone}}"
        self.app = Starlette(
            routes=[
                Route(f"{base}/messages", self._messages, methods=["POST"]),
                Route(f"{base}/media", self._media, methods=["POST"]),
                Route(f"/{VERSION}/{{media_id}}", self._media_info, methods=["GET"]),
                Route("/download/{media_id}", self._download, methods=["GET"]),
            ]
        )
        self.url = ""

    def user_media(self, data: bytes, mime_type: str) -> str:
        """A file a user sent: its media id, for a webhook image/document message."""
        media_id = f"{next(self._ids) + 900_000_000_000}"
        self.incoming_media[media_id] = (mime_type, data)
        return media_id

    def fail(self, code: int, times: int = 1, to: str | None = None) -> None:
        """Answer the next `times` messages (to `to`, or anyone) with error `code`."""
        self.faults.append(Fault(code, times, to))

    def sent_to(self, wa_id: str) -> list[dict]:
        return [m for m in self.messages if m["to"].lstrip("+") == wa_id]

    def wamid_of(self, sent: dict) -> str:
        """The id our answer gave message `sent` (one of `messages`): a user's reply names it."""
        return next(w for m, w in zip(self.messages, self.wamids, strict=True) if m is sent)

    async def wait_for(self, predicate, within: float = 15.0) -> None:
        """Wait until predicate() is true (re-checked on every request)."""

        async def loop() -> None:
            while not predicate():
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(loop(), within)

    def _error(self, code: int, details: str, status: int = 400) -> JSONResponse:
        title = TITLES.get(code, "Error")
        return JSONResponse(
            {
                "error": {
                    "message": f"(#{code}) {title}",
                    "type": "OAuthException",
                    "code": code,
                    "error_data": {"messaging_product": "whatsapp", "details": details},
                    "fbtrace_id": "AbCdEfGh",
                }
            },
            status_code=status,
        )

    def _auth(self, request: Request) -> JSONResponse | None:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return self._error(190, "Invalid OAuth access token", 401)
        if request.path_params["phone"] != PHONE_NUMBER_ID:
            return self._error(100, "Unsupported post request: unknown phone number id")
        return None

    async def _media(self, request: Request) -> JSONResponse:
        refused = self._auth(request)
        if refused:
            return refused
        fields, files = parse_body(
            request.headers.get("content-type", ""), await request.body(), {}
        )
        if (
            fields.get("messaging_product") != "whatsapp"
            or "file" not in files
            or not fields.get("type")
        ):
            return self._error(100, "messaging_product, type and file are required")
        mime, (_, data) = fields["type"], files["file"]
        if mime not in MEDIA_TYPES:
            return self._error(131053, f"unsupported media type {mime}")
        if not data or len(data) > MEDIA_TYPES[mime][1]:
            return self._error(131053, f"file size {len(data)} not allowed for {mime}")
        media_id = f"media-{next(self._ids)}"
        self.media[media_id] = files["file"]
        self.media_types[media_id] = mime
        return JSONResponse({"id": media_id})

    async def _media_info(self, request: Request) -> JSONResponse:
        """GET /{media-id}: a download URL for a file a user sent."""
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return self._error(190, "Invalid OAuth access token", 401)
        media_id = request.path_params["media_id"]
        if media_id not in self.incoming_media:
            return self._error(100, f"Unsupported get request. Object with ID '{media_id}'")
        mime, data = self.incoming_media[media_id]
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "url": f"{str(request.base_url).rstrip('/')}/download/{media_id}",
                "mime_type": mime,
                "sha256": hashlib.sha256(data).hexdigest(),
                "file_size": str(len(data)),
                "id": media_id,
            }
        )

    async def _download(self, request: Request) -> Response:
        """The media URL: the bytes, only with the access token (as Meta's lookaside URLs)."""
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return Response(b"", status_code=404)
        found = self.incoming_media.get(request.path_params["media_id"])
        if found is None:
            return Response(b"", status_code=404)
        self.downloads.append(request.path_params["media_id"])
        return Response(found[1], media_type=found[0])

    async def _messages(self, request: Request) -> JSONResponse:
        try:
            refused = self._auth(request)
            if refused:
                return refused
            try:
                body = json.loads(await request.body())
            except ValueError:
                return self._error(100, "body is not JSON")
            try:
                self._check(body)
            except Rejected as exc:
                self.rejected.append((body, exc.details))
                return self._error(exc.code, exc.details)
            to = str(body["to"]).lstrip("+")
            code = self._fault_for(to)
            if code is None and body["type"] != "template" and to in self.window_closed:
                code = 131047
            if code is not None:
                self.refused.append((body, code))
                return self._error(code, TITLES.get(code, "error"))
            wamid = f"wamid.FAKE{next(self._ids):06d}"
            self.messages.append(body)
            self.wamids.append(wamid)
            return JSONResponse(
                {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": body["to"], "wa_id": to}],
                    "messages": [{"id": wamid}],
                }
            )
        finally:
            self._changed.set()

    def _fault_for(self, to: str) -> int | None:
        for fault in self.faults:
            if fault.times > 0 and fault.to in (None, to):
                fault.times -= 1
                return fault.code
        return None

    def _check(self, body: Any) -> None:
        check_message(body, self.approved, self.media, self.media_types)
