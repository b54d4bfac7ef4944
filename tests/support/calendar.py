"""Tests move the service between "before" and "after" the State Council publishes a year's holidays:
the shipped override file is swapped for one written in the test, and the cached calendar dropped."""

from __future__ import annotations

import contextlib
import json


@contextlib.contextmanager
def official_schedule(tmp_path, years: dict):
    """Within the block the service reads `{"years": years}` as its calendar override file."""
    from estate.services import working_calendar as working_days

    path = tmp_path / "calendar-overrides.json"
    path.write_text(json.dumps({"years": years, "note": "test"}), encoding="utf-8")
    shipped = working_days.CALENDAR_OVERRIDES
    working_days.CALENDAR_OVERRIDES = path
    working_days.working_calendar.cache_clear()
    try:
        yield
    finally:
        working_days.CALENDAR_OVERRIDES = shipped
        working_days.working_calendar.cache_clear()


# Shaped like the notice for 2027 might be (weekday dates matter; what the tests need is that it is official):
# 元旦 Jan 1-3, 春节 Feb 5-12 with 调休 Saturdays, and so on.
SCHEDULE_2027 = {"2027": {
    "holidays": ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12",
                 "2027-04-05", "2027-05-03", "2027-05-04", "2027-05-05", "2027-06-09", "2027-09-15",
                 "2027-10-01", "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07"],
    "workdays": ["2027-01-30", "2027-02-20", "2027-04-25", "2027-05-08", "2027-09-26", "2027-10-09"],
}}
