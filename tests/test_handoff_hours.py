"""Office hours: open or not, the next opening, waiting time counted in office hours only."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from handlers.handoff.hours import OfficeHours, parse_hours
from knowledge import KNOWLEDGE_DIR, KnowledgeError, load_holidays
from knowledge.cli import check_knowledge
from knowledge.holidays import holiday_warnings, load_years
from settings import SettingsError, load_settings
from tests.support.handoff import JAKARTA

HOURS = OfficeHours.from_settings("mon-fri 08:00-16:00", "Asia/Jakarta",
                                  {date(2026, 12, 24), date(2026, 12, 25)})  # fmt: skip


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=JAKARTA)


@pytest.mark.parametrize(("when", "is_open"), [
    (wib(2026, 12, 21, 7, 59), False),   # Monday before opening
    (wib(2026, 12, 21, 8, 0), True),
    (wib(2026, 12, 21, 15, 59), True),
    (wib(2026, 12, 21, 16, 0), False),   # closing time
    (wib(2026, 12, 24, 10, 0), False),   # Christmas Eve joint leave
    (wib(2026, 12, 26, 10, 0), False),   # Saturday
])  # fmt: skip
def test_open_or_not(when: datetime, is_open: bool) -> None:
    assert HOURS.is_open(when) is is_open


def test_next_opening_skips_evenings_weekends_and_holidays() -> None:
    assert HOURS.next_opening(wib(2026, 12, 21, 6, 0)) == wib(2026, 12, 21, 8, 0)
    assert HOURS.next_opening(wib(2026, 12, 23, 16, 30)) == wib(2026, 12, 28, 8, 0)
    now = wib(2026, 12, 22, 9, 0)
    assert HOURS.next_opening(now) == now


def test_waiting_time_counts_office_hours_only() -> None:
    friday_evening, monday = wib(2026, 12, 18, 15, 30), wib(2026, 12, 21, 9, 0)
    assert HOURS.open_seconds(friday_evening, monday) == timedelta(minutes=90).total_seconds()
    assert HOURS.open_seconds(monday, friday_evening) == 0


@pytest.mark.parametrize("spec", ["mon-fri", "mon-fri 16:00-08:00", "monday 08:00-16:00", ""])
def test_malformed_office_hours_are_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_hours(spec)


def test_settings_name_the_bad_variable() -> None:
    with pytest.raises(SettingsError, match="OFFICE_HOURS"):
        load_settings(environ={"OFFICE_HOURS": "weekdays 8-4"}, env_file=None)
    with pytest.raises(SettingsError, match="OFFICE_TIMEZONE"):
        load_settings(environ={"OFFICE_TIMEZONE": "Bandung/Kota"}, env_file=None)
    assert parse_hours("sat-sun 09:00-12:00")[0] == frozenset({5, 6})


def test_the_holiday_file_covers_2026_and_2027() -> None:
    holidays = load_holidays(KNOWLEDGE_DIR / "holidays.yaml")
    assert holidays[date(2026, 8, 17)].startswith("Hari Kemerdekaan")
    assert {d.year for d in holidays} == {2026, 2027}
    assert len([d for d in holidays if d.year == 2026]) == 25  # 17 national + 8 joint leave


def test_the_2027_dates_are_marked_estimates_and_check_knowledge_warns(tmp_path) -> None:
    path = KNOWLEDGE_DIR / "holidays.yaml"
    years = {year.year: year for year in load_years(path)}
    assert (years[2026].estimated, years[2027].estimated) == (False, True)
    assert years[2026].source.startswith("SKB 3 Menteri No. 1497/2025")
    (before,) = holiday_warnings(path, date(2026, 12, 4))
    assert "2027: 26 dates are estimates" in before and "by 2026-12-31" in before
    (after,) = holiday_warnings(path, date(2027, 1, 4))
    assert "review_by 2026-12-31 has passed" in after
    assert any("no holidays listed for 2028" in w for w in holiday_warnings(path, date(2028, 1, 3)))
    # check-knowledge reports them (a folder with only this file: the other files' errors aside)
    (tmp_path / "holidays.yaml").write_bytes(path.read_bytes())
    copied = tmp_path / "holidays.yaml"
    assert check_knowledge(tmp_path, today=date(2026, 12, 4))[1] == [
        before.replace(str(path), str(copied))]
    (tmp_path / "holidays.yaml").write_text("2027:\n  days: {}\n", encoding="utf-8")
    assert any("source is missing" in e for e in check_knowledge(tmp_path)[0])


@pytest.mark.parametrize(("block", "problem"), [
    ("  source: x\n  estimated: true\n  days:\n    2027-01-01: Tahun Baru\n", "needs review_by"),
    ("  days:\n    2027-01-01: Tahun Baru\n", "source is missing"),
    ("  source: x\n  days:\n    2026-01-01: Tahun Baru\n", "want YYYY-MM-DD: name in 2027"),
    ("  source: x\n  reviewed: yes\n  days:\n    2027-01-01: Tahun Baru\n", "want a year with"),
])  # fmt: skip
def test_a_malformed_holiday_year_is_refused(tmp_path, block: str, problem: str) -> None:
    path = tmp_path / "holidays.yaml"
    path.write_text("2027:\n" + block, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=problem):
        load_years(path)
