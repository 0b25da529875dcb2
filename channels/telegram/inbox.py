"""The durable inbox: each update is stored before Telegram learns it arrived, kept until answered.

PTB confirms polled updates through the offset of its next getUpdates call, before our handlers
have answered them; `InboxBot.get_updates` stores every fetched update first, so a kill loses none.
The bridge then marks each row as handling starts and stores the replies before sending them;
after a crash `replay` queues every row again, oldest first, and tells the bridge how far each got
(received: handle it; handling: never again, say so; replied: send the stored replies again).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from telegram import Update
from telegram.ext import Application, ExtBot

from handlers.wire import replies_from_json, replies_to_json  # noqa: F401 -- their old home
from storage.inbox import RECEIVED, InboxRepo, InboxUpdate

log = logging.getLogger(__name__)
T = TypeVar("T")


class InboxBot(ExtBot):
    """PTB's bot whose getUpdates stores the updates it returns (one transaction) before returning."""

    __slots__ = ("_floor", "_inbox")  # PTB freezes public attributes after __init__

    def __init__(self, *args, inbox: InboxRepo, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._inbox = inbox
        self._floor = 0  # updates below this id are already in the inbox: confirm, never re-fetch

    def skip_below(self, update_id: int) -> None:
        """Never fetch updates older than `update_id` again (they are being replayed)."""
        self._floor = max(self._floor, update_id)

    async def get_updates(self, offset: int | None = None, **kwargs) -> tuple[Update, ...]:
        offset = max(offset or 0, self._floor) or None
        updates = await super().get_updates(offset=offset, **kwargs)
        if updates:  # a failure here raises: PTB then keeps its offset, nothing is confirmed
            await self._inbox.add_many((u.update_id, u.to_json()) for u in updates)
        return updates


class GroupWrite(Generic[T]):
    """One write for all the items asked for while the previous write ran (a group commit).

    Under load every update waits for the one SQLite connection; writing the inbox rows of many
    updates in one statement keeps the inbox from lengthening that queue for everyone.
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


class InboxWrites:
    """The bridge's three inbox writes, each a group commit (update id, or (id, replies JSON))."""

    def __init__(self, inbox: InboxRepo) -> None:
        self.handling: GroupWrite[int] = GroupWrite(lambda ids: inbox.handling(*ids))
        self.replied: GroupWrite[tuple[int, str]] = GroupWrite(inbox.replied_many)
        self.done: GroupWrite[int] = GroupWrite(lambda ids: inbox.done(*ids))


async def replay(app: Application, inbox: InboxRepo, resume: Callable[[InboxUpdate], None]) -> int:
    """Queue the updates left unanswered by the last run, oldest first; return how many.

    Rows whose handling had started are given to `resume` (the bridge) before they are queued,
    so it finishes them in their chat's order instead of handling them again.
    """
    pending = await inbox.pending()
    for row in pending:
        try:
            update = Update.de_json(json.loads(row.body), app.bot)
        except Exception:  # a stored body PTB can no longer read: nothing to answer
            log.warning("stored update %s unreadable; dropped", row.update_id)
            await inbox.done(row.update_id)
            continue
        if row.status != RECEIVED:
            resume(row)
        await app.update_queue.put(update)
    if pending:
        if isinstance(app.bot, InboxBot):
            app.bot.skip_below(pending[-1].update_id + 1)
        counts = Counter(row.status for row in pending)
        log.info("replaying %d update(s) left unanswered by the last run: %s",
                 len(pending), ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))  # fmt: skip
    return len(pending)
