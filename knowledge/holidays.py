"""Days the city offices are closed (knowledge/holidays.yaml): national holidays and joint leave.

Each year names its source. A year taken from the official decree (SKB 3 Menteri) is final; a
year not yet checked against it (dates computed by a library, Islamic dates estimated) says
`estimated: true` and a `review_by` date, and check-knowledge warns about it until a curator
has compared it with the decree, corrected the file and removed the mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from knowledge.dates import as_date
from knowledge.texts import KnowledgeError, read_mapping

SHAPE = "of year to {source, days: {YYYY-MM-DD: name}} (estimated: true and review_by if unchecked)"
KEYS = {"source", "days", "estimated", "review_by"}


@dataclass(frozen=True)
class HolidayYear:
    year: int
    source: str
    days: dict[date, str]
    estimated: bool = False
    review_by: date | None = None  # an estimated year is checked against the decree by then


def load_years(path: Path) -> list[HolidayYear]:
    """Every year of the file, validated; KnowledgeError naming the file and year if wrong."""
    years = []
    for year, block in read_mapping(path, SHAPE).items():
        where = f"{path}: {year}"
        if not isinstance(year, int) or not isinstance(block, dict) or set(block) - KEYS:
            raise KnowledgeError(f"{where}: want a year with {', '.join(sorted(KEYS))}")
        source, entries = block.get("source"), block.get("days")
        if not isinstance(source, str) or not source.strip():
            raise KnowledgeError(f"{where}: source is missing (the decree, or what it came from)")
        if not isinstance(entries, dict) or not entries:
            raise KnowledgeError(f"{where}: days is missing (YYYY-MM-DD: name)")
        days = {}
        for day, name in entries.items():
            if not isinstance(day, date) or day.year != year or not isinstance(name, str):
                raise KnowledgeError(f"{where}: {day!r}: want YYYY-MM-DD: name in {year}")
            days[day] = name
        estimated = block.get("estimated", False)
        review_by = as_date(block.get("review_by"))
        if not isinstance(estimated, bool) or (estimated and review_by is None):
            raise KnowledgeError(f"{where}: estimated: true needs review_by: YYYY-MM-DD")
        years.append(HolidayYear(year, source.strip(), days, estimated, review_by))
    return years


def load_holidays(path: Path) -> dict[date, str]:
    """All the closed days of the file, {date: name}."""
    return {day: name for year in load_years(path) for day, name in year.days.items()}


def holiday_warnings(path: Path, today: date) -> list[str]:
    """check-knowledge's warnings: estimated years (louder once review_by has passed), and
    this year missing from the file (office hours would then know no holidays)."""
    years = load_years(path)
    found = []
    for year in years:
        if not year.estimated:
            continue
        what = (f"{path}: {year.year}: {len(year.days)} dates are estimates ({year.source}),"
                " not the SKB 3 Menteri decree")  # fmt: skip
        if year.review_by < today:
            found.append(f"{what}; review_by {year.review_by} has passed: check them against the"
                         " decree now, correct the file and remove 'estimated'")  # fmt: skip
        else:
            found.append(f"{what}: check them against the decree by {year.review_by}")
    if today.year not in {year.year for year in years}:
        found.append(f"{path}: no holidays listed for {today.year}: office hours skip none")
    return found
