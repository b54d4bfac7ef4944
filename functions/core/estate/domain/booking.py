"""Hall appointments (DOMAIN §5): which half-days can be booked, when booking closes, and the
per-person rules (one per business type per day, at most N active, no-show blocking).

Pure: no clock, no storage. Callers pass `now` as an aware datetime; days are Asia/Shanghai dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from estate.domain.calendar import SHANGHAI, WorkingCalendar

PERIODS = ("am", "pm")
PERIOD_LABELS = {"am": "上午", "pm": "下午"}
WEEKDAY_LABELS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_ONE_DAY = timedelta(days=1)
# A window of N working days never spans more than N plus the longest run of closed days
# (Spring Festival plus weekends is under three weeks); this bounds the search loop.
_MAX_CLOSED_RUN_DAYS = 40


@dataclass(frozen=True)
class BookingRules:
    horizon_days: int          # bookable: the next N working days after today
    cutoff: time               # booking and cancelling close at this time on the day before
    max_active: int            # upcoming bookings one person may hold
    no_show_limit: int         # this many no-shows ...
    no_show_window_days: int   # ... within this many days ...
    no_show_block_days: int    # ... block new bookings for this many days


@dataclass(frozen=True)
class Refusal:
    """Why a day (or half-day) cannot be booked: a stable code and the Chinese reason."""

    code: str
    message: str


@dataclass(frozen=True)
class BookingWindow:
    days: tuple[date, ...]  # the working days that can be booked
    # Working days of the horizon kept shut: the year's holiday schedule is not published and 调休
    # around a statutory holiday may still close them. They count towards the horizon all the same.
    withheld: tuple[date, ...] = ()


def parse_clock_time(text: str) -> time:
    """'17:00' → time(17, 0); anything else is a configuration error."""
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"expected HH:MM, got {text!r}")
    return time(int(hours), int(minutes))


def cutoff_for(day: date, cutoff: time) -> datetime:
    """The moment booking (and cancelling) for `day` closes: the day before at `cutoff`, Shanghai time."""
    return datetime.combine(day - _ONE_DAY, cutoff, tzinfo=SHANGHAI)


def period_windows(hours: dict[str, Any] | None) -> dict[str, tuple[str, str]]:
    """The half-days an outlet opens, from its published hours {"am": ["08:30", "12:00"], ...}.
    A period missing from the hours (or malformed) is closed."""
    windows = {}
    for period in PERIODS:
        span = (hours or {}).get(period)
        if isinstance(span, (list, tuple)) and len(span) == 2:
            try:
                start, end = parse_clock_time(str(span[0])), parse_clock_time(str(span[1]))
            except ValueError:
                continue
            if start < end:
                windows[period] = (f"{start:%H:%M}", f"{end:%H:%M}")
    return windows


def period_bounds(day: date, window: tuple[str, str]) -> tuple[datetime, datetime]:
    start, end = (parse_clock_time(t) for t in window)
    return datetime.combine(day, start, tzinfo=SHANGHAI), datetime.combine(day, end, tzinfo=SHANGHAI)


def booking_window(calendar: WorkingCalendar, now: datetime, horizon_days: int) -> BookingWindow:
    """The next `horizon_days` working days after today, across the year end. In a year whose holiday
    schedule is not published the provisional calendar counts, and the days 调休 may still change
    are withheld rather than offered."""
    today = now.astimezone(SHANGHAI).date()
    days: list[date] = []
    withheld: list[date] = []
    day = today + _ONE_DAY
    limit = today + timedelta(days=horizon_days + _MAX_CLOSED_RUN_DAYS)
    while len(days) + len(withheld) < horizon_days and day <= limit:
        if calendar.is_working_day(day):
            (withheld if calendar.is_unsettled(day) else days).append(day)
        day += _ONE_DAY
    return BookingWindow(tuple(days), tuple(withheld))


def refuse_day(calendar: WorkingCalendar, day: date, now: datetime, rules: BookingRules,
               closed_days: frozenset[date] = frozenset()) -> Refusal | None:
    """None if `day` can be booked now; otherwise the first reason it cannot."""
    today = now.astimezone(SHANGHAI).date()
    if day < today:
        return Refusal("DAY_IN_PAST", "不能预约已经过去的日期")
    if now >= cutoff_for(day, rules.cutoff):
        return Refusal("AFTER_CUTOFF", f"{day.isoformat()}的预约已于前一天{rules.cutoff:%H:%M}截止，请选择其他日期")
    if not calendar.is_working_day(day):
        if day.weekday() >= 5:
            return Refusal("DAY_IS_WEEKEND", f"{day.isoformat()}是{WEEKDAY_LABELS[day.weekday()]}，登记大厅不办理预约业务")
        return Refusal("DAY_IS_HOLIDAY", f"{day.isoformat()}是法定节假日，登记大厅不办公")
    window = booking_window(calendar, now, rules.horizon_days)
    if day in window.withheld:
        return Refusal("HOLIDAY_SCHEDULE_PENDING", f"{day.year}年节假日安排尚未公布，{day.isoformat()}临近法定节假日，"
                                                   f"待安排公布后开放预约")
    if day not in window.days:
        return Refusal("BEYOND_HORIZON", f"只能预约今后{rules.horizon_days}个工作日内的时段")
    if day in closed_days:
        return Refusal("OUTLET_CLOSED", f"该办理网点{day.isoformat()}暂停办公，请选择其他日期或网点")
    return None


def active_bookings(active: dict[str, dict[str, Any]], today: date) -> dict[str, dict[str, Any]]:
    """Of a person's bookings {id: {"date": ...}}, those still ahead (today included)."""
    return {booking_id: entry for booking_id, entry in active.items() if date.fromisoformat(entry["date"]) >= today}


def refuse_person(active: dict[str, dict[str, Any]], business: str, day: date, today: date, rules: BookingRules,
                  blocked_until: date | None) -> Refusal | None:
    """The per-person rules, checked against that person's current bookings."""
    if blocked_until is not None and today < blocked_until:
        return Refusal("BOOKING_BLOCKED", f"您近{rules.no_show_window_days}天内预约未到{rules.no_show_limit}次，"
                                          f"{blocked_until.isoformat()}前不能预约")
    upcoming = active_bookings(active, today)
    if any(e["business"] == business and e["date"] == day.isoformat() for e in upcoming.values()):
        return Refusal("ALREADY_BOOKED", "您当天已预约过该业务，同一业务每天只能预约一次")
    if len(upcoming) >= rules.max_active:
        return Refusal("TOO_MANY_BOOKINGS", f"您已有{len(upcoming)}个未到期的预约，最多同时保留{rules.max_active}个")
    return None


def blocked_until_after_no_show(no_shows: list[date], rules: BookingRules) -> date | None:
    """After recording the latest no-show: blocked until this day if the limit is reached within
    the window, else None."""
    if not no_shows:
        return None
    latest = max(no_shows)
    recent = [d for d in no_shows if latest - d < timedelta(days=rules.no_show_window_days)]
    if len(recent) >= rules.no_show_limit:
        return latest + timedelta(days=rules.no_show_block_days)
    return None
