"""`/tinjau` (`/review`): reviewers verify or reject submitted registrations one at a time."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.numbers import whole_number
from handlers.payloads import ButtonCode
from handlers.roles import has_role
from handlers.router import Router
from handlers.staff.common import actor, audit
from handlers.staff.fields import rows_for
from handlers.staff.notify import tell_owner
from handlers.types import Reply

ROLE = "reviewer"
FLOW = "staff_review"


class ReviewButton(ButtonCode, prefix="rev"):
    VERIFY = "ok"  # rev:ok:<registration id>
    REJECT = "no"  # rev:no:<id>: ask for the note the owner will read
    SKIP = "skip"  # rev:skip:<id>: the next card
NOTE_MAX = 1000


async def review(ctx: Ctx) -> list[Reply]:
    """Show the oldest submitted registration."""
    await audit(ctx, "review.open")
    return await next_card(ctx, after=0)


async def next_card(ctx: Ctx, after: int) -> list[Reply]:
    """The first submitted registration with an id above `after` (wrapping round), or 'none'."""
    repo = ctx.deps.storage.registrations
    pending = await repo.list_by_status("submitted", limit=1000)
    if not pending:
        return [ctx.say("staff.review_empty")]
    later = [registration for registration in pending if registration.id > after]
    registration = (later or pending)[0]
    total = await repo.count("submitted")
    buttons = (
        ctx.button("staff.review_verify", ReviewButton.VERIFY.payload(registration.id)),
        ctx.button("staff.review_reject", ReviewButton.REJECT.payload(registration.id)),
        ctx.button("staff.review_skip", ReviewButton.SKIP.payload(registration.id)),
    )
    rows = rows_for(ctx, registration)
    return [ctx.say("staff.review_card", rows=rows, pending=total, buttons=buttons)]


async def on_button(ctx: Ctx, value: str) -> list[Reply]:
    """Verify, reject (ask for the note) or skip the registration on the card (ReviewButton)."""
    parsed = ReviewButton.parse(value)
    registration_id = whole_number(parsed[1]) if parsed is not None else None
    if parsed is None or registration_id is None:
        return [ctx.say("core.stale_button")]
    press = parsed[0]
    if press is ReviewButton.SKIP:
        return await next_card(ctx, after=registration_id)
    registration = await ctx.deps.storage.registrations.get(registration_id)
    if registration is None or registration.status != "submitted":
        return [ctx.say("staff.review_gone"), *await next_card(ctx, after=registration_id)]
    if press is ReviewButton.VERIFY:
        return await decide(ctx, registration_id, "verified", None)
    await ctx.set_state(FLOW, "note", {"id": registration_id})
    return [ctx.say("staff.review_ask_note", reference=registration.reference)]


async def on_note(ctx: Ctx) -> list[Reply]:
    """The message after 'reject' is the note the owner will read."""
    if not await has_role(ctx, ROLE):  # the role was removed meanwhile
        await ctx.clear_state()
        return [ctx.say("core.cancelled")]
    note = (ctx.incoming.text or "").strip()
    if not note or len(note) > NOTE_MAX:
        return [ctx.say("staff.review_note_invalid", limit=NOTE_MAX)]
    registration_id = int(ctx.conv.draft["id"])
    await ctx.clear_state()
    registration = await ctx.deps.storage.registrations.get(registration_id)
    if registration is None or registration.status != "submitted":
        return [ctx.say("staff.review_gone"), *await next_card(ctx, after=registration_id)]
    return await decide(ctx, registration_id, "rejected", note)


async def decide(ctx: Ctx, registration_id: int, status: str, note: str | None) -> list[Reply]:
    """Store the verdict, tell the owner, audit it, then show the next registration."""
    repo = ctx.deps.storage.registrations
    registration = await repo.set_status(registration_id, status, note, actor(ctx))
    delivered = await tell_owner(ctx.deps, registration)
    await audit(
        ctx,
        f"review.{'verify' if status == 'verified' else 'reject'}",
        registration.reference,
        registration_id=registration_id,
        note=note,
        delivered=delivered,
    )
    done = ctx.say(
        f"staff.review_{status}",
        reference=registration.reference,
        business=registration.business_name,
        delivered=delivered,
    )
    return [done, *await next_card(ctx, after=registration_id)]


def register(router: Router) -> None:
    router.command("tinjau", "review", role=ROLE)(review)
    router.payload("rev", role=ROLE)(on_button)
    router.flow(FLOW)(on_note)
