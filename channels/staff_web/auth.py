"""Who is signed in: the session cookie, the staff member's roles, and CSRF on every change.

A page handler is wrapped with `staff_page(role)`: without a session it redirects to the
sign-in help page; without the role it answers 403; a POST without the session's CSRF token
answers 403 before the handler runs.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from handlers import Deps, Incoming
from handlers.context import Ctx
from handlers.roles import user_roles
from storage.staff_web import StaffSession

COOKIE = "staff_session"
HELP_PATH = "/staff/hello"
SAFE_METHODS = ("GET", "HEAD")


@dataclass
class Staff:
    """The signed-in staff member: session, roles, and a Ctx to call the chat's handlers with."""

    session: StaffSession
    session_id: str
    ctx: Ctx
    roles: set[str]
    open_tickets: int = 0  # shown beside the inbox in the menu (agents only)

    @property
    def lang(self) -> str:
        return self.ctx.lang

    def t(self, key: str, **data: Any) -> str:
        return self.ctx.t(key, **data)


async def staff_ctx(deps: Deps, channel: str, user_id: str) -> Ctx:
    """A Ctx for the staff member as if they wrote in the chat (same roles, audit, language)."""
    user = await deps.storage.users.touch(channel, user_id, None)
    return Ctx(deps, Incoming(channel, user_id), user, conv=None, via="web")


def idle_limit(deps: Deps) -> timedelta:
    return timedelta(minutes=deps.settings.staff_session_idle_minutes)


async def current_staff(request: Request, deps: Deps, touch: bool = True) -> Staff | None:
    """The staff member of the request's session cookie, if it is open and they still hold
    a role; `touch` off leaves the idle clock as it is."""
    session_id = request.cookies.get(COOKIE)
    if not session_id:
        return None
    session = await deps.storage.staff_web.session(session_id, idle_limit(deps), touch=touch)
    if session is None:
        return None
    ctx = await staff_ctx(deps, session.channel, session.user_id)
    roles = await user_roles(ctx)
    if not roles:
        return None
    tickets = await deps.storage.tickets.count_open() if touch and "agent" in roles else 0
    return Staff(session, session_id, ctx, roles, tickets)


def csrf_ok(staff: Staff, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(sent.encode(), staff.session.csrf_token.encode())


async def sent_csrf(request: Request) -> str | None:
    """The CSRF token of a request: the X-CSRF-Token header (htmx) or the `csrf` form field."""
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    form = await request.form()
    value = form.get("csrf")
    return value if isinstance(value, str) else None


PageHandler = Callable[[Request, Staff], Awaitable[Response]]


def staff_page(deps: Deps, role: str | None, forbidden: Callable[[Request, Staff], Response],
               poll: bool = False,
               ) -> Callable[[PageHandler], Callable[[Request], Awaitable[Response]]]:
    """Wrap a handler with the sign-in, role and CSRF checks.

    `poll`: a part an open page fetches by itself every few seconds (htmx). It does not keep
    the session from going idle, and once the session is over it sends the whole page to the
    sign-in help (HX-Redirect) instead of drawing that page inside the part.
    """

    def wrap(handler: PageHandler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                return await checked(request)
            finally:
                await request.close()  # uploaded files' temporary copies go now

        async def checked(request: Request) -> Response:
            staff = await current_staff(request, deps, touch=not poll)
            if staff is None and poll and request.headers.get("hx-request"):
                return Response(status_code=401, headers={"HX-Redirect": HELP_PATH})
            if staff is None:
                return RedirectResponse(HELP_PATH, status_code=303)
            if request.method not in SAFE_METHODS and not csrf_ok(
                staff, await sent_csrf(request)
            ):
                return forbidden(request, staff)
            if role is not None and role not in staff.roles:
                return forbidden(request, staff)
            return await handler(request, staff)

        return endpoint

    return wrap


def new_session_values() -> tuple[str, str]:
    """A fresh (session id, CSRF token)."""
    return secrets.token_urlsafe(32), secrets.token_urlsafe(32)


def set_session_cookie(response: Response, deps: Deps, session_id: str) -> None:
    """HttpOnly, SameSite=Lax (a link from the chat app still carries it), Secure on https."""
    secure = (deps.settings.public_url or "").startswith("https://")
    response.set_cookie(
        COOKIE, session_id, httponly=True, samesite="lax", secure=secure, path="/staff",
        max_age=12 * 3600,
    )
