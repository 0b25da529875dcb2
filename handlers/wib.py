"""Times as people in Bandung read them: Asia/Jakarta (WIB), whatever the server's zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def wib(moment: datetime | None, fmt: str = "%d-%m-%Y %H:%M", empty: str = "") -> str:
    """`moment` in Jakarta time with ' WIB' appended, or `empty`."""
    if moment is None:
        return empty
    return moment.astimezone(JAKARTA).strftime(fmt) + " WIB"


def wib_day(moment: datetime | None, empty: str = "") -> str:
    """The Jakarta calendar day of `moment` (DD-MM-YYYY), or `empty`."""
    return moment.astimezone(JAKARTA).strftime("%d-%m-%Y") if moment else empty


def wib_stamp(moment: datetime) -> str:
    """`moment` as a file-name stamp in Jakarta time (YYYYMMDD-HHMM), as staff read the clock."""
    return moment.astimezone(JAKARTA).strftime("%Y%m%d-%H%M")
