"""A thin Graph API client on httpx: send a message, upload a file, map errors to codes."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from channels.whatsapp.limits import problems

log = logging.getLogger(__name__)


class GraphError(Exception):
    """The Graph API refused a request: its error `code` (e.g. 131047), title, HTTP status."""

    def __init__(self, code: int, title: str, http_status: int) -> None:
        super().__init__(f"Graph API error {code} ({http_status}): {title}")
        self.code, self.title, self.http_status = code, title, http_status


class ShapeError(GraphError):
    """We refused to send a body the API would reject for its shape (never reaches Meta)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(100, "; ".join(reasons), 0)


class GraphClient:
    """POST {WHATSAPP_API_URL}/{phone_number_id}/messages (and /media) with the bearer token."""

    def __init__(
        self, api_url: str, phone_number_id: str, token: str, read_timeout: float = 15.0
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self._http = httpx.AsyncClient(
            base_url=f"{api_url.rstrip('/')}/{phone_number_id}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=httpx.Timeout(read_timeout, connect=5.0),
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def send_message(self, to: str, body: dict[str, Any]) -> str:
        """Send one message body (text, interactive, template, media) to `to`; its wamid."""
        reasons = problems(body)
        if reasons:
            raise ShapeError(reasons)
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}
        data = await self._post("/messages", json={**payload, **body})
        try:
            return str(data["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise GraphError(0, "no message id in the answer", 200) from None

    async def upload_media(self, data: bytes, mime: str, filename: str) -> str:
        """Upload a file for sending; its media id."""
        answer = await self._post(
            "/media",
            data={"messaging_product": "whatsapp", "type": mime},
            files={"file": (filename, data, mime)},
        )
        if not isinstance(answer.get("id"), str):
            raise GraphError(0, "no media id in the answer", 200)
        return answer["id"]

    async def media_info(self, media_id: str) -> dict[str, Any]:
        """GET /{media-id}: a short-lived download `url`, `mime_type`, `file_size`, `sha256`."""
        answer = await self._request("GET", f"{self.api_url}/{media_id}")
        if not isinstance(answer.get("url"), str):
            raise GraphError(0, "no media url in the answer", 200)
        return answer

    async def download(self, url: str, limit: int) -> bytes:
        """The file at a media `url` (with the token); stops reading after `limit` + 1 bytes,
        so a longer answer shows up as more than `limit` bytes."""
        data = bytearray()
        try:
            async with self._http.stream("GET", url) as response:
                if not response.is_success:
                    raise GraphError(-1, f"download refused ({response.status_code})",
                                     response.status_code)
                async for chunk in response.aiter_bytes():
                    data += chunk
                    if len(data) > limit:
                        break
        except httpx.HTTPError as exc:
            raise GraphError(-1, f"network: {type(exc).__name__}", 0) from None
        return bytes(data)

    async def _post(self, path: str, **kwargs: Any) -> dict[str, Any]:
        return await self._request("POST", path, **kwargs)

    async def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise GraphError(-1, f"network: {type(exc).__name__}", 0) from None
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.is_success and isinstance(data, dict):
            return data
        error = data.get("error") if isinstance(data, dict) else None
        error = error if isinstance(error, dict) else {}
        code = error.get("code") if isinstance(error.get("code"), int) else -1
        title = str(error.get("message") or response.reason_phrase)
        raise GraphError(code, title, response.status_code)
