"""The statutory holidays of a year, computed: the provisional calendar of a year whose State Council
schedule (国务院办公厅关于YYYY年部分节假日安排的通知) is not published yet.

全国年节及纪念日放假办法, as revised in November 2024 (in force from 2025), gives every citizen:
元旦 1 day (1 January), 春节 4 days (除夕 to 初三), 清明 1 day (the 清明 solar term), 劳动节 2 days
(1–2 May), 端午 1 day (lunar 5-5), 中秋 1 day (lunar 8-15), 国庆 3 days (1–3 October). These "core
days" are fixed by the law; what the yearly notice adds is 调休: weekdays next to a holiday become
days off, Saturdays or Sundays become working days, and a core day that falls on a weekend is made
up on a weekday (补假).

Where 调休 can land ("unsettled" days): every day of the calendar weeks (Monday–Sunday) that hold a
core day; for 春节, 劳动节 and 国庆 (stretched to 5–9 days every year) and for a holiday with a core
day on a Saturday or Sunday (补假 on the next or previous weekday) also the week before and the week
after. Checked against every published schedule 2015–2026 (tests/unit/test_calendar.py): each
weekday the State Council turned into a day off lies in an unsettled week. Adjusted working
weekends may fall outside it; they stay closed until the notice, which is safe.

The lunar dates and the 清明 solar term come from `borax` (borax.calendars: pure Python, no
dependencies, a wheel for any platform, encoded tables of the lunar months and solar terms for
1900–2100), imported on first use: only a year without a published schedule needs it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

_ONE_DAY = timedelta(days=1)
_ONE_WEEK = timedelta(days=7)
# The holidays the State Council stretches into a week or more (黄金周) every year.
_LONG_HOLIDAYS = frozenset({"春节", "劳动节", "国庆"})


@dataclass(frozen=True)
class StatutoryHoliday:
    name: str               # 元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆
    days: tuple[date, ...]  # the core days the law gives, in order

    def unsettled_days(self) -> frozenset[date]:
        """The days 调休 around this holiday can change (see the module docstring)."""
        mondays = {day - timedelta(days=day.weekday()) for day in self.days}
        if self.name in _LONG_HOLIDAYS or any(day.weekday() >= 5 for day in self.days):
            mondays |= {monday + shift for monday in mondays for shift in (-_ONE_WEEK, _ONE_WEEK)}
        return frozenset(monday + offset * _ONE_DAY for monday in mondays for offset in range(7))


@functools.lru_cache(maxsize=16)
def statutory_holidays(year: int) -> tuple[StatutoryHoliday, ...]:
    """The year's holidays under the 2024 revision of 全国年节及纪念日放假办法, core days only."""
    from borax.calendars.lunardate import LunarDate, TermUtils  # lazy: only unpublished years need it

    # 除夕 is the day before 初一: the 12th month has 29 or 30 days, so it is never named directly.
    new_year = LunarDate(year, 1, 1).to_solar_date()
    return (
        StatutoryHoliday("元旦", (date(year, 1, 1),)),
        StatutoryHoliday("春节", tuple(new_year + offset * _ONE_DAY for offset in range(-1, 3))),
        StatutoryHoliday("清明", (TermUtils.nth_term_day(year, term_name="清明"),)),
        StatutoryHoliday("劳动节", (date(year, 5, 1), date(year, 5, 2))),
        StatutoryHoliday("端午", (LunarDate(year, 5, 5).to_solar_date(),)),
        StatutoryHoliday("中秋", (LunarDate(year, 8, 15).to_solar_date(),)),
        StatutoryHoliday("国庆", (date(year, 10, 1), date(year, 10, 2), date(year, 10, 3))),
    )


@functools.lru_cache(maxsize=16)
def core_days(year: int) -> frozenset[date]:
    return frozenset(day for holiday in statutory_holidays(year) for day in holiday.days)


@functools.lru_cache(maxsize=16)
def unsettled_days(year: int) -> frozenset[date]:
    """Every day 调休 around the year's holidays can change (these can spill into the next or previous
    year: the week of a 1 January on Thursday starts in December)."""
    return frozenset(day for holiday in statutory_holidays(year) for day in holiday.unsettled_days())
