"""The service's working-day calendar (the shipped override file over the package, provisional
beyond) and the legal deadline shown to the office and to the citizens, computed when shown."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

from estate import clock
from estate.config import get_settings
from estate.domain import application as lifecycle
from estate.domain.calendar import WorkingCalendar
from estate.domain.registration import legal_deadline

CALENDAR_OVERRIDES = Path(__file__).resolve().parents[1] / "data" / "calendar-overrides.json"
# Decided (entered, or refused) or ended: no working days are left to count.
_CLOSED_STATUSES = (lifecycle.APPROVED, lifecycle.COMPLETED, lifecycle.CERTIFICATE_READY, lifecycle.REFUSED,
                    lifecycle.WITHDRAWN)


@functools.cache
def working_calendar() -> WorkingCalendar:
    return WorkingCalendar.from_file(CALENDAR_OVERRIDES)


def deadline_view(application, today: date | None = None) -> dict | None:
    """The legal deadline of an accepted application. Counted over a year whose holiday schedule is
    not published, it is an estimate: `due_on_provisional` is true and people see it as 预计; it is
    recomputed from the stored `accepted_on` once ops add the year's schedule."""
    office = application.office or {}
    if not office.get("accepted_on"):
        return None
    calendar = working_calendar()
    working_days = get_settings().legal_deadline_working_days
    deadline = legal_deadline(calendar, date.fromisoformat(office["accepted_on"]), working_days)
    closed = application.status in _CLOSED_STATUSES
    return {"accepted_on": office["accepted_on"], "working_days": working_days,
            "due_on": deadline.due_on.isoformat(), "due_on_provisional": deadline.provisional,
            "due_on_label": deadline.label(),
            "days_left": None if closed else deadline.days_left(calendar, today or clock.today_in_shanghai())}
