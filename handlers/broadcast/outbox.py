"""The outbox sender of one channel: pending deliveries out at the channel's rate, outcomes in.

Rows are marked 'sending' just before they are tried and settled right after the call. A
process that dies in between leaves them 'sending': at the next start they are sent again
(at-least-once; at most the calls in flight at the crash can arrive twice, none go missing).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from aiolimiter import AsyncLimiter

from handlers.breaker import accepted, breaker, refused
from handlers.broadcast.compose import (
    Personaliser,
    attachment_of,
    message_replies,
)
from handlers.deps import Deps
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
from handlers.types import Attachment, Reply
from storage.deliveries import Delivery

log = logging.getLogger(__name__)
T = TypeVar("T")
LEASE = 60.0  # seconds a claimed delivery stays with its worker unless renewed
RENEW_EVERY = LEASE / 3


def make_limiter(rate: float) -> AsyncLimiter:
    """A leaky bucket holding 1/10 s of sends: steady `rate`; a late wake-up can catch up a
    little, but no second ever sees more than 1.1 x `rate` (25/s -> at most 28, under 30)."""
    capacity = max(1, math.ceil(rate / 10))
    return AsyncLimiter(capacity, capacity / rate)


class ChannelOutbox:
    """Works through one channel's pending deliveries; run() until cancelled."""

    def __init__(
        self, deps: Deps, sender: Sender, clock: Callable[[], datetime], *, rate: float,
        retry_base: float = 1.0, max_attempts: int = 5, chat_gap: float = 1.0,
        poll: float = 1.0,
    ) -> None:
        self.deps, self.sender, self.clock = deps, sender, clock
        self.channel = sender.channel
        self.rate = rate
        self.limiter = make_limiter(rate)
        self.retry_base, self.max_attempts = retry_base, max_attempts
        self.chat_gap, self.poll = chat_gap, poll
        # Calls under way: enough for `rate` at up to 0.5 s per call. More would keep the rate on
        # a slower link, but lets queued requests reach the platform in bursts (429s).
        self.concurrency = max(8, min(500, int(rate / 2)))
        self.wake = asyncio.Event()
        self.resume_at = 0.0  # monotonic time the channel may send again after a 429
        self.stats = {"sent": 0, "retry_later": 0, "blocked": 0, "failed": 0, "errors": 0}
        self._next_slot: dict[str, float] = {}  # per chat: earliest monotonic time to send
        self._chat_locks: dict[str, asyncio.Lock] = {}  # one call per chat waits its turn
        self._tasks: dict[tuple[str, int], asyncio.Task] = {}
        self._calling: set[tuple[str, int]] = set()
        self._jobs: dict[tuple[str, int], Job] = {}
        self._personalisers: dict[int, tuple[Personaliser, Attachment | None]] = {}
        self._room = asyncio.Event()
        self.worker = deps.settings.worker  # names this worker's claims (leases)
        self._next_renew = 0.0
        # Where rows come from: broadcast deliveries, then one-to-one messages (handoff).
        self.sources: list[JobSource] = [DeliverySource(self)]
        if hasattr(deps.storage, "outbox"):
            from handlers.direct import MessageSource  # late: handlers.direct imports this

            self.sources.append(MessageSource(deps, self.channel))

    async def run(self) -> None:
        """Resume rows left in doubt, then send until cancelled; in-flight calls finish first."""
        resumed = 0
        for source in self.sources:
            resumed += await source.release_in_doubt()
        if resumed:
            log.warning("%s outbox: %d deliveries were in flight at the last stop; resending",
                        self.channel, resumed)
        try:
            while True:
                if self.deps.storage.db.shared:
                    await self._keep_leases()
                if not await self._fill():
                    await self._idle()
        finally:
            await self._drain()

    async def _keep_leases(self) -> None:
        """Several workers: renew this worker's delivery leases; free those of dead workers."""
        if time.monotonic() < self._next_renew:
            return
        self._next_renew = time.monotonic() + RENEW_EVERY
        repo = self.deps.storage.deliveries
        await repo.renew(self.worker, self.clock() + timedelta(seconds=LEASE))
        freed = await repo.release_in_doubt(self.channel)
        if freed:
            log.warning("%s outbox: %d deliveries of a stopped worker are sent again",
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
                self._jobs[job.key] = job
                task.add_done_callback(lambda _t, k=job.key: self._done(k))
            free -= len(jobs)
            started = started or bool(jobs)
        return started

    def _done(self, key: tuple[str, int]) -> None:
        self._tasks.pop(key, None)
        self._jobs.pop(key, None)
        self._room.set()

    async def _idle(self) -> None:
        self.wake.clear()
        try:
            async with asyncio.timeout(self.poll):
                await self.wake.wait()
        except TimeoutError:
            pass

    async def _drain(self) -> None:
        """Stop: rows not yet being sent go back to pending; calls under way are settled."""
        waiting = {k: self._jobs[k] for k in self._tasks if k not in self._calling}
        for key in waiting:
            self._tasks[key].cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        for job in waiting.values():  # never tried (some were cancelled before they started)
            await job.release()

    async def _deliver(self, job: Job) -> None:
        await self._wait_turn(job.user_id)
        self._calling.add(job.key)
        try:
            await self._send(job)
        finally:
            self._calling.discard(job.key)

    async def _wait_turn(self, chat: str) -> None:
        """Per-chat spacing, then the channel's rate, then any 429 pause.

        The chat's next slot is counted from when this call is let through, and again from the
        moment the message before it is really handed to the sender (`_stamp`): neither waiting
        for the channel's rate nor rendering may shorten the gap to the next message.
        """
        async with self._chat_locks.setdefault(chat, asyncio.Lock()):
            # the slot may move while we sleep: the message before is stamped when it is sent
            while (wait := self._next_slot.get(chat, 0.0) - time.monotonic()) > 0:  # noqa: ASYNC110
                await asyncio.sleep(wait)
            await self.pause_over()
            await self.limiter.acquire()
            await self.pause_over()
            now = time.monotonic()
            self._next_slot[chat] = now + self.chat_gap
        if len(self._next_slot) > 10_000:
            self._next_slot = {c: t for c, t in self._next_slot.items() if t > now}
            self._chat_locks = {c: lock for c, lock in self._chat_locks.items()
                                if c in self._next_slot or lock.locked()}

    def _stamp(self, chat: str) -> None:
        """The chat's next message waits a full gap from this send, however long rendering took."""
        self._next_slot[chat] = max(self._next_slot.get(chat, 0.0), time.monotonic() + self.chat_gap)

    async def pause_over(self) -> None:
        """Wait while the channel is paused by a 429."""
        while (wait := self.resume_at - time.monotonic()) > 0:  # noqa: ASYNC110 -- a new 429 may move the deadline
            await asyncio.sleep(wait)

    def pause(self, seconds: float) -> None:
        self.resume_at = max(self.resume_at, time.monotonic() + seconds)

    async def send_unqueued(self, user_id: str, replies: list[Reply], tries: int = 3) -> list[str]:
        """A message outside the queue (broadcast progress, reports): it waits out the channel's
        429 pause and takes its turn under the channel's rate, and a 429 it meets pauses the
        channel for everyone and is tried again (up to `tries` times, then RetryLater)."""
        return await self.call_unqueued(lambda: self.sender.send(user_id, replies), tries)

    async def call_unqueued(self, call: Callable[[], Awaitable[T]], tries: int = 3) -> T:
        """`call` (one platform request) under the channel's 429 pause and rate, as send_unqueued."""
        for attempt in range(1, tries + 1):
            await self.pause_over()
            await self.limiter.acquire()
            try:
                return await call()
            except RetryLater as exc:
                self.stats["retry_later"] += 1
                self.pause(exc.retry_after)
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
        while True:
            try:
                self._stamp(job.user_id)
                ids = await self.sender.send(job.user_id, replies) if replies else []
            except RetryLater as exc:  # the whole channel waits, then this one is tried again
                self.stats["retry_later"] += 1
                self.pause(exc.retry_after)
                await self.pause_over()
                await self.limiter.acquire()
                continue
            except ChannelDown as exc:  # nobody can be sent to: back in line, channel paused
                await job.release()
                await refused(self.deps, self.channel, str(exc) or type(exc).__name__)
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

    async def _personaliser(self, broadcast_id: int) -> tuple[Personaliser, Attachment | None]:
        """The broadcast's compiled text and its file (if any), loaded once per broadcast."""
        if broadcast_id not in self._personalisers:
            storage = self.deps.storage
            broadcast = await storage.broadcasts.get(broadcast_id)
            media = await storage.media.get(broadcast.media_id) if broadcast.media_id else None
            self._personalisers[broadcast_id] = (
                Personaliser.of(broadcast.text, broadcast.texts, self.deps.knowledge),
                attachment_of(media),
            )
        return self._personalisers[broadcast_id]


class Job(Protocol):
    """One row to send: a broadcast delivery or a one-to-one message."""

    key: tuple[str, int]
    user_id: str
    attempts: int

    async def replies(self, sender: Sender) -> list[Reply]: ...
    async def sent(self, ids: list[str]) -> None: ...
    async def blocked(self, reason: str) -> None: ...
    async def failed(self, reason: str, attempts: int) -> None: ...
    async def retry_at(self, when: datetime, attempts: int, reason: str) -> None: ...
    async def release(self) -> None: ...


class JobSource(Protocol):
    """Where a channel's outbox takes its rows from."""

    async def release_in_doubt(self) -> int: ...
    async def due(self, now: datetime, limit: int, busy: set[tuple[str, int]]) -> list[Job]: ...


class DeliveryJob:
    """A broadcast delivery: the broadcast's text personalised for its recipient."""

    def __init__(self, outbox: ChannelOutbox, delivery: Delivery) -> None:
        self.outbox, self.delivery = outbox, delivery
        self.repo = outbox.deps.storage.deliveries
        self.key = ("delivery", delivery.id)
        self.user_id = delivery.recipient.user_id
        self.attempts = delivery.attempts

    async def replies(self, sender: Sender) -> list[Reply]:
        personaliser, attachment = await self.outbox._personaliser(self.delivery.broadcast_id)
        return message_replies(personaliser.render(self.delivery.recipient), attachment)

    async def sent(self, ids: list[str]) -> None:
        await self.repo.sent(self.delivery.id, ids[0] if ids else None)

    async def blocked(self, reason: str) -> None:
        await self.repo.blocked(self.delivery.id, self.delivery.recipient.user_pk, reason)

    async def failed(self, reason: str, attempts: int) -> None:
        await self.repo.failed(self.delivery.id, reason, attempts)

    async def retry_at(self, when: datetime, attempts: int, reason: str) -> None:
        await self.repo.retry_at(self.delivery.id, when, attempts, reason)

    async def release(self) -> None:
        await self.repo.release(self.delivery.id)


class DeliverySource:
    """Pending deliveries of running broadcasts on the outbox's channel."""

    def __init__(self, outbox: ChannelOutbox) -> None:
        self.outbox = outbox
        self.repo = outbox.deps.storage.deliveries

    async def release_in_doubt(self) -> int:
        return await self.repo.release_in_doubt(self.outbox.channel)

    async def due(self, now: datetime, limit: int, busy: set[tuple[str, int]]) -> list[Job]:
        due = [d for d in await self.repo.due(self.outbox.channel, now, limit + len(busy))
               if ("delivery", d.id) not in busy][:limit]
        reachable = []
        for delivery in due:
            if delivery.reachable:
                reachable.append(delivery)
            else:
                await self.repo.skipped(delivery.id, "unsubscribed or blocked")
        lease_until = now + timedelta(seconds=LEASE)
        taken = set(await self.repo.claim_batch(
            [d.id for d in reachable], self.outbox.worker, lease_until))
        return [DeliveryJob(self.outbox, d) for d in reachable if d.id in taken]
