"""Hall-appointment rules: the booking window over Chinese working days, cut-off, refusal reasons,
per-person limits and no-show blocking (pure, no AWS)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from estate.domain.booking import (BookingRules, active_bookings, blocked_until_after_no_show, booking_window,
                                   cutoff_for, parse_clock_time, period_windows, refuse_day, refuse_person)
from estate.domain.calendar import SHANGHAI, WorkingCalendar

CALENDAR = WorkingCalendar()
RULES = BookingRules(horizon_days=7, cutoff=time(17, 0), max_active=3, no_show_limit=3, no_show_window_days=30,
                     no_show_block_days=30)
MONDAY_MORNING = datetime(2026, 9, 28, 9, 0, tzinfo=SHANGHAI)


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_window_skips_national_day_and_opens_the_adjusted_saturday():
    window = booking_window(CALENDAR, MONDAY_MORNING, 7)
    assert [x.isoformat() for x in window.days] == ["2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09",
                                                    "2026-10-10", "2026-10-12", "2026-10-13"]
    assert window.withheld == ()


def test_window_crosses_into_the_provisional_year():
    window = booking_window(CALENDAR, datetime(2026, 12, 24, 9, 0, tzinfo=SHANGHAI), 7)
    assert window.days == (d("2026-12-25"), d("2026-12-28"), d("2026-12-29"), d("2026-12-30"), d("2026-12-31"),
                           d("2027-01-04"), d("2027-01-05"))  # 2027-01-01 (元旦) closed
    assert window.withheld == ()


def test_window_withholds_the_days_around_spring_festival_2027():
    # From Fri 2027-01-15: Jan 18-22 are offered; Jan 25-26 count towards the 7 but are withheld
    # (the week before 春节's weeks, where the notice may put 调休).
    window = booking_window(CALENDAR, datetime(2027, 1, 15, 9, 0, tzinfo=SHANGHAI), 7)
    assert window.days == tuple(d(f"2027-01-{n}") for n in (18, 19, 20, 21, 22))
    assert window.withheld == (d("2027-01-25"), d("2027-01-26"))


def test_an_override_for_the_next_year_releases_the_withheld_days():
    calendar = WorkingCalendar({"years": {"2027": {"holidays": ["2027-01-01"], "workdays": []}}})
    window = booking_window(calendar, datetime(2027, 1, 15, 9, 0, tzinfo=SHANGHAI), 7)
    assert window.days[-2:] == (d("2027-01-25"), d("2027-01-26")) and window.withheld == ()


def test_cutoff_is_the_day_before_in_shanghai():
    assert cutoff_for(d("2026-09-29"), time(17, 0)) == datetime(2026, 9, 28, 17, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize("day, now, code", [
    ("2026-09-25", MONDAY_MORNING, "DAY_IN_PAST"),
    ("2026-09-28", MONDAY_MORNING, "AFTER_CUTOFF"),
    ("2026-09-29", datetime(2026, 9, 28, 17, 0, tzinfo=SHANGHAI), "AFTER_CUTOFF"),
    # 09:30 UTC is 17:30 in Shanghai: past the cut-off although the UTC clock says morning
    ("2026-09-29", datetime(2026, 9, 28, 9, 30, tzinfo=__import__("datetime").timezone.utc), "AFTER_CUTOFF"),
    ("2026-10-11", MONDAY_MORNING, "DAY_IS_WEEKEND"),
    ("2026-10-05", MONDAY_MORNING, "DAY_IS_HOLIDAY"),
    ("2026-10-20", MONDAY_MORNING, "BEYOND_HORIZON"),
    ("2027-01-25", datetime(2027, 1, 15, 9, 0, tzinfo=SHANGHAI), "HOLIDAY_SCHEDULE_PENDING"),
    ("2027-02-08", datetime(2027, 1, 28, 9, 0, tzinfo=SHANGHAI), "DAY_IS_HOLIDAY"),  # 初三, provisional
    ("2027-01-27", datetime(2027, 1, 15, 9, 0, tzinfo=SHANGHAI), "BEYOND_HORIZON"),
])
def test_refusal_reasons(day, now, code):
    refusal = refuse_day(CALENDAR, d(day), now, RULES)
    assert refusal is not None and refusal.code == code and refusal.message


def test_a_provisional_day_away_from_the_holidays_can_be_booked():
    assert refuse_day(CALENDAR, d("2027-01-04"), datetime(2026, 12, 30, 9, 0, tzinfo=SHANGHAI), RULES) is None


def test_open_days_pass_and_announced_closures_refuse():
    assert refuse_day(CALENDAR, d("2026-10-10"), MONDAY_MORNING, RULES) is None  # adjusted working Saturday
    assert refuse_day(CALENDAR, d("2026-09-29"), datetime(2026, 9, 28, 16, 59, tzinfo=SHANGHAI), RULES) is None
    closed = refuse_day(CALENDAR, d("2026-09-30"), MONDAY_MORNING, RULES, frozenset({d("2026-09-30")}))
    assert closed.code == "OUTLET_CLOSED"


def test_period_windows_come_from_the_outlet_hours():
    assert period_windows({"am": ["08:30", "12:00"], "pm": ["14:30", "17:30"]}) == {
        "am": ("08:30", "12:00"), "pm": ("14:30", "17:30")}
    assert period_windows({"am": ["08:30", "12:00"]}) == {"am": ("08:30", "12:00")}
    assert period_windows({"am": ["12:00", "08:30"], "pm": "bad"}) == {}
    assert period_windows(None) == {}


def test_parse_clock_time():
    assert parse_clock_time("17:05") == time(17, 5)
    with pytest.raises(ValueError):
        parse_clock_time("5pm")


def entry(business: str, day: str) -> dict:
    return {"business": business, "date": day, "period": "am", "outlet": "140302"}


def test_one_booking_per_business_per_day():
    refusal = refuse_person({"b1": entry("sale", "2026-09-29")}, "sale", d("2026-09-29"), d("2026-09-28"), RULES, None)
    assert refusal.code == "ALREADY_BOOKED"
    assert refuse_person({"b1": entry("sale", "2026-09-29")}, "mortgage", d("2026-09-29"), d("2026-09-28"), RULES,
                         None) is None


def test_at_most_n_upcoming_bookings_and_past_ones_do_not_count():
    active = {f"b{i}": entry(f"biz{i}", "2026-09-30") for i in range(3)}
    assert refuse_person(active, "sale", d("2026-10-08"), d("2026-09-28"), RULES, None).code == "TOO_MANY_BOOKINGS"
    assert refuse_person(active, "sale", d("2026-10-08"), d("2026-10-01"), RULES, None) is None
    assert active_bookings(active, d("2026-10-01")) == {}


def test_a_block_refuses_until_it_ends():
    assert refuse_person({}, "sale", d("2026-10-08"), d("2026-09-28"), RULES, d("2026-10-01")).code == "BOOKING_BLOCKED"
    assert refuse_person({}, "sale", d("2026-10-08"), d("2026-10-01"), RULES, d("2026-10-01")) is None


def test_third_no_show_within_30_days_blocks_for_30_days():
    assert blocked_until_after_no_show([d("2026-09-01"), d("2026-09-10")], RULES) is None
    assert blocked_until_after_no_show([d("2026-09-01"), d("2026-09-10"), d("2026-09-20")], RULES) == d("2026-10-20")
    # the first one fell out of the 30-day window
    assert blocked_until_after_no_show([d("2026-08-01"), d("2026-09-10"), d("2026-09-20")], RULES) is None
    assert blocked_until_after_no_show([], RULES) is None
