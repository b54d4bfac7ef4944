"""What a booking is made against: published outlets and business types and the configured rules
(the working-day calendar is estate.services.working_calendar)."""

from __future__ import annotations

import functools
from datetime import date, datetime

from estate.config import get_settings
from estate.domain.booking import BookingRules, cutoff_for, parse_clock_time, period_windows
from estate.errors import FieldError, ValidationError
from estate.store import content

BOOKING_SERVICE = "booking"   # outlets list it in online_services when they take appointments


@functools.cache
def rules() -> BookingRules:
    settings = get_settings()
    return BookingRules(horizon_days=settings.booking_horizon_days, cutoff=parse_clock_time(settings.booking_cutoff),
                        max_active=settings.booking_max_active, no_show_limit=settings.no_show_limit,
                        no_show_window_days=settings.no_show_window_days,
                        no_show_block_days=settings.no_show_block_days)


def cutoff_moment(day: date) -> datetime:
    return cutoff_for(day, rules().cutoff)


def _refuse(field: str, code: str, message: str) -> ValidationError:
    return ValidationError(message, code=code, details=[FieldError(field, code, message)])


def bookable_outlet(code: str) -> dict:
    """The published outlet, if it takes appointments; a 400 naming the reason otherwise."""
    outlet = content.get_published("outlet", code)
    if outlet is None:
        raise _refuse("outlet", "UNKNOWN_OUTLET", "办理网点不存在，请重新选择")
    if BOOKING_SERVICE not in (outlet.get("online_services") or []) or not period_windows(outlet.get("hours")):
        raise _refuse("outlet", "OUTLET_CLOSED", f"{outlet.get('name', code)}暂不接受网上预约")
    return outlet


def bookable_business(code: str) -> dict:
    business = content.get_published("business_type", code)
    if business is None or not business.get("bookable"):
        raise _refuse("business", "UNKNOWN_BUSINESS", "该业务类型不存在或不能预约，请重新选择")
    return business


def closed_days(outlet: dict) -> frozenset[date]:
    """Days an outlet announced it is shut (e.g. a system upgrade), as `closed_days` in its content."""
    days = set()
    for value in outlet.get("closed_days") or []:
        try:
            days.add(date.fromisoformat(str(value)))
        except ValueError:
            continue
    return frozenset(days)
