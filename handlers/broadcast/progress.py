"""Progress and report texts for a broadcast: a text bar, the figures, the time left."""

from __future__ import annotations

from datetime import datetime

from handlers.broadcast.schedule import show_local
from knowledge.texts import Texts
from storage.broadcasts import Broadcast

BAR_WIDTH = 20


def bar(done: int, total: int) -> str:
    """'▓▓▓▓░░░░ 50%' for `done` of `total`."""
    share = done / total if total else 1.0
    filled = round(BAR_WIDTH * share)
    return "▓" * filled + "░" * (BAR_WIDTH - filled) + f" {round(100 * share)}%"


def figures(counts: dict[str, int]) -> dict[str, int]:
    """Sent, failed, blocked, skipped and remaining from deliveries by status."""
    return {
        "sent": counts.get("sent", 0),
        "failed": counts.get("failed", 0),
        "blocked": counts.get("blocked", 0),
        "skipped": counts.get("skipped", 0) + counts.get("cancelled", 0),
        "remaining": counts.get("pending", 0) + counts.get("sending", 0),
    }


def eta_seconds(broadcast: Broadcast, done: int, remaining: int, now: datetime, rate: float) -> int:
    """Seconds left at the rate seen so far (the configured rate until there is one)."""
    if broadcast.started_at is not None and done > 0:
        elapsed = (now - broadcast.started_at).total_seconds()
        if elapsed >= 1:
            rate = min(rate, done / elapsed)
    return round(remaining / rate) if rate > 0 else 0


def render_status(
    texts: Texts, lang: str, broadcast: Broadcast, counts: dict[str, int], now: datetime,
    rate: float,
) -> str:
    """The progress message while it runs, the report once it is done, or its schedule."""
    f = figures(counts)
    done = broadcast.total - f["remaining"]
    data = {"id": broadcast.id, "total": broadcast.total, "bar": bar(done, broadcast.total), **f}
    if broadcast.status == "scheduled":
        return texts.render(lang, "broadcast.status_scheduled_line", id=broadcast.id,
                            when=show_local(broadcast.scheduled_at))
    if broadcast.status == "sending":
        eta = eta_seconds(broadcast, done, f["remaining"], now, rate)
        return texts.render(lang, "broadcast.progress", minutes=eta // 60, seconds=eta % 60, **data)
    elapsed = 0
    if broadcast.started_at and broadcast.finished_at:
        elapsed = round((broadcast.finished_at - broadcast.started_at).total_seconds())
    key = "broadcast.report" if broadcast.status == "done" else "broadcast.report_cancelled"
    return texts.render(lang, key, minutes=elapsed // 60, seconds=elapsed % 60, **data)
