"""An edit asked for in words that names a field ("mau ganti no hp"): that field's question."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.registration.answers import edit_field
from handlers.registration.fields import active_fields
from handlers.registration.state import FLOW, SUMMARY
from handlers.registration.typed import field_named
from handlers.types import Reply


async def edit_named(ctx: Ctx, text: str) -> list[Reply] | None:
    """Right after /ubah in words: the question of the one field the message names ("mau ganti
    no hp" asks the phone number again, not the whole summary); None if it names none."""
    conv = ctx.conv
    if conv is None or not ctx.in_flow(FLOW) or conv.step != SUMMARY:
        return None
    fields = [field.name for field in active_fields(conv.draft["answers"])]
    name = field_named(ctx.deps.knowledge.intents, text, fields)
    if name is None:
        return None
    return [ctx.say("register.edit_intro"), *await edit_field(ctx, conv.draft, SUMMARY, name)]
