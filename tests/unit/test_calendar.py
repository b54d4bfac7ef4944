"""Working-day calendar: the DOMAIN §5 holiday tables, legal deadlines, overrides, missing years."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from estate.domain.calendar import (
    SHANGHAI,
    CalendarNotAvailable,
    InvalidOverrides,
    WorkingCalendar,
    now_in_shanghai,
)

REPO_OVERRIDES = Path(__file__).resolve().parents[2] / "functions" / "core" / "estate" / "data" / "calendar-overrides.json"


def span(first: str, last: str) -> list[date]:
    day, end = date.fromisoformat(first), date.fromisoformat(last)
    days = []
    while day <= end:
        days.append(day)
        day += timedelta(days=1)
    return days


# DOMAIN §5, State Council notices: every day of every holiday span is closed.
HOLIDAYS = {
    2021: [("2021-01-01", "2021-01-03"), ("2021-02-11", "2021-02-17"), ("2021-04-03", "2021-04-05"),
           ("2021-05-01", "2021-05-05"), ("2021-06-12", "2021-06-14"), ("2021-09-19", "2021-09-21"),
           ("2021-10-01", "2021-10-07")],
    2025: [("2025-01-01", "2025-01-01"), ("2025-01-28", "2025-02-04"), ("2025-04-04", "2025-04-06"),
           ("2025-05-01", "2025-05-05"), ("2025-05-31", "2025-06-02"), ("2025-10-01", "2025-10-08")],
    2026: [("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"), ("2026-04-04", "2026-04-06"),
           ("2026-05-01", "2026-05-05"), ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
           ("2026-10-01", "2026-10-07")],
}
# DOMAIN §5: adjusted working days (调休上班), all on a Saturday or Sunday.
ADJUSTED_WORKDAYS = {
    2021: ["2021-02-07", "2021-02-20", "2021-04-25", "2021-05-08", "2021-09-18", "2021-09-26", "2021-10-09"],
    2025: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    2026: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
}

CLOSED_DAYS = [day for spans in HOLIDAYS.values() for first, last in spans for day in span(first, last)]
OPEN_WEEKEND_DAYS = [date.fromisoformat(d) for days in ADJUSTED_WORKDAYS.values() for d in days]

OVERRIDE_2027 = {
    "years": {"2027": {"holidays": ["2027-01-01", "2027-10-01"], "workdays": ["2027-02-06", "2027-10-09"]}},
    "note": "test",
}


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


# --- the published schedules ---------------------------------------------------------------

@pytest.mark.parametrize("day", CLOSED_DAYS, ids=str)
def test_every_public_holiday_day_is_closed(cal, day):
    assert cal.is_working_day(day) is False


@pytest.mark.parametrize("day", OPEN_WEEKEND_DAYS, ids=str)
def test_every_adjusted_weekend_day_is_open(cal, day):
    assert day.weekday() >= 5
    assert cal.is_working_day(day) is True


def test_table_sizes_match_the_notices():
    assert {y: sum(len(span(a, b)) for a, b in s) for y, s in HOLIDAYS.items()} == {2021: 31, 2025: 28, 2026: 33}


@pytest.mark.parametrize("iso, expected", [
    ("2021-04-25", True),   # Sunday, worked in lieu of Labour Day
    ("2021-05-01", False), ("2021-05-03", False), ("2021-05-05", False),  # 05-03..05 are weekdays
    ("2021-05-06", True),
    ("2026-02-14", True), ("2026-02-28", True),  # Saturdays open
    ("2026-10-01", False), ("2026-10-07", False),
    ("2026-10-08", True),   # Thursday after National Day
    ("2026-10-10", True),   # Saturday open
    ("2026-10-11", False),  # ordinary Sunday
    ("2025-10-08", False),  # 2025 National Day + Mid-Autumn runs to 10-08 (a Wednesday)
])
def test_named_days(cal, iso, expected):
    assert cal.is_working_day(date.fromisoformat(iso)) is expected


@pytest.mark.parametrize("iso, expected", [
    ("2026-03-07", False), ("2026-03-08", False),  # ordinary Sat, Sun
    ("2026-03-09", True), ("2026-03-13", True),    # ordinary Mon, Fri
    ("2025-07-12", False), ("2025-07-13", False), ("2025-07-14", True),
    ("2021-07-10", False), ("2021-07-11", False), ("2021-07-12", True),
])
def test_ordinary_weeks(cal, iso, expected):
    assert cal.is_working_day(date.fromisoformat(iso)) is expected


# --- counting -----------------------------------------------------------------------------

def test_add_working_days_across_2026_national_day(cal):
    wed = date(2026, 9, 30)
    assert cal.add_working_days(wed, 1) == date(2026, 10, 8)   # 10-01..07 closed
    assert cal.add_working_days(wed, 2) == date(2026, 10, 9)
    assert cal.add_working_days(wed, 3) == date(2026, 10, 10)  # Saturday 调休
    assert cal.add_working_days(wed, 4) == date(2026, 10, 12)  # Sunday 10-11 skipped


def test_thirty_working_day_limit_from_2021_acceptance(cal):
    # Accepted Thu 2021-04-08. By hand: Apr 9, 12-16, 19-23 (11), Sun Apr 25 (12), Apr 26-30 (17);
    # May 1-5 closed; May 6, 7, Sat May 8 (20), May 10-14 (25), May 17-21 (30).
    accepted = date(2021, 4, 8)
    deadline = cal.add_working_days(accepted, 30)
    assert deadline == date(2021, 5, 21)
    assert cal.working_days_between(accepted, deadline) == 30


def test_thirty_working_day_limit_across_2026_autumn_holidays(cal):
    # Accepted Fri 2026-09-18. By hand: Sun Sep 20 (1), Sep 21-24 (5), Sep 25-27 closed,
    # Sep 28-30 (8), Oct 1-7 closed, Oct 8, 9, Sat Oct 10 (11), Oct 12-16 (16), 19-23 (21),
    # 26-30 (26), Nov 2-5 (30).
    assert cal.add_working_days(date(2026, 9, 18), 30) == date(2026, 11, 5)


def test_add_zero_working_days_is_the_start(cal):
    assert cal.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)


def test_negative_counts_are_refused(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 3, 9), -1)
    with pytest.raises(ValueError):
        cal.next_working_days(date(2026, 3, 9), -1)


def test_next_working_days_excludes_start_by_default(cal):
    fri = date(2026, 2, 13)
    assert cal.next_working_days(fri, 3) == [date(2026, 2, 14), date(2026, 2, 24), date(2026, 2, 25)]
    assert cal.next_working_days(fri, 2, include_start=True) == [fri, date(2026, 2, 14)]
    assert cal.next_working_days(fri, 0) == []


def test_include_start_skips_a_closed_start(cal):
    assert cal.next_working_days(date(2026, 10, 1), 1, include_start=True) == [date(2026, 10, 8)]


def test_working_days_between(cal):
    assert cal.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert cal.working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert cal.working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert cal.working_days_between(date(2026, 3, 13), date(2026, 3, 9)) == 0
    assert cal.working_days_between(date(2026, 3, 8), date(2026, 3, 9)) == 1  # end counted


def test_datetimes_are_refused_to_avoid_utc_dates(cal):
    with pytest.raises(TypeError):
        cal.is_working_day(datetime(2026, 3, 9, 1, 0, tzinfo=SHANGHAI))


# --- overrides ----------------------------------------------------------------------------

def test_override_year_closes_a_weekday_and_opens_a_saturday():
    cal = WorkingCalendar(OVERRIDE_2027)
    assert cal.is_working_day(date(2027, 1, 1)) is False   # Friday holiday
    assert cal.is_working_day(date(2027, 2, 6)) is True    # Saturday 调休
    assert cal.is_working_day(date(2027, 1, 4)) is True    # ordinary Monday
    assert cal.is_working_day(date(2027, 1, 9)) is False   # ordinary Saturday
    assert cal.add_working_days(date(2027, 9, 30), 1) == date(2027, 10, 4)
    assert cal.add_working_days(date(2027, 10, 8), 1) == date(2027, 10, 9)


def test_override_is_authoritative_even_for_a_year_the_package_covers():
    cal = WorkingCalendar({"years": {"2026": {"holidays": ["2026-10-08"], "workdays": []}}})
    assert cal.is_working_day(date(2026, 10, 8)) is False
    assert cal.is_working_day(date(2026, 10, 1)) is True     # the entry replaces the package for 2026
    assert WorkingCalendar().is_working_day(date(2025, 10, 1)) is False


def test_far_future_year_without_data_is_refused(cal):
    with pytest.raises(CalendarNotAvailable) as raised:
        cal.is_working_day(date(2100, 3, 1))
    assert raised.value.year == 2100
    assert isinstance(raised.value, ValueError)


def test_a_deadline_running_into_a_year_without_data_is_refused():
    cal = WorkingCalendar({"years": {"2099": {"holidays": [], "workdays": []}}})
    assert cal.add_working_days(date(2099, 12, 28), 3) == date(2099, 12, 31)
    with pytest.raises(CalendarNotAvailable) as raised:
        cal.add_working_days(date(2099, 12, 28), 30)
    assert raised.value.year == 2100
    with pytest.raises(CalendarNotAvailable):
        cal.working_days_between(date(2099, 12, 28), date(2100, 1, 5))


def test_repo_override_file_is_valid_and_empty():
    document = json.loads(REPO_OVERRIDES.read_text(encoding="utf-8"))
    assert document["years"] == {}
    assert "November" in document["note"]
    cal = WorkingCalendar.from_file(REPO_OVERRIDES)
    assert cal.is_working_day(date(2021, 4, 25)) is True
    with pytest.raises(CalendarNotAvailable):
        cal.is_working_day(date(2100, 1, 4))


def test_from_file_reads_an_ops_entry(tmp_path):
    path = tmp_path / "overrides.json"
    path.write_text(json.dumps(OVERRIDE_2027), encoding="utf-8")
    cal = WorkingCalendar.from_file(path)
    assert cal.is_working_day(date(2027, 10, 1)) is False
    assert cal.is_working_day(date(2027, 10, 9)) is True


@pytest.mark.parametrize("document", [
    {"years": {"2027": {"holidays": ["2028-01-01"]}}},                           # wrong year
    {"years": {"2027": {"holidays": ["2027-02-06"], "workdays": ["2027-02-06"]}}},  # both
    {"years": {"2027": {"holidays": ["2027/01/01"]}}},                           # format
    {"years": {"2027": {"holidays": ["20270101"]}}},                             # not YYYY-MM-DD
    {"years": {"2027": {"holiday": ["2027-01-01"]}}},                            # typo in key
    {"year": {}},                                                                # typo at top
    {"years": {"27": {}}},                                                       # bad year key
    {"years": {"2027": {"holidays": "2027-01-01"}}},                             # not a list
    {"years": []},
])
def test_malformed_overrides_are_refused(document):
    with pytest.raises(InvalidOverrides):
        WorkingCalendar(document)


# --- clock --------------------------------------------------------------------------------

def test_now_in_shanghai_converts_an_injected_utc_clock():
    now = now_in_shanghai(lambda: datetime(2021, 4, 7, 17, 30, tzinfo=timezone.utc))
    assert now.tzinfo is SHANGHAI
    assert (now.date(), now.hour, now.minute) == (date(2021, 4, 8), 1, 30)


def test_now_in_shanghai_default_is_aware():
    assert now_in_shanghai().utcoffset() == timedelta(hours=8)


def test_now_in_shanghai_refuses_a_naive_clock():
    with pytest.raises(ValueError):
        now_in_shanghai(lambda: datetime(2021, 4, 8, 9, 0))
