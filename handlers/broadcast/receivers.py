"""The audience a broadcast asked for in words names ("kirim pengumuman ke semua umkm kuliner"):
the filters the panel starts with, read by knowledge/receivers.py from intents.yaml."""

from __future__ import annotations

from dataclasses import replace

from handlers.broadcast.panel import CATEGORIES
from handlers.context import Ctx
from handlers.registration.fields import SUBSECTORS
from handlers.types import CHANNEL_NAMES
from knowledge.intents_checks import BROADCAST_TEXT
from knowledge.languages import LANGUAGES
from storage.audience import STATUSES, Audience

VALUES = {"sub": SUBSECTORS, "lang": LANGUAGES, "ch": tuple(CHANNEL_NAMES), "st": STATUSES}


def audience_of(codes: tuple[str, ...]) -> Audience:
    """The audience with the filters `codes` name (`registered`, `sub:kuliner`, ...); a code
    naming no value the panel offers is left out."""
    audience = Audience()
    for code in codes:
        if code == "registered":
            audience = replace(audience, registered=True)
            continue
        category, _, value = code.partition(":")
        if value in VALUES.get(category, ()):
            field = CATEGORIES[category]
            values = sorted({*getattr(audience, field), value})
            audience = replace(audience, **{field: tuple(values)})
    return audience


def named_audience(ctx: Ctx) -> Audience:
    """The audience a broadcast asked for in words names before its text; everyone for the
    command (`/siaran`) or a request that names none."""
    text = ctx.incoming.text
    if ctx.incoming.command is not None or not text:
        return Audience()
    head = BROADCAST_TEXT.split(text, maxsplit=1)[0]  # the text after it names no one
    return audience_of(ctx.deps.knowledge.intents.receivers.named(head))
