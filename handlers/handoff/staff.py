"""The agents' side: take, reply, list, close, release; curation of the question on close."""

from __future__ import annotations

from datetime import datetime

from handlers.context import Ctx
from handlers.handoff import render
from handlers.handoff.buttons import TicketButton
from handlers.handoff.files import store_media
from handlers.handoff.service import Agent
from handlers.handoff.user import service
from handlers.numbers import whole_number
from handlers.roles import has_role
from handlers.staff.common import audit
from handlers.types import Button, Reply
from knowledge.languages import LANGUAGE_NAMES

ROLE = "agent"
REPLY_FLOW = "handoff_reply"
SHOWN = 30  # tickets listed by /tiket
GUESSES = 2  # topics offered when turning a closed ticket into knowledge


def agent_of(ctx: Ctx) -> Agent:
    return Agent(ctx.user.channel, ctx.user.user_id, ctx.user.display_name, ctx.via)


def _ticket_arg(ctx: Ctx) -> tuple[int | None, str]:
    """`N rest` -> (N, rest); `#N` is accepted too."""
    head, _, rest = ctx.incoming.args.strip().partition(" ")
    head = head.removeprefix("#")
    number = whole_number(head)
    return (number, rest.strip()) if number is not None else (None, "")


async def list_tickets(ctx: Ctx) -> list[Reply]:
    """`/tiket`: open tickets with age, waiting time, assignee, language and first line."""
    tickets = await ctx.deps.storage.tickets.list_open(limit=SHOWN)
    await audit(ctx, "ticket.list", count=len(tickets))
    if not tickets:
        return [ctx.say("handoff.list_empty")]
    now = ctx.deps.storage.db.now()
    rows = [{
        "number": t.id, "age": _ago(now, t.opened_at),
        "waiting": _ago(now, t.waiting_since) if t.waiting_since else None,
        "assignee": t.assignee_name or t.assignee, "language": LANGUAGE_NAMES.get(t.language, t.language),
        "first_line": (t.question or "").strip().splitlines()[0][:80] if t.question else "",
    } for t in tickets]  # fmt: skip
    return [ctx.say("handoff.list", rows=rows)]


async def reply_command(ctx: Ctx) -> list[Reply]:
    """`/balas N text`: the text goes to the ticket's user."""
    number, text = _ticket_arg(ctx)
    if number is None or not text:
        return [ctx.say("handoff.reply_usage")]
    return await send_reply(ctx, number, text)


async def send_reply(ctx: Ctx, number: int, text: str, media=None) -> list[Reply]:
    """Queue the reply through the outbox and confirm to the agent."""
    attachment = None
    if media is not None:
        attachment, problem = await store_media(ctx, media)
        if problem is not None:
            return [Reply(problem)]
    sent = await service(ctx).reply(number, agent_of(ctx), text, attachment)
    if sent is None:
        return [ctx.say("handoff.not_open", number=number)]
    return [ctx.say("handoff.reply_queued", number=number)]


async def on_reply_to(ctx: Ctx) -> list[Reply] | None:
    """A reply to a ticket's card or thread message answers that ticket (agents only)."""
    incoming = ctx.incoming
    number = await ctx.deps.storage.outbox.ticket_of(
        incoming.channel, incoming.user_id, incoming.reply_to
    )
    if number is None or not await has_role(ctx, ROLE):
        return None
    text = incoming.text or (incoming.media.caption if incoming.media else None) or ""
    if not text.strip() and incoming.media is None:
        return [ctx.say("handoff.reply_usage")]
    return await send_reply(ctx, number, text, incoming.media)


async def in_reply_flow(ctx: Ctx) -> list[Reply]:
    """After the Reply button: the next message (text, photo or document) is the reply."""
    number = ctx.conv.draft.get("ticket")
    incoming = ctx.incoming
    text = incoming.text or (incoming.media.caption if incoming.media else None) or ""
    if not text.strip() and incoming.media is None:
        return [ctx.say("handoff.reply_prompt", number=number)]
    await ctx.clear_state()
    return await send_reply(ctx, int(number), text, incoming.media)


async def close_command(ctx: Ctx) -> list[Reply]:
    """`/tutup N [note]`."""
    number, note = _ticket_arg(ctx)
    if number is None:
        return [ctx.say("handoff.close_usage")]
    return await close(ctx, number, note)


async def close(ctx: Ctx, number: int, note: str = "") -> list[Reply]:
    """Close the ticket; offer to turn its question into knowledge."""
    ticket = await service(ctx).close(number, agent_of(ctx), note)
    if ticket is None:
        return [ctx.say("handoff.not_open", number=number)]
    buttons: list[Button] = []
    if ticket.question:
        faq = ctx.deps.knowledge.faq
        decision = faq.matcher.decide(ticket.question)
        topics = list(decision.choices or ())[:GUESSES] or ([decision.guess] if decision.guess else [])
        for topic in topics:
            payload = TicketButton.LINK.payload(number, topic)
            if faq.get(topic) and len(payload.encode()) <= 64:
                buttons.append(ctx.button("handoff.curate_link", payload,
                                          topic=faq.title(topic, ctx.lang)))  # fmt: skip
        buttons.append(ctx.button("handoff.curate_new", TicketButton.NEW_TOPIC.payload(number)))
    return [ctx.say("handoff.closed_agent", number=number, curate=bool(buttons),
                    buttons=buttons)]  # fmt: skip


async def curate(ctx: Ctx, number: int, topic: str | None) -> list[Reply]:
    """Put the ticket's question into the unanswered log: with a topic to link, or a new one.

    Admins then see it in /belumterjawab (grouped, with the topic as its guess) and link it in
    one tap: an agent never changes what the bot answers by themselves.
    """
    ticket = await ctx.deps.storage.tickets.get(number)
    if ticket is None or not ticket.question or ticket.is_open:
        return [ctx.say("handoff.not_open", number=number)]
    if topic is not None and ctx.deps.knowledge.faq.get(topic) is None:
        return [ctx.say("core.stale_button")]
    await ctx.deps.storage.questions.log(
        None, ticket.channel, ticket.language, ticket.question, topic, 0.0, answered=False
    )
    await audit(ctx, "ticket.curate", str(number), topic=topic)
    return [ctx.say("handoff.curated", number=number, topic=topic)]


async def release_command(ctx: Ctx) -> list[Reply]:
    """`/kembalikan N`: un-assign; every agent is told it waits again."""
    number, _ = _ticket_arg(ctx)
    if number is None:
        return [ctx.say("handoff.release_usage")]
    if not await service(ctx).release(number, agent_of(ctx)):
        return [ctx.say("handoff.not_taken", number=number)]
    return [ctx.say("handoff.released", number=number)]


async def show_name(ctx: Ctx) -> list[Reply]:
    """`/tampilnama ya|tidak`: show my display name to users with my replies, or not."""
    choice = ctx.incoming.args.strip().casefold()
    storage = ctx.deps.storage.tickets
    if choice in ("ya", "yes", "on", "tidak", "no", "off"):
        show = choice in ("ya", "yes", "on")
        await storage.set_show_name(ctx.user.channel, ctx.user.user_id, show)
        await audit(ctx, "ticket.show_name", show=show)
    shown = await storage.show_name(ctx.user.channel, ctx.user.user_id)
    return [ctx.say("handoff.show_name", shown=shown, name=ctx.user.display_name or "")]


async def on_button(ctx: Ctx, value: str) -> list[Reply]:
    """tk:take:N, tk:reply:N, tk:close:N, tk:kl:N:TOPIC, tk:kn:N (TicketButton)."""
    parsed = TicketButton.parse(value)
    code, rest = parsed if parsed else (None, "")
    head, _, topic = rest.partition(":")
    number = whole_number(head)
    if code is None or number is None or (bool(topic) != (code is TicketButton.LINK)):
        return [ctx.say("core.stale_button")]
    if code is TicketButton.TAKE:
        return await take(ctx, number)
    if code is TicketButton.REPLY:
        await ctx.set_state(REPLY_FLOW, "write", {"ticket": number})
        return [ctx.say("handoff.reply_prompt", number=number)]
    if code is TicketButton.CLOSE:
        return await close(ctx, number)
    return await curate(ctx, number, topic if code is TicketButton.LINK else None)


async def take(ctx: Ctx, number: int) -> list[Reply]:
    """Take the ticket: exactly one agent wins; the others see who did."""
    if await service(ctx).take(number, agent_of(ctx)):
        return [ctx.say("handoff.taken", number=number,
                        buttons=render.card_buttons(ctx.deps, ctx.lang, number)[1:])]  # fmt: skip
    ticket = await ctx.deps.storage.tickets.get(number)
    if ticket is None or not ticket.is_open:
        return [ctx.say("handoff.not_open", number=number)]
    return [ctx.say("handoff.already_taken", number=number,
                    agent=ticket.assignee_name or ticket.assignee)]  # fmt: skip


def _ago(now: datetime, then: datetime) -> str:
    """'3d 2h', '2h 5m', '4m'."""
    minutes = max(0, int((now - then).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {mins}m" if hours else f"{mins}m"
