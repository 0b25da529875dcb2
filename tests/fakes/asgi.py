"""Serve an ASGI app with uvicorn on 127.0.0.1 (ephemeral port) inside the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import uvicorn


class QuickStopServer(uvicorn.Server):
    """uvicorn for the tests' servers: the test's signal handlers stay, and a stop takes only
    what it needs.

    uvicorn looks for a stop every 0.1 s, then waits a fixed 0.1 s for connections to close and
    polls for them every 0.1 s: about 0.15 s for every server a test stops, tens of seconds of
    waiting over the suite. Here `stop()` wakes the main loop at once and the shutdown polls
    every 5 ms; the steps are uvicorn's (stop accepting, ask each connection to close, wait for
    connections and tasks up to the graceful timeout, then the lifespan shutdown).
    """

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._stopping = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self):  # leave the test process's signal handlers alone
        yield

    def stop(self) -> None:
        self.should_exit = True
        self._stopping.set()

    async def main_loop(self) -> None:
        await self.on_tick(0)  # the Date header, once (a test's server lives for seconds)
        await self._stopping.wait()

    async def shutdown(self, sockets=None) -> None:
        for server in self.servers:
            server.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        try:
            async with asyncio.timeout(self.config.timeout_graceful_shutdown):
                while self.server_state.connections or self.server_state.tasks:  # noqa: ASYNC110 -- uvicorn's own state, no event
                    await asyncio.sleep(0.005)
        except TimeoutError:
            for task in self.server_state.tasks:
                task.cancel(msg="graceful shutdown timed out")
        for server in self.servers:
            await server.wait_closed()
        if not self.force_exit:
            await self.lifespan.shutdown()


@contextlib.asynccontextmanager
async def serving(app, lifespan: str = "on") -> AsyncIterator[str]:
    """Run `app` (its lifespan too) and yield its base URL; shut it down gracefully after."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        lifespan=lifespan,
        log_level="warning",
        access_log=False,
        ws="none",
        timeout_graceful_shutdown=5,
    )
    server = QuickStopServer(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("server did not start")
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        await task
