"""Submitting the form: the only place a registration is written (new, edited or taken over)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from handlers.context import Ctx
from handlers.menu import main_menu_buttons
from handlers.registration.fields import FIELDS, Field, Kind, active_fields
from handlers.registration.state import SUMMARY, Draft, next_step
from handlers.registration.steps import already_registered, edit_draft, goto
from handlers.types import Reply
from storage.registrations import Registration, RegistrationConflict, RegistrationData


def registration_data(draft: Draft) -> RegistrationData:
    """The draft's answers as the stored fields (fields not asked are empty)."""
    answers = draft["answers"]
    asked = {field.name: field for field in active_fields(answers)}
    value = {field.name: _stored(field, answers.get(field.name) if field.name in asked else None)
             for field in FIELDS}  # fmt: skip
    return RegistrationData(**value, phone_verified=bool(draft.get("phone_verified")))


def _stored(field: Field, answer: Any) -> Any:
    """An answer as the repository takes it: several choices as a tuple."""
    return tuple(answer or ()) if field.kind is Kind.MULTI else answer


async def submit(ctx: Ctx, draft: Draft) -> list[Reply]:
    """Store the registration (status submitted, with reference) and say what happens next."""
    missing = next_step(draft)
    if missing != SUMMARY:  # cannot happen through the buttons; a forged press lands here
        return await goto(ctx, draft, missing)
    if draft["mode"] == "edit":  # nothing changed: keep the review (a verified one stays so)
        stored = await ctx.deps.storage.registrations.get(draft["reg_id"])
        if stored is not None and registration_data(edit_draft(stored)) == registration_data(draft):
            await ctx.clear_state()
            status = ctx.t(f"register.status_name.{stored.status}")
            return [ctx.say("register.unchanged", reference=stored.reference, status=status,
                            buttons=main_menu_buttons(ctx))]  # fmt: skip
    try:
        reg = await _store(ctx, draft)
    except RegistrationConflict as exc:
        return await _conflict(ctx, draft, exc.reason)
    await ctx.clear_state()
    key = "register.resubmitted" if draft["mode"] == "edit" else "register.submitted"
    return [ctx.say(key, reference=reg.reference, takeover=draft["takeover"],
                    buttons=main_menu_buttons(ctx))]


async def _store(ctx: Ctx, draft: Draft) -> Registration:
    repo = ctx.deps.storage.registrations
    data = registration_data(draft)
    if draft["mode"] == "edit":
        return await repo.update(draft["reg_id"], data)
    consent_at = datetime.fromisoformat(draft["consent_at"])
    args = (ctx.user.id, data, ctx.lang, consent_at, draft["consent_version"])
    if draft["takeover"] and data.phone_verified:
        try:
            return await repo.take_over(*args)
        except RegistrationConflict as exc:
            if exc.reason != "not_found":  # the other registration went meanwhile: a new one
                raise
    return await repo.submit_new(*args)


async def _conflict(ctx: Ctx, draft: Draft, reason: str) -> list[Reply]:
    """Someone else took the number meanwhile, or this user already has a registration."""
    if reason == "phone_taken":
        answers = {k: v for k, v in draft["answers"].items() if k != "phone"}
        draft = {**draft, "answers": answers, "takeover": False, "ret": SUMMARY}
        key = "register.err.phone_taken_edit" if draft["mode"] == "edit" else "register.err.phone_taken"
        return await goto(ctx, draft, "phone", ctx.t(key, channel=ctx.incoming.channel))
    await ctx.clear_state()
    reg = await ctx.deps.storage.registrations.get_for_user(ctx.user.id)
    if reg is not None:
        return await already_registered(ctx, reg)
    return [ctx.say("register.no_registration", buttons=main_menu_buttons(ctx))]
