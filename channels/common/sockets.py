"""httpx connections whose idle check polls the socket directly (httpcore asks at every request)."""

# Before each request starts and after each one ends, httpcore's pool asks every idle
# connection whether the server closed it (`get_extra_info("is_readable")`). Through anyio that
# builds a dict of the stream's attributes and calls getpeername, then polls: with 16
# connections about a sixth of a Telegram bot's CPU (py-spy, telegram_e2e). Here the socket is
# found once per connection and polled with a poll object made once; the answer is the same.

from __future__ import annotations

import select

import httpx
from anyio.abc import SocketAttribute
from httpcore import AsyncConnectionPool
from httpcore._backends.anyio import AnyIOBackend, AnyIOStream


class PolledStream(AnyIOStream):
    """An anyio stream that answers `is_readable` from a poll object made once."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._sock = stream.extra(SocketAttribute.raw_socket, None)
        self._poll = select.poll()
        if self._sock is not None and self._sock.fileno() >= 0:
            self._poll.register(self._sock.fileno(), select.POLLIN)

    def get_extra_info(self, info: str):
        if info == "is_readable":  # no socket, or a closed one: readable, as in httpcore
            if self._sock is None or self._sock.fileno() < 0:
                return True
            return bool(self._poll.poll(0))
        return super().get_extra_info(info)

    async def start_tls(self, *args, **kwargs) -> PolledStream:
        tls = await super().start_tls(*args, **kwargs)
        return PolledStream(tls._stream)  # noqa: SLF001 -- the anyio TLS stream it wraps


class PolledBackend(AnyIOBackend):
    """httpcore's anyio backend making PolledStreams."""

    async def connect_tcp(self, *args, **kwargs) -> PolledStream:
        stream = await super().connect_tcp(*args, **kwargs)
        return PolledStream(stream._stream)  # noqa: SLF001

    async def connect_unix_socket(self, *args, **kwargs) -> PolledStream:
        stream = await super().connect_unix_socket(*args, **kwargs)
        return PolledStream(stream._stream)  # noqa: SLF001


def poll_directly(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The client, its direct connections made by PolledBackend (proxied ones left as they are)."""
    pool = getattr(client._transport, "_pool", None)  # noqa: SLF001
    if type(pool) is AsyncConnectionPool:
        pool._network_backend = PolledBackend()  # noqa: SLF001
    return client
