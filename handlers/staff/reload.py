"""`/reload` (`/muatulang`): reload the knowledge files without a restart (admins)."""

from __future__ import annotations

from handlers.context import Ctx
from handlers.faq import reload_knowledge
from handlers.router import Router
from handlers.staff.common import audit
from handlers.types import Reply

ROLE = "admin"
ERROR_SHOWN = 3000  # characters of the error report (a chat message holds 4096)


async def reload(ctx: Ctx) -> list[Reply]:
    """Load the knowledge again; a broken file keeps the old knowledge and is reported."""
    error = await reload_knowledge(ctx.deps)
    if error is not None:
        await audit(ctx, "knowledge.reload", ok=False, error=error[:ERROR_SHOWN])
        return [ctx.say("staff.reload_failed", error=error[:ERROR_SHOWN])]
    faq = ctx.deps.knowledge.faq
    topics = len(faq.entries) if faq is not None else 0
    await audit(ctx, "knowledge.reload", ok=True, topics=topics)
    return [ctx.say("staff.reload_done", topics=topics)]


def register(router: Router) -> None:
    router.command("reload", "muatulang", role=ROLE)(reload)
