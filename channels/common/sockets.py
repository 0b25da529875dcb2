"""httpx connections whose idle check polls the socket directly (httpcore asks at every request)."""

# Before each request starts and after each one ends, httpcore's pool asks every idle
# connection whether the server closed it (`get_extra_info("is_readable")`). Through anyio that
# builds a dict of the stream's attributes and calls getpeername, then polls: with 16
# connections about a sixth of a Telegram bot's CPU (py-spy, telegram_e2e). Here one poll
# object per pool holds every connection's socket, and one poll(0) call answers for all of them
# until the event loop's next tick (the loop itself looks at its sockets once a tick): a pool of
# 16 asks the kernel once instead of 16 times, and releases the GIL once (each release hands it
# to the SQLite thread when that one waits for it).

from __future__ import annotations

import asyncio
import select

import httpx
from anyio.abc import SocketAttribute
from httpcore import AsyncConnectionPool
from httpcore._backends.anyio import AnyIOBackend, AnyIOStream


class Readiness:
    """Which of a pool's sockets have something to read (or were closed), asked once a tick."""

    def __init__(self) -> None:
        self._poll = select.poll()
        self._owners: dict[int, object] = {}  # fd -> the stream that registered it
        self._ready: set[int] | None = None  # the last answer, until the tick ends
        self._loop: asyncio.AbstractEventLoop | None = None

    def add(self, fd: int, owner: object) -> None:
        self._poll.register(fd, select.POLLIN)  # a reused fd number: registered anew
        self._owners[fd] = owner
        self._ready = None

    def remove(self, fd: int, owner: object) -> None:
        if self._owners.get(fd) is owner:
            del self._owners[fd]
            self._poll.unregister(fd)
            self._ready = None

    def readable(self, fd: int) -> bool:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # outside a loop: no tick to keep the answer for
            return bool(self._poll_now().intersection((fd,)))
        if self._ready is None or self._loop is not loop:
            self._ready, self._loop = self._poll_now(), loop
            loop.call_soon(self._forget, self._ready)
        return fd in self._ready

    def _poll_now(self) -> set[int]:
        return {fd for fd, _ in self._poll.poll(0)}

    def _forget(self, ready: set[int]) -> None:
        if self._ready is ready:
            self._ready = None


class PolledStream(AnyIOStream):
    """An anyio stream that answers `is_readable` from its pool's one poll a tick."""

    def __init__(self, stream, readiness: Readiness | None = None) -> None:
        super().__init__(stream)
        self._readiness = readiness or Readiness()
        self._sock = stream.extra(SocketAttribute.raw_socket, None)
        self._fd = -1
        if self._sock is not None and self._sock.fileno() >= 0:
            self._fd = self._sock.fileno()
            self._readiness.add(self._fd, self)

    def get_extra_info(self, info: str):
        if info == "is_readable":  # no socket, or a closed one: readable, as in httpcore
            if self._sock is None or self._sock.fileno() < 0 or self._sock.fileno() != self._fd:
                return True
            return self._readiness.readable(self._fd)
        return super().get_extra_info(info)

    async def aclose(self) -> None:
        if self._fd >= 0:
            self._readiness.remove(self._fd, self)
        await super().aclose()

    async def start_tls(self, *args, **kwargs) -> PolledStream:
        if self._fd >= 0:  # the TLS stream registers the same socket as its own
            self._readiness.remove(self._fd, self)
        tls = await super().start_tls(*args, **kwargs)
        return PolledStream(tls._stream, self._readiness)  # noqa: SLF001 -- the anyio TLS stream


class PolledBackend(AnyIOBackend):
    """httpcore's anyio backend making PolledStreams that share one Readiness."""

    def __init__(self) -> None:
        super().__init__()
        self.readiness = Readiness()

    async def connect_tcp(self, *args, **kwargs) -> PolledStream:
        stream = await super().connect_tcp(*args, **kwargs)
        return PolledStream(stream._stream, self.readiness)  # noqa: SLF001

    async def connect_unix_socket(self, *args, **kwargs) -> PolledStream:
        stream = await super().connect_unix_socket(*args, **kwargs)
        return PolledStream(stream._stream, self.readiness)  # noqa: SLF001


def poll_directly(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The client, its direct connections made by PolledBackend (proxied ones left as they are)."""
    pool = getattr(client._transport, "_pool", None)  # noqa: SLF001
    if type(pool) is AsyncConnectionPool:
        pool._network_backend = PolledBackend()  # noqa: SLF001
    return client
