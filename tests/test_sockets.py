"""The cheap idle check (channels/common/sockets.py) answers as httpcore's: open, closed by the server."""

from __future__ import annotations

import asyncio

import httpx

from channels.common.sockets import PolledStream, poll_directly

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
