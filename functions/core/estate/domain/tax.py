"""Taxes and fees on an individual's second-hand home sale in Shanxi: rules as pure functions,
versioned by date (DOMAIN.md §2).

What is computed, per DOMAIN.md §2.1-§2.6:
  buyer:  deed tax (契税) on the price excluding VAT, by the family's homes before the purchase and
          the building area (§2.2); registration fee (登记费), 80 CNY per case + 10 CNY per extra
          certificate (§2.1); stamp duty, exempt.
  seller: VAT (增值税), exempt when held ≥ 2 years (§2.3); its surcharges (城建税 + 教育费附加 +
          地方教育附加) on the VAT, with a configurable relief factor (§2.3); personal income tax
          (个人所得税), deemed or on the actual gain, exempt for 满五唯一 (§2.4); stamp duty and land
          VAT, exempt.
  Taxable base = max(declared price, assessed price), applied before everything else (§2.5).

Rounding. Money is Decimal. Each item is rounded to the fen once, with ROUND_HALF_UP. An item that
depends on another tax uses that tax's amount in fen, the amount actually paid and printed on the
receipt, exactly as the worked examples write it (§2.7 C: "1% × (600,000 − 17,475.73)"; §2.7 B:
"571,428.57 − 406,000 − 3,428.57"). Within one item nothing is rounded twice: the surcharge relief
is applied to the unrounded 12% figure, which is why §2.7 C halves to 1,048.54, not 1,048.55.

Scope: residential property sold by individuals in a city outside Beijing/Shanghai/Guangzhou/
Shenzhen, transaction dates from 2016-05-01 (营改增; earlier dates are refused rather than
guessed). Caps on reasonable fees (renovation ≤ 10% or 15% of the original cost, §2.4) are for the
declaration to apply; the amount given here is taken as accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal, DivisionByZero, InvalidOperation, Overflow, localcontext
from typing import Any, TypeVar

from estate.domain.money import to_fen

__all__ = [
    "TaxInputError", "TaxCase", "TaxRates", "TaxItem", "Assessment", "assess",
    "deed_tax_rate", "vat_rate", "surcharge_rate", "held_at_least", "years_between", "anniversary",
    "RULES_START", "DEED_TAX_140_FROM", "VAT_3_PERCENT_FROM",
]

RULES_START = date(2016, 5, 1)          # VAT replaces business tax (§2.3); no earlier rules here
DEED_LAW_FROM = date(2021, 9, 1)        # 契税法 replaces the interim regulation (§2.2)
DEED_TAX_140_FROM = date(2024, 12, 1)   # area threshold 90 → 140 m² (§2.2)
VAT_3_PERCENT_FROM = date(2026, 1, 1)   # VAT 5% → 3% (§2.3)

VAT_EXEMPT_AFTER_YEARS = 2
PIT_EXEMPT_AFTER_YEARS = 5
PIT_ACTUAL_GAIN_RATE = Decimal("0.20")
REGISTRATION_FEE_PER_CASE = Decimal(80)
FEE_PER_EXTRA_CERTIFICATE = Decimal(10)

CITY_MAINTENANCE_RATES = {"urban": Decimal("0.07"), "county": Decimal("0.05"), "other": Decimal("0.01")}
EDUCATION_SURCHARGE_RATE = Decimal("0.03")
LOCAL_EDUCATION_SURCHARGE_RATE = Decimal("0.02")
PIT_METHODS = ("deemed", "actual")

_NO_RATE = Decimal(0)
_ZERO_MONEY = Decimal("0.00")
# Our own arithmetic context, so a caller's decimal settings cannot change a tax amount.
_ARITHMETIC = Context(prec=28, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])


# --- errors --------------------------------------------------------------------------------------

class TaxInputError(ValueError):
    """Impossible input for an assessment. `field` names the TaxCase attribute; the HTTP layer
    turns it into a 400 with the Chinese `message`."""

    def __init__(self, field: str, code: str, message: str):
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code
        self.message = message


# --- public data ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class TaxCase:
    transaction_date: date
    price: Decimal                                  # declared contract price, VAT included
    area_m2: Decimal                                # building area (建筑面积) on the certificate
    assessed_price: Decimal | None = None           # tax bureau's reference value (计税评估价)
    buyer_family_homes_before: int = 0              # buyer + spouse + minor children
    seller_years_held: Decimal = Decimal(0)         # see years_between()
    seller_family_only_home: bool = False
    pit_method: str = "deemed"                      # "deemed" | "actual"
    seller_original_cost: Decimal | None = None     # purchase price + deed tax paid; for "actual"
    seller_reasonable_fees: Decimal = Decimal(0)
    city_tier: str = "urban"                        # "urban" | "county" | "other" (城建税 7/5/1%)
    extra_certificates: int = 0


@dataclass(frozen=True)
class TaxRates:
    """Knobs that DOMAIN.md §8 still has to confirm with the Shanxi tax bureau."""

    surcharge_relief: Decimal = Decimal("1.0")      # 0.5 under the 六税两费 halving (§2.3)
    deemed_pit_rate: Decimal = Decimal("0.01")      # province sets 1-3% (§2.4)
    province_deed_rate: Decimal = Decimal("0.03")   # Shanxi statutory rate (§2.2)

    def __post_init__(self) -> None:
        for name in ("surcharge_relief", "deemed_pit_rate", "province_deed_rate"):
            value = getattr(self, name)
            if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= 1:
                raise ValueError(f"TaxRates.{name} must be a Decimal between 0 and 1, got {value!r}")


@dataclass(frozen=True)
class TaxItem:
    tax: str        # deed_tax | vat | vat_surcharges | income_tax | stamp_duty | land_vat | registration_fee
    payer: str      # buyer | seller
    base: Decimal
    rate: Decimal
    amount: Decimal
    exempt: bool
    basis: str      # legal basis in Chinese, only documents named in DOMAIN.md


@dataclass(frozen=True)
class Assessment:
    base: Decimal                   # max(declared, assessed), VAT included
    items: tuple[TaxItem, ...]

    def totals(self) -> dict[str, Decimal]:
        sums = {"buyer": _ZERO_MONEY, "seller": _ZERO_MONEY}
        for item in self.items:
            sums[item.payer] += item.amount
        return sums

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: money as "0.00" strings, rates as plain decimal strings ("0.015")."""
        return {
            "base": _money_text(self.base),
            "items": [
                {
                    "tax": item.tax,
                    "payer": item.payer,
                    "base": _money_text(item.base),
                    "rate": _rate_text(item.rate),
                    "amount": _money_text(item.amount),
                    "exempt": item.exempt,
                    "basis": item.basis,
                }
                for item in self.items
            ],
            "totals": {payer: _money_text(total) for payer, total in self.totals().items()},
        }


# --- rules in force by date ----------------------------------------------------------------------

@dataclass(frozen=True)
class _DeedTaxRegime:
    start: date
    area_threshold_m2: Decimal      # inclusive: "… 平方米及以下" gets the lower rate
    law: str
    base_excludes_vat: str
    family_relief: str


_DEED_TAX_REGIMES = (
    _DeedTaxRegime(RULES_START, Decimal(90), "《中华人民共和国契税暂行条例》",
                   "财税〔2016〕43号（计税价格不含增值税）", "财税〔2016〕23号"),
    _DeedTaxRegime(DEED_LAW_FROM, Decimal(90), "《中华人民共和国契税法》",
                   "财政部 税务总局公告2021年第23号（计税依据不含增值税）", "财税〔2016〕23号"),
    _DeedTaxRegime(DEED_TAX_140_FROM, Decimal(140), "《中华人民共和国契税法》",
                   "财政部 税务总局公告2021年第23号（计税依据不含增值税）",
                   "财政部 税务总局 住房城乡建设部公告2024年第16号"),
)

_FIRST_HOME_RATES = (Decimal("0.01"), Decimal("0.015"))    # (≤ threshold, above)
_SECOND_HOME_RATES = (Decimal("0.01"), Decimal("0.02"))


@dataclass(frozen=True)
class _VatRegime:
    start: date
    rate: Decimal
    taxed_basis: str
    exempt_basis: str


_Regime = TypeVar("_Regime", _DeedTaxRegime, _VatRegime)

_VAT_REGIMES = (
    _VatRegime(RULES_START, Decimal("0.05"),
               "财税〔2016〕36号附件3：个人将购买不足2年的住房对外销售的，按照5%的征收率全额缴纳增值税",
               "财税〔2016〕36号附件3：个人将购买2年以上（含2年）的住房对外销售的，免征增值税"),
    # DOMAIN.md §2.3 names no document number for the 2026 change (only a news source), so the
    # basis states the rule itself; add the number once it is confirmed.
    _VatRegime(VAT_3_PERCENT_FROM, Decimal("0.03"),
               "2026年1月1日起个人销售住房增值税政策：个人将购买不足2年的住房对外销售的，按照3%的征收率全额缴纳增值税",
               "2026年1月1日起个人销售住房增值税政策：个人将购买2年以上（含2年）的住房对外销售的，免征增值税"),
)


def _in_force(regimes: Sequence[_Regime], day: date) -> _Regime:
    current = [regime for regime in regimes if regime.start <= day]
    if not current:
        raise TaxInputError("transaction_date", "TAX_DATE_NOT_COVERED",
                            f"暂不支持计算{RULES_START.year}年{RULES_START.month}月{RULES_START.day}日之前的交易")
    return current[-1]


def deed_tax_rate(day: date, family_homes_before: int, area_m2: Decimal,
                  province_rate: Decimal = TaxRates.province_deed_rate) -> Decimal:
    """DOMAIN.md §2.2/§2.6 deed_rate, for a city outside Beijing/Shanghai/Guangzhou/Shenzhen."""
    regime = _in_force(_DEED_TAX_REGIMES, day)
    at_or_below = area_m2 <= regime.area_threshold_m2
    if family_homes_before == 0:
        return _FIRST_HOME_RATES[0] if at_or_below else _FIRST_HOME_RATES[1]
    if family_homes_before == 1:
        return _SECOND_HOME_RATES[0] if at_or_below else _SECOND_HOME_RATES[1]
    return province_rate


def vat_rate(day: date, years_held: Decimal) -> Decimal:
    """DOMAIN.md §2.3/§2.6 vat_rate: 0 (exempt) from 2 years held, else 5% or, from 2026, 3%."""
    regime = _in_force(_VAT_REGIMES, day)
    return _NO_RATE if years_held >= VAT_EXEMPT_AFTER_YEARS else regime.rate


def surcharge_rate(city_tier: str, relief: Decimal = TaxRates.surcharge_relief) -> Decimal:
    """Combined surcharge rate on the VAT (e.g. 0.12 in an urban district) times the relief."""
    combined = CITY_MAINTENANCE_RATES[city_tier] + EDUCATION_SURCHARGE_RATE + LOCAL_EDUCATION_SURCHARGE_RATE
    return combined * relief


# --- holding period --------------------------------------------------------------------------------

def anniversary(start: date, years: int) -> date:
    """The date `years` calendar years after `start`. A 29 February start falls on 28 February in
    a common year: periods counted in years end on the corresponding day, or on the last day of
    the month when there is none (the Civil Code's rule for periods; [M] as applied to tax)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 2, 28)


def held_at_least(acquired: date, sold: date, years: int) -> bool:
    """True when `sold` is on or after the `years`-th anniversary of `acquired`, so a sale on the
    anniversary itself counts as held for the full years. DOMAIN.md §2.3: `acquired` is the
    earlier of the certificate date and the deed-tax receipt date."""
    _require_holding_dates(acquired, sold)
    if isinstance(years, bool) or not isinstance(years, int) or years < 0:
        raise ValueError(f"years must be a non-negative integer, got {years!r}")
    return anniversary(acquired, years) <= sold


def years_between(acquired: date, sold: date) -> Decimal:
    """Completed calendar years from `acquired` to `sold`, as TaxCase.seller_years_held expects.

    Whole years only: every threshold is a whole number of years (2 and 5), and a day-count
    fraction would put a sale on its anniversary a day short in leap years."""
    _require_holding_dates(acquired, sold)
    years = sold.year - acquired.year
    if anniversary(acquired, years) > sold:
        years -= 1
    return Decimal(years)


def _require_holding_dates(acquired: date, sold: date) -> None:
    for name, day in (("acquired", acquired), ("sold", sold)):
        if isinstance(day, datetime) or not isinstance(day, date):
            raise TaxInputError(name, "TAX_DATE_INVALID", "日期格式无效")
    if sold < acquired:
        raise TaxInputError("acquired", "TAX_DATE_ORDER", "取得房屋的日期不能晚于出售日期")


# --- assessment ------------------------------------------------------------------------------------

def assess(case: TaxCase, rates: TaxRates = TaxRates()) -> Assessment:
    """All taxes and fees of one sale, by the rules in force on case.transaction_date."""
    with localcontext(_ARITHMETIC):
        case = _validated(case)
        base = max(case.price, case.assessed_price) if case.assessed_price is not None else case.price
        vat = _vat_item(case, base)
        income_ex_vat = base - vat.amount                      # = base when VAT is exempt (§2.5)
        surcharges = _surcharges_item(case, vat, rates)
        items = (
            _deed_tax_item(case, income_ex_vat, rates),
            vat,
            surcharges,
            _income_tax_item(case, income_ex_vat, surcharges.amount, rates),
            *_stamp_duty_items(base),
            _land_vat_item(base),
            _registration_fee_item(case),
        )
    return Assessment(base=base, items=items)


def _deed_tax_item(case: TaxCase, income_ex_vat: Decimal, rates: TaxRates) -> TaxItem:
    regime = _in_force(_DEED_TAX_REGIMES, case.transaction_date)
    rate = deed_tax_rate(case.transaction_date, case.buyer_family_homes_before, case.area_m2,
                         rates.province_deed_rate)
    if case.buyer_family_homes_before <= 1:
        rate_source = regime.family_relief
    else:
        rate_source = "山西省规定的契税适用税率"
        if case.transaction_date >= DEED_LAW_FROM:
            rate_source += "（山西省人大常委会2021年7月29日决定，2021年9月1日起施行）"
    basis = "；".join((regime.law, rate_source, regime.base_excludes_vat))
    return TaxItem("deed_tax", "buyer", income_ex_vat, rate, to_fen(income_ex_vat * rate), False, basis)


def _vat_item(case: TaxCase, base: Decimal) -> TaxItem:
    regime = _in_force(_VAT_REGIMES, case.transaction_date)
    rate = vat_rate(case.transaction_date, case.seller_years_held)
    if rate == 0:
        return TaxItem("vat", "seller", base, _NO_RATE, _ZERO_MONEY, True, regime.exempt_basis)
    # The price includes VAT (simplified method on the full price): VAT = price ÷ (1 + r) × r.
    amount = to_fen(base / (1 + rate) * rate)
    sales_ex_vat = base - amount
    return TaxItem("vat", "seller", sales_ex_vat, rate, amount, False, regime.taxed_basis)


def _surcharges_item(case: TaxCase, vat: TaxItem, rates: TaxRates) -> TaxItem:
    rate = surcharge_rate(case.city_tier, rates.surcharge_relief)
    city_rate_percent = _percent_text(CITY_MAINTENANCE_RATES[case.city_tier])
    basis = (f"城市维护建设税（{city_rate_percent}）、教育费附加（3%）、地方教育附加（2%），"
             "以实际缴纳的增值税税额为计税依据")
    if rates.surcharge_relief != 1:
        basis += "；财政部 税务总局公告2022年第10号、财政部 税务总局公告2023年第12号（六税两费减征）"
    # Relief and combined rate in one multiplication, rounded once (§2.7 C: 1,048.54).
    return TaxItem("vat_surcharges", "seller", vat.amount, rate, to_fen(vat.amount * rate), vat.exempt, basis)


def _income_tax_item(case: TaxCase, income_ex_vat: Decimal, surcharges: Decimal,
                     rates: TaxRates) -> TaxItem:
    if case.seller_years_held >= PIT_EXEMPT_AFTER_YEARS and case.seller_family_only_home:
        basis = "财税字〔1994〕20号：个人转让自用5年以上、并且是家庭唯一生活用房取得的所得，免征个人所得税"
        return TaxItem("income_tax", "seller", income_ex_vat, _NO_RATE, _ZERO_MONEY, True, basis)
    if case.pit_method == "deemed":
        basis = ("国税发〔2006〕108号：未能提供完整、准确的房屋原值凭证的，按住房转让收入的一定比例核定征收；"
                 "财税〔2016〕43号：转让收入不含增值税")
        rate = rates.deemed_pit_rate
        return TaxItem("income_tax", "seller", income_ex_vat, rate, to_fen(income_ex_vat * rate), False, basis)
    # Actual gain: the surcharges paid are deductible; the VAT is not, income being net of it (§2.4).
    assert case.seller_original_cost is not None  # _validated refuses "actual" without it (TAX_REQUIRED)
    gain = max(_ZERO_MONEY, income_ex_vat - case.seller_original_cost - case.seller_reasonable_fees - surcharges)
    basis = ("国税发〔2006〕108号：以转让收入减除房屋原值、转让住房过程中缴纳的税金及有关合理费用后的余额，"
             "按20%的税率计税；财税〔2016〕43号：转让收入不含增值税")
    return TaxItem("income_tax", "seller", gain, PIT_ACTUAL_GAIN_RATE, to_fen(gain * PIT_ACTUAL_GAIN_RATE),
                   False, basis)


def _stamp_duty_items(base: Decimal) -> tuple[TaxItem, TaxItem]:
    # Stamp duty is levied on both parties to the contract, so each side gets its own (exempt) line.
    basis = "财税〔2008〕137号：对个人销售或购买住房暂免征收印花税"
    buyer, seller = (TaxItem("stamp_duty", payer, base, _NO_RATE, _ZERO_MONEY, True, basis)
                     for payer in ("buyer", "seller"))
    return buyer, seller


def _land_vat_item(base: Decimal) -> TaxItem:
    basis = "财税〔2008〕137号：对个人销售住房暂免征收土地增值税"
    return TaxItem("land_vat", "seller", base, _NO_RATE, _ZERO_MONEY, True, basis)


def _registration_fee_item(case: TaxCase) -> TaxItem:
    # A fixed fee per case, never proportional to price or area, so base = fee and rate = 1.
    fee = to_fen(REGISTRATION_FEE_PER_CASE + FEE_PER_EXTRA_CERTIFICATE * case.extra_certificates)
    basis = ("财税〔2016〕79号：住宅类不动产登记费每件80元，每增加一本证书加收证书工本费10元；"
             "《中华人民共和国民法典》第二百二十三条：不动产登记费按件收取，"
             "不得按照不动产的面积、体积或者价款的比例收取")
    return TaxItem("registration_fee", "buyer", fee, Decimal(1), fee, False, basis)


# --- input validation ------------------------------------------------------------------------------

_LABELS = {
    "price": "成交价格",
    "assessed_price": "计税评估价格",
    "area_m2": "建筑面积",
    "seller_years_held": "卖方持有年限",
    "seller_original_cost": "房屋原值",
    "seller_reasonable_fees": "合理费用",
    "buyer_family_homes_before": "买方家庭已有住房套数",
    "extra_certificates": "加发证书数量",
}


def _validated(case: TaxCase) -> TaxCase:
    """Check every field and return a copy with numbers as Decimal and money rounded to the fen."""
    _check_transaction_date(case.transaction_date)
    _check_choice("city_tier", case.city_tier, tuple(CITY_MAINTENANCE_RATES),
                  "城市维护建设税适用地区应为市区（urban）、县城或镇（county）或其他地区（other）")
    _check_choice("pit_method", case.pit_method, PIT_METHODS,
                  "个人所得税计征方式应为核定征收（deemed）或据实征收（actual）")
    if case.pit_method == "actual" and case.seller_original_cost is None:
        raise TaxInputError("seller_original_cost", "TAX_REQUIRED", "选择据实征收个人所得税时，须填写房屋原值")
    if not isinstance(case.seller_family_only_home, bool):
        # bool("false") is True: coercing here could grant the 满五唯一 exemption by mistake.
        raise TaxInputError("seller_family_only_home", "TAX_NOT_A_BOOLEAN", "是否为家庭唯一住房应为是或否")
    area = _non_negative_number("area_m2", case.area_m2)
    if area == 0:
        raise TaxInputError("area_m2", "TAX_NOT_POSITIVE", "建筑面积必须大于0")
    return replace(
        case,
        price=to_fen(_non_negative_number("price", case.price)),
        assessed_price=_optional_money("assessed_price", case.assessed_price),
        area_m2=area,
        seller_years_held=_non_negative_number("seller_years_held", case.seller_years_held),
        seller_original_cost=_optional_money("seller_original_cost", case.seller_original_cost),
        seller_reasonable_fees=to_fen(_non_negative_number("seller_reasonable_fees", case.seller_reasonable_fees)),
        buyer_family_homes_before=_non_negative_count("buyer_family_homes_before", case.buyer_family_homes_before),
        extra_certificates=_non_negative_count("extra_certificates", case.extra_certificates),
    )


def _check_transaction_date(day: object) -> None:
    # A datetime would silently carry a time zone question; callers pass the Shanghai calendar day.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TaxInputError("transaction_date", "TAX_DATE_INVALID", "交易日期格式无效")
    _in_force(_VAT_REGIMES, day)


def _check_choice(name: str, value: object, allowed: tuple[str, ...], message: str) -> None:
    if value not in allowed:
        raise TaxInputError(name, "TAX_UNKNOWN_CHOICE", message)


def _non_negative_number(name: str, value: Any) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise TaxInputError(name, "TAX_NOT_A_NUMBER", f"{_LABELS[name]}应为数字")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise TaxInputError(name, "TAX_NOT_A_NUMBER", f"{_LABELS[name]}应为数字") from None
    if not number.is_finite():
        raise TaxInputError(name, "TAX_NOT_A_NUMBER", f"{_LABELS[name]}应为数字")
    if number < 0:
        raise TaxInputError(name, "TAX_NEGATIVE", f"{_LABELS[name]}不能为负数")
    return number


def _optional_money(name: str, value: Any) -> Decimal | None:
    return None if value is None else to_fen(_non_negative_number(name, value))


def _non_negative_count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TaxInputError(name, "TAX_NOT_AN_INTEGER", f"{_LABELS[name]}应为整数")
    if value < 0:
        raise TaxInputError(name, "TAX_NEGATIVE", f"{_LABELS[name]}不能为负数")
    return value


# --- formatting ------------------------------------------------------------------------------------

def _money_text(amount: Decimal) -> str:
    return str(to_fen(amount))


def _rate_text(rate: Decimal) -> str:
    return format(rate.normalize(), "f")


def _percent_text(rate: Decimal) -> str:
    return _rate_text(rate * 100) + "%"
