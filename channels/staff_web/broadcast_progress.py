"""A broadcast's page: its texts, live progress (htmx polling), the report, and stop."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from channels.staff_web.auth import Staff
from channels.staff_web.render import page
from handlers import Deps
from handlers.broadcast.manage import wake
from handlers.broadcast.progress import figures, render_status
from handlers.staff.common import audit
from knowledge.languages import LANGUAGE_NAMES

ROLE = "broadcaster"
POLL = "1s"  # how often an open page asks for the progress while the broadcast runs


async def progress_data(deps: Deps, staff: Staff, broadcast_id: int) -> dict | None:
    """Figures, share done (0-100) and the chat's progress or report text."""
    storage = deps.storage
    broadcast = await storage.broadcasts.get(broadcast_id)
    if broadcast is None:
        return None
    counts = await storage.broadcasts.counts(broadcast_id)
    f = figures(counts)
    done = broadcast.total - f["remaining"]
    percent = 100 if broadcast.total == 0 else round(100 * done / broadcast.total)
    if broadcast.status == "scheduled":
        percent = 0
    report = render_status(deps.knowledge.texts, staff.lang, broadcast, counts,
                           storage.db.now(), deps.settings.broadcast_rate)
    return {"b": broadcast, "f": f, "done": done, "percent": percent, "report": report,
            "running": broadcast.status in ("scheduled", "sending"), "poll": POLL}


def routes(deps: Deps, guard) -> list[Route]:
    async def show(request: Request, staff: Staff, flash: str = "") -> Response:
        data = await progress_data(deps, staff, request.path_params["id"])
        if data is None:
            return page(request, staff, "message.html", status_code=404,
                        message=staff.t("broadcast.status_unknown", id=request.path_params["id"]))
        return page(request, staff, "broadcast.html", names=LANGUAGE_NAMES, flash=flash, **data)

    async def progress(request: Request, staff: Staff) -> Response:
        data = await progress_data(deps, staff, request.path_params["id"])
        if data is None:
            return Response(status_code=404)
        return page(request, staff, "broadcast_progress.html", **data)

    async def stop(request: Request, staff: Staff) -> Response:
        broadcast_id = request.path_params["id"]
        if await deps.storage.broadcasts.cancel(broadcast_id):
            await audit(staff.ctx, "broadcast.cancel", f"broadcast:{broadcast_id}")
            wake(staff.ctx)
            return await show(request, staff, staff.t("broadcast.cancel_done", id=broadcast_id))
        return await show(request, staff, staff.t("broadcast.cancel_unknown", id=broadcast_id))

    return [
        Route("/staff/broadcasts/{id:int}", guard(ROLE)(show), methods=["GET"]),
        Route("/staff/broadcasts/{id:int}/progress", guard(ROLE, poll=True)(progress),
              methods=["GET"]),
        Route("/staff/broadcasts/{id:int}/stop", guard(ROLE)(stop), methods=["POST"]),
    ]
