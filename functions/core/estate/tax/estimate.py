"""The public tax calculator (POST /tax/estimate): the request parsed into a TaxCase, then assessed.

The rules live in estate.domain.tax; this module only turns a JSON body into its input, refusing
what no real sale can be (a zero price, a 100 000 m² flat, a date in 1990) with one 400 that lists
every field at fault (一次性告知).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from estate import clock
from estate.domain.tax import PIT_METHODS, RULES_START, CITY_MAINTENANCE_RATES, TaxCase, TaxInputError, assess
from estate.errors import FieldErrors

# Far beyond any real Yangquan home, well within what a typo produces.
MAX_PRICE = Decimal("1000000000")        # 10亿元
MAX_AREA_M2 = Decimal("10000")
MAX_YEARS_HELD = Decimal("100")
MAX_FAMILY_HOMES = 50
MAX_EXTRA_CERTIFICATES = 10
# A calculator is used to plan a sale: allow dates up to a year ahead, not further.
MAX_DAYS_AHEAD = 366

_LABELS = {
    "transaction_date": "交易日期", "price": "成交价格", "assessed_price": "计税评估价格", "area_m2": "建筑面积",
    "buyer_family_homes_before": "买方家庭已有住房套数", "seller_years_held": "卖方持有年限",
    "seller_family_only_home": "是否卖方家庭唯一住房", "pit_method": "个人所得税计征方式",
    "seller_original_cost": "房屋原值", "seller_reasonable_fees": "合理费用", "city_tier": "城市维护建设税适用地区",
    "extra_certificates": "加发证书数量",
}


class _Reader:
    """Reads one field at a time, recording a FieldError instead of raising."""

    def __init__(self, body: dict):
        self.body = body
        self.errors = FieldErrors()

    def _fail(self, name: str, code: str, message: str) -> None:
        self.errors.add(name, code, message)

    def present(self, name: str) -> bool:
        return self.body.get(name) not in (None, "")

    def decimal(self, name: str, *, maximum: Decimal, positive: bool, places: int = 2,
                required: bool = True, default: Decimal | None = None) -> Decimal | None:
        if not self.present(name):
            if required:
                self._fail(name, "REQUIRED", f"请填写{_LABELS[name]}")
            return default
        raw = self.body[name]
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            self._fail(name, "NOT_A_NUMBER", f"{_LABELS[name]}应为数字")
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

    def count(self, name: str, maximum: int) -> int:
        raw = self.body.get(name, 0)
        if isinstance(raw, bool) or not isinstance(raw, int):
            self._fail(name, "NOT_AN_INTEGER", f"{_LABELS[name]}应为整数")
        elif not 0 <= raw <= maximum:
            self._fail(name, "OUT_OF_RANGE", f"{_LABELS[name]}应在0到{maximum}之间")
        else:
            return raw
        return 0

    def boolean(self, name: str, default: bool) -> bool:
        raw = self.body.get(name, default)
        if not isinstance(raw, bool):
            self._fail(name, "NOT_A_BOOLEAN", f"{_LABELS[name]}应为 true 或 false")
            return default
        return raw

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        raw = self.body.get(name, default)
        if raw not in allowed:
            self._fail(name, "INVALID_CHOICE", f"{_LABELS[name]}应为 {' / '.join(allowed)} 之一")
            return default
        return raw

    def day(self, name: str, earliest: date, latest: date) -> date | None:
        raw = self.body.get(name)
        if raw in (None, ""):
            self._fail(name, "REQUIRED", f"请填写{_LABELS[name]}")
            return None
        try:
            value = date.fromisoformat(raw) if isinstance(raw, str) and len(raw) == 10 else None
        except ValueError:
            value = None
        if value is None:
            self._fail(name, "DATE_FORMAT", f"{_LABELS[name]}格式应为 YYYY-MM-DD")
        elif not earliest <= value <= latest:
            self._fail(name, "DATE_RANGE", f"{_LABELS[name]}应在{earliest.isoformat()}至{latest.isoformat()}之间")
        else:
            return value
        return None


def parse_estimate(body: dict, today: date) -> TaxCase:
    read = _Reader(body)
    transaction_date = read.day("transaction_date", RULES_START, today + timedelta(days=MAX_DAYS_AHEAD))
    price = read.decimal("price", maximum=MAX_PRICE, positive=True)
    assessed = read.decimal("assessed_price", maximum=MAX_PRICE, positive=True, required=False)
    area = read.decimal("area_m2", maximum=MAX_AREA_M2, positive=True)
    years = read.decimal("seller_years_held", maximum=MAX_YEARS_HELD, positive=False, places=4,
                         default=Decimal(0), required=False)
    homes = read.count("buyer_family_homes_before", MAX_FAMILY_HOMES)
    only_home = read.boolean("seller_family_only_home", False)
    method = read.choice("pit_method", PIT_METHODS, "deemed")
    cost = read.decimal("seller_original_cost", maximum=MAX_PRICE, positive=True, required=method == "actual")
    fees = read.decimal("seller_reasonable_fees", maximum=MAX_PRICE, positive=False, required=False,
                        default=Decimal(0))
    tier = read.choice("city_tier", tuple(CITY_MAINTENANCE_RATES), "urban")
    extra = read.count("extra_certificates", MAX_EXTRA_CERTIFICATES)
    read.errors.raise_if_any("计算条件有误，请检查后重新提交")
    return TaxCase(transaction_date=transaction_date, price=price, assessed_price=assessed, area_m2=area,
                   buyer_family_homes_before=homes, seller_years_held=years, seller_family_only_home=only_home,
                   pit_method=method, seller_original_cost=cost if method == "actual" else None,
                   seller_reasonable_fees=fees if method == "actual" else Decimal(0), city_tier=tier,
                   extra_certificates=extra)


def assess_or_400(case: TaxCase):
    """The rules' own refusals (a date before the rules) become the same field-level 400."""
    try:
        return assess(case)
    except TaxInputError as error:
        errors = FieldErrors()
        errors.add(error.field, error.code, error.message)
        errors.raise_if_any("计算条件有误，请检查后重新提交")
        raise  # unreachable: raise_if_any raised


def estimate(body: dict) -> dict:
    return assess_or_400(parse_estimate(body, clock.today_in_shanghai())).as_dict()
