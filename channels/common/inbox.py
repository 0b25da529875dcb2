"""One inbound pipeline for every channel: stored → handling → replies stored → delivered → done.

A channel stores each message in the inbox before telling the platform it arrived (Telegram:
before getUpdates confirms it, or before the webhook's 200; WhatsApp: before the webhook's 200),
de-duplicated by the platform's id. It then hands the pipeline an `Arrival`: how to read the
message as an Incoming and how to deliver replies. The pipeline keeps the user's order, marks
each step in the inbox (group commits) and, after a crash, finishes what the last run left:
  received  handled from scratch;
  handling  the core may have stored part of its effects: never handled again, the user is told;
  replied   the stored replies are sent again (replies go out at least once).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Protocol

from channels.common.language import user_language
from channels.common.order import Turn, UserOrder
from handlers import Assistant
from handlers.types import Incoming, Reply
from handlers.wire import answer_from_json, answer_to_json
from storage import StorageError
from storage.batching import GroupWrite
from storage.inbox import DONE, HANDLING, RECEIVED, REPLIED, InboxMessage, Progress

log = logging.getLogger(__name__)
KEEP_DONE = timedelta(days=30)  # how long a delivered message's id is kept for de-duplication
INTERRUPTED = "inbox.interrupted"
KEPT = "kept"  # delivery postponed: the message stays in the inbox


class TryLater(Exception):
    """The platform asks to wait longer than the retry policy waits: send the replies later."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"try again in {wait:.0f} s")
        self.wait = wait


class Arrival(Protocol):
    """One stored message, as its channel reads it."""

    key: str  # the platform's id, as stored in the inbox
    user: tuple[str, str] | None  # (channel, user id); None: nobody to answer
    language_hint: str | None

    async def incoming(self) -> Incoming | None:
        """The message for the core; None when there is nothing to answer."""

    async def deliver(self, replies: list[Reply], language: str) -> None:
        """Send the replies (retrying as the channel's policy allows); raise if they cannot go
        (TryLater when the platform asks for a long wait)."""

    async def failed(self, error: Exception) -> None:
        """Handling or delivery raised: log it the channel's way (and apologise if it can)."""


class Pipeline:
    """A channel's inbound messages through the Assistant, in each user's order, durably."""

    def __init__(
        self, assistant: Assistant, channel: str, limit: asyncio.Semaphore | None = None
    ) -> None:
        self.assistant, self.channel = assistant, channel
        self.limit = limit  # at most this many messages handled at once (taken after the turn)
        self.inbox = assistant.deps.storage.inbox
        self.order = UserOrder()
        self._progress: GroupWrite[Progress] = GroupWrite(self._advance)
        self._later: set[asyncio.Task] = set()  # replies waiting out a long rate limit
        # Several workers on one database: this worker's rows carry its id and a lease.
        self.db = assistant.deps.storage.db
        self.worker = assistant.deps.settings.worker
        self.lease = assistant.deps.settings.worker_lease
        self._keeper: asyncio.Task | None = None

    async def _advance(self, changes: list[Progress]) -> None:
        await self.inbox.advance(self.channel, changes)

    async def store(self, messages: list[tuple[str, str]]) -> set[str]:
        """Keep the messages (key, body JSON) in one transaction; the keys that are new."""
        return await self.inbox.add(self.channel, messages, self.worker, self._lease_end())

    def _lease_end(self):
        return self.db.now() + timedelta(seconds=self.lease)

    def turn(self, arrival: Arrival) -> Turn | None:
        """The message's place in its user's queue (take it in arrival order)."""
        return self.order.turn(arrival.user) if arrival.user is not None else None

    async def run(
        self, arrival: Arrival, stored: InboxMessage | None = None, turn: Turn | None = None
    ) -> None:
        """Answer one message (or finish one the last run left); it is done afterwards."""
        turn = turn or self.turn(arrival)
        try:
            if turn is not None:
                async with turn, self.limit or contextlib.nullcontext():
                    await self._run(arrival, stored)
            else:
                await self._forget(arrival.key)
        finally:
            if turn is not None:
                turn.release()

    async def _run(self, arrival: Arrival, stored: InboxMessage | None) -> None:
        delivered = False
        try:
            if stored is None or stored.status == RECEIVED:
                delivered = await self._answer(arrival)
            else:
                delivered = await self._finish(arrival, stored)
        except Exception as exc:
            await arrival.failed(exc)
        if delivered is KEPT:
            return
        await self._forget(arrival.key, delivered)
        # After an erasure answered here: drop what answering stored again, truncate the log.
        await self.assistant.deps.storage.privacy.settle(*arrival.user)

    async def _answer(self, arrival: Arrival) -> bool:
        """Handle the message; its row records how far it got until the replies are out."""
        incoming = await arrival.incoming()
        if incoming is None:
            return False
        # Marked before the core runs: it stores its effects as it goes, so a message replayed
        # after it had started could be applied twice.
        await self._progress(Progress(arrival.key, HANDLING))
        answer = await self.assistant.answer(incoming)
        if not answer.replies:
            return True
        try:  # stored before sending: a crash while sending leads to sending again
            stored = answer_to_json(answer.replies, answer.language)
            await self._progress(Progress(arrival.key, REPLIED, stored))
        except StorageError:  # the replies are here: send them all the same
            log.warning("replies to %s message %s not stored; sending anyway", self.channel,
                        arrival.key)  # fmt: skip
        return await self._deliver(arrival, answer.replies, answer.language)

    async def _finish(self, arrival: Arrival, stored: InboxMessage) -> bool:
        """A message the last run had started: send its stored replies, or say it was cut off."""
        replies, language = self._stored_replies(stored)
        if language is None:
            channel, user_id = arrival.user
            users = self.assistant.deps.storage.users
            language = await user_language(users, channel, user_id, arrival.language_hint)
        if replies is None:  # handling was cut off: its effects may be partly stored
            texts = self.assistant.deps.knowledge.texts
            replies = [Reply(texts.render(language, INTERRUPTED))]
            log.info("%s message %s was cut off by a restart; the user is told", self.channel,
                     stored.key)  # fmt: skip
        else:
            log.info("%s message %s: sending the replies of the last run again", self.channel,
                     stored.key)  # fmt: skip
        return await self._deliver(arrival, replies, language)

    async def _deliver(self, arrival: Arrival, replies: list[Reply], language: str):
        """True once sent; KEPT when the platform asked for a long wait (sent later)."""
        try:
            await arrival.deliver(replies, language)
        except TryLater as exc:
            log.info("%s message %s: the platform asks to wait %.0f s; the replies are kept",
                     self.channel, arrival.key, exc.wait)  # fmt: skip
            task = asyncio.create_task(self._send_later(arrival, replies, language, exc.wait))
            self._later.add(task)
            task.add_done_callback(self._later.discard)
            return KEPT
        return True

    async def _send_later(self, arrival: Arrival, replies: list[Reply], language: str,
                          wait: float) -> None:  # fmt: skip
        """Send kept replies once the platform allows; they stay stored meanwhile (a restart
        sends them too), so a long rate limit delays the answer instead of losing it."""
        while True:
            await asyncio.sleep(wait)
            try:
                await arrival.deliver(replies, language)
            except TryLater as exc:
                wait = exc.wait
                continue
            except Exception as exc:  # still stored: the next start sends them
                log.warning("kept replies of %s message %s not sent: %s", self.channel,
                            arrival.key, type(exc).__name__)  # fmt: skip
                return
            break
        await self._forget(arrival.key, True)
        await self.assistant.deps.storage.privacy.settle(*arrival.user)

    def keep_leases(self, replay: Callable[[list[InboxMessage]], Awaitable[None]]) -> None:
        """Several workers: renew this worker's leases on its messages while it runs, and give
        `replay` the messages of a worker whose lease has expired (it died mid-answer)."""
        if self.db.shared and self._keeper is None:
            self._keeper = asyncio.create_task(self._keep(replay), name=f"inbox-{self.channel}")

    async def _keep(self, replay: Callable[[list[InboxMessage]], Awaitable[None]]) -> None:
        while True:
            await asyncio.sleep(self.lease / 3)
            try:
                await self.inbox.renew(self.worker, self._lease_end())
                rows = await self.inbox.take_over(self.channel, self.worker, self._lease_end())
                if rows:
                    log.warning("taking over %d %s message(s) of a stopped worker", len(rows),
                                self.channel)
                    await replay(rows)
            except StorageError as exc:  # the database is away: try again at the next tick
                log.warning("%s inbox leases not renewed: %s", self.channel, type(exc).__name__)

    async def close(self) -> None:
        """Stop waiting out rate limits: those replies stay stored for the next start."""
        if self._keeper is not None:
            self._keeper.cancel()
            await asyncio.gather(self._keeper, return_exceptions=True)
            self._keeper = None
        for task in list(self._later):
            task.cancel()
        await asyncio.gather(*self._later, return_exceptions=True)

    @staticmethod
    def _stored_replies(stored: InboxMessage) -> tuple[list[Reply] | None, str | None]:
        """The replies the last run stored (None if none, or unreadable) and their language."""
        if stored.status != REPLIED or stored.replies is None:
            return None, None
        try:
            return answer_from_json(stored.replies)
        except (ValueError, KeyError, TypeError):
            log.warning("stored replies of %s message %s unreadable", stored.channel, stored.key)
            return None, None

    async def _forget(self, key: str, delivered: bool = False) -> None:
        """Done: answered, or its failure has been dealt with."""
        try:
            await self._progress(Progress(key, DONE))
        except StorageError:
            # The user has their replies (or an apology); a restart may send them once more.
            log.warning("%s message %s could not be marked done (delivered: %s)", self.channel,
                        key, delivered)  # fmt: skip

    async def forget(self, key: str) -> None:
        """Mark a stored message done without handling it (unreadable, or not for us)."""
        await self._forget(key)

    async def pending(self) -> list[InboxMessage]:
        """What the last run left unanswered, oldest first; old done ids are pruned first."""
        await self.inbox.prune(self.assistant.deps.storage.db.now() - KEEP_DONE)
        if self.db.shared:  # several workers: only what a stopped one (or this one before) left
            left = await self.inbox.take_over(self.channel, self.worker, self._lease_end(), own=True)
        else:
            left = await self.inbox.pending(self.channel)
        if left:
            counts: dict[str, int] = {}
            for row in left:
                counts[row.status] = counts.get(row.status, 0) + 1
            log.info("replaying %d %s message(s) left unanswered by the last run: %s",
                     len(left), self.channel,
                     ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))  # fmt: skip
        return left

