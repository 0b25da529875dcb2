"""Registrations: search and filters, pages, a detail view, verify or reject, export."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from channels.staff_web.auth import Staff
from channels.staff_web.render import page
from handlers import Deps
from handlers.numbers import whole_number
from handlers.registration.fields import SUBSECTORS
from handlers.staff.common import audit
from handlers.staff.fields import COLUMNS, labels, option_label, raw_value, rows_for
from handlers.staff.review import NOTE_MAX, decide
from handlers.staff.sheets import csv_bytes, xlsx_bytes
from handlers.wib import JAKARTA, wib_stamp
from storage.registration_search import RegistrationFilter
from storage.registrations import STATUSES

ROLE = "reviewer"  # as /tinjau and /ekspor: registrations hold personal data
PAGE_SIZE = 20


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filter_of(request: Request) -> tuple[RegistrationFilter, dict[str, str]]:
    """The filter from the query string (days are Jakarta days), and the values as typed."""
    q = request.query_params
    status = q.get("status") if q.get("status") in STATUSES else None
    subsector = q.get("subsector") if q.get("subsector") in SUBSECTORS else None
    since, until = _day(q.get("from")), _day(q.get("to"))
    found = RegistrationFilter(
        query=(q.get("q") or "")[:100],
        status=status,
        subsector=subsector,
        since=datetime.combine(since, time(), JAKARTA) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(), JAKARTA) if until else None,
    )
    shown = {"q": found.query, "status": status or "", "subsector": subsector or "",
             "from": since.isoformat() if since else "", "to": until.isoformat() if until else ""}
    return found, shown


def _choices(staff: Staff) -> dict:
    return {
        "statuses": [(s, staff.t(f"staff.status_{s}")) for s in STATUSES],
        "subsectors": [(s, option_label(staff.ctx, "subsector", s)) for s in SUBSECTORS],
    }


def routes(deps: Deps, guard) -> list[Route]:
    search = deps.storage.registration_search

    async def listing(request: Request, staff: Staff) -> Response:
        found, shown = filter_of(request)
        raw = request.query_params.get("page", "1")
        number = max(1, min(whole_number(raw) or 1, 10_000))
        rows, total = await search.search(found, PAGE_SIZE, (number - 1) * PAGE_SIZE)
        pages = max(1, -(-total // PAGE_SIZE))
        items = [{"reg": reg, "status": staff.t(f"staff.status_{reg.status}"),
                  "subsector": raw_value(staff.ctx, reg, "subsector")} for reg in rows]
        query = urlencode({k: v for k, v in shown.items() if v})
        await audit(staff.ctx, "web.registrations", found=total)
        return page(request, staff, "registrations.html", items=items, total=total,
                    page_number=number, pages=pages, shown=shown, query=query, **_choices(staff))

    async def export(request: Request, staff: Staff) -> Response:
        found, shown = filter_of(request)
        fmt = "csv" if request.query_params.get("fmt") == "csv" else "xlsx"
        registrations = await search.every(found)
        rows = [[raw_value(staff.ctx, reg, name) for name in COLUMNS] for reg in registrations]
        stamp = wib_stamp(deps.storage.db.now())
        name = f"registrations-{stamp}.{fmt}"
        if fmt == "csv":
            data, media = csv_bytes(labels(staff.ctx), rows), "text/csv; charset=utf-8"
        else:
            data = xlsx_bytes(staff.t("staff.export_sheet"), labels(staff.ctx), rows)
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        await audit(staff.ctx, f"export.{fmt}", "web", rows=len(rows), filter=shown,
                    filename=name)
        return Response(data, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def detail(request: Request, staff: Staff, flash: str = "", error: str = ""
                     ) -> Response:
        reg = await deps.storage.registrations.get(int(request.path_params["id"]))
        if reg is None:
            return page(request, staff, "message.html", status_code=404,
                        message=staff.t("staff.review_gone"))
        await audit(staff.ctx, "web.registration", reg.reference)
        return page(request, staff, "registration.html", reg=reg, rows=rows_for(staff.ctx, reg),
                    flash=flash, error=error, note_max=NOTE_MAX)

    async def verdict(request: Request, staff: Staff) -> Response:
        registration_id = int(request.path_params["id"])
        form = await request.form()
        status = {"verify": "verified", "reject": "rejected"}.get(str(form.get("verdict")))
        note = str(form.get("note") or "").strip() or None
        reg = await deps.storage.registrations.get(registration_id)
        if reg is None or reg.status != "submitted" or status is None:
            return await detail(request, staff, error=staff.t("staff.review_gone"))
        if (status == "rejected" and not note) or (note and len(note) > NOTE_MAX):
            return await detail(request, staff,
                                error=staff.t("staff.review_note_invalid", limit=NOTE_MAX))
        replies = await decide(staff.ctx, registration_id, status, note)
        return await detail(request, staff, flash=replies[0].text)

    return [
        Route("/staff/registrations", guard(ROLE)(listing), methods=["GET"]),
        Route("/staff/registrations/export", guard(ROLE)(export), methods=["GET"]),
        Route("/staff/registrations/{id:int}", guard(ROLE)(detail), methods=["GET"]),
        Route("/staff/registrations/{id:int}/verdict", guard(ROLE)(verdict), methods=["POST"]),
    ]
