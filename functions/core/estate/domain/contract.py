"""The online sale contract (存量房买卖合同, DOMAIN §1.3): required fields, the price in 大写
generated (never typed), and exactly one dispute-resolution method."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from estate.domain.money import amount_in_chinese, decimal_places, to_fen
from estate.domain.ids import is_choice
from estate.domain.text import form_text
from estate.errors import FieldErrors

MAX_PRICE = Decimal("100000000")  # 1亿: anything above is a typo for a home
TAX_BEARERS = {"statutory": "按法律规定各自承担", "buyer": "全部由买方承担", "seller": "全部由卖方承担"}
DISPUTE_METHODS = ("arbitration", "court")
PAYMENT_METHODS = {"lump_sum": "一次性付款", "installments": "分期付款", "loan": "贷款付款"}
# 违约责任 of the model contract, as this platform's standard terms (the parties read them before signing;
# each saved contract keeps the figures it was drawn up with): a daily penalty on what is late, and the
# right to end the contract with a penalty on the price once a delay passes the grace period.
LATE_DAILY_RATE = Decimal("0.0005")          # 万分之五 per day
TERMINATION_AFTER_DAYS = 30
TERMINATION_PENALTY_RATE = Decimal("0.20")   # 总价款的百分之二十


def _money(errors: FieldErrors, field: str, raw: Any, *, required: bool = True, allow_zero: bool = False) -> Decimal | None:
    if raw in (None, ""):
        if required:
            errors.add(field, "REQUIRED", "此项为必填项")
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        errors.add(field, "NOT_A_NUMBER", "应为金额，例如 520000.00")
        return None
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero) or value > MAX_PRICE:
        errors.add(field, "AMOUNT_RANGE", "金额应大于0且不超过1亿元")
        return None
    if decimal_places(value) > 2:
        errors.add(field, "TOO_PRECISE", "金额最多精确到分")
        return None
    return to_fen(value)


def _date(errors: FieldErrors, field: str, raw: Any, *, not_before: date | None = None) -> date | None:
    if not raw:
        errors.add(field, "REQUIRED", "此项为必填项")
        return None
    try:
        value = date.fromisoformat(str(raw))
    except ValueError:
        errors.add(field, "DATE_FORMAT", "日期格式应为 YYYY-MM-DD")
        return None
    if not_before and value < not_before:
        errors.add(field, "DATE_IN_PAST", "日期不能早于今天")
    if value.year > (not_before or date.today()).year + 5:
        errors.add(field, "DATE_TOO_FAR", "日期过远，请核对")
    return value


def _text(errors: FieldErrors, field: str, raw: Any, *, required: bool = True, limit: int = 500) -> str:
    text = form_text(errors, field, raw, required=required)
    if text and len(raw) > limit:  # counted with the surrounding spaces, as typed
        errors.add(field, "TOO_LONG", f"不能超过{limit}个字")
    return text


def validate_contract(data: dict[str, Any], *, today: date, outlet: dict[str, Any], unit: dict[str, Any]) -> dict[str, Any]:
    """Normalised contract; the house basics come from the register, not from the user."""
    errors = FieldErrors()
    price = _money(errors, "price", data.get("price"))
    deposit = _money(errors, "deposit", data.get("deposit"), required=False, allow_zero=True) or Decimal("0.00")
    if price is not None and deposit > price:
        errors.add("deposit", "DEPOSIT_OVER_PRICE", "定金不能超过成交价")
    if price is not None and deposit > price * Decimal("0.2"):
        errors.add("deposit", "DEPOSIT_OVER_LIMIT", "定金不得超过主合同标的额的20%（民法典第586条）")
    method = data.get("payment_method")
    if not is_choice(method, PAYMENT_METHODS):
        errors.add("payment_method", "INVALID_CHOICE", "付款方式应为一次性付款、分期付款或贷款付款")
    schedule = _schedule(errors, data.get("payment_schedule"), price, today)
    delivery = _date(errors, "delivery_date", data.get("delivery_date"), not_before=today)
    filing_deadline = _date(errors, "registration_deadline", data.get("registration_deadline"), not_before=today)
    handover = _text(errors, "handover", data.get("handover"), limit=1000)
    taxes = data.get("taxes_borne_by")
    if not is_choice(taxes, TAX_BEARERS):
        errors.add("taxes_borne_by", "INVALID_CHOICE", "税费承担方式应为各自承担、买方承担或卖方承担")
    dispute = _dispute(errors, data.get("dispute_resolution"), outlet)
    house_extra = data.get("house")
    if not isinstance(house_extra, dict):
        house_extra = {}
    fixtures = _text(errors, "house.fixtures", house_extra.get("fixtures"), required=False, limit=1000)
    lease = _text(errors, "house.lease_status", house_extra.get("lease_status"), required=False, limit=200) or "未出租"
    errors.raise_if_any("合同信息有误，请检查标红的必填项")
    # Refused above unless present and valid: the choices are strings, the dates and the price set.
    assert price is not None and delivery is not None and filing_deadline is not None
    assert isinstance(method, str) and isinstance(taxes, str)
    return {
        "house": {"location": unit["location"], "unit_number": unit["unit_number"],
                  "certificate_number": unit["certificate_number"], "building_area": unit["area_m2"],
                  "purpose": unit["purpose"], "fixtures": fixtures, "lease_status": lease},
        "price": str(price), "price_in_words": amount_in_chinese(price), "deposit": str(deposit),
        "payment_method": method, "payment_method_label": PAYMENT_METHODS[method], "payment_schedule": schedule,
        "delivery_date": delivery.isoformat(), "registration_deadline": filing_deadline.isoformat(),
        "handover": handover, "taxes_borne_by": taxes, "taxes_borne_by_label": TAX_BEARERS[taxes],
        "dispute_resolution": dispute,
        "dated_on": today.isoformat(),
        "signing_place": signing_place(outlet),
        "breach": breach_terms(price),
    }


def breach_terms(price: Decimal) -> dict[str, Any]:
    """The 违约责任 figures a contract at `price` is drawn up with."""
    return {"late_daily_rate": str(LATE_DAILY_RATE), "termination_after_days": TERMINATION_AFTER_DAYS,
            "termination_penalty": str(to_fen(price * TERMINATION_PENALTY_RATE))}


def signing_place(outlet: dict[str, Any]) -> str:
    """签订地点 of an online contract: the county-level division of the outlet that handles the case."""
    district = outlet.get("district") or ""
    if not district:
        return "山西省阳泉市"
    return f"山西省{district}" if district.endswith("县") else f"山西省阳泉市{district}"


def _schedule(errors: FieldErrors, raw: Any, price: Decimal | None, today: date) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        errors.add("payment_schedule", "REQUIRED", "请填写付款计划")
        return []
    schedule, total = [], Decimal(0)
    for i, stage in enumerate(raw):
        if not isinstance(stage, dict):
            errors.add(f"payment_schedule[{i}]", "NOT_OBJECT", "应为对象")
            continue
        amount = _money(errors, f"payment_schedule[{i}].amount", stage.get("amount"))
        due = _date(errors, f"payment_schedule[{i}].due_date", stage.get("due_date"), not_before=today)
        label = _text(errors, f"payment_schedule[{i}].stage", stage.get("stage"), limit=50)
        if amount is not None and due is not None:
            schedule.append({"stage": label, "amount": str(amount), "due_date": due.isoformat(),
                             "amount_in_words": amount_in_chinese(amount)})
            total += amount
    if price is not None and schedule and total != price:
        errors.add("payment_schedule", "SCHEDULE_NOT_PRICE", f"各期付款合计{total}元，应等于成交价{price}元")
    return schedule


def _dispute(errors: FieldErrors, raw: Any, outlet: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(raw, dict) or not is_choice(raw.get("method"), DISPUTE_METHODS):
        errors.add("dispute_resolution.method", "CHOOSE_ONE", "争议解决方式须在仲裁和诉讼中选择一种")
        return {}
    if raw["method"] == "arbitration":
        commission = _text(errors, "dispute_resolution.commission", raw.get("commission"), limit=50)
        if commission and not commission.endswith("仲裁委员会"):
            errors.add("dispute_resolution.commission", "NAMED_COMMISSION", "仲裁条款须写明具体的仲裁委员会名称")
        if raw.get("court"):
            errors.add("dispute_resolution.court", "CHOOSE_ONE", "选择仲裁后不能再约定法院管辖")
        return {"method": "arbitration", "commission": commission,
                "text": f"提交{commission}仲裁"}
    if raw.get("commission"):
        errors.add("dispute_resolution.commission", "CHOOSE_ONE", "选择诉讼后不能再约定仲裁")
    court = outlet.get("court") or "房屋所在地人民法院"
    return {"method": "court", "court": court, "text": f"依法向房屋所在地人民法院（{court}）起诉"}


LOAN_TYPES = {"commercial": "商业贷款", "provident_fund": "住房公积金贷款", "combined": "组合贷款"}


def with_loan(contract: dict[str, Any], loan: dict[str, Any], bank: dict[str, Any]) -> dict[str, Any]:
    """A loan sale's contract: the buyer's loan goes into its price-and-payment part (第三章).

    The loan is what the bank desk recorded; the contract must pay by loan, and the loan cannot
    exceed the price less the deposit (the rest is the buyer's down payment)."""
    errors = FieldErrors()
    if contract["payment_method"] != "loan":
        errors.add("payment_method", "LOAN_SALE_PAYS_BY_LOAN", "贷款买卖的付款方式应为贷款付款")
    amount = to_fen(Decimal(loan["amount"]))
    if amount > Decimal(contract["price"]) - Decimal(contract["deposit"]):
        errors.add("price", "LOAN_OVER_PRICE", f"贷款金额{amount}元超过成交价扣除定金后的金额")
    errors.raise_if_any("合同付款方式与贷款信息不一致")
    loan_type = loan.get("loan_type") or "commercial"
    return {**contract, "loan": {
        "bank_name": bank["bank_name"], "branch_name": bank["branch_name"], "loan_type": loan_type,
        "loan_type_label": LOAN_TYPES[loan_type], "amount": str(amount), "amount_in_words": amount_in_chinese(amount),
        "term_months": loan["term_months"], "down_payment": str(Decimal(contract["price"]) - amount)}}
