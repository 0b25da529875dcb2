"""The staff web workspace under /staff: the same storage, roles and audit as the chat tools.

Off unless STAFF_WEB=1. Staff sign in with a one-time link from /masuk; see docs/staff.md.
"""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from channels.staff_web import (
    broadcast_progress,
    broadcasts,
    curation,
    inbox,
    overview,
    people,
    registrations,
    signin,
)
from channels.staff_web.auth import Staff, staff_page
from channels.staff_web.render import HERE, page
from channels.web import WebPart
from handlers import Assistant, Deps

PURGE_AFTER = timedelta(days=30)  # spent links and ended sessions are deleted after this


def forbidden(request: Request, staff: Staff) -> Response:
    """403: the role is missing, or the CSRF token is missing or wrong."""
    return page(request, staff, "message.html", status_code=403, message=staff.t("web.forbidden"))


def staff_routes(deps: Deps) -> list[BaseRoute]:
    """Every route of the workspace."""

    def guard(role: str | None, poll: bool = False):
        return staff_page(deps, role, forbidden, poll)

    routes: list[BaseRoute] = [
        Mount("/staff/static", StaticFiles(directory=HERE / "static"), name="staff-static"),
        *signin.routes(deps),
    ]
    for module in (overview, registrations, inbox, broadcasts, broadcast_progress, curation,
                   people):
        routes += module.routes(deps, guard)
    return routes


def staff_web_part(assistant: Assistant) -> WebPart | None:
    """The workspace as a part of `bot.py serve`, or None when STAFF_WEB is off."""
    deps = assistant.deps
    if not deps.settings.staff_web:
        return None

    async def purge() -> None:
        await deps.storage.staff_web.purge(PURGE_AFTER)

    return WebPart("staff web", staff_routes(deps), on_startup=[purge])
