"""The outbox sender of one channel: pending rows out at the channel's pace, outcomes in.

Rows (broadcast deliveries, one-to-one messages: handlers/outbox_rows.py) are claimed under
this worker's lease just before they are tried and settled right after the call. A process
that dies in between leaves them 'sending': they are sent again at the next start, or, with
several workers, once the lease has expired (at-least-once; at most the calls in flight at
the crash can arrive twice, none go missing).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

from handlers.breaker import accepted, breaker, refused
from handlers.broadcast.deliveries import DeliverySource
from handlers.broadcast.pacing import Pacer
from handlers.broadcast.shared_pacing import SharedPacer
from handlers.deps import Deps
from handlers.direct import MessageSource
from handlers.logsafe import log_failure
from handlers.outbound import (
    ChannelDown,
    PermanentFailure,
    RecipientBlocked,
    RecipientRetryLater,
    RetryLater,
    Sender,
    SendError,
)
from handlers.outbox_rows import Job, RowSource
from handlers.types import Reply

log = logging.getLogger(__name__)
T = TypeVar("T")


class ChannelOutbox:
    """Works through one channel's pending rows; run() until cancelled."""

    def __init__(
        self, deps: Deps, sender: Sender, clock: Callable[[], datetime], *, rate: float,
        retry_base: float = 1.0, max_attempts: int = 5, chat_gap: float = 1.0,
        poll: float = 1.0, pacer: Pacer | None = None,
    ) -> None:
        self.deps, self.sender, self.clock = deps, sender, clock
        self.channel = sender.channel
        self.rate = rate
        if pacer is None:  # several workers on the database share the pace through it
            pacer = (SharedPacer(deps.storage.pace, self.channel, rate, chat_gap)
                     if deps.storage.db.shared else Pacer(rate, chat_gap))  # fmt: skip
        self.pacer = pacer
        self.retry_base, self.max_attempts = retry_base, max_attempts
        self.poll = poll
        # Calls under way: enough for `rate` at up to 0.5 s per call. More would keep the rate on
        # a slower link, but lets queued requests reach the platform in bursts (429s).
        self.concurrency = max(8, min(500, int(rate / 2)))
        self.wake = asyncio.Event()
        self.stats = {"sent": 0, "retry_later": 0, "blocked": 0, "failed": 0, "errors": 0}
        self._tasks: dict[tuple[str, int], asyncio.Task] = {}
        self._calling: set[tuple[str, int]] = set()
        self._room = asyncio.Event()
        self.worker = deps.settings.worker  # names this worker's claims (leases)
        self.lease = deps.settings.worker_lease
        self._next_renew = 0.0
        # Where rows come from, in the order they get free places: one-to-one messages first
        # (agents' ticket cards and threads, staff replies: a person waits for each), then
        # broadcast deliveries, which would otherwise hold every place until a broadcast ends.
        self.sources: list[RowSource] = []
        if hasattr(deps.storage, "outbox"):
            self.sources.append(MessageSource(deps, self.channel, self.worker, self.lease))
        self.sources.append(DeliverySource(deps, self.channel, self.worker, self.lease))

    @property
    def resume_at(self) -> float:
        """Monotonic time the channel may send again after a 429 (0: never paused)."""
        return self.pacer.resume_at

    async def run(self) -> None:
        """Resume rows left in doubt, then send until cancelled; in-flight calls finish first."""
        resumed = 0
        for source in self.sources:
            resumed += await source.release_in_doubt()
        if resumed:
            log.warning("%s outbox: %d messages were in flight at the last stop; resending",
                        self.channel, resumed)
        try:
            while True:
                if self.deps.storage.db.shared:
                    await self._keep_leases()
                if not await self._fill():
                    await self._idle()
        finally:
            await self._drain()
            log.info("%s outbox stopped: %s; %d send slots given up (woken too late)",
                     self.channel, self.stats, getattr(self.pacer, "given_up", 0))

    async def _keep_leases(self) -> None:
        """Several workers: renew this worker's leases; free those of dead workers."""
        if time.monotonic() < self._next_renew:
            return
        self._next_renew = time.monotonic() + self.lease / 3
        freed = 0
        for source in self.sources:
            freed += await source.keep_leases(self.clock())
        if freed:
            log.warning("%s outbox: %d messages of a stopped worker are sent again",
                        self.channel, freed)

    async def _fill(self) -> bool:
        """Claim due rows up to the concurrency limit and start their tasks; False if none.

        While the platform refuses the channel (breaker open), one row at a time is tried,
        every `probe_every` seconds: the probe.
        """
        free = self.concurrency - len(self._tasks)
        gate = breaker(self.deps, self.channel)
        if gate.is_open:
            if self._tasks or not gate.may_probe():
                return False
            gate.trip()  # the next probe waits its interval, whatever this one gives
            free = 1
        if free < max(1, self.concurrency // 4) and self._tasks:  # refill in batches
            self._room.clear()
            await self._room.wait()
            return True
        started = False
        for source in self.sources:
            if free <= 0:
                break
            jobs = await source.due(self.clock(), free, set(self._tasks))
            for job in jobs:
                task = asyncio.create_task(self._deliver(job))
                self._tasks[job.key] = task
                task.add_done_callback(lambda _t, k=job.key: self._done(k))
            free -= len(jobs)
            started = started or bool(jobs)
        return started

    def _done(self, key: tuple[str, int]) -> None:
        self._tasks.pop(key, None)
        self._room.set()

    async def _idle(self) -> None:
        self.wake.clear()
        try:
            async with asyncio.timeout(self.poll):
                await self.wake.wait()
        except TimeoutError:
            pass

    async def _drain(self) -> None:
        """Stop: calls under way are settled; rows claimed here but not being sent go back
        to pending (a task whose call has ended is no longer waiting, whether or not it has
        left `_tasks` yet)."""
        for key, task in self._tasks.items():
            if key not in self._calling and not task.done():
                task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        for source in self.sources:  # never tried: some were cancelled before they started
            await source.release_own()

    async def _deliver(self, job: Job) -> None:
        await self.pacer.turn(job.user_id)
        self._calling.add(job.key)
        try:
            await self._send(job)
        finally:
            self._calling.discard(job.key)

    async def send_unqueued(self, user_id: str, replies: list[Reply], tries: int = 3) -> list[str]:
        """A message outside the queue (broadcast progress, reports): it waits out the channel's
        429 pause and takes its turn under the channel's rate, and a 429 it meets pauses the
        channel for everyone and is tried again (up to `tries` times, then RetryLater)."""
        return await self.call_unqueued(lambda: self.sender.send(user_id, replies), tries)

    async def call_unqueued(self, call: Callable[[], Awaitable[T]], tries: int = 3) -> T:
        """`call` (one platform request) under the channel's 429 pause and rate, as send_unqueued."""
        for attempt in range(1, tries + 1):
            await self.pacer.slot()
            try:
                return await call()
            except RetryLater as exc:
                self.stats["retry_later"] += 1
                await self.pacer.pause(exc.retry_after)
                if attempt == tries:
                    raise
        raise AssertionError("unreachable")

    async def _send(self, job: Job) -> None:
        attempts = job.attempts + 1
        try:
            replies = await job.replies(self.sender)
        except Exception as exc:
            self.stats["failed"] += 1
            await job.failed(f"cannot render: {exc}", attempts)
            return
        retry = False
        while True:
            try:
                await self.pacer.go(job.user_id, retry)
                began = time.monotonic()
                ids = await self.sender.send(job.user_id, replies) if replies else []
            except RetryLater as exc:  # the whole channel waits, then this one is tried again
                self.stats["retry_later"] += 1
                await self.pacer.pause(exc.retry_after)
                retry = True
                continue
            except ChannelDown as exc:  # nobody can be sent to: back in line, channel paused
                await job.release()
                await refused(self.deps, self.channel, str(exc) or type(exc).__name__, began)
            except RecipientRetryLater as exc:  # only this recipient waits; attempts not spent
                self.stats["retry_later"] += 1
                await job.retry_at(self.clock() + timedelta(seconds=exc.retry_after),
                                   job.attempts, str(exc))
            except RecipientBlocked as exc:
                self.stats["blocked"] += 1
                await job.blocked(str(exc) or "blocked")
            except PermanentFailure as exc:
                self.stats["failed"] += 1
                await job.failed(str(exc) or type(exc).__name__, attempts)
            except Exception as exc:  # SendError or an unexpected failure: back off, retry
                await self._retry_or_fail(job, attempts, exc)
            else:
                self.stats["sent"] += 1
                await job.sent(ids)
                await accepted(self.deps, self.channel)
            return

    async def _retry_or_fail(self, job: Job, attempts: int, exc: Exception) -> None:
        reason = str(exc) or type(exc).__name__
        if not isinstance(exc, SendError):
            log_failure(log, "%s outbox: unexpected error sending %s %d", self.channel,
                        *job.key)
        if attempts >= self.max_attempts:
            self.stats["failed"] += 1
            await job.failed(reason, attempts)
            return
        self.stats["errors"] += 1
        delay = self.retry_base * 2 ** (attempts - 1)
        await job.retry_at(self.clock() + timedelta(seconds=delay), attempts, reason)
