"""What the app shows of a booking, the proof (QR code) shown at the counter, the SMS parameters
and the calendar file. The ID number is masked everywhere: the proof is shown on a screen."""

from __future__ import annotations

from datetime import date, datetime

from estate.booking import catalog
from estate.domain import ics
from estate.domain.booking import PERIOD_LABELS, WEEKDAY_LABELS, period_bounds, period_windows
from estate.observability import mask_id_number
from estate.store import bookings as store

STATUS_LABELS = {store.BOOKED: "已预约", store.CANCELLED: "已取消", store.NO_SHOW: "未到", store.CHECKED_IN: "已签到",
                 "expired": "已过期"}
QR_PREFIX = "YQBDC-BOOKING"   # what the counter's scanner recognises: prefix|booking id|verification code
PROOF_UNREADABLE = "无法识别该二维码，请扫描预约凭证上的二维码"


def _window(booking: store.Booking, outlet: dict) -> tuple[str, str]:
    return period_windows(outlet.get("hours")).get(booking.period, ("", ""))


def _status(booking: store.Booking, today: date) -> str:
    if booking.status == store.BOOKED and date.fromisoformat(booking.booking_date) < today:
        return "expired"
    return booking.status


def proof_payload(booking: store.Booking) -> str:
    return f"{QR_PREFIX}|{booking.booking_id}|{booking.verification_code}"


def read_proof(text: str) -> tuple[str, str] | None:
    """(booking id, verification code) of a proof's QR text as a scanner reads it; None when the text
    is not a booking proof (another QR code, a half-read one)."""
    parts = text.strip().split("|")
    if len(parts) != 3 or parts[0] != QR_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def proof_qr_png(booking: store.Booking) -> str:
    import segno  # pure Python, only on the routes that show a proof

    return segno.make(proof_payload(booking), error="m").png_data_uri(scale=6, border=2)


def booking_view(booking: store.Booking, outlet: dict, business: dict, with_proof: bool = False) -> dict:
    from estate import clock
    from estate.domain.calendar import SHANGHAI

    today = clock.now().astimezone(SHANGHAI).date()
    start, end = _window(booking, outlet)
    day = date.fromisoformat(booking.booking_date)
    status = _status(booking, today)
    view = {
        "id": booking.booking_id, "number": booking.number, "status": status, "status_label": STATUS_LABELS[status],
        "outlet": booking.outlet, "outlet_name": outlet.get("name"), "address": outlet.get("address"),
        "outlet_phone": outlet.get("phone"), "business": booking.business, "business_name": business.get("name"),
        "date": booking.booking_date, "weekday": WEEKDAY_LABELS[day.weekday()], "period": booking.period,
        "period_label": PERIOD_LABELS[booking.period], "start": start, "end": end,
        "name": booking.owner_name, "id_number": mask_id_number(booking.owner_id),
        "created_at": booking.created_at, "cancelled_at": booking.cancelled_at,
        "cancellable_until": catalog.cutoff_moment(day).isoformat() if status == store.BOOKED else None,
    }
    if with_proof and status == store.BOOKED:
        view["proof"] = {"verification_code": booking.verification_code, "qr_text": proof_payload(booking),
                         "qr_png": proof_qr_png(booking),
                         "instructions": "请在预约时段内携带身份证原件到办理网点，向窗口工作人员出示本凭证二维码。"}
    return view


def sms_params(booking: store.Booking, outlet: dict, business: dict) -> dict:
    start, end = _window(booking, outlet)
    day = date.fromisoformat(booking.booking_date)
    cutoff = catalog.cutoff_moment(day)
    return {"name": booking.owner_name, "date": f"{day.month}月{day.day}日", "weekday": WEEKDAY_LABELS[day.weekday()],
            "period_label": PERIOD_LABELS[booking.period], "start": start, "end": end,
            "outlet_name": outlet.get("name", booking.outlet), "business_name": business.get("name", booking.business),
            "number": booking.number, "address": outlet.get("address", ""),
            "cutoff": f"{cutoff.month}月{cutoff.day}日{cutoff:%H:%M}"}


def calendar_file(booking: store.Booking, outlet: dict, business: dict, now: datetime) -> str:
    day = date.fromisoformat(booking.booking_date)
    window = _window(booking, outlet)
    if not all(window):  # the outlet's hours changed since the booking: a whole half-day
        window = ("08:00", "12:00") if booking.period == "am" else ("12:00", "18:00")
    starts, ends = period_bounds(day, window)
    return ics.render(ics.CalendarEvent(
        uid=f"{booking.booking_id}@estate", summary=f"不动产登记预约：{business.get('name', booking.business)}",
        location=f"{outlet.get('name', booking.outlet)}，{outlet.get('address', '')}",
        description=(f"预约号：{booking.number}\n{PERIOD_LABELS[booking.period]}时段请携带身份证原件到场，"
                     f"出示预约凭证。咨询电话：{outlet.get('phone', '')}"),
        start=starts, end=ends, stamp=now, alarm_minutes_before=60))
