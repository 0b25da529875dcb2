"""Times typed by staff, read as Jakarta local time (WIB), and shown back the same way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.wib import JAKARTA, wib

MAX_AHEAD = timedelta(days=366)
_FORMATS = (
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d-%m-%Y %H.%M",
    "%d/%m/%Y %H.%M",
)


class ScheduleError(Exception):
    """The time cannot be used; `key` names the explanation text."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def parse_local(text: str, now: datetime) -> datetime:
    """A future moment (UTC) from 'DD-MM-YYYY HH:MM' or just 'HH:MM' (today, else tomorrow)."""
    typed = " ".join(text.strip().split())
    local_now = now.astimezone(JAKARTA)
    when = _parse_full(typed) or _parse_clock(typed, local_now)
    if when is None:
        raise ScheduleError("broadcast.when_invalid")
    if when <= local_now:
        raise ScheduleError("broadcast.when_past")
    if when - local_now > MAX_AHEAD:
        raise ScheduleError("broadcast.when_too_far")
    return when.astimezone(UTC)


def _parse_full(typed: str) -> datetime | None:
    for fmt in _FORMATS:
        try:
            return datetime.strptime(typed, fmt).replace(tzinfo=JAKARTA)
        except ValueError:
            continue
    return None


def _parse_clock(typed: str, local_now: datetime) -> datetime | None:
    for fmt in ("%H:%M", "%H.%M"):
        try:
            clock = datetime.strptime(typed, fmt).time()
        except ValueError:
            continue
        when = datetime.combine(local_now.date(), clock, tzinfo=JAKARTA)
        return when if when > local_now else when + timedelta(days=1)
    return None


def show_local(when: datetime) -> str:
    """'30-11-2026 09:00 WIB'."""
    return wib(when)
