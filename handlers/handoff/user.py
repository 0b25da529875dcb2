"""The user's side of talking to a person: ask, write, see it passed on, close, rate."""

from __future__ import annotations

import logging
from datetime import timedelta

from handlers.context import Ctx
from handlers.deps import Deps
from handlers.handoff import render
from handlers.handoff.buttons import HandButton
from handlers.handoff.files import store_media
from handlers.handoff.service import TicketExists, TicketService
from handlers.menu import main_menu_buttons
from handlers.numbers import whole_number
from handlers.types import Reply
from storage.tickets import Ticket

log = logging.getLogger(__name__)
FLOW = "handoff"
ASK, OPEN = "ask", "open"
JUST_ASKED = timedelta(minutes=10)  # a question this recent becomes the ticket's question


def service_of(deps: Deps) -> TicketService:
    """The TicketService of this process, made on first use (a test may set its own)."""
    if deps.tickets is None:
        deps.tickets = TicketService(deps)
    return deps.tickets


def service(ctx: Ctx) -> TicketService:
    return service_of(ctx.deps)


async def ask_for_person(ctx: Ctx) -> list[Reply]:
    """`/petugas`, the "talk to staff" button, or words asking for a person (h14c's action)."""
    storage = ctx.deps.storage
    ticket = await storage.tickets.open_for_user(ctx.user.id)
    if ticket is not None:
        await ctx.set_state(FLOW, OPEN, {"ticket": ticket.id})
        return [ctx.say("handoff.already_open", number=ticket.id, buttons=_done_button(ctx))]
    since = storage.db.now() - JUST_ASKED
    question = await storage.tickets.recent_question(ctx.user.id, since)
    if question:
        return await open_ticket(ctx, question)
    await ctx.set_state(FLOW, ASK, {})
    return [ctx.say("handoff.ask_question")]


async def on_button(ctx: Ctx, value: str) -> list[Reply]:
    """hand:start, hand:done, hand:rate:N:up|down (HandButton)."""
    parsed = HandButton.parse(value)
    code, rest = parsed if parsed else (None, "")
    if code is HandButton.START and not rest:
        return await ask_for_person(ctx)
    if code is HandButton.DONE and not rest:
        return await done(ctx)
    number, _, rating = rest.partition(":")
    ticket = whole_number(number)
    if code is HandButton.RATE and ticket is not None and rating in ("up", "down"):
        return await rate(ctx, ticket, rating)
    return [ctx.say("core.stale_button", buttons=main_menu_buttons(ctx))]


async def open_ticket(ctx: Ctx, question: str) -> list[Reply]:
    """Open the ticket, tell the user its number and when to expect an answer."""
    try:
        ticket = await service(ctx).open(ctx.user, ctx.lang, question)
    except TicketExists:
        return await ask_for_person(ctx)
    await ctx.set_state(FLOW, OPEN, {"ticket": ticket.id})
    return [_opened(ctx, ticket)]


def _opened(ctx: Ctx, ticket: Ticket) -> Reply:
    hours = service(ctx).hours()
    now = ctx.deps.storage.db.now()
    opening = hours.next_opening(now).astimezone(hours.zone)
    return ctx.say(
        "handoff.opened", number=ticket.id, office_open=hours.is_open(now),
        next_day=ctx.t(f"handoff.day_{opening.weekday()}"), next_date=opening.strftime("%d/%m"),
        next_time=opening.strftime("%H:%M"), buttons=_done_button(ctx),
    )  # fmt: skip


async def in_flow(ctx: Ctx) -> list[Reply]:
    """Messages while asking (the question) or while the ticket is open (added to it)."""
    if ctx.conv.step == ASK:
        text = (ctx.incoming.text or "").strip() or (
            ctx.incoming.media.caption if ctx.incoming.media else None
        )
        if not text:
            return [ctx.say("handoff.ask_question_text")]
        return await open_ticket(ctx, text)
    ticket = await ctx.deps.storage.tickets.open_for_user(ctx.user.id)
    if ticket is None:  # closed by staff meanwhile: back to the ordinary assistant
        await ctx.clear_state()
        return await _not_in_ticket(ctx)
    return await pass_on(ctx, ticket)


async def pass_on(ctx: Ctx, ticket: Ticket) -> list[Reply]:
    """Add the message (text, photo or document) to the ticket; show it was passed on."""
    incoming = ctx.incoming
    attachment = None
    text = incoming.text or ""
    if incoming.media is not None:
        attachment, problem = await store_media(ctx, incoming.media)
        if problem is not None:
            return [Reply(problem)]
        text = incoming.media.caption or ""
    elif not text.strip():
        return [ctx.say("handoff.only_text_files", number=ticket.id)]
    await service(ctx).user_message(ticket, text, attachment)
    switched = await _language_asked(ctx, text) if attachment is None else None
    if switched:  # "reply in English please": staff see it, and the user is answered in it
        return [Reply(switched[0].text), ctx.say("handoff.passed_on", number=ticket.id)]
    rules = ctx.deps.knowledge.intents
    if attachment is None and rules.says(text, rules.ticket_done):
        # "batal", "udah selesai": staff see it too, and closing is one tap away
        return [ctx.say("handoff.passed_on_finished", number=ticket.id, buttons=_done_button(ctx))]
    return [ctx.say("handoff.passed_on", number=ticket.id)]


async def _language_asked(ctx: Ctx, text: str) -> list[Reply] | None:
    """The switch to the language a message names ("reply in English"), or None."""
    from handlers.actions import ACTIONS  # late: it reaches this module via /petugas

    intent = ctx.deps.knowledge.intents.classify(text)  # the rules only: no FAQ, no embedding
    if intent.kind != "action" or intent.name != "language" or not intent.to:
        return None
    return await ACTIONS["language"](ctx, intent.to)


async def _not_in_ticket(ctx: Ctx) -> list[Reply]:
    """The ticket is gone: answer the message as the assistant would."""
    if ctx.incoming.text and ctx.incoming.text.strip():
        from handlers.understanding import on_text  # late: it reaches this module via /petugas

        return await on_text(ctx)
    return [ctx.say("core.unsupported", buttons=main_menu_buttons(ctx))]


async def on_return(ctx: Ctx) -> list[Reply]:
    """Back from another flow (e.g. registration) to the open ticket."""
    ticket = await ctx.deps.storage.tickets.open_for_user(ctx.user.id)
    if ticket is None:
        await ctx.clear_state()
        return []
    return [ctx.say("handoff.back_to_ticket", number=ticket.id)]


async def done(ctx: Ctx) -> list[Reply]:
    """`/selesai`: the user closes their ticket and may rate it."""
    ticket = await ctx.deps.storage.tickets.open_for_user(ctx.user.id)
    if ctx.in_flow(FLOW):
        await ctx.clear_state()
    if ticket is None:
        return [ctx.say("handoff.nothing_open", buttons=main_menu_buttons(ctx))]
    closed = await service(ctx).close(ticket.id, None)
    if closed is None:
        return [ctx.say("handoff.nothing_open", buttons=main_menu_buttons(ctx))]
    return [ctx.say("handoff.closed_by_user", number=ticket.id,
                    buttons=render.rating_buttons(ctx.deps, ctx.lang, ticket.id))]  # fmt: skip


async def rate(ctx: Ctx, ticket_id: int, rating: str) -> list[Reply]:
    """The one-tap 👍/👎 after a ticket closed (once; optional)."""
    if not await service(ctx).rate(ticket_id, ctx.user, rating):
        return [ctx.say("handoff.rating_not_taken", buttons=main_menu_buttons(ctx))]
    return [ctx.say("handoff.rating_thanks", buttons=main_menu_buttons(ctx))]


def _done_button(ctx: Ctx):
    return (ctx.button("handoff.button_done", HandButton.DONE.payload()),)
