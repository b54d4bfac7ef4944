"""Hall appointments: slots, captcha, book, my bookings with proof, cancel, calendar file,
staff quotas and no-shows, and the day-before reminder."""

from estate import wiring
from estate import audit, clock
from estate.booking import bookings, reminders, slots
from estate.booking.models import (Booking, BookingForm, BookingList, CaptchaAnswer, CheckInForm, NoShowAnswer,
                                   QuotaAnswer, QuotaForm, SlotsAnswer)
from estate.http import create_app, created, route
from estate.services import captchas

app = create_app("estate-booking")
WIRING = wiring.declare("booking")  # its SMS wording is the adapter's own table


@route(app, "/booking/slots", public=True, answers=SlotsAnswer)
def list_slots(request):
    return slots.list_slots(request.query)


@route(app, "/booking/quotas", methods=["PUT"], body=QuotaForm, answers=QuotaAnswer)
def set_quota(request):
    body = request.body
    return audit.run(request, "booking.quota", f"{body.date}/{body.period}/{body.business}",
                     lambda: slots.set_quota(request.caller, body), detail=lambda answer: {"capacity": answer["capacity"]})


@route(app, "/captchas", methods=["POST"], answers=CaptchaAnswer)
def create_captcha(request):
    return created(captchas.create_captcha(request.caller))


@route(app, "/bookings", methods=["POST"], body=BookingForm, answers=Booking)
def book(request):
    return created(bookings.book(request.caller, request.body))


@route(app, "/bookings", methods=["GET"], answers=BookingList)
def list_bookings(request):
    return bookings.list_bookings(request.caller)


@route(app, "/booking/day", answers=BookingList)
def outlet_day(request):
    """The clerk's outlet's appointments of one day (?date=YYYY-MM-DD, today by default)."""
    return bookings.outlet_day(request.caller, request.query)


@route(app, "/bookings/{id}", methods=["GET"], answers=Booking)
def get_booking(request, id):  # noqa: A002 - the path parameter's public name
    return bookings.get_booking(request.caller, id)


@route(app, "/bookings/{id}", methods=["DELETE"], answers=Booking)
def cancel_booking(request, id):  # noqa: A002
    return bookings.cancel(request.caller, id)


@route(app, "/bookings/{id}/ics")
def booking_calendar_file(request, id):  # noqa: A002
    return bookings.booking_ics(request.caller, id)


@route(app, "/bookings/{id}/no-show", methods=["POST"], answers=NoShowAnswer)
def record_no_show(request, id):  # noqa: A002
    return audit.run(request, "booking.no_show", id, lambda: bookings.record_no_show(request.caller, id))


@route(app, "/bookings/{id}/check-in", methods=["POST"], body=CheckInForm, body_required=False, answers=Booking)
def check_in(request, id):  # noqa: A002
    proof = request.body.proof  # optional: without the proof the clerk has checked the ID card
    return audit.run(request, "booking.check_in", id, lambda: bookings.check_in(request.caller, id, proof),
                     detail=lambda view: {"by": "proof" if proof is not None else "id_card"})


@app.lambda_function(name="send_reminders")
def send_reminders(event, context):
    """EventBridge schedule, the evening before: SMS everyone booked for tomorrow."""
    return reminders.send_reminders(clock.now())
