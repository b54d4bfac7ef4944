"""The public tax calculator (POST /tax/estimate): the conditions (estate.tax.models.TaxEstimateForm,
their shape checked at the edge) turned into a TaxCase, then assessed.

The rules live in estate.domain.tax; this module refuses what no real sale can be (a zero price, a
100 000 m² flat, a date in 1990) with one 400 that lists every field at fault (一次性告知).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from estate import clock
from estate.domain.tax import RULES_START, TaxCase, TaxInputError, assess
from estate.errors import FieldErrors
from estate.tax.models import TaxEstimateForm

# Far beyond any real Yangquan home, well within what a typo produces.
MAX_PRICE = Decimal("1000000000")        # 10亿元
MAX_AREA_M2 = Decimal("10000")
MAX_YEARS_HELD = Decimal("100")
# A calculator is used to plan a sale: allow dates up to a year ahead, not further.
MAX_DAYS_AHEAD = 366
FORM_MESSAGE = TaxEstimateForm.form_message

_LABELS = {
    "transaction_date": "交易日期", "price": "成交价格", "assessed_price": "计税评估价格", "area_m2": "建筑面积",
    "seller_years_held": "卖方持有年限", "seller_original_cost": "房屋原值", "seller_reasonable_fees": "合理费用",
}


class _Reader:
    """The rules a field's shape cannot say (a decimal's range and precision, a real calendar day
    within the rules' window), one field at a time, recording a FieldError instead of raising."""

    def __init__(self, form: TaxEstimateForm):
        self.form = form
        self.errors = FieldErrors()

    def _fail(self, name: str, code: str, message: str) -> None:
        self.errors.add(name, code, message)

    def decimal(self, name: str, *, maximum: Decimal, positive: bool, places: int = 2,
                required: bool = False, default: Decimal | None = None) -> Decimal | None:
        raw = getattr(self.form, name)
        if raw is None:
            if required:
                self._fail(name, "REQUIRED", f"请填写{_LABELS[name]}")
            return default
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            self._fail(name, "NOT_A_NUMBER", f"{_LABELS[name]}应为数字")
        elif value < 0 or (positive and value == 0):
            self._fail(name, "NOT_POSITIVE" if positive else "NEGATIVE",
                       f"{_LABELS[name]}必须大于0" if positive else f"{_LABELS[name]}不能为负数")
        elif value > maximum:
            self._fail(name, "TOO_LARGE", f"{_LABELS[name]}不能超过{maximum:,}")
        elif value.as_tuple().exponent < -places:
            self._fail(name, "TOO_PRECISE", f"{_LABELS[name]}最多{places}位小数")
        else:
            return value
        return default

    def day(self, name: str, earliest: date, latest: date) -> date | None:
        raw = getattr(self.form, name)
        try:
            value = date.fromisoformat(raw) if len(raw) == 10 else None
        except ValueError:
            value = None
        if value is None:
            self._fail(name, "DATE_FORMAT", f"{_LABELS[name]}格式应为 YYYY-MM-DD")
        elif not earliest <= value <= latest:
            self._fail(name, "DATE_RANGE", f"{_LABELS[name]}应在{earliest.isoformat()}至{latest.isoformat()}之间")
        else:
            return value
        return None


def parse_estimate(form: TaxEstimateForm, today: date) -> TaxCase:
    read = _Reader(form)
    transaction_date = read.day("transaction_date", RULES_START, today + timedelta(days=MAX_DAYS_AHEAD))
    price = read.decimal("price", maximum=MAX_PRICE, positive=True)
    assessed = read.decimal("assessed_price", maximum=MAX_PRICE, positive=True)
    area = read.decimal("area_m2", maximum=MAX_AREA_M2, positive=True)
    years = read.decimal("seller_years_held", maximum=MAX_YEARS_HELD, positive=False, places=4, default=Decimal(0))
    actual = form.pit_method == "actual"
    cost = read.decimal("seller_original_cost", maximum=MAX_PRICE, positive=True, required=actual)
    fees = read.decimal("seller_reasonable_fees", maximum=MAX_PRICE, positive=False, default=Decimal(0))
    read.errors.raise_if_any(FORM_MESSAGE)
    return TaxCase(transaction_date=transaction_date, price=price, assessed_price=assessed, area_m2=area,
                   buyer_family_homes_before=form.buyer_family_homes_before, seller_years_held=years,
                   seller_family_only_home=form.seller_family_only_home, pit_method=form.pit_method,
                   seller_original_cost=cost if actual else None,
                   seller_reasonable_fees=fees if actual else Decimal(0), city_tier=form.city_tier,
                   extra_certificates=form.extra_certificates)


def assess_or_400(case: TaxCase):
    """The rules' own refusals (a date before the rules) become the same field-level 400."""
    try:
        return assess(case)
    except TaxInputError as error:
        errors = FieldErrors()
        errors.add(error.field, error.code, error.message)
        errors.raise_if_any(FORM_MESSAGE)
        raise  # unreachable: raise_if_any raised


def estimate(form: TaxEstimateForm) -> dict:
    return assess_or_400(parse_estimate(form, clock.today_in_shanghai())).as_dict()
