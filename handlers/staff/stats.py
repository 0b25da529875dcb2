"""`/statistik` (`/stats`): figures on registrations, users, questions, broadcasts, and a chart."""

from __future__ import annotations

import asyncio
from typing import Any

from handlers.context import Ctx
from handlers.handoff.figures import ticket_figures
from handlers.router import Router
from handlers.staff.broadcast_figures import recent_broadcasts
from handlers.staff.chart import draw_chart
from handlers.staff.common import audit
from handlers.staff.fields import code_label
from handlers.types import Reply, ReplyKind

ROLE = "viewer"
BREAKDOWNS = ("status", "subsector", "scale", "channel")


async def statistics(ctx: Ctx) -> list[Reply]:
    """The figures as text, then the chart as a photo."""
    registrations = ctx.deps.storage.registrations
    reports = ctx.deps.storage.reports
    by = {
        what: {code_label(ctx, what, k): n for k, n in (await registrations.count_by(what)).items()}
        for what in BREAKDOWNS
    }
    questions = [await reports.question_stats(days) for days in (7, 30)]
    text = ctx.t(
        "staff.stats",
        total=await registrations.count(),
        by=by,
        users=await reports.user_counts(),
        questions=[_question_figures(ctx, q) for q in questions],
        broadcasts=[{**b, "status": _state(ctx, b["status"])}
                    for b in await recent_broadcasts(ctx.deps.storage)],
    )
    tickets = await ticket_figures(ctx.deps, weeks=12)
    text += "\n\n" + ctx.t("handoff.stats", figures=tickets, weeks=_ticket_weeks(tickets))
    weekly = await reports.registrations_per_week(weeks=12)
    titles = {key: ctx.t(f"staff.chart_{key}") for key in ("weekly", "subsector", "count")}
    titles["tickets"], titles["opened"], titles["closed"] = (
        ctx.t("handoff.chart_tickets"), ctx.t("handoff.chart_opened"), ctx.t("handoff.chart_closed")
    )
    per_week = [(w.monday, w.opened, w.closed) for w in tickets.weeks]
    png = await asyncio.to_thread(draw_chart, weekly, by["subsector"], titles, per_week)
    await audit(ctx, "stats.view")
    chart = Reply(
        ctx.t("staff.chart_caption"), kind=ReplyKind.PHOTO, file=png, filename="chart.png"
    )
    return [Reply(text), chart]


def _state(ctx: Ctx, status: str) -> str:
    """A broadcast's state in the staff member's words ("selesai", not the stored "done")."""
    key = f"staff.broadcast_state_{status}"
    return ctx.t(key) if ctx.deps.knowledge.texts.has(key) else status


def _ticket_weeks(figures: Any, shown: int = 4) -> list[dict[str, Any]]:
    """The last weeks with tickets, newest first, as the text shows them."""
    rows = []
    for week in reversed(figures.weeks):
        if week.opened or week.closed:
            rows.append({
                "monday": week.monday.strftime("%d/%m"), "opened": week.opened,
                "closed": week.closed,
                "reply": None if week.first_reply_minutes is None
                else round(week.first_reply_minutes),
                "close": None if week.close_hours is None else round(week.close_hours, 1),
            })  # fmt: skip
    return rows[:shown]


def topic_title(ctx: Ctx, topic: str) -> str:
    """A topic's title in the staff member's language (its id if it no longer exists)."""
    faq = ctx.deps.knowledge.faq
    return faq.title(topic, ctx.lang) if faq.get(topic) is not None else topic


def _question_figures(ctx: Ctx, stats: Any) -> dict[str, Any]:
    return {
        "days": stats.days,
        "total": stats.total,
        "unanswered": stats.unanswered,
        "waiting": stats.waiting,
        "linked": stats.linked,
        "ignored": stats.ignored,
        "rate": round(stats.unanswered_rate * 100),
        "top": [(topic_title(ctx, topic), n) for topic, n in stats.top_topics],
    }


def register(router: Router) -> None:
    router.command("statistik", "stats", role=ROLE)(statistics)
