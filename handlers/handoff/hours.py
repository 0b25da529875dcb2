"""Office hours: when staff answer, the next opening, and waiting time counted in office hours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPEC = re.compile(r"^\s*(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?\s+"
                   r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s*$")  # fmt: skip


def parse_hours(spec: str) -> tuple[frozenset[int], time, time]:
    """'mon-fri 08:00-16:00' -> (weekdays 0..4, 08:00, 16:00); ValueError if malformed."""
    match = _SPEC.match(spec.lower())
    if not match:
        raise ValueError("want DAY-DAY HH:MM-HH:MM, e.g. mon-fri 08:00-16:00")
    first, last = DAYS.index(match[1]), DAYS.index(match[2] or match[1])
    days = frozenset(range(first, last + 1)) if first <= last else frozenset(
        list(range(first, 7)) + list(range(0, last + 1))
    )
    start, end = time(int(match[3]), int(match[4])), time(int(match[5]), int(match[6]))
    if not start < end:
        raise ValueError("the opening time must come before the closing time")
    return days, start, end


@dataclass(frozen=True)
class OfficeHours:
    """Working days and hours in the office's time zone, minus holidays."""

    days: frozenset[int]
    start: time
    end: time
    zone: ZoneInfo
    holidays: frozenset[date] = frozenset()

    @classmethod
    def from_settings(cls, spec: str, zone: str, holidays: object = ()) -> OfficeHours:
        days, start, end = parse_hours(spec)
        return cls(days, start, end, ZoneInfo(zone), frozenset(holidays))

    def working_day(self, day: date) -> bool:
        return day.weekday() in self.days and day not in self.holidays

    def is_open(self, when: datetime) -> bool:
        """True during office hours (`when` timezone-aware)."""
        local = when.astimezone(self.zone)
        return self.working_day(local.date()) and self.start <= local.time() < self.end

    def next_opening(self, when: datetime) -> datetime:
        """The next moment the office opens after `when` (or `when` itself if open)."""
        if self.is_open(when):
            return when
        local = when.astimezone(self.zone)
        day = local.date()
        if local.time() >= self.start:
            day += timedelta(days=1)
        for _ in range(400):  # a year of holidays cannot close every day
            if self.working_day(day):
                return datetime.combine(day, self.start, self.zone)
            day += timedelta(days=1)
        raise ValueError("no working day within a year: check OFFICE_HOURS and holidays")

    def open_seconds(self, start: datetime, end: datetime) -> float:
        """Seconds between `start` and `end` that fall within office hours."""
        if end <= start:
            return 0.0
        total = 0.0
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            if self.working_day(day):
                opens = datetime.combine(day, self.start, self.zone)
                closes = datetime.combine(day, self.end, self.zone)
                lo, hi = max(opens, start), min(closes, end)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += timedelta(days=1)
        return total
