"""The day-before SMS reminder, run by a schedule after the day's cut-off (the list is final then).

Idempotent: each booking is marked `reminded_at` with a conditional write before its SMS goes
out, so a re-run (retry, or an operator running it by hand) never texts anyone twice; a failed
SMS is unmarked again so the next run retries it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import UpdateError

from estate.adapters.sms import send_sms
from estate.booking.views import sms_params
from estate.domain.calendar import SHANGHAI
from estate.observability import logger
from estate.store import bookings as store
from estate.store import content


def send_reminders(now: datetime) -> dict:
    tomorrow = (now.astimezone(SHANGHAI) + timedelta(days=1)).date().isoformat()
    sent = skipped = failed = 0
    contexts: dict[tuple[str, str], dict] = {}
    for booking in store.bookings_on(tomorrow):
        if booking.status != store.BOOKED or booking.reminded_at:
            skipped += 1
            continue
        try:
            booking.update(actions=[store.Booking.reminded_at.set(now.isoformat())],
                           condition=store.Booking.reminded_at.does_not_exist() & (store.Booking.status == store.BOOKED))
        except UpdateError as error:
            if error.cause_response_code != "ConditionalCheckFailedException":
                raise
            skipped += 1
            continue
        for kind, code in (("outlet", booking.outlet), ("business_type", booking.business)):
            if (kind, code) not in contexts:
                contexts[(kind, code)] = content.get_published(kind, code) or {"code": code, "name": code}
        outlet, business = contexts[("outlet", booking.outlet)], contexts[("business_type", booking.business)]
        if send_sms(booking.phone, "booking_reminder", **sms_params(booking, outlet, business)):
            sent += 1
        else:  # unmark, so the next run (or an operator's re-run) tries this one again
            booking.update(actions=[store.Booking.reminded_at.remove()])
            failed += 1
    logger.info("booking reminders sent", day=tomorrow, sent=sent, skipped=skipped, failed=failed)
    return {"date": tomorrow, "sent": sent, "skipped": skipped, "failed": failed}
