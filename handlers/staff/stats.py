"""`/statistik` (`/stats`): figures on registrations, users, questions, broadcasts, and a chart."""

from __future__ import annotations

import asyncio
from typing import Any

from handlers.context import Ctx
from handlers.router import Router
from handlers.staff.broadcast_figures import recent_broadcasts
from handlers.staff.chart import draw_chart
from handlers.staff.common import audit
from handlers.types import Reply, ReplyKind

ROLE = "viewer"
BREAKDOWNS = ("status", "subsector", "scale", "channel")


async def statistics(ctx: Ctx) -> list[Reply]:
    """The figures as text, then the chart as a photo."""
    registrations = ctx.deps.storage.registrations
    reports = ctx.deps.storage.reports
    by = {what: await registrations.count_by(what) for what in BREAKDOWNS}
    by["status"] = {ctx.t(f"staff.status_{k}"): n for k, n in by["status"].items()}
    questions = [await reports.question_stats(days) for days in (7, 30)]
    text = ctx.t(
        "staff.stats",
        total=await registrations.count(),
        by=by,
        users=await reports.user_counts(),
        questions=[_question_figures(q) for q in questions],
        broadcasts=await recent_broadcasts(ctx.deps.storage),
    )
    weekly = await reports.registrations_per_week(weeks=12)
    titles = {key: ctx.t(f"staff.chart_{key}") for key in ("weekly", "subsector", "count")}
    png = await asyncio.to_thread(draw_chart, weekly, by["subsector"], titles)
    await audit(ctx, "stats.view")
    chart = Reply(
        ctx.t("staff.chart_caption"), kind=ReplyKind.PHOTO, file=png, filename="chart.png"
    )
    return [Reply(text), chart]


def _question_figures(stats: Any) -> dict[str, Any]:
    return {
        "days": stats.days,
        "total": stats.total,
        "unanswered": stats.unanswered,
        "rate": round(stats.unanswered_rate * 100),
        "top": list(stats.top_topics),
    }


def register(router: Router) -> None:
    router.command("statistik", "stats", role=ROLE)(statistics)
