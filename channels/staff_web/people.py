"""Staff and roles (admins only): who holds which role; give and take roles, as /staf does."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from channels.staff_web.auth import Staff
from channels.staff_web.render import page
from handlers import Deps
from handlers.roles import ROLES, role_labels
from handlers.staff import roles_admin
from handlers.staff.common import audit, parse_member

ROLE = "admin"


def routes(deps: Deps, guard) -> list[Route]:
    async def people(request: Request, staff: Staff, flash: str = "", error: str = ""
                     ) -> Response:
        members: dict[str, list[str]] = {}
        for granted in await deps.storage.roles.all():
            members.setdefault(granted.key, []).append(granted.role)
        await audit(staff.ctx, "staff.list")
        return page(request, staff, "people.html", members=sorted(members.items()),
                    configured=sorted(deps.settings.admin_ids),
                    roles=dict(zip(ROLES, role_labels(staff.t, ROLES), strict=True)), flash=flash,
                    error=error)

    async def change(request: Request, staff: Staff) -> Response:
        form = await request.form()
        member = parse_member(str(form.get("member") or ""))
        role = str(form.get("role") or "")
        action = str(form.get("action") or "")
        if member is None or role not in ROLES or action not in ("grant", "revoke"):
            return await people(request, staff, error=staff.t(
                "staff.roles_usage", roles=", ".join(ROLES),
                labels=", ".join(role_labels(staff.t, ROLES))))
        change_role = roles_admin.grant if action == "grant" else roles_admin.revoke
        [reply] = await change_role(staff.ctx, member, role)  # audited as in the chat
        return await people(request, staff, flash=reply.text)

    return [
        Route("/staff/people", guard(ROLE)(people), methods=["GET"]),
        Route("/staff/people", guard(ROLE)(change), methods=["POST"]),
    ]
