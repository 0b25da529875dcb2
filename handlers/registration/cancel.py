"""/batal in the form: with answers given, ask first; discard, keep for later, or go on."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.menu import main_menu_buttons
from handlers.registration.state import CANCEL, KEPT_FLOW, RESUME, Draft
from handlers.registration.steps import goto
from handlers.types import Reply


async def guard(ctx: Ctx) -> list[Reply]:
    """Before /batal ends a new form: ask when answers were given (else [] and it just ends)."""
    assert ctx.conv is not None
    draft, step = dict(ctx.conv.draft), ctx.conv.step
    if draft.get("mode") != "new" or not draft.get("answers"):
        return []  # an edit: the stored registration stays as it was
    if step != CANCEL:
        draft["resume"] = draft.get("resume", step) if step == RESUME else step
    return await goto(ctx, draft, CANCEL)  # a form kept for later comes back to ask too


async def choose(ctx: Ctx, draft: Draft, step: str, arg: str) -> list[Reply]:
    """Discard the answers, keep them aside for /daftar, or return to the question."""
    draft = dict(draft)
    stopped = draft.pop("resume", None) or RESUME
    if arg == "discard":
        await ctx.clear_state()
        return [ctx.say("understand.cancel_discarded", buttons=main_menu_buttons(ctx))]
    if arg == "keep":
        draft["resume"] = stopped
        # Out of the form's flow: questions go to the FAQ again; /daftar brings the form back.
        ctx.conv = await ctx.deps.storage.conversations.save(ctx.user.id, KEPT_FLOW, RESUME, draft)
        return [ctx.say("understand.cancel_kept", buttons=main_menu_buttons(ctx))]
    if stopped == RESUME:
        return await goto(ctx, draft, RESUME)
    return await goto(ctx, draft, stopped)
