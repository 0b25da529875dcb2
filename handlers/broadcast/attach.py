"""A photo or document with a broadcast: checked, downloaded once by the channel, stored.

The file is stored in the database as soon as it arrives (the draft keeps its id), so a
half-composed broadcast with a file survives a restart, and every channel can send it later.
"""

from __future__ import annotations

from handlers.broadcast.buttons import Press
from handlers.broadcast.compose import FLOW, ComposeError, compile_text
from handlers.broadcast.panel import panel
from handlers.context import Ctx
from handlers.media import (
    MAX_SIZE,
    MediaTooBig,
    MediaUnavailable,
    accept,
    size_text,
)
from handlers.types import Media, Reply
from storage.audience import Audience


def _too_big(ctx: Ctx, kind: str, size: int | None) -> list[Reply]:
    limit = MAX_SIZE[kind]
    return [ctx.say(f"broadcast.media_too_big_{kind}", limit=size_text(limit),
                    size=size_text(size) if size else "")]


async def take_media(ctx: Ctx, draft: dict, media: Media) -> list[Reply]:
    """Attach the file the staff member sent (replacing any earlier one); its caption, if any,
    becomes the text. Then the panel, or the question for the text when there is none yet."""
    accepted = accept(media)
    if accepted is None:
        return [ctx.say(f"broadcast.media_type_{media.kind}")]
    limit = MAX_SIZE[media.kind]
    if media.size is not None and media.size > limit:
        return _too_big(ctx, media.kind, media.size)
    fetch = ctx.deps.fetchers.get(ctx.incoming.channel)
    if fetch is None:
        return [ctx.say("broadcast.media_failed")]
    try:
        data = await fetch(media, limit)
    except MediaTooBig as exc:
        return _too_big(ctx, media.kind, exc.size)
    except MediaUnavailable:
        return [ctx.say("broadcast.media_failed")]
    if len(data) > limit:
        return _too_big(ctx, media.kind, len(data))
    if not data:
        return [ctx.say("broadcast.media_failed")]
    storage = ctx.deps.storage
    stored = await storage.media.add(accepted.kind, accepted.filename, accepted.mime_type, data)
    previous = draft.get("media_id")
    draft = {**draft, "media_id": stored.id}
    caption = (media.caption or "").strip()
    if caption:
        try:
            compile_text(caption)
        except ComposeError as exc:  # the file stays; the text is asked again
            await _save(ctx, "text", {"media_id": stored.id}, previous)
            return [ctx.say(exc.key, **exc.data)]
        draft["text"] = caption
    if "text" not in draft:
        await _save(ctx, "text", draft, previous)
        return [ctx.say(f"broadcast.ask_text_for_{media.kind}")]
    audience = Audience.from_data(draft.get("audience") or Audience().to_json())
    draft["audience"] = audience.to_json()
    await _save(ctx, "audience", draft, previous)
    return await panel(ctx, draft["text"], audience, stored.id, draft.get("texts"))


async def _save(ctx: Ctx, step: str, draft: dict, previous: int | None) -> None:
    """Store the new state, then drop the replaced file if nothing else refers to it."""
    await ctx.set_state(FLOW, step, draft)
    if previous is not None and previous != draft.get("media_id"):
        await ctx.deps.storage.media.delete_if_unused(previous)


async def ask_media(ctx: Ctx, draft: dict) -> list[Reply]:
    """The panel's Attach button: wait for the file."""
    await ctx.set_state(FLOW, "media", draft)
    return [ctx.say("broadcast.ask_media", buttons=[ctx.button("broadcast.btn_back", Press.BACK_TO_PANEL.payload())])]


async def remove_media(ctx: Ctx, draft: dict) -> list[Reply]:
    """The panel's Remove button: the text alone again."""
    previous = draft.get("media_id")
    draft = {k: v for k, v in draft.items() if k != "media_id"}
    await _save(ctx, "audience", draft, previous)
    return await panel(ctx, draft["text"], Audience.from_data(draft["audience"]),
                       None, draft.get("texts"))


async def forget(ctx: Ctx, draft: dict) -> None:
    """After a cancel: the draft's file goes too (unless a broadcast uses it)."""
    if draft.get("media_id") is not None:
        await ctx.deps.storage.media.delete_if_unused(draft["media_id"])
