"""Chinese working days (工作日) for hall bookings and legal deadlines.

Why this exists: the registration center must finish within 30 *working* days of acceptance
(不动产登记暂行条例 Art. 20), and hall appointments are offered only on working days. In China a
working day is not simply Monday to Friday: public holidays close weekdays, and adjusted working
days (调休上班) open Saturdays or Sundays. The State Council publishes each year's schedule,
usually in November for the following year.

Where the data comes from, in order:
  1. An ops override file (estate/data/calendar-overrides.json, shipped in the layer). An entry is authoritative
     for that year: it bridges the gap between the State Council notice and the next release of
     the package, and can correct the package if ever needed.
  2. The maintained `chinesecalendar` package (import name `chinese_calendar`), updated yearly.
  3. Otherwise the year is *provisional*: the statutory holidays of 全国年节及纪念日放假办法 computed
     from the lunar calendar (estate.domain.statutory_holidays) are closed, weekends are rest days,
     everything else is open. Callers say so: a deadline counted over a provisional day is a 预计
     date, and bookings stay shut on the days 调休 may still change (is_unsettled).

Days are plain `date`s in Asia/Shanghai. Passing a `datetime` is refused on purpose: convert it
with now_in_shanghai(...).date() (or .astimezone(SHANGHAI).date()) so the day is never the UTC one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

import chinese_calendar

from estate.domain import statutory_holidays

SHANGHAI = ZoneInfo("Asia/Shanghai")

_ONE_DAY = timedelta(days=1)
_TOP_LEVEL_KEYS = {"years", "note"}
_YEAR_KEYS = {"holidays", "workdays"}


class InvalidOverrides(ValueError):
    """The override document does not follow the expected format."""


@dataclass(frozen=True)
class _YearOverride:
    holidays: frozenset[date]
    workdays: frozenset[date]

    def is_working_day(self, day: date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        return day.weekday() < 5


class WorkingCalendar:
    """Answers "is this a working day?" (provisionally for an unpublished year, and which days of it
    调休 may still change) and counts working days. Pure and immutable."""

    def __init__(self, overrides: dict[str, Any] | None = None):
        self._overrides = _parse_overrides(overrides or {"years": {}})
        self._published: dict[int, bool] = {}  # a cache, not state: the answer never changes

    @classmethod
    def from_file(cls, path: str | Path) -> "WorkingCalendar":
        with Path(path).open(encoding="utf-8") as handle:
            return cls(json.load(handle))

    def is_working_day(self, day: date) -> bool:
        _require_date(day)
        override = self._overrides.get(day.year)
        if override is not None:
            return override.is_working_day(day)
        if self.is_published(day.year):
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5 and day not in statutory_holidays.core_days(day.year)

    def is_published(self, year: int) -> bool:
        """True when the State Council schedule of `year` is known (override file or package)."""
        if year in self._overrides:
            return True
        if year not in self._published:
            try:
                chinese_calendar.is_workday(date(year, 1, 1))
                self._published[year] = True
            except NotImplementedError:
                self._published[year] = False
        return self._published[year]

    def is_provisional(self, day: date) -> bool:
        """True when `day` is counted on the provisional calendar (its year is not published)."""
        _require_date(day)
        return not self.is_published(day.year)

    def is_unsettled(self, day: date) -> bool:
        """True for a provisional day that 调休 around a statutory holiday may still change: it may
        become a day off (or, on a weekend, a working day) once the schedule is published."""
        _require_date(day)
        if self.is_published(day.year):
            return False
        return any(day in statutory_holidays.unsettled_days(year) for year in (day.year - 1, day.year, day.year + 1))

    def any_provisional(self, start: date, end: date) -> bool:
        """True when a day in (start, end] is provisional: a count over it is an estimate (预计)."""
        _require_date(start)
        _require_date(end)
        return end > start and any(not self.is_published(year)
                                   for year in range((start + _ONE_DAY).year, end.year + 1))

    def next_working_days(self, start: date, count: int, include_start: bool = False) -> list[date]:
        """The first `count` working days after `start` (or from `start` if include_start)."""
        _require_date(start)
        _require_non_negative(count, "count")
        day = start if include_start else start + _ONE_DAY
        found: list[date] = []
        while len(found) < count:
            if self.is_working_day(day):
                found.append(day)
            day += _ONE_DAY
        return found

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`; `start` itself is not counted (n=0 gives start).

        Example: a case accepted on day A must be decided by add_working_days(A, 30).
        """
        _require_date(start)
        _require_non_negative(n, "n")
        if n == 0:
            return start
        return self.next_working_days(start, n)[-1]

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall in (start, end]; 0 if end <= start."""
        _require_date(start)
        _require_date(end)
        count = 0
        day = start + _ONE_DAY
        while day <= end:
            count += self.is_working_day(day)
            day += _ONE_DAY
        return count


def now_in_shanghai(clock: Callable[[], datetime] | None = None) -> datetime:
    """The current time in Asia/Shanghai. `clock` returns an aware datetime (tests inject one)."""
    now = clock() if clock is not None else datetime.now(SHANGHAI)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("clock must return a timezone-aware datetime")
    return now.astimezone(SHANGHAI)


def _require_date(day: object) -> None:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"expected a datetime.date in Asia/Shanghai, got {type(day).__name__}")


def _require_non_negative(value: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")


def _parse_overrides(document: dict[str, Any]) -> dict[int, _YearOverride]:
    if not isinstance(document, dict):
        raise InvalidOverrides("overrides must be a JSON object")
    unknown = set(document) - _TOP_LEVEL_KEYS
    if unknown:
        raise InvalidOverrides(f"unknown top-level keys: {sorted(unknown)}")
    years = document.get("years", {})
    if not isinstance(years, dict):
        raise InvalidOverrides('"years" must be an object keyed by year')
    return {_parse_year_key(key): _parse_year(key, entry) for key, entry in years.items()}


def _parse_year_key(key: object) -> int:
    text = str(key)
    if not (len(text) == 4 and text.isdigit()):
        raise InvalidOverrides(f"year key must be four digits, got {key!r}")
    return int(text)


def _parse_year(key: object, entry: object) -> _YearOverride:
    if not isinstance(entry, dict):
        raise InvalidOverrides(f"year {key}: entry must be an object")
    unknown = set(entry) - _YEAR_KEYS
    if unknown:
        raise InvalidOverrides(f"year {key}: unknown keys {sorted(unknown)}")
    year = _parse_year_key(key)
    holidays = _parse_days(year, entry.get("holidays", []), "holidays")
    workdays = _parse_days(year, entry.get("workdays", []), "workdays")
    both = holidays & workdays
    if both:
        raise InvalidOverrides(f"year {year}: listed as both holiday and workday: "
                               f"{sorted(d.isoformat() for d in both)}")
    return _YearOverride(holidays=holidays, workdays=workdays)


def _parse_days(year: int, values: object, field: str) -> frozenset[date]:
    if not isinstance(values, list):
        raise InvalidOverrides(f"year {year}: {field} must be a list of YYYY-MM-DD strings")
    return frozenset(_parse_day(year, value, field) for value in values)


def _parse_day(year: int, value: object, field: str) -> date:
    day: date | None = None
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
    if day is None or day.isoformat() != value:
        raise InvalidOverrides(f"year {year}: {field} has {value!r}, expected a real date as YYYY-MM-DD")
    if day.year != year:
        raise InvalidOverrides(f"year {year}: {field} has {value!r} from another year")
    return day
