"""The online sale contract (存量房买卖合同, DOMAIN §1.3): required fields, the price in 大写
generated (never typed), and exactly one dispute-resolution method."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from estate.domain.money import amount_in_chinese, decimal_places, to_fen
from estate.errors import FieldErrors

if TYPE_CHECKING:  # the form's model lives beside the use-case and reads the choices below
    from estate.apply.models import ContractForm, DisputeResolution, PaymentStage

MAX_PRICE = Decimal("100000000")  # 1亿: anything above is a typo for a home
TAX_BEARERS = {"statutory": "按法律规定各自承担", "buyer": "全部由买方承担", "seller": "全部由卖方承担"}
DISPUTE_METHODS = {"arbitration": "仲裁", "court": "诉讼"}
PAYMENT_METHODS = {"lump_sum": "一次性付款", "installments": "分期付款", "loan": "贷款付款"}
# 违约责任 of the model contract, as this platform's standard terms (the parties read them before signing;
# each saved contract keeps the figures it was drawn up with): a daily penalty on what is late, and the
# right to end the contract with a penalty on the price once a delay passes the grace period.
LATE_DAILY_RATE = Decimal("0.0005")          # 万分之五 per day
TERMINATION_AFTER_DAYS = 30
TERMINATION_PENALTY_RATE = Decimal("0.20")   # 总价款的百分之二十


def _money(errors: FieldErrors, field: str, raw: str | int | float | None, *, allow_zero: bool = False) -> Decimal | None:
    """An amount the model let through (text or number) as yuan to the fen; None when absent or refused."""
    if raw is None:
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


def _date(errors: FieldErrors, field: str, raw: str, *, not_before: date) -> date | None:
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        errors.add(field, "DATE_FORMAT", "日期格式应为 YYYY-MM-DD")
        return None
    if value < not_before:
        errors.add(field, "DATE_IN_PAST", "日期不能早于今天")
    if value.year > not_before.year + 5:
        errors.add(field, "DATE_TOO_FAR", "日期过远，请核对")
    return value


def validate_contract(form: ContractForm, *, today: date, outlet: dict[str, Any], unit: dict[str, Any]) -> dict[str, Any]:
    """Normalised contract from a form the model accepted (estate.apply.models.ContractForm: every
    field present, typed and within its length); the house basics come from the register, not from
    the user. Refused here: amounts out of range, dates in the past, the sums that must agree."""
    errors = FieldErrors()
    price = _money(errors, "price", form.price)
    deposit = _money(errors, "deposit", form.deposit, allow_zero=True) or Decimal("0.00")
    if price is not None and deposit > price:
        errors.add("deposit", "DEPOSIT_OVER_PRICE", "定金不能超过成交价")
    if price is not None and deposit > price * Decimal("0.2"):
        errors.add("deposit", "DEPOSIT_OVER_LIMIT", "定金不得超过主合同标的额的20%（民法典第586条）")
    schedule = _schedule(errors, form.payment_schedule, price, today)
    delivery = _date(errors, "delivery_date", form.delivery_date, not_before=today)
    filing_deadline = _date(errors, "registration_deadline", form.registration_deadline, not_before=today)
    dispute = _dispute(errors, form.dispute_resolution, outlet)
    house_extra = form.house
    fixtures = ((house_extra and house_extra.fixtures) or "").strip()
    lease = ((house_extra and house_extra.lease_status) or "").strip() or "未出租"
    errors.raise_if_any(form.form_message)
    # Refused above unless valid: the dates and the price set.
    assert price is not None and delivery is not None and filing_deadline is not None
    method, taxes = form.payment_method, form.taxes_borne_by
    return {
        "house": {"location": unit["location"], "unit_number": unit["unit_number"],
                  "certificate_number": unit["certificate_number"], "building_area": unit["area_m2"],
                  "purpose": unit["purpose"], "fixtures": fixtures, "lease_status": lease},
        "price": str(price), "price_in_words": amount_in_chinese(price), "deposit": str(deposit),
        "payment_method": method, "payment_method_label": PAYMENT_METHODS[method], "payment_schedule": schedule,
        "delivery_date": delivery.isoformat(), "registration_deadline": filing_deadline.isoformat(),
        "handover": form.handover.strip(), "taxes_borne_by": taxes, "taxes_borne_by_label": TAX_BEARERS[taxes],
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


def _schedule(errors: FieldErrors, stages: list[PaymentStage], price: Decimal | None,
              today: date) -> list[dict[str, Any]]:
    schedule, total = [], Decimal(0)
    for i, stage in enumerate(stages):
        amount = _money(errors, f"payment_schedule[{i}].amount", stage.amount)
        due = _date(errors, f"payment_schedule[{i}].due_date", stage.due_date, not_before=today)
        if amount is not None and due is not None:
            schedule.append({"stage": stage.stage.strip(), "amount": str(amount), "due_date": due.isoformat(),
                             "amount_in_words": amount_in_chinese(amount)})
            total += amount
    if price is not None and schedule and total != price:
        errors.add("payment_schedule", "SCHEDULE_NOT_PRICE", f"各期付款合计{total}元，应等于成交价{price}元")
    return schedule


def _dispute(errors: FieldErrors, chosen: DisputeResolution, outlet: dict[str, Any]) -> dict[str, Any]:
    """Exactly one method: arbitration names its commission; a court is the outlet's, never typed."""
    commission = (chosen.commission or "").strip()
    if chosen.method == "arbitration":
        if not commission:
            errors.add("dispute_resolution.commission", "REQUIRED", "此项为必填项")
        elif not commission.endswith("仲裁委员会"):
            errors.add("dispute_resolution.commission", "NAMED_COMMISSION", "仲裁条款须写明具体的仲裁委员会名称")
        if chosen.court:
            errors.add("dispute_resolution.court", "CHOOSE_ONE", "选择仲裁后不能再约定法院管辖")
        return {"method": "arbitration", "commission": commission,
                "text": f"提交{commission}仲裁"}
    if commission:
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
