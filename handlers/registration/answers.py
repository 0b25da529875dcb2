"""Taking an answer: consent, resume, back, skip, options, interests, phone, summary edits."""

from __future__ import annotations

from typing import Any

from handlers.context import Ctx
from handlers.menu import main_menu_buttons
from handlers.registration import phone as phones
from handlers.registration.fields import BY_NAME, POLICY_VERSION, Invalid, Kind, active_fields
from handlers.registration.questions import picks, whatsapp_number
from handlers.registration.state import (
    CONSENT,
    DUP_PHONE,
    SUMMARY,
    Draft,
    new_draft,
    next_step,
    previous_step,
    with_answer,
)
from handlers.registration.steps import edit_draft, goto, show
from handlers.types import Reply


async def accept(ctx: Ctx, draft: Draft, name: str, value: Any) -> list[Reply]:
    """Store a valid answer and go to the next unanswered question (or the summary)."""
    draft = {**with_answer(draft, name, value), "picks": None}
    step = next_step(draft)
    if step == SUMMARY:
        draft["ret"] = None
    return await goto(ctx, draft, step)


async def consent(ctx: Ctx, draft: Draft, step: str, arg: str) -> list[Reply]:
    """Agree: note the time and policy version in the draft; decline: keep nothing."""
    if arg != "yes":
        await ctx.clear_state()
        return [ctx.say("register.declined", buttons=main_menu_buttons(ctx))]
    now = ctx.deps.storage.db.now().isoformat()
    draft = {**draft, "consent_at": now, "consent_version": POLICY_VERSION}
    return await goto(ctx, draft, next_step(draft))


async def resume(ctx: Ctx, draft: Draft, step: str, arg: str) -> list[Reply]:
    """Continue where the form stopped, or start it over."""
    draft = dict(draft)
    stopped = draft.pop("resume", SUMMARY)
    if arg == "continue":
        return await goto(ctx, draft, stopped)
    if draft["mode"] == "edit":
        reg = await ctx.deps.storage.registrations.get_for_user(ctx.user.id)
        if reg is not None:
            return await goto(ctx, edit_draft(reg), SUMMARY)
    return await goto(ctx, new_draft(), CONSENT)


async def back(ctx: Ctx, draft: Draft, step: str) -> list[Reply]:
    """Go to the previous question (from a change made on the summary: the summary)."""
    previous = previous_step(draft, step)
    if previous is None:
        return show(ctx, draft, step, ctx.t("register.first_question"))
    draft = {key: value for key, value in draft.items() if key != "pending_phone"}
    draft["picks"] = None
    if previous == SUMMARY:
        draft["ret"] = None
    return await goto(ctx, draft, previous)


async def skip(ctx: Ctx, draft: Draft, step: str, arg: str) -> list[Reply]:
    """Leave an optional field empty."""
    field = BY_NAME.get(step)
    if field is None or not field.optional:
        return show(ctx, draft, step, ctx.t("register.stale_step"))
    return await accept(ctx, draft, step, None)


async def pick(ctx: Ctx, draft: Draft, step: str, arg: str) -> list[Reply]:
    """One option of a choice question (`pick:<field>:<option>`)."""
    name, _, option = arg.partition(":")
    field = BY_NAME.get(step)
    if name != step or field is None or option not in field.options:
        return show(ctx, draft, step, ctx.t("register.stale_step"))
    return await accept(ctx, draft, step, option)


async def toggle(ctx: Ctx, draft: Draft, step: str, arg: str) -> list[Reply]:
    """Tick or untick one interest; the choice is saved at once."""
    if arg not in BY_NAME[step].options:
        return show(ctx, draft, step, ctx.t("register.stale_step"))
    ticked = picks(draft)
    ticked = [item for item in ticked if item != arg] if arg in ticked else [*ticked, arg]
    order = BY_NAME[step].options
    draft = {**draft, "picks": sorted(ticked, key=order.index)}
    return await goto(ctx, draft, step)


async def done(ctx: Ctx, draft: Draft, step: str, arg: str) -> list[Reply]:
    """Finish the interests: at least one must be ticked."""
    ticked = picks(draft)
    if not ticked:
        return show(ctx, draft, step, ctx.t("register.err.interests_empty"))
    return await accept(ctx, draft, step, ticked)


async def use_whatsapp_number(ctx: Ctx, draft: Draft, step: str, arg: str) -> list[Reply]:
    """On WhatsApp: the number the user writes from is theirs."""
    number = whatsapp_number(ctx)
    if number is None:
        return show(ctx, draft, step, ctx.t("register.stale_step"))
    return await phone(ctx, draft, number, verified=True)


async def contact(ctx: Ctx, draft: Draft) -> list[Reply]:
    """A shared contact: only the user's own number, proven by the platform."""
    if not ctx.incoming.contact_is_own:
        return show(ctx, draft, "phone", ctx.t("register.err.contact_not_own"))
    try:
        number = phones.from_contact(ctx.incoming.contact_phone or "")
    except Invalid as exc:
        return show(ctx, draft, "phone", ctx.t(f"register.err.{exc.code}", **exc.data))
    return await phone(ctx, draft, number, verified=True)


async def phone(ctx: Ctx, draft: Draft, number: str, verified: bool) -> list[Reply]:
    """Take a valid number, unless another account's registration already uses it."""
    draft = {**draft, "phone_verified": verified, "takeover": False}
    other = await ctx.deps.storage.registrations.find_by_phone(number)
    if other is None or other.user_pk == ctx.user.id:
        return await accept(ctx, draft, "phone", number)
    if draft["mode"] == "edit":
        return show(ctx, draft, "phone", ctx.t("register.err.phone_taken_edit"))
    if not verified:
        return show(ctx, draft, "phone", ctx.t("register.err.phone_taken",
                                                channel=ctx.incoming.channel))
    return await goto(ctx, {**draft, "pending_phone": number}, DUP_PHONE)


async def duplicate(ctx: Ctx, draft: Draft, step: str, arg: str) -> list[Reply]:
    """The proven number has a registration elsewhere: update that one, or use another number."""
    pending = draft.get("pending_phone")
    draft = {key: value for key, value in draft.items() if key != "pending_phone"}
    if arg == "update" and pending:
        draft = {**with_answer(draft, "phone", pending), "takeover": True, "picks": None}
        step = next_step(draft)
        if step == SUMMARY:
            draft["ret"] = None
        return await goto(ctx, draft, step)
    return await goto(ctx, {**draft, "phone_verified": False}, "phone")


async def edit_field(ctx: Ctx, draft: Draft, step: str, arg: str) -> list[Reply]:
    """From the summary: ask one field again, then come back to the summary."""
    if arg not in {field.name for field in active_fields(draft["answers"])}:
        return show(ctx, draft, step, ctx.t("register.stale_step"))
    draft = {**draft, "ret": SUMMARY, "picks": None}
    if BY_NAME[arg].kind is Kind.MULTI:
        draft["picks"] = list(draft["answers"].get(arg, []))
    return await goto(ctx, draft, arg)

