"""PTB's HTTPX request with one JSON body per Bot API call instead of a form (uploads stay multipart)."""

from __future__ import annotations

import json

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from channels.common.sockets import poll_directly

JSON_HEADERS = {"User-Agent": HTTPXRequest.USER_AGENT, "Content-Type": "application/json"}
POOL_FULL = ("Pool timeout: All connections in the connection pool are occupied. Request was "
             "*not* sent to Telegram.")  # fmt: skip


class JsonRequest(HTTPXRequest):
    """Sends a call's parameters as one JSON document, which the Bot API accepts for every method.

    PTB encodes each parameter as JSON and then the whole as a form: for a FAQ answer with its
    keyboard that URL-quoting, byte by byte, cost more CPU than the rest of the request. A call
    carrying files goes PTB's own way (multipart). Timeouts and errors are PTB's. Idle
    connections are checked the cheap way (channels/common/sockets.py).
    """

    __slots__ = ()

    def _build_client(self) -> httpx.AsyncClient:
        return poll_directly(super()._build_client())

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=BaseRequest.DEFAULT_NONE,
        write_timeout=BaseRequest.DEFAULT_NONE,
        connect_timeout=BaseRequest.DEFAULT_NONE,
        pool_timeout=BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if request_data is None or request_data.contains_files or self._client.is_closed:
            return await super().do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout,
                pool_timeout,
            )  # fmt: skip
        body = json.dumps(request_data.parameters, ensure_ascii=False, separators=(",", ":"))
        default = self._client.timeout
        timeout = httpx.Timeout(
            connect=_given(connect_timeout, default.connect),
            read=_given(read_timeout, default.read),
            write=_given(write_timeout, default.write),
            pool=_given(pool_timeout, default.pool),
        )
        try:
            response = await self._client.request(
                method=method, url=url, headers=JSON_HEADERS, timeout=timeout,
                content=body.encode(),
            )  # fmt: skip
        except httpx.TimeoutException as err:
            if isinstance(err, httpx.PoolTimeout):
                raise TimedOut(message=POOL_FULL) from err
            raise TimedOut from err
        except httpx.HTTPError as err:  # the base of httpx's errors: after the timeouts
            raise NetworkError(f"httpx.{err.__class__.__name__}: {err}") from err
        return response.status_code, response.content


def _given(value, default: float | None) -> float | None:
    """A timeout the call gave, else the request's own (PTB's DefaultValue means 'not given')."""
    return default if isinstance(value, type(BaseRequest.DEFAULT_NONE)) else value
