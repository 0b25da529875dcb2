"""Group commits: the writes many messages ask for at once go to the database together."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class GroupCall(Generic[T, R]):
    """One call for all the items asked for while the previous call ran; each caller gets the
    result of its own item (`call` returns them in the items' order) or what the call raised.

    Under load every message waits for the one SQLite connection; one hand-over to its thread
    for many messages keeps them from lengthening that queue for all.
    """

    def __init__(self, call: Callable[[list[T]], Awaitable[list[R]]]) -> None:
        self._call = call
        self._queued: list[tuple[T, asyncio.Future[R]]] = []
        self._task: asyncio.Task[None] | None = None

    async def __call__(self, item: T) -> R:
        """The result for `item`; raise what the call raised."""
        future = asyncio.get_running_loop().create_future()
        self._queued.append((item, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._queued:
            batch, self._queued = self._queued, []
            error: Exception | None = None
            results: list = []
            try:
                results = await self._call([item for item, _ in batch])
            except Exception as exc:  # each waiting caller gets it
                error = exc
            for n, (_, future) in enumerate(batch):
                if future.done():  # its caller was cancelled
                    continue
                if error is None:
                    future.set_result(results[n])
                else:
                    future.set_exception(error)


class GroupWrite(GroupCall[T, None]):
    """One write for all the items asked for while the previous write ran (a group commit):
    the inbox progress (channels/common/inbox.py) or the question log (storage/questions.py)
    of many messages in one transaction."""

    def __init__(self, write: Callable[[list[T]], Awaitable[object]]) -> None:
        async def call(items: list[T]) -> list[None]:
            await write(items)
            return [None] * len(items)

        super().__init__(call)
