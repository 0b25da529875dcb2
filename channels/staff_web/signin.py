"""Signing in with the one-time link from /masuk, the sign-in help page, and signing out.

Opening the link shows a page with one button; pressing it spends the link and opens the
session. A plain GET never spends it: chat apps fetch links to draw previews, and that fetch
must not use up a single-use link before the staff member taps it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from channels.staff_web.auth import (
    COOKIE,
    HELP_PATH,
    csrf_ok,
    current_staff,
    new_session_values,
    set_session_cookie,
    staff_ctx,
)
from channels.staff_web.render import page
from handlers import Deps
from knowledge.languages import pick_language


def visitor_t(deps: Deps, request: Request):
    """Texts for someone not signed in, in their browser's language."""
    lang = pick_language(request.headers.get("accept-language", "").split(",")[0])
    return lambda key, **data: deps.knowledge.texts.render(lang, key, **data)


def routes(deps: Deps) -> list[Route]:
    async def hello(request: Request) -> Response:
        signed_out = request.query_params.get("out") == "1"
        return page(request, None, "hello.html", t=visitor_t(deps, request),
                    signed_out=signed_out)

    async def open_link(request: Request) -> Response:
        token = request.path_params["token"]
        usable = await deps.storage.staff_web.link_usable(token)
        return page(request, None, "signin.html", status_code=200 if usable else 410,
                    t=visitor_t(deps, request), usable=usable, token=token)

    async def use_link(request: Request) -> Response:
        member = await deps.storage.staff_web.use_link(request.path_params["token"])
        if member is None:
            return page(request, None, "signin.html", status_code=410,
                        t=visitor_t(deps, request), usable=False, token="")
        session_id, csrf = new_session_values()
        await deps.storage.staff_web.open_session(session_id, *member, csrf)
        ctx = await staff_ctx(deps, *member)
        await deps.storage.audit.record(ctx.user.key, "web.signin", None, {})
        response = RedirectResponse("/staff", status_code=303)
        set_session_cookie(response, deps, session_id)
        return response

    async def sign_out(request: Request) -> Response:
        staff = await current_staff(request, deps)
        if staff is not None:
            form = await request.form()
            if not csrf_ok(staff, form.get("csrf") or request.headers.get("x-csrf-token")):
                return Response("CSRF token missing or wrong", status_code=403)
            await deps.storage.staff_web.end_session(staff.session_id)
            await deps.storage.audit.record(staff.session.member, "web.signout", None, {})
        response = RedirectResponse(f"{HELP_PATH}?out=1", status_code=303)
        response.delete_cookie(COOKIE, path="/staff")
        return response

    return [
        Route(HELP_PATH, hello, methods=["GET"]),
        Route("/staff/masuk/{token}", open_link, methods=["GET"]),
        Route("/staff/masuk/{token}", use_link, methods=["POST"]),
        Route("/staff/keluar", sign_out, methods=["POST"]),
    ]
