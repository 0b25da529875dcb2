"""The cheap idle check (channels/common/sockets.py) answers as httpcore's: open, closed by the server."""

from __future__ import annotations

import asyncio
import socket

import httpx

from channels.common.sockets import PolledStream, Readiness, poll_directly

REPLY = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


async def test_an_idle_connection_reads_as_closed_once_the_server_closes_it() -> None:
    closing = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(REPLY)
        await writer.drain()
        await closing.wait()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with poll_directly(httpx.AsyncClient()) as client:
        assert (await client.get(f"http://127.0.0.1:{port}/")).text == "ok"
        (connection,) = client._transport._pool.connections  # noqa: SLF001
        stream = connection._connection._network_stream  # noqa: SLF001
        assert isinstance(stream, PolledStream)
        assert stream.get_extra_info("is_readable") is False and not connection.has_expired()
        closing.set()
        for _ in range(100):  # until the server's FIN has arrived
            if stream.get_extra_info("is_readable"):
                break
            await asyncio.sleep(0.01)
        assert connection.has_expired()
        assert stream.get_extra_info("socket") is not None  # other questions: anyio's answers
    server.close()
    await server.wait_closed()


async def test_one_poll_a_tick_answers_for_every_socket_of_the_pool() -> None:
    readiness = Readiness()
    polls = 0
    poll_now = readiness._poll_now  # noqa: SLF001

    def counted() -> set[int]:
        nonlocal polls
        polls += 1
        return poll_now()

    readiness._poll_now = counted  # noqa: SLF001
    pairs = [socket.socketpair() for _ in range(4)]
    try:
        for ours, _ in pairs:
            readiness.add(ours.fileno(), ours)
        assert not any(readiness.readable(ours.fileno()) for ours, _ in pairs)
        assert polls == 1  # four sockets, one question to the kernel
        pairs[2][1].close()  # the peer of one socket goes away
        assert readiness.readable(pairs[2][0].fileno()) is False  # same tick: same answer
        await asyncio.sleep(0)  # the next tick asks again
        found = [readiness.readable(ours.fileno()) for ours, _ in pairs]
        assert found == [False, False, True, False] and polls == 2
        readiness.remove(pairs[2][0].fileno(), object())  # not its owner: stays registered
        await asyncio.sleep(0)
        assert readiness.readable(pairs[2][0].fileno()) is True
        readiness.remove(pairs[2][0].fileno(), pairs[2][0])
        await asyncio.sleep(0)
        assert readiness.readable(pairs[2][0].fileno()) is False  # no longer watched
    finally:
        for pair in pairs:
            for end in pair:
                end.close()
