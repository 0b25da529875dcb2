"""Ticket figures for /statistik: opened and closed per week, median times, 👍/👎."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from handlers.handoff.hours import OfficeHours
from storage.tickets import Ticket


@dataclass(frozen=True)
class Week:
    monday: date
    opened: int
    closed: int
    first_reply_minutes: float | None  # median, office minutes from opening to first reply
    close_hours: float | None  # median, office hours from opening to closing


@dataclass(frozen=True)
class TicketFigures:
    weeks: list[Week]
    open_now: int
    up: int
    down: int


def weekly_figures(
    tickets: list[Ticket], hours: OfficeHours, now: datetime, open_now: int, weeks: int = 12
) -> TicketFigures:
    """Per week (Monday to Sunday, office time zone), oldest first, empty weeks included."""
    today = now.astimezone(hours.zone).date()
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    mondays = [first + timedelta(weeks=i) for i in range(weeks)]
    opened = {m: [] for m in mondays}
    closed = {m: 0 for m in mondays}
    for ticket in tickets:
        week = _monday(ticket.opened_at, hours)
        if week in opened:
            opened[week].append(ticket)
        if ticket.closed_at is not None and (week := _monday(ticket.closed_at, hours)) in closed:
            closed[week] += 1
    rows = []
    for monday in mondays:
        replies = [hours.open_seconds(t.opened_at, t.first_reply_at) / 60
                   for t in opened[monday] if t.first_reply_at]  # fmt: skip
        closes = [hours.open_seconds(t.opened_at, t.closed_at) / 3600
                  for t in opened[monday] if t.closed_at]  # fmt: skip
        rows.append(Week(monday, len(opened[monday]), closed[monday],
                         median(replies) if replies else None,
                         median(closes) if closes else None))  # fmt: skip
    in_window = [t for m in mondays for t in opened[m]]
    return TicketFigures(
        rows,
        open_now=open_now,
        up=sum(1 for t in in_window if t.rating == "up"),
        down=sum(1 for t in in_window if t.rating == "down"),
    )


def _monday(when: datetime, hours: OfficeHours) -> date:
    day = when.astimezone(hours.zone).date()
    return day - timedelta(days=day.weekday())


async def ticket_figures(deps, weeks: int = 12) -> TicketFigures:
    """The figures from storage, in the office's weeks and hours."""
    from handlers.handoff.user import service_of  # late: user imports the handlers package

    service = service_of(deps)
    now = service.clock()
    tickets = await deps.storage.tickets.since(now - timedelta(weeks=weeks + 1))
    open_now = await deps.storage.tickets.count_open()
    return weekly_figures(tickets, service.hours(), now, open_now, weeks)
