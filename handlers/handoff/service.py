"""TicketService: open, continue, take, answer, release, close and rate tickets; tell agents.

Every message leaves through the durable outbox (handlers/direct.py). This is the API other
front ends (the staff web workspace) use: nothing here depends on a chat command.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers import direct
from handlers.deps import Deps
from handlers.handoff import render
from handlers.handoff.hours import OfficeHours
from handlers.types import Attachment, Reply
from storage import User
from storage.tickets import Ticket, TicketExists, TicketMessage

log = logging.getLogger(__name__)
AGENT_ROLES = ("agent", "admin")  # admins hold every role
MAX_TEXT = 3000  # characters of one message kept in a ticket (a chat message is at most 4096)

__all__ = ["Agent", "TicketExists", "TicketService"]


@dataclass(frozen=True)
class Agent:
    """A staff member who answers tickets, as `channel:user_id` plus the name users may see."""

    channel: str
    user_id: str
    name: str | None = None
    via: str | None = None  # where the agent acts when not in the chat ("web"); audited

    @property
    def key(self) -> str:
        return f"{self.channel}:{self.user_id}"


class TicketService:
    """Tickets over storage, the outbox and the office hours."""

    def __init__(self, deps: Deps, clock: Callable[[], datetime] | None = None) -> None:
        self.deps = deps
        self.clock = clock or deps.storage.db.now

    @property
    def storage(self):
        return self.deps.storage

    def hours(self) -> OfficeHours:
        """Office hours from the settings, holidays from the knowledge (reloadable)."""
        s = self.deps.settings
        return OfficeHours.from_settings(
            s.office_hours, s.office_timezone, self.deps.knowledge.holidays
        )

    async def agents(self) -> list[Agent]:
        """Everyone holding `agent` or `admin`: ADMIN_IDS and roles given in the chat."""
        keys = set(self.deps.settings.admin_ids)
        keys |= {r.key for r in await self.storage.roles.all() if r.role in AGENT_ROLES}
        agents = []
        for key in sorted(keys):
            channel, _, user_id = key.partition(":")
            agents.append(Agent(channel, user_id))
        return agents

    async def open(self, user: User, language: str, question: str) -> Ticket:
        """Open the user's ticket and notify every agent; TicketExists if one is open."""
        ticket = await self.storage.tickets.open(
            user.id, user.channel, language, question[:MAX_TEXT]
        )
        await self.notify_agents(ticket, purpose="notify")
        return ticket

    async def notify_agents(self, ticket: Ticket, purpose: str) -> int:
        """Send every agent the ticket card (new, or waiting too long); return how many."""
        user = await self.storage.users.get_by_id(ticket.user_pk) if ticket.user_pk else None
        registration = await self.storage.registrations.get_for_user(ticket.user_pk) \
            if ticket.user_pk else None  # fmt: skip
        messages = await self.storage.tickets.messages(ticket.id, last=render.CONTEXT + 1)
        agents = await self.agents()
        for agent in agents:
            lang = await self._language_of(agent)
            card = render.card(self.deps, lang, ticket, user, registration, messages, purpose,
                               self.hours(), self.clock())  # fmt: skip
            await direct.queue(self.deps, agent.channel, agent.user_id, purpose, [card], ticket.id)
        return len(agents)

    async def user_message(
        self, ticket: Ticket, text: str, attachment: Attachment | None = None
    ) -> TicketMessage | None:
        """Add the user's message to their open ticket and pass it to the staff thread."""
        message = await self.storage.tickets.add_message(
            ticket.id, "user", text[:MAX_TEXT], media_id=attachment and attachment.id
        )
        if message is None:
            return None
        targets = [Agent(*ticket.assignee.split(":", 1))] if ticket.assignee else \
            await self.agents()  # fmt: skip
        for agent in targets:
            lang = await self._language_of(agent)
            replies = render.thread_from_user(self.deps, lang, ticket, text, attachment)
            await direct.queue(self.deps, agent.channel, agent.user_id, "thread", replies,
                               ticket.id)  # fmt: skip
        return message

    async def reply(
        self, ticket_id: int, agent: Agent, text: str, attachment: Attachment | None = None
    ) -> TicketMessage | None:
        """Send a staff reply to the ticket's user (taking it if nobody has); None if closed."""
        ticket = await self.storage.tickets.get(ticket_id)
        if ticket is None or not ticket.is_open or ticket.user_pk is None:
            return None
        if ticket.assignee is None:
            await self.take(ticket_id, agent)
        message = await self.storage.tickets.add_message(
            ticket_id, "staff", text[:MAX_TEXT], staff_key=agent.key,
            media_id=attachment and attachment.id,
        )
        if message is None:
            return None
        user = await self.storage.users.get_by_id(ticket.user_pk)
        show = await self.storage.tickets.show_name(agent.channel, agent.user_id)
        name = agent.name if show else None
        replies = render.staff_reply(self.deps, _lang(user, ticket), text, name, attachment)
        await direct.queue(self.deps, user.channel, user.user_id, "reply", replies, ticket_id)
        await self._audit(agent, "ticket.reply", ticket_id, chars=len(text),
                          media=attachment is not None)  # fmt: skip
        return message

    async def take(self, ticket_id: int, agent: Agent) -> bool:
        """Assign the ticket to `agent`; exactly one of racing agents wins; others' cards change."""
        if not await self.storage.tickets.take(ticket_id, agent.key, agent.name):
            return False
        await self._audit(agent, "ticket.take", ticket_id)
        await self._cards_taken(ticket_id, agent)
        return True

    async def release(self, ticket_id: int, agent: Agent) -> bool:
        """Un-assign the ticket and tell every agent it waits again."""
        if not await self.storage.tickets.release(ticket_id):
            return False
        await self._audit(agent, "ticket.release", ticket_id)
        ticket = await self.storage.tickets.get(ticket_id)
        await self.notify_agents(ticket, purpose="released")
        return True

    async def close(
        self, ticket_id: int, by: Agent | None, note: str = "", user_lang: str | None = None
    ) -> Ticket | None:
        """Close the ticket (by an agent, or by its user when `by` is None); tell the other side."""
        if not await self.storage.tickets.close(ticket_id, by.key if by else "user"):
            return None
        ticket = await self.storage.tickets.get(ticket_id)
        if by is not None:
            await self._audit(by, "ticket.close", ticket_id, note=note[:200])
            user = await self.storage.users.get_by_id(ticket.user_pk) if ticket.user_pk else None
            if user is not None:
                lang = _lang(user, ticket)
                await direct.queue(self.deps, user.channel, user.user_id, "notice",
                                   [render.closed_for_user(self.deps, lang, ticket)], ticket_id)
        if by is None or (ticket.assignee and ticket.assignee != by.key):
            await self.tell_agents_closed(ticket_id, but=by)
        return ticket

    async def tell_agents_closed(self, ticket_id: int, but: Agent | None = None) -> None:
        """The assignee (or, if nobody took it, every agent) learns the ticket closed."""
        ticket = await self.storage.tickets.get(ticket_id)
        if ticket.assignee:
            targets = [Agent(*ticket.assignee.split(":", 1))]
        else:
            targets = await self.agents()
        for agent in targets:
            if but is not None and agent.key == but.key:
                continue
            lang = await self._language_of(agent)
            await direct.queue(self.deps, agent.channel, agent.user_id, "thread",
                               [render.closed_for_agent(self.deps, lang, ticket)], ticket_id)

    async def rate(self, ticket_id: int, user: User, rating: str) -> bool:
        return await self.storage.tickets.rate(ticket_id, user.id, rating)

    async def realert(self) -> int:
        """Alert every agent again, once, for tickets waiting past the limit in office hours."""
        now = self.clock()
        limit = timedelta(minutes=self.deps.settings.handoff_realert_minutes)
        hours = self.hours()
        alerted = 0
        for ticket in await self.storage.tickets.waiting_since_before(now - limit):
            waited = hours.open_seconds(ticket.waiting_since, now)
            if waited < limit.total_seconds():
                continue
            if await self.storage.tickets.mark_realerted(ticket.id):
                await self.notify_agents(ticket, purpose="realert")
                await self.storage.audit.record("system", "ticket.realert", str(ticket.id),
                                                {"waited_office_minutes": round(waited / 60)})
                alerted += 1
        return alerted

    async def _cards_taken(self, ticket_id: int, agent: Agent) -> None:
        """Other agents' cards say who took it: edited in place where the channel can."""
        for card in await self.storage.outbox.notifications(ticket_id):
            if card.channel == agent.channel and card.user_id == agent.user_id:
                continue
            other = Agent(card.channel, card.user_id)
            text = render.taken_text(self.deps, await self._language_of(other), ticket_id, agent)
            sender = self.deps.senders.get(card.channel)
            edit = getattr(sender, "edit", None)
            if card.status == "sent" and card.message_id and edit is not None:
                try:
                    await asyncio.wait_for(edit(card.user_id, card.message_id, Reply(text)), 15)
                    continue
                except Exception as exc:  # noqa: BLE001 -- fall back to a new message
                    log.info("card of ticket %d not edited: %s", ticket_id, type(exc).__name__)
            await direct.queue(self.deps, card.channel, card.user_id, "thread", [Reply(text)],
                               ticket_id)  # fmt: skip

    async def _language_of(self, agent: Agent) -> str:
        user = await self.storage.users.get(agent.channel, agent.user_id)
        return (user.language if user else None) or "id"

    async def _audit(self, agent: Agent, action: str, ticket_id: int, **detail) -> None:
        if agent.via is not None:
            detail["via"] = agent.via
        await self.storage.audit.record(agent.key, action, str(ticket_id), detail)


def _lang(user: User | None, ticket: Ticket) -> str:
    return (user.language if user else None) or ticket.language
