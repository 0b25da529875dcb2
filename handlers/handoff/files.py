"""Photos and documents in a ticket: fetched once from the sender's channel, stored, passed on.

A file a user sends on WhatsApp must reach an agent on Telegram (and back): the bytes are
fetched through the sender's channel and stored like broadcast media, so every channel's
sender uploads them once. Stored files are dropped after two days with the other unused media
(handlers/broadcast/worker.py), by which time they have long been delivered.
"""

from __future__ import annotations

import logging

from handlers.broadcast.compose import attachment_of
from handlers.context import Ctx
from handlers.media import MAX_SIZE, MediaTooBig, MediaUnavailable, accept, size_text
from handlers.types import Attachment, Media

log = logging.getLogger(__name__)


async def store_media(ctx: Ctx, media: Media) -> tuple[Attachment | None, str | None]:
    """The stored file as an Attachment, or a kind message saying why it was not taken."""
    accepted = accept(media)
    if accepted is None:
        return None, ctx.t("handoff.file_type")
    limit = MAX_SIZE[accepted.kind]
    fetch = ctx.deps.fetchers.get(ctx.incoming.channel)
    if fetch is None:
        return None, ctx.t("handoff.file_unavailable")
    try:
        data = await fetch(media, limit)
    except MediaTooBig:
        return None, ctx.t("handoff.file_too_big", limit=size_text(limit))
    except MediaUnavailable as exc:
        log.info("ticket file not fetched: %s", type(exc).__name__)
        return None, ctx.t("handoff.file_unavailable")
    stored = await ctx.deps.storage.media.add(
        accepted.kind, accepted.filename, accepted.mime_type, data
    )
    return attachment_of(stored), None
