"""Starting and stopping a process's parts in order, the broadcast worker, and stop signals."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Sequence

from channels.web import WebPart
from handlers import Deps
from handlers.broadcast.worker import BroadcastWorker

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def running(parts: Sequence[WebPart]) -> AsyncIterator[None]:
    """Start the parts in order and stop them in reverse; a part that fails half-way is stopped."""
    async with contextlib.AsyncExitStack() as stack:
        for part in parts:
            for hook in part.on_shutdown:  # pushed first: a half-started part is stopped too
                stack.push_async_callback(hook)
            for hook in part.on_startup:
                await hook()
        yield


def broadcast_part(deps: Deps) -> WebPart:
    """The broadcast worker (outboxes, scheduler, progress): the one place it is started.

    It goes after the channels' parts, whose start registers their senders, and stops first.
    """
    workers: list[BroadcastWorker] = []

    async def start() -> None:
        worker = BroadcastWorker(deps)
        await worker.start()
        workers.append(worker)

    async def stop() -> None:
        while workers:
            await workers.pop().stop()

    return WebPart("broadcasts", [], on_startup=[start], on_shutdown=[stop])


def stop_on_signals(event: asyncio.Event) -> None:
    """Set `event` on SIGINT or SIGTERM (instead of raising KeyboardInterrupt)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, event.set)


async def until_signalled(parts: Sequence[WebPart]) -> None:
    """Run the parts until SIGINT or SIGTERM, then stop them (work in progress finishes)."""
    stop = asyncio.Event()
    stop_on_signals(stop)
    async with running(parts):
        await stop.wait()
        log.info("stopping: finishing work in progress")
