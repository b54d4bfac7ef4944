"""The tax routes' request and response models (estate.schema): the calculator's conditions, a
payment order request, and what the tax case, estimate, payment order and receipt answers look like.

Shape and per-field constraints live here; what needs arithmetic or context (amount range and
precision, the date window, the original cost a chosen method needs, items of the caller's side)
stays in estate.tax.estimate / estate.tax.payments and estate.domain.tax."""

from typing import Annotated, Any, ClassVar, Literal

import msgspec

from estate.adapters.payments import CHANNEL_LABELS
from estate.domain.tax import CITY_MAINTENANCE_RATES, PIT_METHODS
from estate.schema import Model, choice, day, flag, key
from estate.tax.cases import SIDE_LABELS, STATUS_LABELS, TAX_LABELS
from estate.tax.payments import ORDER_STATUS_LABELS

PIT_METHOD_LABELS = {"deemed": "核定征收", "actual": "据实征收"}
CITY_TIER_LABELS = {"urban": "市区", "county": "县城或镇", "other": "其他地区"}
assert tuple(PIT_METHOD_LABELS) == PIT_METHODS and tuple(CITY_TIER_LABELS) == tuple(CITY_MAINTENANCE_RATES)
MODE_LABELS = {"app": "本机支付", "qr": "扫码支付（他人代付）"}


def _amount(label: str, example: str, *, required: bool = False) -> Any:
    """Yuan or another decimal, as a string or a JSON number; range and precision are estimate's rules."""
    messages = {"type": f"{label}应为数字"}
    if required:
        messages["required"] = f"请填写{label}"
    return Annotated[str | int | float, msgspec.Meta(
        title=label, examples=[example], description="十进制数，字符串或数字",
        extra={"codes": {"type": "NOT_A_NUMBER"}, "messages": messages})]


def _count(label: str, maximum: int) -> Any:
    return Annotated[int, msgspec.Meta(title=label, ge=0, le=maximum, extra={
        "codes": {"type": "NOT_AN_INTEGER"},
        "messages": {"type": f"{label}应为整数", "range": f"{label}应在0到{maximum}之间"}})]


# Far beyond any real home, well within what a typo produces (estimate.py bounds the amounts).
MAX_FAMILY_HOMES = 50
MAX_EXTRA_CERTIFICATES = 10


class TaxEstimateForm(Model):
    """The public calculator's conditions (POST /tax/estimate)."""

    form_message: ClassVar[str] = "计算条件有误，请检查后重新提交"

    transaction_date: Annotated[str, msgspec.Meta(
        title="交易日期", examples=["2026-12-31"], max_length=10, extra_json_schema={"format": "date"},
        extra={"codes": {"too_long": "DATE_FORMAT", "type": "DATE_FORMAT"},
               "messages": {"too_long": "交易日期格式应为 YYYY-MM-DD", "type": "交易日期格式应为 YYYY-MM-DD",
                            "required": "请填写交易日期"}})]
    price: _amount("成交价格", "520000.00", required=True)  # type: ignore[valid-type]
    assessed_price: _amount("计税评估价格", "500000.00") | None = None  # type: ignore[valid-type]
    area_m2: _amount("建筑面积", "95.00", required=True)  # type: ignore[valid-type]
    buyer_family_homes_before: _count("买方家庭已有住房套数", MAX_FAMILY_HOMES) = 0  # type: ignore[valid-type]
    seller_years_held: _amount("卖方持有年限", "3") | None = None  # type: ignore[valid-type]
    seller_family_only_home: Annotated[bool, msgspec.Meta(title="是否卖方家庭唯一住房", extra={
        "codes": {"type": "NOT_A_BOOLEAN"},
        "messages": {"type": "是否卖方家庭唯一住房应为 true 或 false"}})] = False
    pit_method: choice(PIT_METHOD_LABELS, title="个人所得税计征方式",  # type: ignore[valid-type]
                       message="个人所得税计征方式应为 deemed / actual 之一") = "deemed"
    seller_original_cost: _amount("房屋原值", "383800.00") | None = None  # type: ignore[valid-type]
    seller_reasonable_fees: _amount("合理费用", "2000.00") | None = None  # type: ignore[valid-type]
    city_tier: choice(CITY_TIER_LABELS, title="城市维护建设税适用地区",  # type: ignore[valid-type]
                      message="城市维护建设税适用地区应为 urban / county / other 之一") = "urban"
    extra_certificates: _count("加发证书数量", MAX_EXTRA_CERTIFICATES) = 0  # type: ignore[valid-type]


Money = Annotated[str, msgspec.Meta(examples=["7800.00"], description="金额（元），两位小数的字符串")]


class TaxEstimateItem(Model):
    tax: choice(TAX_LABELS, title="税费项目")  # type: ignore[valid-type]
    payer: choice(SIDE_LABELS, title="缴纳方")  # type: ignore[valid-type]
    base: Money
    rate: Annotated[str, msgspec.Meta(title="税率", examples=["0.015"])]
    amount: Money
    exempt: flag("是否免征")  # type: ignore[valid-type]
    basis: Annotated[str, msgspec.Meta(title="计算依据（适用的政策与算式）")]


class TaxSideAmounts(Model):
    buyer: Money
    seller: Money


class TaxEstimateView(Model):
    """What the calculator answers: the taxable base, every item, and each side's total."""

    base: Money
    items: list[TaxEstimateItem]
    totals: TaxSideAmounts


# --- an application's tax case ---------------------------------------------------------------------

class TaxCaseItem(TaxEstimateItem):
    tax_label: str
    status: choice(STATUS_LABELS, title="缴纳状态")  # type: ignore[valid-type]
    status_label: str
    paid_at: str | None = None
    order_id: str | None = None
    receipt_id: str | None = None


class TaxCaseView(Model):
    """GET /applications/{id}/tax: the assessment of an application, per item, with what is still owed."""

    application_id: str
    base: Money
    transaction_date: day("交易日期")  # type: ignore[valid-type]
    your_side: choice(SIDE_LABELS, title="您所在一方（经办人为空）") | None = None  # type: ignore[valid-type]
    items: list[TaxCaseItem]
    totals: TaxSideAmounts
    outstanding: TaxSideAmounts
    all_paid: bool


# --- payment orders --------------------------------------------------------------------------------

Key = key("请指定申请编号", title="申请编号")
_ITEMS_MESSAGE = "请选择要缴纳的税费项目，或选择全部(all)"
_ITEMS_RULES = {"codes": {kind: "INVALID_ITEMS" for kind in ("type", "choice", "required", "too_many")},
                "messages": {kind: _ITEMS_MESSAGE for kind in ("type", "choice", "required", "too_many")}}
TaxName = Annotated[str, msgspec.Meta(max_length=40, extra=_ITEMS_RULES)]
Items = Annotated[Literal["all"] | Annotated[list[TaxName], msgspec.Meta(min_length=1, max_length=len(TAX_LABELS),
                                                                           extra=_ITEMS_RULES)],
                  msgspec.Meta(title="缴纳的税费项目", description="\"all\"（本方全部未缴项目）或税费项目列表",
                               examples=["all", ["deed_tax"]], extra=_ITEMS_RULES)]


class PaymentForm(Model):
    """An order for some or all of one side's unpaid items (POST /tax/payments)."""

    application: Key
    side: choice(SIDE_LABELS, title="缴税方", message="缴税方应为买方(buyer)或卖方(seller)")  # type: ignore[valid-type]
    items: Items
    channel: choice(CHANNEL_LABELS, title="支付渠道",  # type: ignore[valid-type]
                    message="支付方式应为支付宝(alipay)或云闪付(unionpay)")
    mode: choice(MODE_LABELS, title="支付方式",  # type: ignore[valid-type]
                 message="支付方式应为本机支付(app)或扫码支付(qr)") = "app"


class PaymentOrderItem(Model):
    tax: choice(TAX_LABELS, title="税费项目")  # type: ignore[valid-type]
    tax_label: str


class PaymentCheckout(Model):
    """Where the app sends the payer: the provider's cashier (a GET link, or a form to POST)."""

    method: Literal["GET", "POST"]
    url: str
    fields: dict[str, str]
    pay_url: str


class PaymentQrCode(Model):
    payload: str
    png_base64: str
    hint: str


class QrCheckoutView(Model):
    """GET /tax/pay/{token}: what whoever scans the QR code sees (the order, nothing about its
    parties) and the provider's cashier for it."""

    order_id: str
    side: choice(SIDE_LABELS, title="缴税方")  # type: ignore[valid-type]
    items: list[PaymentOrderItem]
    amount: Money
    channel: choice(CHANNEL_LABELS, title="支付渠道")  # type: ignore[valid-type]
    channel_label: str
    mode: choice(MODE_LABELS, title="支付方式")  # type: ignore[valid-type]
    status: choice(ORDER_STATUS_LABELS, title="订单状态")  # type: ignore[valid-type]
    status_label: str
    created_at: str
    expires_at: str
    paid_at: str | None = None
    checkout: PaymentCheckout


class PaymentOrderView(QrCheckoutView):
    """A payment order as its creator and its side see it (GET /tax/payments/{id}); a new order also
    carries `checkout` (mode app) or `qr` (mode qr)."""

    application_id: str
    flag: str | None = None
    receipt_id: str | None = None
    checkout: PaymentCheckout | None = None  # type: ignore[assignment]
    qr: PaymentQrCode | None = None


class TaxReceiptSummary(Model):
    receipt_id: str
    application_id: str
    side: choice(SIDE_LABELS, title="缴税方")  # type: ignore[valid-type]
    amount: Money
    paid_at: str | None = None
    items: list[str]


class MyPaymentsView(Model):
    """Personal centre (我的缴税): the orders the caller created and their side's receipts."""

    payments: list[PaymentOrderView]
    receipts: list[TaxReceiptSummary]


class TaxReceiptView(Model):
    """A paid order's tax receipt (完税凭证): its verification code and a short-lived PDF link."""

    receipt_id: str
    application_id: str
    side: choice(SIDE_LABELS, title="缴税方")  # type: ignore[valid-type]
    items: list[PaymentOrderItem]
    amount: Money
    amount_in_words: str
    paid_at: str | None = None
    channel: choice(CHANNEL_LABELS, title="支付渠道")  # type: ignore[valid-type]
    verification_code: str
    verify_url: str
    sha256: str
    pdf_url: str
    pdf_url_expires_in: int
