"""Going to a step: save the state, then show its question (consent, fields, summary...)."""

from __future__ import annotations

from datetime import timedelta

from handlers.context import Ctx
from handlers.menu import main_menu_buttons
from handlers.registration import summary
from handlers.registration.fields import BY_NAME, FIELDS, POLICY_VERSION, is_active
from handlers.registration.questions import BACK, ask
from handlers.registration.state import (
    CANCEL,
    CONSENT,
    DUP_PHONE,
    FLOW,
    RESUME,
    SUMMARY,
    Draft,
    new_draft,
    next_step,
)
from handlers.types import Reply
from storage.registrations import Registration

# A typed message after this long a pause offers "continue or start over" instead of
# being taken as the answer (it is more likely a new question than a late answer).
RESUME_AFTER = timedelta(minutes=30)


async def goto(ctx: Ctx, draft: Draft, step: str, note: str | None = None) -> list[Reply]:
    """Store the draft at `step` (every step is saved) and show that step."""
    await ctx.set_state(FLOW, step, draft)
    return show(ctx, draft, step, note)


def show(ctx: Ctx, draft: Draft, step: str, note: str | None = None) -> list[Reply]:
    """The message of `step`, after `note` if given."""
    if step == CONSENT:  # asked again after a note (a side question, a word that is no choice):
        # the terms are the message just above, so only the question, not ~600 characters again
        reply = ctx.say(
            "register.consent_again" if note else "register.consent",
            version=POLICY_VERSION,
            buttons=(ctx.button("register.agree", "reg:consent:yes"),
                     ctx.button("register.decline", "reg:consent:no")),
        )
    elif step == RESUME:
        reply = ctx.say(
            "register.resume",
            at=step_label(ctx, draft.get("resume", SUMMARY)),
            mode=draft["mode"],
            buttons=(ctx.button("register.continue", "reg:resume:continue"),
                     ctx.button("register.restart", "reg:resume:restart")),
        )
    elif step == SUMMARY:
        return summary.render(ctx, draft, note)
    elif step == CANCEL:  # /batal with answers given (handlers/registration/cancel.py)
        reply = ctx.say(
            "understand.cancel_confirm",
            count=len(draft["answers"]),
            buttons=(ctx.button("understand.cancel_discard", "reg:cancel:discard"),
                     ctx.button("understand.cancel_keep", "reg:cancel:keep"),
                     ctx.button("understand.cancel_continue", "reg:cancel:continue")),
        )
    elif step == DUP_PHONE:
        reply = ctx.say(
            "register.dup_phone",
            buttons=(ctx.button("register.dup_update", "reg:dup:update"),
                     ctx.button("register.dup_other", "reg:dup:other"),
                     ctx.button("register.back", BACK)),
        )
    elif step in BY_NAME:
        return ask(ctx, draft, step, note)
    else:  # a step this version does not know (state from another version): carry on
        following = next_step(draft)
        return show(ctx, draft, following, note) if following in BY_NAME else summary.render(
            ctx, draft, note)
    if note:
        reply = Reply(f"{note}\n\n{reply.text}", reply.buttons, reply.kind)
    return [reply]


def step_label(ctx: Ctx, step: str) -> str:
    """The name of a step as the user reads it ("Business name", "Summary"...)."""
    if step == DUP_PHONE:
        step = "phone"
    return ctx.t(f"register.label.{step}")


def is_idle(ctx: Ctx) -> bool:
    """True if the user's form has not moved for RESUME_AFTER."""
    updated = ctx.conv.updated_at if ctx.conv else None
    return updated is not None and ctx.deps.storage.db.now() - updated > RESUME_AFTER


async def offer_resume(ctx: Ctx) -> list[Reply]:
    """Offer to continue the unfinished form where it stopped, or to start over."""
    assert ctx.conv is not None
    draft, step = dict(ctx.conv.draft), ctx.conv.step
    if step not in (RESUME, CANCEL):  # those two keep the interrupted step in draft["resume"]
        draft["resume"] = step
    return await goto(ctx, draft, RESUME)


def edit_draft(reg: Registration) -> Draft:
    """A draft holding a stored registration's answers, to change them."""
    answers = {}
    for field in FIELDS:
        value = getattr(reg, field.name)
        answers[field.name] = list(value) if isinstance(value, tuple) else value
    answers = {name: value for name, value in answers.items() if is_active(BY_NAME[name], answers)}
    draft = new_draft("edit", answers, reg.id)
    draft["phone_verified"] = reg.phone_verified
    return draft


async def already_registered(ctx: Ctx, reg: Registration) -> list[Reply]:
    """Tell a registered user their reference and status, and how to change it."""
    return [
        ctx.say(
            "register.already",
            reference=reg.reference,
            status=ctx.t(f"register.status_name.{reg.status}"),
            buttons=(ctx.button("register.edit_button", "menu:ubah"),
                     *main_menu_buttons(ctx)),
        )
    ]
