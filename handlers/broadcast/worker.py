"""Background work of a process: the outbox sender per channel, the scheduler, the progress.

    async with BroadcastWorker(deps):   # after deps.senders is filled (wiring.lifecycle)
        ...run the channel...
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from handlers.broadcast.outbox import ChannelOutbox
from handlers.broadcast.progress import render_status
from handlers.deps import Deps
from handlers.logsafe import log_failure
from handlers.outbound import SendError
from handlers.roles import holds_role
from handlers.types import Reply
from storage.broadcasts import Broadcast

log = logging.getLogger(__name__)
MEDIA_KEPT = timedelta(days=2)  # files of abandoned drafts and finished broadcasts, then dropped
PURGE_EVERY = 3600.0  # seconds
ROLE = "broadcaster"  # a scheduled broadcast's author must still hold it when it is due
REALERT_EVERY = 60.0  # seconds between looks for tickets waiting too long (handlers/handoff)


class BroadcastWorker:
    """Runs the outbox of every channel in deps.senders, the scheduler and progress messages."""

    def __init__(
        self, deps: Deps, *, clock: Callable[[], datetime] | None = None,
        rate: float | None = None, progress_every: float | None = None, poll: float = 1.0,
        retry_base: float = 1.0, max_attempts: int = 5, chat_gap: float = 1.0,
        realert_every: float = REALERT_EVERY,
    ) -> None:
        self.deps = deps
        self.clock = clock or deps.storage.db.now
        self.rate = rate or deps.settings.broadcast_rate
        self.progress_every = progress_every or deps.settings.broadcast_progress_every
        self.poll = poll
        self.realert_every = realert_every
        self.outboxes = {
            channel: ChannelOutbox(deps, sender, self.clock, rate=self.rate, poll=poll,
                                   retry_base=retry_base, max_attempts=max_attempts,
                                   chat_gap=chat_gap)
            for channel, sender in deps.senders.items()
        }
        # Scheduled work (due broadcasts, progress, purges, handoff re-alerts) runs in one
        # worker of those that share the database: the leader (always this one on SQLite).
        self.leader = deps.storage.db.leadership("broadcast-scheduler")
        self._tasks: list[asyncio.Task] = []
        self._last_text: dict[int, str] = {}
        self._watching: set[int] = set()

    def wake(self) -> None:
        """New work was stored: look now instead of at the next poll."""
        for outbox in self.outboxes.values():
            outbox.wake.set()

    async def start(self) -> None:
        self.deps.broadcast_wake = self.wake
        self._tasks = [asyncio.create_task(o.run(), name=f"outbox-{c}")
                       for c, o in self.outboxes.items()]
        self._tasks.append(asyncio.create_task(self._loop(), name="broadcast-scheduler"))

    async def stop(self) -> None:
        """Stop sending; calls under way finish and are recorded."""
        if self.deps.broadcast_wake == self.wake:
            self.deps.broadcast_wake = None
        for task in self._tasks:
            task.cancel()
        results = await asyncio.gather(*self._tasks, return_exceptions=True)
        for result in results:
            if isinstance(result, Exception):
                log.error("broadcast worker task failed: %r", result)
        self._tasks = []
        await self.leader.resign()

    async def __aenter__(self) -> BroadcastWorker:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _loop(self) -> None:
        """Start due scheduled broadcasts often; refresh progress every `progress_every`."""
        loop = asyncio.get_running_loop()
        next_progress = next_purge = next_realert = 0.0
        while True:
            try:
                if not await self.leader.lead():  # another worker leads; ask again next tick
                    await asyncio.sleep(min(self.poll, self.progress_every))
                    continue
                if await self.start_due():
                    self.wake()
                if loop.time() >= next_purge:
                    next_purge = loop.time() + PURGE_EVERY
                    await self.deps.storage.media.purge_unused(self.clock() - MEDIA_KEPT)
                    await self.deps.storage.pace.prune(time.time() - PURGE_EVERY)
                if loop.time() >= next_realert:
                    next_realert = loop.time() + self.realert_every
                    await self.realert()
                if loop.time() >= next_progress:
                    next_progress = loop.time() + self.progress_every
                    await self.report_progress()
            except asyncio.CancelledError:
                raise
            except Exception:
                log_failure(log, "broadcast scheduler tick failed")
            await asyncio.sleep(min(self.poll, self.progress_every, self.realert_every))

    async def realert(self) -> int:
        """Alert every agent again about tickets waiting too long in office hours."""
        from handlers.handoff.user import service_of  # late: handoff imports broadcast helpers

        return await service_of(self.deps).realert()

    async def start_due(self) -> bool:
        """Start the scheduled broadcasts now due whose author still holds the role; cancel
        (and tell the author about) those whose author lost it meanwhile."""
        repo, now = self.deps.storage.broadcasts, self.clock()
        for broadcast in await repo.due(now):
            author = (broadcast.creator_channel, broadcast.creator_user_id)
            if not await holds_role(self.deps, *author, ROLE) and await repo.cancel(broadcast.id):
                log.warning("scheduled broadcast %d cancelled: its author lost the %s role",
                            broadcast.id, ROLE)
                await self.deps.storage.audit.record(
                    "system", "broadcast.cancel", f"broadcast:{broadcast.id}",
                    {"reason": "author no longer a broadcaster"},
                )
                await self._tell_author(broadcast, "broadcast.scheduled_refused")
        return bool(await repo.start_due(now))

    async def _tell_author(self, broadcast: Broadcast, key: str) -> None:
        outbox = self.outboxes.get(broadcast.creator_channel)
        if outbox is None:
            return
        text = self.deps.knowledge.texts.render(broadcast.creator_language, key, id=broadcast.id)
        try:
            await outbox.send_unqueued(broadcast.creator_user_id, [Reply(text)])
        except SendError as exc:
            log.warning("author of broadcast %d not told: %s", broadcast.id, type(exc).__name__)

    async def report_progress(self) -> None:
        """Edit each running broadcast's progress message; finish and report completed ones."""
        repo = self.deps.storage.broadcasts
        for broadcast in await repo.sending():
            if broadcast.creator_channel not in self.outboxes:
                continue  # another process, with that channel, reports it
            done = await repo.finish_if_complete(broadcast.id)
            broadcast = await repo.get(broadcast.id)
            await self._show(broadcast, final=done)
        for broadcast_id in list(self._watching):  # stopped meanwhile (cancelled)
            broadcast = await repo.get(broadcast_id)
            if broadcast is None or broadcast.status != "sending":
                self._watching.discard(broadcast_id)
                if broadcast is not None:
                    await self._show(broadcast, final=True)

    async def _show(self, broadcast: Broadcast, final: bool) -> None:
        """Send or edit the progress message; on the end, a separate report message too.

        These skip the channel's queue (one call per broadcast every few seconds), so the
        staff member sees progress while thousands of deliveries wait their turn.
        """
        outbox = self.outboxes[broadcast.creator_channel]
        counts = await self.deps.storage.broadcasts.counts(broadcast.id)
        text = render_status(self.deps.knowledge.texts, broadcast.creator_language, broadcast,
                             counts, self.clock(), self.rate)
        if text == self._last_text.get(broadcast.id) and not final:
            return
        try:
            if not final:
                await self._put(outbox, broadcast, text)
            else:  # the progress message shows the end figures; the report comes as a new one
                if broadcast.progress_message_id is not None:
                    await self._put(outbox, broadcast, text)
                await outbox.send_unqueued(broadcast.creator_user_id, [Reply(text)])
        except SendError as exc:
            log.warning("progress of broadcast %d not shown: %s", broadcast.id, exc)
            return
        self._last_text[broadcast.id] = text
        if final:
            self._watching.discard(broadcast.id)
            self._last_text.pop(broadcast.id, None)
        else:
            self._watching.add(broadcast.id)

    async def _put(self, outbox: ChannelOutbox, broadcast: Broadcast, text: str) -> None:
        """Edit the progress message in place where the channel can; else send it once."""
        edit = getattr(outbox.sender, "edit", None)
        if broadcast.progress_message_id is None:
            ids = await outbox.send_unqueued(broadcast.creator_user_id, [Reply(text)])
            if ids:
                await self.deps.storage.broadcasts.set_progress_message(broadcast.id, ids[0])
        elif edit is not None:
            with contextlib.suppress(SendError):  # e.g. "message is not modified"
                await outbox.call_unqueued(lambda: edit(broadcast.creator_user_id,
                                                   broadcast.progress_message_id, Reply(text)))

