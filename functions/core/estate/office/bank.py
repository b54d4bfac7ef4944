"""The bank desk: loan officers continue the loan sales pushed to their branch, then submit them.

Deliberately minimal: the officer records the loan and mortgage terms and submits; approval then
registers the transfer and the mortgage (抵押权首次登记) with a 不动产登记证明 for the bank. The
contract, tax declaration and signing by the bank (as mortgagee) are not built yet.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from estate.apply.access import commit, status_view
from estate.domain import application as lifecycle
from estate.errors import FieldErrors, Forbidden, NotFound
from estate.http import ROLE_BANK, Principal
from estate.store.applications import Application, load_case

MAX_TERM_MONTHS = 360


def _require_officer(caller: Principal) -> Principal:
    if caller.role != ROLE_BANK or not caller.branch:
        raise Forbidden("该功能仅限贷款银行信贷人员使用", code="BANK_ONLY")
    return caller


def _load(caller: Principal, application_id: str) -> Application:
    _require_officer(caller)
    application, _, _ = load_case(application_id)
    if application is None or application.bank_branch != caller.branch:
        raise NotFound("申请不存在或未推送到本网点", code="APPLICATION_NOT_FOUND")
    return application


def _view(application: Application) -> dict:
    parties = application.parties or {}
    return {"id": application.application_id, "business": application.business, "outlet": application.outlet,
            "unit_number": application.unit_number, "location": application.unit.get("location"),
            **status_view(application.status), "bank": application.bank, "loan": application.loan,
            "buyers": [b["name"] for b in parties.get("buyers", [])],
            "sellers": [s["name"] for s in parties.get("sellers", [])],
            "created_at": application.created_at, "updated_at": application.updated_at}


def list_pushed(caller: Principal) -> dict:
    _require_officer(caller)
    rows = [_view(a) for a in Application.branch_index.query(caller.branch, scan_index_forward=False)]
    return {"branch": caller.branch, "applications": rows}


def get_pushed(caller: Principal, application_id: str) -> dict:
    return _view(_load(caller, application_id))


def _parse_loan(body: dict) -> dict:
    errors = FieldErrors()
    amount = None
    try:
        amount = Decimal(str(body.get("amount")))
        if not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors.add("amount", "INVALID_AMOUNT", "贷款金额应为大于0的金额，最多两位小数")
    term = body.get("term_months")
    if not isinstance(term, int) or isinstance(term, bool) or not 1 <= term <= MAX_TERM_MONTHS:
        errors.add("term_months", "INVALID_TERM", f"贷款期限应为1至{MAX_TERM_MONTHS}个月")
    mortgage = body.get("mortgage") if isinstance(body.get("mortgage"), dict) else None
    if mortgage is None:
        errors.add("mortgage", "REQUIRED", "请填写抵押信息")
        mortgage = {}
    ends_on = mortgage.get("ends_on")
    try:
        ends_on = date.fromisoformat(ends_on).isoformat() if ends_on else None
    except (TypeError, ValueError):
        errors.add("mortgage.ends_on", "INVALID_DATE", "债务履行期限届满日格式应为YYYY-MM-DD")
    if not isinstance(mortgage.get("transfer_banned", False), bool):
        errors.add("mortgage.transfer_banned", "NOT_BOOLEAN", "是否约定禁止转让应为是或否")
    if not isinstance(mortgage.get("contract_number"), str) or not mortgage.get("contract_number", "").strip():
        errors.add("mortgage.contract_number", "REQUIRED", "请填写抵押合同编号")
    errors.raise_if_any("贷款信息有误，请检查后重新提交")
    return {"amount": format(amount.quantize(Decimal("0.01")), "f"), "term_months": term, "ends_on": ends_on,
            "transfer_banned": bool(mortgage.get("transfer_banned", False)),
            "contract_number": mortgage["contract_number"].strip()}


def set_loan(caller: Principal, application_id: str, body: dict) -> dict:
    loan = _parse_loan(body)
    application = _load(caller, application_id)
    lifecycle.require(application.status, {lifecycle.PUSHED_TO_BANK, lifecycle.RETURNED}, "填写贷款信息")
    application.loan = {**loan, "officer": caller.subject}
    commit(application, action="loan_saved", actor_role=f"bank:{caller.branch}", status_from=application.status,
           note=f"贷款金额{loan['amount']}元，期限{loan['term_months']}个月")
    return _view(application)


def submit(caller: Principal, application_id: str) -> dict:
    application = _load(caller, application_id)
    lifecycle.require(application.status, {lifecycle.PUSHED_TO_BANK, lifecycle.RETURNED}, "提交")
    if not application.loan:
        errors = FieldErrors()
        errors.add("loan", "REQUIRED", "请先填写贷款及抵押信息")
        errors.raise_if_any("申请信息不完整")
    previous = application.status
    application.status = lifecycle.SUBMITTED
    application.return_reasons = None
    commit(application, action="submitted", actor_role=f"bank:{caller.branch}", status_from=previous)
    return _view(application)
