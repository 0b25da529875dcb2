"""Dates in the knowledge: today in Bandung, `review_by`, and facts bound to a date.

An answer that depends on a date declares it under `dates:` and reads `today` in its template:
`{% if today < dates.halal_umk %}postponed until …{% else %}since …{% endif %}`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")
_MONTHS = (
    "jan|januari|january|feb|februari|february|februari|mar|maret|march|mac|apr|april|mei|may"
    "|jun|juni|june|jul|juli|july|julai|agu|agustus|aug|august|ogos|sep|sept|september"
    "|okt|oktober|oct|october|nov|november|des|desember|dec|december|dis|disember"
)
_MONTH_NUMBER = {
    **dict.fromkeys(("jan", "januari", "january"), 1),
    **dict.fromkeys(("feb", "februari", "february"), 2),
    **dict.fromkeys(("mar", "maret", "march", "mac"), 3),
    **dict.fromkeys(("apr", "april"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("jun", "juni", "june"), 6),
    **dict.fromkeys(("jul", "juli", "july", "julai"), 7),
    **dict.fromkeys(("agu", "agustus", "aug", "august", "ogos"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9),
    **dict.fromkeys(("okt", "oktober", "oct", "october"), 10),
    **dict.fromkeys(("nov", "november"), 11),
    **dict.fromkeys(("des", "desember", "dec", "december", "dis", "disember"), 12),
}
_DATE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS})\.?\s+(\d{{4}})\b", re.IGNORECASE)
# Words that make a sentence about a date a statement that expires with it.
_PENDING = re.compile(
    r"\b(sampai|hingga|ditunda|ditangguhkan|paling lambat|batas waktu|belum berlaku|until|"
    r"postponed|deadline|not yet|sehingga)\b",
    re.IGNORECASE,
)


def jakarta_today() -> date:
    """Today's date in Bandung (Asia/Jakarta, WIB)."""
    return datetime.now(JAKARTA).date()


def as_date(value: object) -> date | None:
    """A YAML date (2026-10-17, unquoted or quoted) as a date; None if it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def the_day_before(day: date) -> date:
    return day - timedelta(days=1)


def expired_statements(text: str, today: date) -> list[str]:
    """Sentences of `text` that tie something to a date already past ("postponed until …"):
    a date before `today` with an expiring word just before it."""
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        for match in _DATE.finditer(sentence):
            day, month, year = match.groups()
            try:
                when = date(int(year), _MONTH_NUMBER[month.lower()], int(day))
            except (KeyError, ValueError):
                continue
            if when < today and _PENDING.search(sentence[max(0, match.start() - 30) : match.start()]):
                found.append(sentence.strip())
                break
    return found


def check_dates(
    entries: list, contacts: dict, today: date
) -> tuple[list[str], list[str]]:
    """(errors, warnings) about time: entries past `review_by` (a warning); an answer that ties
    a fact to a date already past with no variant for after it (an error)."""
    errors: list[str] = []
    warnings: list[str] = []
    for entry in entries:
        where = f"{entry.file}: {entry.id}"
        if entry.review_by is not None and entry.review_by < today:
            warnings.append(f"{where}: review_by {entry.review_by} has passed; check the facts")
        for lang in entry.answer:
            _check_language(entry, lang, contacts, today, where, errors, warnings)
    return errors, warnings


def _full(entry, lang: str, contacts: dict, today: date) -> str:
    more = entry.render(lang, contacts, today, "more") if lang in entry.more else ""
    return f"{entry.render(lang, contacts, today)}\n{more}"


def _check_language(entry, lang, contacts, today, where, errors, warnings) -> None:
    """The date checks of one language's answer and `more` (see check_dates)."""
    for sentence in expired_statements(_full(entry, lang, contacts, today), today):
        errors.append(f"{where}: answer.{lang}: the date in {sentence!r} has passed;"
                      " declare it under `dates:` and add a variant for after it")  # fmt: skip
    for name, day in entry.dates.items():
        before = _full(entry, lang, contacts, day - timedelta(days=1))
        if before == _full(entry, lang, contacts, day):
            problem = f"{where}: answer.{lang}: reads the same before and after dates.{name}"
            (errors if day <= today else warnings).append(
                f"{problem} ({day}); add a variant with {{% if today < dates.{name} %}}"
            )
