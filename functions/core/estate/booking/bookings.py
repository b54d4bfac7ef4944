"""Book, list, show (with the QR proof), cancel, calendar file, and the clerk's no-show record.

No overbooking and no double booking under concurrency: the slot's `booked < capacity` increment,
the booking and the person's account (under its version) are one DynamoDB transaction. Concurrent
attempts by different people contend only on the slot's condition; one person's concurrent
attempts also contend on their account's version, and a loser re-reads it and gets a clean 409.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta


from estate import clock
from estate.adapters.sms import send_sms
from estate.booking import catalog
from estate.booking.models import BookingForm
from estate.booking.slots import SlotRef, check_bookable, existing_day, next_open_slots, shanghai_now
from estate.booking.views import PROOF_UNREADABLE, booking_view, calendar_file, read_proof, sms_params
from estate.config import get_settings
from estate.domain.booking import PERIOD_LABELS, active_bookings, blocked_until_after_no_show, period_bounds, \
    period_windows, refuse_person
from estate.errors import Conflict, FieldError, Forbidden, NotFound, ValidationError
from estate.observability import count_event, logger, mask_id_number
from estate.principal import ROLE_CLERK, Principal, require_staff
from estate.results import Content
from estate.services import captchas
from estate.store import bookings as store
from estate.store.base import TransactionConflict
from estate.store.people import get_person

ATTEMPTS = 4  # one person's concurrent requests race on their account version; losers re-read
_NUMBER_ALPHABET = "3479ACDEFHJKMNPRTUVWXY"


@dataclass(frozen=True)
class BookingRequest:
    slot: SlotRef
    captcha_id: str
    captcha_answer: str


def parse_booking(form: BookingForm) -> BookingRequest:
    return BookingRequest(SlotRef(form.outlet, form.business, existing_day("date", form.date), form.period),
                          form.captcha_id, form.captcha_answer)


def new_booking_number(day: date, period: str) -> str:
    """20261201A-7KQ3M: the day and half-day a clerk can read at a glance, then random characters."""
    return f"{day:%Y%m%d}{'A' if period == 'am' else 'P'}-" + "".join(
        secrets.choice(_NUMBER_ALPHABET) for _ in range(5))


def book(caller: Principal, form: BookingForm) -> dict:
    caller.require_citizen()
    request = parse_booking(form)
    captchas.consume(caller, request.captcha_id, request.captcha_answer)
    ref = request.slot
    outlet = catalog.bookable_outlet(ref.outlet)
    business = catalog.bookable_business(ref.business)
    now = shanghai_now()
    check_bookable(ref, outlet, now)
    person = get_person(caller.id_number)
    if person is None:
        raise Forbidden("实名信息中没有您的手机号，暂不能预约", code="PERSON_NOT_FOUND")
    day, rules = ref.day.isoformat(), catalog.rules()
    store.ensure_slot(ref.outlet, ref.business, day, ref.period, get_settings().booking_default_quota, now)
    for _ in range(ATTEMPTS):
        account = store.get_account(caller.id_number)
        blocked = date.fromisoformat(account.blocked_until) if account.blocked_until else None
        refusal = refuse_person(account.active or {}, ref.business, ref.day, now.date(), rules, blocked)
        if refusal is not None:
            error = Forbidden if refusal.code == "BOOKING_BLOCKED" else Conflict
            raise error(refusal.message, code=refusal.code)
        booking_id = "bk_" + secrets.token_urlsafe(12)
        booking = store.Booking(
            *store.Booking.key(booking_id), booking_id=booking_id, number=new_booking_number(ref.day, ref.period),
            verification_code=f"{secrets.randbelow(10 ** 6):06d}", owner_id=caller.id_number, owner_name=person.name,
            phone=person.phone, outlet=ref.outlet, business=ref.business, booking_date=day, period=ref.period,
            status=store.BOOKED, created_at=now.isoformat())
        account.active = {**active_bookings(account.active or {}, now.date()),
                          booking_id: {"business": ref.business, "date": day, "period": ref.period, "outlet": ref.outlet}}
        slot = store.Slot(*store.Slot.key(ref.outlet, ref.business, day, ref.period))
        try:
            store.take_place(slot, booking, account)   # the account conditional on the version read above
        except TransactionConflict:
            current = store.get_slot(ref.outlet, ref.business, day, ref.period)
            if current is not None and current.remaining == 0:
                raise Conflict("该时段预约已满，请选择其他时段", code="SLOT_FULL",
                               extra={"next_slots": next_open_slots(outlet, ref.business, now)}) from None
            continue  # the account changed under us (same person, another request): re-read and re-check
        break
    else:
        raise Conflict("预约人数较多，请稍后重试", code="BOOKING_BUSY")
    count_event("BookingConfirmed")
    logger.info("booking made", booking_id=booking_id, outlet=ref.outlet, business=ref.business, day=day,
                period=ref.period, person=mask_id_number(caller.id_number))
    send_sms(person.phone, "booking_confirmed", **sms_params(booking, outlet, business))
    return booking_view(booking, outlet, business, with_proof=True)


NOT_ACTIVE_FOR_CLERK = "该预约已取消、已签到或已记录未到"


def _active_at_clerks_outlet(caller: Principal, booking_id: str) -> store.Booking:
    """A still-booked booking of the calling clerk's outlet (check-in, no-show)."""
    require_staff(caller, ROLE_CLERK)
    booking = store.get_booking(booking_id)
    if booking is None or booking.outlet != caller.outlet:
        raise NotFound("本网点没有该预约记录", code="BOOKING_NOT_FOUND")
    if booking.status != store.BOOKED:
        raise Conflict(NOT_ACTIVE_FOR_CLERK, code="BOOKING_NOT_ACTIVE")
    return booking


def _owned(caller: Principal, booking_id: str) -> store.Booking:
    caller.require_citizen()
    booking = store.get_booking(booking_id)
    if booking is None or booking.owner_id != caller.id_number:
        raise NotFound("预约记录不存在", code="BOOKING_NOT_FOUND")
    return booking


def _context(booking: store.Booking) -> tuple[dict, dict]:
    from estate.store import content

    outlet = content.get_published("outlet", booking.outlet) or {"code": booking.outlet, "name": booking.outlet}
    business = content.get_published("business_type", booking.business) or {"code": booking.business,
                                                                              "name": booking.business}
    return outlet, business


def _views(bookings) -> list[dict]:
    """The bookings' views, each outlet's and business's published record read once."""
    contexts: dict[tuple[str, str], tuple[dict, dict]] = {}
    views = []
    for booking in bookings:
        key = (booking.outlet, booking.business)
        if key not in contexts:
            contexts[key] = _context(booking)
        views.append(booking_view(booking, *contexts[key]))
    return views


def list_bookings(caller: Principal) -> dict:
    caller.require_citizen()
    found = store.bookings_of(caller.id_number)
    return {"bookings": _views(found)}


def outlet_day(caller: Principal, query: dict) -> dict:
    """GET /booking/day?date=YYYY-MM-DD (today in Beijing when absent): the calling clerk's outlet's
    bookings of that day (the counter's list per half-day), morning first, then by booking number."""
    require_staff(caller, ROLE_CLERK)
    day = query.get("date") or shanghai_now().date().isoformat()
    try:
        date.fromisoformat(day)
    except ValueError:
        message = "日期格式应为YYYY-MM-DD"
        raise ValidationError(message, code="INVALID_DATE",
                              details=[FieldError("date", "INVALID_DATE", message)]) from None
    found = sorted((b for b in store.bookings_on(day) if b.outlet == caller.outlet),
                   key=lambda b: (b.period != "am", b.number))
    return {"bookings": _views(found)}


def get_booking(caller: Principal, booking_id: str) -> dict:
    booking = _owned(caller, booking_id)
    return booking_view(booking, *_context(booking), with_proof=True)


def booking_ics(caller: Principal, booking_id: str) -> Content:
    booking = _owned(caller, booking_id)
    if booking.status != store.BOOKED:
        raise Conflict("该预约已取消或已结束", code="BOOKING_NOT_ACTIVE")
    outlet, business = _context(booking)
    return Content(calendar_file(booking, outlet, business, clock.now()), "text/calendar; charset=utf-8",
                   headers={"Content-Disposition": f'attachment; filename="{booking.number}.ics"'})


def _close_booking(booking, status: str, stamped, now, *, not_active: str, release_place: bool = False,
                   update_account=None):
    """Move a booked booking to its final status and take it off the person's active bookings in one
    transaction (returning its place to the slot when asked); redone when the account changed meanwhile.
    Returns the account as written."""
    for _ in range(ATTEMPTS):
        account = store.get_account(booking.owner_id)
        account.active = {k: v for k, v in (account.active or {}).items() if k != booking.booking_id}
        if update_account is not None:
            update_account(account)
        try:
            store.end_booking(booking, status, stamped, now.isoformat(), account, release_place)
        except TransactionConflict:
            current = store.get_booking(booking.booking_id)
            if current is None or current.status != store.BOOKED:
                raise Conflict(not_active, code="BOOKING_NOT_ACTIVE") from None
            continue
        booking.status = status
        setattr(booking, stamped.attr_name, now.isoformat())
        return account
    raise Conflict("操作频繁，请稍后重试", code="BOOKING_BUSY")


def cancel(caller: Principal, booking_id: str) -> dict:
    booking = _owned(caller, booking_id)
    if booking.status != store.BOOKED:
        raise Conflict("该预约已取消或已结束", code="BOOKING_NOT_ACTIVE")
    now = shanghai_now()
    day = date.fromisoformat(booking.booking_date)
    if now >= catalog.cutoff_moment(day):
        raise Conflict(f"已过取消截止时间（前一天{catalog.rules().cutoff:%H:%M}），不能取消", code="CANCEL_AFTER_CUTOFF")
    _close_booking(booking, store.CANCELLED, store.Booking.cancelled_at, now, not_active="该预约已取消或已结束",
                   release_place=True)
    outlet, business = _context(booking)
    count_event("BookingCancelled")
    logger.info("booking cancelled", booking_id=booking_id)
    send_sms(booking.phone, "booking_cancelled", **sms_params(booking, outlet, business))
    return booking_view(booking, outlet, business)


def record_no_show(caller: Principal, booking_id: str) -> dict:
    """A clerk of the booking's outlet records that the person did not come (after the half-day
    ended); the third no-show within the window blocks new bookings (DOMAIN §5)."""
    booking = _active_at_clerks_outlet(caller, booking_id)
    outlet, business = _context(booking)
    day = date.fromisoformat(booking.booking_date)
    window = period_windows(outlet.get("hours")).get(booking.period, ("00:00", "23:59"))
    now = shanghai_now()
    if now < period_bounds(day, window)[1]:
        raise Conflict("预约时段尚未结束，不能记录未到", code="TOO_EARLY")
    rules = catalog.rules()

    def count_no_show(account) -> None:
        no_shows = [date.fromisoformat(d) for d in account.no_shows or []] + [now.date()]
        window_start = now.date() - timedelta(days=rules.no_show_window_days)
        account.no_shows = [d.isoformat() for d in no_shows if d > window_start]
        blocked = blocked_until_after_no_show(no_shows, rules)
        if blocked is not None:
            account.blocked_until = blocked.isoformat()

    account = _close_booking(booking, store.NO_SHOW, store.Booking.no_show_at, now,
                             not_active=NOT_ACTIVE_FOR_CLERK, update_account=count_no_show)
    count_event("BookingNoShow")
    logger.info("booking no-show recorded", booking_id=booking_id, blocked=account.blocked_until is not None)
    return {**booking_view(booking, outlet, business), "no_shows_in_window": len(account.no_shows),
            "blocked_until": account.blocked_until}


def _proof_refused(code: str, message: str) -> ValidationError:
    return ValidationError(message, code=code, details=[FieldError("proof", code, message)])


def _verified_by_proof(caller: Principal, booking_id: str, proof: str) -> store.Booking:
    """The booking a scanned proof stands for, once its QR text matches it: the same booking, its
    verification code (a forged or altered proof fails here), then this clerk's outlet. The outlet is
    named only to someone holding the genuine proof."""
    require_staff(caller, ROLE_CLERK)
    read = read_proof(proof)
    if read is None:
        raise _proof_refused("PROOF_UNREADABLE", PROOF_UNREADABLE)
    proof_id, code = read
    if proof_id != booking_id:
        raise _proof_refused("PROOF_MISMATCH", "该凭证不是这条预约的凭证，请重新扫描")
    booking = store.get_booking(booking_id)
    if booking is None or not secrets.compare_digest(code.encode(), (booking.verification_code or "").encode()):
        raise _proof_refused("PROOF_INVALID", "预约凭证无效（与预约记录不符），请核对身份证后再办理")
    if booking.outlet != caller.outlet:
        outlet, _ = _context(booking)
        raise Conflict(f"该预约是{outlet.get('name') or booking.outlet}的预约，请到该网点签到",
                       code="PROOF_OTHER_OUTLET", extra={"outlet": booking.outlet})
    if booking.status != store.BOOKED:
        raise Conflict(NOT_ACTIVE_FOR_CLERK, code="BOOKING_NOT_ACTIVE")
    return booking


def check_in(caller: Principal, booking_id: str, proof: str | None = None) -> dict:
    """A clerk of the booking's outlet records that the person came (签到), on the booking's day: by the
    scanned proof (`proof`, its QR text, checked against the booking) or, without one, after checking
    the person's ID card. The booking stops counting against the person's active bookings."""
    booking = (_verified_by_proof(caller, booking_id, proof) if proof is not None
               else _active_at_clerks_outlet(caller, booking_id))
    now = shanghai_now()
    if booking.booking_date != now.date().isoformat():
        day = date.fromisoformat(booking.booking_date)
        raise Conflict(f"该预约是{day.month}月{day.day}日{PERIOD_LABELS[booking.period]}的，只能在预约当天签到",
                       code="NOT_BOOKING_DAY", extra={"booking_date": booking.booking_date})
    _close_booking(booking, store.CHECKED_IN, store.Booking.checked_in_at, now,
                   not_active=NOT_ACTIVE_FOR_CLERK)
    outlet, business = _context(booking)
    logger.info("booking checked in", booking_id=booking_id)
    return booking_view(booking, outlet, business)
