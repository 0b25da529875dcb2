"""A yes/no question the bot asked outside the registration form, answered in words.

/hapus asks "Yakin ingin menghapus data Anda?" and a request to stop the announcements is
offered a button. People often type "ya" instead of pressing it: that got "Baik 👍" and nothing
happened (the data stayed, the announcements kept coming) while they believed it done. Now the
question's buttons are kept with the user (`users.offer`, migration 0022), and the next message,
if it is a whole yes or no (`form_choices: offer` in knowledge/intents.yaml, address words
aside), presses the button. An acknowledgement ("ok", "sip") presses nothing: it is told that
nothing changed yet and the question stays. Any other message, a command or a button clears
the question and goes its usual way, as does a yes after OFFER_FOR.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from handlers.context import Ctx
from handlers.menu import main_menu_buttons
from handlers.router import Router
from handlers.types import Reply

OFFER_FOR = timedelta(minutes=10)  # a "ya" later than this answers nothing we remember
DECLINED = "offer:no"  # the no of a question without a no button of its own


async def ask(ctx: Ctx, yes: str, no: str = DECLINED) -> None:
    """Remember that the reply being sent asks yes (payload `yes`) or no (payload `no`)."""
    await ctx.deps.storage.users.set_offer(ctx.user.id, json.dumps({"yes": yes, "no": no}))


async def take(ctx: Ctx) -> dict[str, str] | None:
    """The question asked just before this message, if still fresh; cleared either way."""
    user = ctx.user
    if user.offer is None:
        return None
    await ctx.deps.storage.users.set_offer(user.id, None)
    ctx.user = replace(user, offer=None, offer_at=None)
    if user.offer_at is None or ctx.deps.storage.db.now() - user.offer_at > OFFER_FOR:
        return None
    try:
        found = json.loads(user.offer)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


async def answer(ctx: Ctx, offer: dict[str, str], text: str) -> str | list[Reply] | None:
    """The payload of the button a typed yes or no means; for an acknowledgement, the replies
    that say nothing changed (the question stays); None: the message is no answer to it."""
    rules = ctx.deps.knowledge.intents
    said = rules.choice("offer", text)
    if said in offer:
        return offer[said]
    intent = rules.classify(text)
    if intent.kind == "smalltalk" and intent.name == "ack":
        await ctx.deps.storage.users.set_offer(ctx.user.id, json.dumps(offer))
        return [ctx.say("understand.offer_unanswered")]
    return None


async def declined(ctx: Ctx, _value: str) -> list[Reply]:
    return [ctx.say("understand.offer_declined", buttons=main_menu_buttons(ctx))]


def register(router: Router) -> None:
    router.payload("offer")(declined)
