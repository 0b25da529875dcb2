"""One-to-one messages through the durable outbox: queued first, sent by the channel's outbox.

Staff replies, agents' notifications and ticket threads are written as outbox rows and go out
with broadcast deliveries under the same rate limit, retries and blocked-user handling. On
WhatsApp a staff reply outside the 24-hour window is held: the user gets the approved template
asking them to reply, and the held text goes out when they do (`release_held`).
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from handlers.deps import Deps
from handlers.outbound import Sender
from handlers.outbox_rows import Job, RowJob, RowSource
from handlers.types import Reply
from handlers.wire import replies_from_json, replies_to_json
from knowledge.languages import pick_language
from storage.outbox import OutboxMessage

HOLDABLE = frozenset({"reply", "notice"})  # messages to users; agents' messages never wait


async def queue(
    deps: Deps, channel: str, user_id: str, purpose: str, replies: list[Reply],
    ticket_id: int | None = None,
) -> int:
    """Store a message for the outbox and wake the senders; return its row id."""
    row = await deps.storage.outbox.add(
        channel, user_id, purpose, replies_to_json(replies), ticket_id
    )
    wake(deps)
    return row


def wake(deps: Deps) -> None:
    """New rows are waiting: a running outbox looks now instead of at its next poll."""
    if deps.broadcast_wake is not None:
        deps.broadcast_wake()


async def drain(deps: Deps, channel: str, within: float, poll: float = 0.05) -> bool:
    """Wait until no message for `channel` is waiting or in flight (at most `within` s)."""
    try:
        async with asyncio.timeout(within):
            while await deps.storage.outbox.unsettled(channel):
                wake(deps)
                await asyncio.sleep(poll)
    except TimeoutError:
        return False
    return True


async def release_held(deps: Deps, channel: str, user_id: str) -> int:
    """The user wrote: messages held for them (outside WhatsApp's window) go out now."""
    released = await deps.storage.outbox.release_held(channel, user_id)
    if released:
        wake(deps)
    return released


class MessageJob(RowJob):
    """One outbox row as the channel's outbox sends it."""

    kind = "message"

    def __init__(self, deps: Deps, row: OutboxMessage) -> None:
        super().__init__(deps.storage.outbox, row.id, row.user_id, row.attempts)
        self.deps, self.row = deps, row
        self.holding = False

    async def replies(self, sender: Sender) -> list[Reply]:
        """The stored replies, or the "please reply" notice while outside WhatsApp's window."""
        if self.row.purpose in HOLDABLE and not await _in_window(sender, self.user_id):
            self.holding = True
            if await self.repo.has_held(self.row.channel, self.user_id):
                return []  # the user was told already; this one waits with the others
            return [Reply(await self._waiting_text())]
        return replies_from_json(self.row.replies)

    async def _waiting_text(self) -> str:
        ticket = None
        if self.row.ticket_id is not None:
            ticket = await self.deps.storage.tickets.get(self.row.ticket_id)
        user = await self.deps.storage.users.get(self.row.channel, self.user_id)
        lang = (user and user.language) or (ticket and ticket.language) or pick_language(None)
        return self.deps.knowledge.texts.render(
            lang, "handoff.user_reply_waiting", number=self.row.ticket_id or ""
        )

    async def sent(self, ids: list[str]) -> None:
        first = ids[0] if ids else None
        if self.holding:
            await self.repo.held(self.row_id, first)
        else:  # every part of a ticket's message is kept: a reply to any names the ticket
            parts = ids if self.row.ticket_id is not None else ()
            await self.repo.sent(self.row_id, first, parts)

    async def blocked(self, reason: str) -> None:
        await self.repo.blocked(self.row_id, reason)


async def _in_window(sender: Sender, user_id: str) -> bool:
    """True unless the channel has a reply window (WhatsApp) and the user is outside it."""
    in_window = getattr(sender, "in_window", None)
    return in_window is None or await in_window(user_id)


class MessageSource(RowSource):
    """Pending one-to-one messages of a channel, for its outbox."""

    kind = "message"

    def __init__(self, deps: Deps, channel: str, worker: str, lease: float) -> None:
        super().__init__(deps.storage.outbox, channel, worker, lease)
        self.deps = deps

    async def rows(self, now: datetime, limit: int) -> list[OutboxMessage]:
        return await self.repo.due(self.channel, now, limit)

    async def unreachable(self, row: OutboxMessage) -> None:
        await self.repo.blocked(row.id, "the user blocked the bot")

    def job(self, row: OutboxMessage) -> Job:
        return MessageJob(self.deps, row)
