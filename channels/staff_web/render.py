"""HTML pages from Jinja2 templates (autoescaped), in the staff member's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from channels.staff_web.auth import Staff
from handlers.wib import wib

HERE = Path(__file__).parent
HTMX = "htmx-2.0.11.min.js"  # htmx 2.0.11 (0BSD licence), from the npm package htmx.org

INBOX = "/staff/inbox"
# (path, text key, role the page needs) in menu order; the same roles as the chat commands.
NAV = (
    ("/staff", "web.nav_overview", "viewer"),
    ("/staff/registrations", "web.nav_registrations", "reviewer"),
    (INBOX, "web.nav_inbox", "agent"),
    ("/staff/broadcasts", "web.nav_broadcasts", "broadcaster"),
    ("/staff/unanswered", "web.nav_unanswered", "admin"),
    ("/staff/knowledge", "web.nav_knowledge", "viewer"),
    ("/staff/people", "web.nav_people", "admin"),
)

# Pages hold personal data: not cached, not framed, no Referer (a sign-in link's token stays
# out of other sites' logs), scripts only from here.
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}

env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.filters["wib"] = wib


def nav_for(staff: Staff) -> list[tuple[str, str]]:
    """The menu entries the staff member may open: (path, label); the inbox with its count."""
    entries = []
    for path, key, role in NAV:
        if role in staff.roles:
            label = staff.t(key)
            if path == INBOX and staff.open_tickets:
                label = f"{label} ({staff.open_tickets})"
            entries.append((path, label))
    return entries


def page(
    request: Request, staff: Staff | None, template: str, status_code: int = 200,
    t: Any = None, **data: Any,
) -> HTMLResponse:
    """Render `template` with the layout's values: texts, CSRF token, menu, current path."""
    translate = staff.t if staff is not None else t
    html = env.get_template(template).render(
        t=translate,
        staff=staff,
        csrf=staff.session.csrf_token if staff else "",
        nav=nav_for(staff) if staff else [],
        path=request.url.path,
        htmx=f"/staff/static/{HTMX}",
        **data,
    )
    return HTMLResponse(html, status_code=status_code, headers=HEADERS)
