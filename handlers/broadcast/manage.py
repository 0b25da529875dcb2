"""`/siaran daftar`, `/siaran batal ID` and `/siaran status ID`."""

from __future__ import annotations

from handlers.broadcast.progress import render_status
from handlers.broadcast.schedule import show_local
from handlers.context import Ctx
from handlers.types import Reply

PREVIEW_CHARS = 60


def wake(ctx: Ctx) -> None:
    """Tell this process's broadcast worker there is new work (it also polls)."""
    wake_up = ctx.deps.broadcast_wake
    if wake_up is not None:
        wake_up()


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= PREVIEW_CHARS else line[: PREVIEW_CHARS - 1] + "…"


async def list_open(ctx: Ctx) -> list[Reply]:
    """Scheduled and running broadcasts, with their ids."""
    storage = ctx.deps.storage
    rows = []
    for b in await storage.broadcasts.list_open():
        if b.status == "scheduled":
            rows.append(ctx.t("broadcast.list_scheduled", id=b.id, when=show_local(b.scheduled_at),
                              text=_first_line(b.text)))
        else:
            remaining = sum(n for s, n in (await storage.broadcasts.counts(b.id)).items()
                            if s in ("pending", "sending"))
            rows.append(ctx.t("broadcast.list_sending", id=b.id, remaining=remaining,
                              total=b.total, text=_first_line(b.text)))
    if not rows:
        return [ctx.say("broadcast.list_empty")]
    return [ctx.say("broadcast.list", rows="\n".join(rows))]


async def cancel(ctx: Ctx, broadcast_id: int) -> list[Reply]:
    """Cancel a scheduled broadcast, or stop a running one (what was sent stays sent)."""
    storage = ctx.deps.storage
    if not await storage.broadcasts.cancel(broadcast_id):
        return [ctx.say("broadcast.cancel_unknown", id=broadcast_id)]
    await storage.audit.record(ctx.user.key, "broadcast.cancel", f"broadcast:{broadcast_id}")
    wake(ctx)
    return [ctx.say("broadcast.cancel_done", id=broadcast_id)]


async def status(ctx: Ctx, broadcast_id: int) -> list[Reply]:
    """The progress or final report of one broadcast."""
    storage = ctx.deps.storage
    broadcast = await storage.broadcasts.get(broadcast_id)
    if broadcast is None:
        return [ctx.say("broadcast.status_unknown", id=broadcast_id)]
    counts = await storage.broadcasts.counts(broadcast_id)
    text = render_status(ctx.deps.knowledge.texts, ctx.lang, broadcast, counts,
                         storage.db.now(), ctx.deps.settings.broadcast_rate)
    return [Reply(text)]
