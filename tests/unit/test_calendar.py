"""Working-day calendar: the DOMAIN §5 holiday tables, legal deadlines, overrides, and the provisional
calendar of a year whose schedule is not published (statutory holidays computed, 调休 windows)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import chinese_calendar
import pytest

from estate.domain.calendar import (
    SHANGHAI,
    InvalidOverrides,
    WorkingCalendar,
    now_in_shanghai,
)
from estate.domain.registration import legal_deadline
from estate.domain.statutory_holidays import core_days, statutory_holidays, unsettled_days

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


def test_repo_override_file_is_valid_and_closes_every_statutory_weekday():
    """A malformed shipped file cannot pass the suite (the service would refuse it when it loads)."""
    from tools.check_calendar import problems

    assert problems(REPO_OVERRIDES) == []
    assert "November" in json.loads(REPO_OVERRIDES.read_text(encoding="utf-8"))["note"]
    cal = WorkingCalendar.from_file(REPO_OVERRIDES)
    assert cal.is_working_day(date(2021, 4, 25)) is True
    assert cal.is_provisional(date(2100, 1, 4)) and cal.is_working_day(date(2100, 1, 4)) is True


def test_the_check_tool_passes_a_full_schedule_and_names_a_forgotten_statutory_day(tmp_path):
    from tests.support.calendar import SCHEDULE_2027
    from tools.check_calendar import problems

    good = tmp_path / "good.json"
    good.write_text(json.dumps({"years": SCHEDULE_2027}), encoding="utf-8")
    assert problems(good) == []
    holidays = [d for d in SCHEDULE_2027["2027"]["holidays"] if d != "2027-06-09"]
    forgot = tmp_path / "forgot.json"
    forgot.write_text(json.dumps({"years": {"2027": {**SCHEDULE_2027["2027"], "holidays": holidays}}}), encoding="utf-8")
    assert problems(forgot) == ["2027: 2027-06-09 (端午) is a statutory day off but is not in holidays"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"years": {"2027": {"holidays": ["2027-02-30"]}}}), encoding="utf-8")
    assert problems(bad) == [f"{bad}: year 2027: holidays has '2027-02-30', expected a real date as YYYY-MM-DD"]


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
    {"years": {"2027": {"holidays": ["2027-02-30"]}}},                           # no such day
    {"years": {"2027": {"workdays": [20270206]}}},                               # not a string
    {"years": {"2027": {"holiday": ["2027-01-01"]}}},                            # typo in key
    {"year": {}},                                                                # typo at top
    {"years": {"27": {}}},                                                       # bad year key
    {"years": {"2027": {"holidays": "2027-01-01"}}},                             # not a list
    {"years": []},
])
def test_malformed_overrides_are_refused(document):
    with pytest.raises(InvalidOverrides):
        WorkingCalendar(document)


def test_malformed_override_errors_name_the_year_and_the_value():
    with pytest.raises(InvalidOverrides, match=r"year 2027: holidays has '2028-01-01' from another year"):
        WorkingCalendar({"years": {"2027": {"holidays": ["2028-01-01"]}}})
    with pytest.raises(InvalidOverrides, match=r"year 2027: listed as both holiday and workday: \['2027-02-06'\]"):
        WorkingCalendar({"years": {"2027": {"holidays": ["2027-02-06"], "workdays": ["2027-02-06"]}}})


# --- the provisional calendar (a year without the State Council's schedule) -----------------

# chinesecalendar's names of the holidays, for the days the law itself gives.
PACKAGE_NAMES = {"元旦": "New Year's Day", "春节": "Spring Festival", "清明": "Tomb-sweeping Day",
                 "劳动节": "Labour Day", "端午": "Dragon Boat Festival", "中秋": "Mid-autumn Festival",
                 "国庆": "National Day"}


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_provisional_rule_reproduces_the_published_core_days(year):
    """Every statutory day computed from the lunar calendar is a day off of that holiday in the State
    Council's schedule (as chinesecalendar carries it), and each holiday has its legal length."""
    holidays = statutory_holidays(year)
    assert [(h.name, len(h.days)) for h in holidays] == [("元旦", 1), ("春节", 4), ("清明", 1), ("劳动节", 2),
                                                          ("端午", 1), ("中秋", 1), ("国庆", 3)]
    for holiday in holidays:
        for day in holiday.days:
            assert chinese_calendar.get_holiday_detail(day) == (True, PACKAGE_NAMES[holiday.name]), (holiday, day)


def test_2027_statutory_days_from_the_lunar_calendar():
    days = {h.name: [d.isoformat() for d in h.days] for h in statutory_holidays(2027)}
    assert days == {"元旦": ["2027-01-01"], "春节": ["2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08"],
                    "清明": ["2027-04-05"], "劳动节": ["2027-05-01", "2027-05-02"], "端午": ["2027-06-09"],
                    "中秋": ["2027-09-15"], "国庆": ["2027-10-01", "2027-10-02", "2027-10-03"]}


def test_chuxi_is_the_last_day_of_a_29_day_twelfth_month():
    # 2025's 腊月 had 29 days: 除夕 was 腊月廿九, 2025-01-28 (the notice's first closed weekday).
    assert statutory_holidays(2025)[1].days[0] == date(2025, 1, 28)


@pytest.mark.parametrize("year", range(2015, 2027))
def test_every_weekday_the_state_council_closed_lies_in_an_unsettled_week(year):
    """The booking rule's safety: each weekday a published schedule turned into a day off beyond the
    statutory days (调休, 补假) falls in a window the provisional calendar withholds. Weekend working
    days may fall outside: they stay closed until the notice, which is safe."""
    unsettled = unsettled_days(year - 1) | unsettled_days(year) | unsettled_days(year + 1)
    core = core_days(year) | core_days(year - 1) | core_days(year + 1)
    day, missed = date(year, 1, 1), []
    while day.year == year:
        one_off = chinese_calendar.get_holiday_detail(day)[1] == "Anti-Fascist 70th Day"  # 2015, by decision
        if day.weekday() < 5 and not chinese_calendar.is_workday(day) and day not in core and not one_off:
            if day not in unsettled:
                missed.append(day)
        day += timedelta(days=1)
    assert missed == []


@pytest.fixture(scope="module")
def provisional() -> WorkingCalendar:
    return WorkingCalendar()  # chinesecalendar 1.11.0 ends at 2026: 2027 is provisional


def test_2027_is_provisional_and_2026_is_not(provisional):
    assert provisional.is_published(2026) and not provisional.is_published(2027)
    assert provisional.is_provisional(date(2027, 1, 4)) and not provisional.is_provisional(date(2026, 12, 31))
    assert WorkingCalendar(OVERRIDE_2027).is_published(2027)


@pytest.mark.parametrize("iso, expected", [
    ("2027-01-01", False),  # 元旦, a Friday
    ("2027-01-04", True),   # the Monday after
    ("2027-01-09", False),  # an ordinary Saturday
    ("2027-02-04", True),   # Thursday before 除夕: open on the provisional calendar (withheld for booking)
    ("2027-02-05", False), ("2027-02-08", False),  # 除夕 (Friday) .. 初三 (Monday)
    ("2027-02-09", True),
    ("2027-04-05", False), ("2027-06-09", False), ("2027-09-15", False),
    ("2027-05-03", True),   # 劳动节 falls on Sat-Sun; the 补假 is for the notice to place
    ("2027-10-04", True),
])
def test_provisional_working_days_of_2027(provisional, iso, expected):
    assert provisional.is_working_day(date.fromisoformat(iso)) is expected


@pytest.mark.parametrize("iso, expected", [
    ("2027-01-04", False), ("2027-01-22", False),   # after 元旦's week, well before 春节
    ("2026-12-28", False),                          # 2026 is published: never unsettled
    ("2027-01-25", True), ("2027-02-04", True), ("2027-02-09", True), ("2027-02-19", True),
    ("2027-02-20", True), ("2027-02-21", True),     # weekend days in the window (may become 调休 workdays)
    ("2027-02-22", False),
    ("2027-03-29", False), ("2027-04-06", True),    # 清明's week
    ("2027-04-19", True), ("2027-05-07", True), ("2027-05-10", False),  # 劳动节 on Sat-Sun: ±1 week
    ("2027-06-07", True), ("2027-06-14", False),    # 端午 on a Wednesday: its week only
    ("2027-09-20", True), ("2027-10-08", True), ("2027-10-11", False),  # 中秋 + 国庆 (Fri-Sun)
    ("2027-12-27", True), ("2027-12-31", True),     # the week of 元旦 2028 (a Saturday)
])
def test_unsettled_days_of_2027(provisional, iso, expected):
    assert provisional.is_unsettled(date.fromisoformat(iso)) is expected


def test_an_override_settles_the_year(provisional):
    official = WorkingCalendar(OVERRIDE_2027)
    assert provisional.is_unsettled(date(2027, 2, 4)) and not official.is_unsettled(date(2027, 2, 4))
    assert official.is_working_day(date(2027, 2, 6)) is True  # the override's 调休 Saturday


def test_deadline_from_2026_12_03_runs_into_2027_and_is_provisional(provisional):
    # Dec 4, 7-11, 14-18, 21-25, 28-31 = 20 working days; 2027-01-01 closed (元旦);
    # Jan 4-8, 11-15 = 30: due Friday 2027-01-15, counted over provisional 2027 days.
    deadline = legal_deadline(provisional, date(2026, 12, 3), 30)
    assert deadline.due_on == date(2027, 1, 15) and deadline.provisional is True
    assert deadline.label() == "预计2027-01-15"


def test_deadline_within_a_published_year_is_not_provisional(provisional):
    deadline = legal_deadline(provisional, date(2026, 9, 18), 30)
    assert deadline.due_on == date(2026, 11, 5) and deadline.provisional is False
    assert deadline.label() == "2026-11-05"


def test_the_official_schedule_recomputes_the_deadline():
    # A schedule closing 2027-01-04 moves the due date a working day later and settles it.
    official = WorkingCalendar({"years": {"2027": {"holidays": ["2027-01-01", "2027-01-04"], "workdays": []}}})
    deadline = legal_deadline(official, date(2026, 12, 3), 30)
    assert deadline.due_on == date(2027, 1, 18) and deadline.provisional is False


def test_any_provisional_looks_at_the_counted_days_only(provisional):
    assert provisional.any_provisional(date(2026, 12, 30), date(2027, 1, 4)) is True
    assert provisional.any_provisional(date(2026, 12, 1), date(2026, 12, 31)) is False
    assert provisional.any_provisional(date(2026, 12, 31), date(2026, 12, 31)) is False
    assert provisional.any_provisional(date(2027, 1, 4), date(2026, 12, 1)) is False


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
