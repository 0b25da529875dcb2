"""A question that leans on the one before it: "biayanya?" after the halal answer.

Read alone, "biayanya?", "syaratnya apa aja?" or "how long does it take?" name no topic, and the
matcher gave whichever topic its samples' generic words liked ("biayanya?" after the halal
answer got the Little Bandung fees; "berapa lama prosesnya?" the registration status). The topic
last answered to a user (typed, or chosen with a button) is kept with them (`users.topic`,
migration 0023). Within FOLLOW_UP_FOR of it, a message whose every word asks about an aspect or
points back (`follow_up` in knowledge/intents.yaml) is read with that topic's title before it
("sertifikat halal biayanya?"), and that reading answers if the FAQ answers it. A message naming
a subject of its own ("halal gimana?") is read alone, as before.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from handlers.context import Ctx
from knowledge.understand import Understood

FOLLOW_UP_FOR = timedelta(minutes=30)
REMEMBER_STEP = timedelta(minutes=1)  # the same topic again this soon: no write


async def remember(ctx: Ctx, topic: str) -> None:
    """Keep `topic` as the one just answered to the user."""
    user, now = ctx.user, ctx.deps.storage.db.now()
    if user.topic == topic and user.topic_at is not None and now - user.topic_at < REMEMBER_STEP:
        return
    at = await ctx.deps.storage.users.set_topic(user.id, topic)
    ctx.user = replace(user, topic=topic, topic_at=at)


def leaning(ctx: Ctx, text: str, understood: Understood) -> str | None:
    """The message with the last topic's subject before it, if it is a follow-up of a recent
    answer; else None."""
    user, knowledge = ctx.user, ctx.deps.knowledge
    if understood.intent not in ("faq", "fallback") or user.topic is None or user.topic_at is None:
        return None
    if knowledge.faq.get(user.topic) is None:  # gone with a /reload
        return None
    if ctx.deps.storage.db.now() - user.topic_at > FOLLOW_UP_FOR:
        return None
    if not knowledge.intents.leans_on_before(text):
        return None
    subject = knowledge.intents.subject(knowledge.faq.title(user.topic, ctx.lang))
    return f"{subject} {text}" if subject else None


def answers(understood: Understood) -> bool:
    """Whether a reading answers with a topic (not a guess offered, not a fallback)."""
    decision = understood.decision
    return understood.intent == "faq" and decision is not None and decision.kind == "answer"
