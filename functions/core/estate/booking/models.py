"""The booking routes' bodies and answers (docs/openapi.json is generated from these)."""

from typing import Annotated

import msgspec

from estate.booking.views import PROOF_UNREADABLE, STATUS_LABELS
from estate.domain.booking import PERIOD_LABELS
from estate.schema import Model, accepted, choice, key, text

MAX_QUOTA = 500
_DATE_WRONG = "日期格式应为YYYY-MM-DD"

# A calendar day as YYYY-MM-DD; whether it exists (02-30) is parse_day's, whether it is bookable the domain's.
BookingDay = Annotated[str, msgspec.Meta(
    title="日期", pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-12-31"], extra_json_schema={"format": "date"},
    extra={"codes": {"type": "INVALID_DATE", "pattern": "INVALID_DATE"},
           "messages": {"required": "请选择日期", "type": _DATE_WRONG, "pattern": _DATE_WRONG}})]
Period = choice(PERIOD_LABELS, title="时段", message="时段应为上午(am)或下午(pm)")


class BookingForm(Model):
    """POST /bookings: one half-day at an outlet for one business, behind a captcha."""

    outlet: key("请选择办理网点", title="办理网点编码")
    business: key("请选择业务类型", title="业务类型编码")
    date: BookingDay
    period: Period
    captcha_id: key("请先获取验证码", title="验证码编号")
    captcha_answer: text(20, title="验证码", messages={"required": "请输入验证码"})
    notice_accepted: accepted("请阅读并勾选“我已阅读并同意预约须知”", title="已阅读并同意预约须知")


_QUOTA_WRONG = f"名额应为0到{MAX_QUOTA}之间的整数"


class QuotaForm(Model):
    """PUT /booking/quotas: a clerk sets one half-day's places at their own outlet."""

    outlet: key("请选择办理网点", title="办理网点编码（缺省为本人所在网点）") | None = None
    business: key("请选择业务类型", title="业务类型编码")
    date: BookingDay
    period: Period
    capacity: Annotated[int, msgspec.Meta(
        title="名额", ge=0, le=MAX_QUOTA,
        extra={"codes": {"required": "INVALID_QUOTA", "type": "INVALID_QUOTA", "range": "INVALID_QUOTA"},
               "messages": {"required": _QUOTA_WRONG, "type": _QUOTA_WRONG, "range": _QUOTA_WRONG}})]


class CheckInForm(Model):
    """POST /bookings/{id}/check-in: the proof's QR text as the counter's scanner read it, checked against
    the booking (its code, outlet and day). Without it the clerk checks the person's ID card instead."""

    proof: text(200, title="预约凭证二维码内容", examples=["YQBDC-BOOKING|B20261203AB12CD34|482913"],
                codes={"too_long": "PROOF_UNREADABLE", "type": "PROOF_UNREADABLE"},
                messages={"too_long": PROOF_UNREADABLE, "type": PROOF_UNREADABLE}) | None = None


class BookingSlot(Model):
    date: str
    period: Period
    period_label: str
    start: Annotated[str, msgspec.Meta(examples=["09:00"])]
    end: Annotated[str, msgspec.Meta(examples=["12:00"])]
    capacity: int
    remaining: int
    provisional: bool = msgspec.field(default=False)


class SlotsAnswer(Model):
    """GET /booking/slots."""

    outlet: str
    outlet_name: str | None
    business: str
    business_name: str | None
    horizon_days: int
    cutoff: Annotated[str, msgspec.Meta(title="前一天截止时间", examples=["16:00"])]
    slots: list[BookingSlot]
    withheld_days: list[str]
    notice: str | None = None


class BookingProof(Model):
    verification_code: str
    qr_text: str
    qr_png: Annotated[str, msgspec.Meta(description="data: URI of the QR code (PNG)")]
    instructions: str


class Booking(Model):
    """A booking as the app shows it; `proof` only on the booking itself while it is booked."""

    id: str
    number: str
    status: choice(STATUS_LABELS, title="状态")
    status_label: str
    outlet: str
    outlet_name: str | None
    address: str | None
    outlet_phone: str | None
    business: str
    business_name: str | None
    date: str
    weekday: str
    period: Period
    period_label: str
    start: str
    end: str
    name: str
    id_number: Annotated[str, msgspec.Meta(description="masked")]
    created_at: str
    cancelled_at: str | None
    cancellable_until: str | None
    proof: BookingProof | None = None


class BookingList(Model):
    bookings: list[Booking]


class NoShowAnswer(Booking):
    no_shows_in_window: int
    blocked_until: str | None


class QuotaAnswer(Model):
    outlet: str
    business: str
    date: str
    period: Period
    capacity: int
    booked: int
    remaining: int


__all__ = ["BookingForm", "CheckInForm", "QuotaForm", "SlotsAnswer", "Booking", "BookingList", "NoShowAnswer", "QuotaAnswer", "CaptchaAnswer",
           "MAX_QUOTA"]


class CaptchaAnswer(Model):
    """POST /captchas: the image to show and the id to send back with the typed answer."""

    captcha_id: str
    image: Annotated[str, msgspec.Meta(description="data: URI of the captcha (PNG)")]
    expires_in: Annotated[int, msgspec.Meta(title="有效期（秒）")]
