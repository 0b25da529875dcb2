"""Group commits: the writes many messages ask for at once go to the database together."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class GroupWrite(Generic[T]):
    """One write for all the items asked for while the previous write ran (a group commit).

    Under load every message waits for the one SQLite connection; writing the inbox progress
    (channels/common/inbox.py) or the question log (storage/questions.py) of many messages in
    one transaction keeps them from lengthening that queue for all.
    """

    def __init__(self, write: Callable[[list[T]], Awaitable[object]]) -> None:
        self._write = write
        self._queued: list[tuple[T, asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None

    async def __call__(self, item: T) -> None:
        """Return once `item` is written; raise what the write raised."""
        future = asyncio.get_running_loop().create_future()
        self._queued.append((item, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        await future

    async def _drain(self) -> None:
        while self._queued:
            batch, self._queued = self._queued, []
            error: Exception | None = None
            try:
                await self._write([item for item, _ in batch])
            except Exception as exc:  # each waiting caller gets it
                error = exc
            for _, future in batch:
                if future.done():  # its caller was cancelled
                    continue
                if error is None:
                    future.set_result(None)
                else:
                    future.set_exception(error)
