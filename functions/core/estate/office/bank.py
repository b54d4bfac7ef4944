"""The bank desk: loan officers continue the loan sales pushed to their branch, then submit them.

After the buyer pushes a loan sale to a branch (the seed: "由银行工作人员协助办理后续申请流程"), that
branch's loan officer — and no longer the citizen — continues it with the cash sale's own use-cases
(estate.apply.steps, estate.signing.initiator, estate.apply.cases.submit), admitted by the one
"who may edit" rule, estate.apply.access.load_for_editor:
  1. the loan and mortgage terms (PUT …/loan; loan type, amount, term, mortgage contract data);
  2. the sale contract — the loan goes into its price-and-payment part —, the tax declaration and
     the inquiry record; saving the inquiry starts signing as in a cash sale;
  3. every buyer and seller signs through their SMS link (the buyers also the mortgage contract);
     the bank, mortgagee (抵押权人), applies its e-seal here (POST …/seal), which answers the bank's
     wait in the signing run;
  4. the signed packet is extracted and the application submitted; approval then registers the
     transfer and the mortgage (抵押权首次登记) with a 不动产登记证明 for the bank.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Callable
from decimal import Decimal, InvalidOperation

from estate.apply.access import commit, load_for_officer, status_view
from estate.apply.views import material_view
from estate.domain import application as lifecycle
from estate.domain.contract import LOAN_TYPES, with_loan
from estate.domain.money import decimal_places
from estate.errors import FieldErrors
from estate.principal import ROLE_BANK, Principal, require_staff
from estate.office.queue import documents_view, signatures_view
from estate.store.applications import Application

MAX_LOAN = Decimal("10000000000")   # 100亿: beyond any one home; keeps quantize() within precision

if TYPE_CHECKING:  # the models import the application's constants, which import this module
    from estate.office.models import LoanForm


def _summary(application: Application) -> dict:
    parties = application.parties or {}
    return {"id": application.application_id, "business": application.business, "outlet": application.outlet,
            "unit_number": application.unit_number, "location": application.unit.get("location"),
            **status_view(application.status), "bank": application.bank, "loan": application.loan,
            "buyers": [b["name"] for b in parties.get("buyers", [])],
            "sellers": [s["name"] for s in parties.get("sellers", [])],
            "created_at": application.created_at, "updated_at": application.updated_at}


def _detail(application: Application, timeline, materials) -> dict:
    """What the officer works with: the parties in full (they act for them at the counter)."""
    return {**_summary(application), "parties": application.parties, "contract": application.contract,
            "tax_declaration": application.tax_declaration, "inquiry": application.inquiry,
            "return_reasons": application.return_reasons or [], "documents": documents_view(application),
            "signatures": signatures_view(application),
            "materials": [material_view(m) for m in sorted(materials, key=lambda m: m.created_at)],
            "timeline": [{"at": e.at, "action": e.action, "actor_role": e.actor_role, "status_from": e.status_from,
                          "status_to": e.status_to, "note": e.note} for e in sorted(timeline, key=lambda e: e.sk)]}


def at_desk(caller: Principal, use_case: Callable[..., dict], *args) -> dict:
    """Run one of the shared use-cases from the bank desk: only a loan officer gets this far (a
    citizen is sent back to the app, whatever the use-case itself would allow them)."""
    require_staff(caller, ROLE_BANK)
    return use_case(caller, *args)


def list_pushed(caller: Principal) -> dict:
    require_staff(caller, ROLE_BANK)
    rows = [_summary(a) for a in Application.branch_index.query(caller.branch, scan_index_forward=False)]
    return {"branch": caller.branch, "applications": rows}


def get_pushed(caller: Principal, application_id: str) -> dict:
    return _detail(*load_for_officer(caller, application_id))


def pushed_view(application: Application, timeline, materials) -> dict:
    """The bank desk's view of a case already loaded (after the officer's own change)."""
    return _detail(application, timeline, materials)


def _loan(form: LoanForm) -> dict:
    """The loan as stored, once its amount is a sound sum (the model checked the rest of its shape)."""
    try:
        amount = Decimal(str(form.amount))
        valid = amount.is_finite() and 0 < amount <= MAX_LOAN and decimal_places(amount) <= 2
    except (InvalidOperation, ValueError):
        valid = False
    errors = FieldErrors()
    if not valid:
        errors.add("amount", "INVALID_AMOUNT", "贷款金额应为大于0的金额，最多两位小数")
    ends_on = form.mortgage.ends_on
    try:
        ends_on = date.fromisoformat(ends_on).isoformat() if ends_on else None
    except ValueError:
        errors.add("mortgage.ends_on", "INVALID_DATE", "债务履行期限届满日格式应为YYYY-MM-DD")
    errors.raise_if_any("贷款信息有误，请检查后重新提交")
    return {"amount": format(amount.quantize(Decimal("0.01")), "f"), "term_months": form.term_months,
            "loan_type": form.loan_type, "ends_on": ends_on, "transfer_banned": form.mortgage.transfer_banned,
            "contract_number": form.mortgage.contract_number.strip()}


def set_loan(caller: Principal, application_id: str, form: LoanForm) -> dict:
    """Before the contract (or after a return): the contract's loan part follows a corrected loan."""
    loan = _loan(form)
    application, _, _ = load_for_officer(caller, application_id)
    lifecycle.require(application.status, {lifecycle.PUSHED_TO_BANK, lifecycle.RETURNED}, "填写贷款信息")
    application.loan = {**loan, "officer": caller.subject}
    if application.contract:
        application.contract = with_loan(application.contract, application.loan, application.bank)
    commit(application, application.status, action="loan_saved", actor_role=f"bank:{caller.branch}",
           note=f"{LOAN_TYPES[loan['loan_type']]}{loan['amount']}元，期限{loan['term_months']}个月")
    return get_pushed(caller, application_id)
