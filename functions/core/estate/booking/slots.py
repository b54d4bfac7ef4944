"""Half-day slots with their remaining places, and the staff's quota changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pynamodb.exceptions import UpdateError

from estate import clock
from estate.booking import catalog
from estate.booking.models import QuotaForm
from estate.config import get_settings
from estate.domain.booking import (PERIOD_LABELS, BookingWindow, booking_window, period_windows,
                                   refuse_day)
from estate.domain.calendar import SHANGHAI
from estate.domain.ids import add_key
from estate.errors import Conflict, FieldError, FieldErrors, Forbidden, ValidationError
from estate.observability import logger
from estate.principal import ROLE_CLERK, Principal, require_staff
from estate.services.working_calendar import working_calendar
from estate.store import bookings as store

@dataclass(frozen=True)
class SlotRef:
    outlet: str
    business: str
    day: date
    period: str


def parse_day(errors: FieldErrors, name: str, value) -> date | None:
    """A YYYY-MM-DD that names a real day (the models check the shape; 2026-02-30 passes a pattern)."""
    if not isinstance(value, str) or not value:
        errors.add(name, "REQUIRED", "请选择日期")
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or day.isoformat() != value:
        errors.add(name, "INVALID_DATE", "日期格式应为YYYY-MM-DD")
        return None
    return day


def existing_day(name: str, value: str) -> date:
    """A model's day field as a date, or the 400 naming it."""
    errors = FieldErrors()
    day = parse_day(errors, name, value)
    errors.raise_if_any()
    assert day is not None
    return day


def shanghai_now() -> datetime:
    return clock.now().astimezone(SHANGHAI)


def open_slots(outlet: dict, business: str, now: datetime, first: date | None = None,
               last: date | None = None) -> tuple[list[dict], BookingWindow]:
    """Every open half-day in the booking window (within [first, last] if given) with its places,
    and the window itself (which says what it withheld)."""
    calendar = working_calendar()
    window = booking_window(calendar, now, catalog.rules().horizon_days)
    closed = catalog.closed_days(outlet)
    days = [d for d in window.days if now < catalog.cutoff_moment(d) and d not in closed
            and (first is None or d >= first) and (last is None or d <= last)]
    if not days:
        return [], window
    stored = store.slots_between(outlet["code"], business, days[0].isoformat(), days[-1].isoformat())
    default = get_settings().booking_default_quota
    slots = []
    for day in days:
        provisional = calendar.is_provisional(day)
        for period, (start, end) in period_windows(outlet.get("hours")).items():
            slot = stored.get((day.isoformat(), period))
            capacity = int(slot.capacity) if slot else default
            slots.append({"date": day.isoformat(), "period": period, "period_label": PERIOD_LABELS[period],
                          "start": start, "end": end, "capacity": capacity,
                          "remaining": slot.remaining if slot else default, "provisional": provisional})
    return slots, window


def provisional_notice(window: BookingWindow) -> str | None:
    """What the app shows when the window reaches a year whose holiday schedule is not published."""
    calendar = working_calendar()
    years = sorted({d.year for d in (*window.days, *window.withheld) if calendar.is_provisional(d)})
    if not years:
        return None
    notice = f"{'、'.join(map(str, years))}年节假日安排尚未公布，可预约日期按法定节假日预计"
    if window.withheld:
        notice += f"；{'、'.join(d.isoformat() for d in window.withheld)}临近法定节假日，待安排公布后开放预约"
    return notice


def list_slots(query: dict[str, str]) -> dict:
    errors = FieldErrors()
    outlet_code = add_key(errors, "outlet", query.get("outlet"), "请选择办理网点")
    business_code = add_key(errors, "business", query.get("business"), "请选择业务类型")
    first = parse_day(errors, "from", query["from"]) if query.get("from") else None
    last = parse_day(errors, "to", query["to"]) if query.get("to") else None
    if first and last and last < first:
        errors.add("to", "RANGE_REVERSED", "结束日期不能早于开始日期")
    errors.raise_if_any()
    outlet = catalog.bookable_outlet(outlet_code)
    business = catalog.bookable_business(business_code)
    slots, window = open_slots(outlet, business["code"], shanghai_now(), first, last)
    answer = {"outlet": outlet["code"], "outlet_name": outlet.get("name"), "business": business["code"],
              "business_name": business.get("name"), "horizon_days": catalog.rules().horizon_days,
              "cutoff": f"{catalog.rules().cutoff:%H:%M}", "slots": slots,
              "withheld_days": [d.isoformat() for d in window.withheld]}
    notice = provisional_notice(window)
    if notice:
        answer["notice"] = notice
    return answer


def next_open_slots(outlet: dict, business: str, now: datetime, limit: int = 5) -> list[dict]:
    slots, _ = open_slots(outlet, business, now)
    return [s for s in slots if s["remaining"] > 0][:limit]


def check_bookable(ref: SlotRef, outlet: dict, now: datetime) -> None:
    """Raise a 400 naming the reason if this half-day cannot be booked now."""
    refusal = refuse_day(working_calendar(), ref.day, now, catalog.rules(), catalog.closed_days(outlet))
    if refusal is None and ref.period not in period_windows(outlet.get("hours")):
        refusal_code, message = "OUTLET_CLOSED", f"该办理网点{PERIOD_LABELS[ref.period]}不办公"
        raise ValidationError(message, code=refusal_code, details=[FieldError("period", refusal_code, message)])
    if refusal is not None:
        raise ValidationError(refusal.message, code=refusal.code,
                              details=[FieldError("date", refusal.code, refusal.message)])


def set_quota(caller: Principal, form: QuotaForm) -> dict:
    """A clerk changes one half-day's quota at their own outlet; never below places already booked."""
    require_staff(caller, ROLE_CLERK)
    outlet_code, business_code, period, capacity = form.outlet or caller.outlet, form.business, form.period, form.capacity
    day = existing_day("date", form.date)
    if outlet_code != caller.outlet:
        raise Forbidden("只能调整本网点的预约名额", code="OTHER_OUTLET")
    outlet = catalog.bookable_outlet(outlet_code)
    business = catalog.bookable_business(business_code)
    if not working_calendar().is_working_day(day) or period not in period_windows(outlet.get("hours")):
        raise ValidationError("该日期或时段不办公，无需设置名额", code="NOT_OPEN",
                              details=[FieldError("date", "NOT_OPEN", "该日期或时段不办公")])
    now = clock.now()
    store.ensure_slot(outlet_code, business["code"], day.isoformat(), period, get_settings().booking_default_quota, now)
    slot = store.Slot(*store.Slot.key(outlet_code, business["code"], day.isoformat(), period))
    try:
        slot.update(actions=[store.Slot.capacity.set(capacity), store.Slot.updated_at.set(now.isoformat()),
                             store.Slot.updated_by.set(caller.subject)],
                    condition=store.Slot.booked <= capacity)
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise
        current = store.get_slot(outlet_code, business["code"], day.isoformat(), period)
        raise Conflict(f"该时段已预约{int(current.booked)}人，名额不能少于已预约人数", code="QUOTA_BELOW_BOOKED",
                       extra={"booked": int(current.booked)}) from None
    logger.info("booking quota changed", outlet=outlet_code, business=business["code"], day=day.isoformat(),
                period=period, capacity=capacity)
    return {"outlet": outlet_code, "business": business["code"], "date": day.isoformat(), "period": period,
            "capacity": int(slot.capacity), "booked": int(slot.booked), "remaining": slot.remaining}
