"""Overview: the figures of /statistik, registrations per week, and its chart."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from channels.staff_web.auth import Staff
from channels.staff_web.render import NAV, page
from handlers import Deps
from handlers.handoff.figures import ticket_figures
from handlers.staff.broadcast_figures import recent_broadcasts
from handlers.staff.chart import draw_chart
from handlers.staff.common import audit
from handlers.staff.fields import code_label
from handlers.staff.stats import BREAKDOWNS, topic_title

ROLE = "viewer"  # as /statistik


async def figures(staff: Staff) -> dict:
    """Everything the overview shows, labels in the staff member's language."""
    storage = staff.ctx.deps.storage
    registrations, reports = storage.registrations, storage.reports
    by = {
        what: {code_label(staff.ctx, what, k): n
               for k, n in (await registrations.count_by(what)).items()}
        for what in BREAKDOWNS
    }
    questions = await reports.question_stats(30)
    return {
        "total": await registrations.count(),
        "waiting": await registrations.count("submitted"),
        "by": by,
        "users": await reports.user_counts(),
        "questions": questions,
        "top": [(topic_title(staff.ctx, topic), n) for topic, n in questions.top_topics],
        "weekly": await reports.registrations_per_week(weeks=12),
        "broadcasts": await recent_broadcasts(storage),
        "tickets": await ticket_figures(staff.ctx.deps, weeks=12),  # as /statistik
    }


def routes(deps: Deps, guard) -> list[Route]:
    async def overview(request: Request, staff: Staff) -> Response:
        await audit(staff.ctx, "web.overview")
        return page(request, staff, "overview.html", **await figures(staff))

    async def chart(request: Request, staff: Staff) -> Response:
        data = await figures(staff)
        titles = {key: staff.t(f"staff.chart_{key}") for key in ("weekly", "subsector", "count")}
        titles |= {key: staff.t(f"handoff.chart_{key}") for key in ("tickets", "opened", "closed")}
        per_week = [(w.monday, w.opened, w.closed) for w in data["tickets"].weeks]
        png = await asyncio.to_thread(draw_chart, data["weekly"], data["by"]["subsector"], titles,
                                      per_week)
        return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})

    async def home(request: Request, staff: Staff) -> Response:
        if ROLE in staff.roles:
            return await overview(request, staff)
        first = next(path for path, _key, role in NAV if role in staff.roles)
        return RedirectResponse(first, status_code=303)

    return [
        Route("/staff", guard(None)(home), methods=["GET"]),
        Route("/staff/chart.png", guard(ROLE)(chart), methods=["GET"]),
    ]
