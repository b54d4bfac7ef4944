"""Who may see which tax case and payment order: the parties of a case, each for their side.

Above both the case records (estate.tax.cases) and the assessment from the application
(estate.tax.from_application): opening a case's taxes assesses a submitted application on first
look, and payments and receipts both ask here who may read an order.
"""

from __future__ import annotations

from estate.errors import Forbidden, NotFound
from estate.principal import Principal
from estate.store import taxes as store
from estate.store.taxes import PayableItem, PaymentOrder, TaxCaseRecord
from estate.tax.cases import case_view
from estate.tax.from_application import assess_submitted_application


def side_of(caller: Principal, case: TaxCaseRecord) -> str:
    """The caller's side in the case; 403 for anyone who is not one of its parties."""
    caller.require_citizen()
    if caller.id_number in case.buyer_ids:
        return "buyer"
    if caller.id_number in case.seller_ids:
        return "seller"
    raise Forbidden("您不是该申请的当事人，无权查看或缴纳其税费", code="NOT_A_PARTY")


def load_case_for(caller: Principal, application_id: str) -> tuple[TaxCaseRecord, list[PayableItem], str]:
    case, items = store.get_case(application_id)
    if case is None and caller.is_citizen and assess_submitted_application(application_id):
        case, items = store.get_case(application_id)
    if case is None:
        caller.require_citizen()
        raise NotFound("该申请尚未核定税费（提交申请后生成）", code="TAX_CASE_NOT_FOUND")
    return case, items, side_of(caller, case)


def get_application_tax(caller: Principal, application_id: str) -> dict:
    case, items, side = load_case_for(caller, application_id)
    return case_view(case, items, side)


def load_order_for(caller: Principal, order_id: str) -> PaymentOrder:
    """Its creator and the parties of its side may read an order; others learn nothing."""
    caller.require_citizen()
    order = store.get_order(order_id)
    if order is None:
        raise NotFound("支付订单不存在", code="ORDER_NOT_FOUND")
    if order.created_by != caller.id_number:
        case, _ = store.get_case(order.application_id)
        if case is None or order.side != _side_or_none(caller, case):
            raise NotFound("支付订单不存在", code="ORDER_NOT_FOUND")
    return order


def _side_or_none(caller: Principal, case: TaxCaseRecord) -> str | None:
    try:
        return side_of(caller, case)
    except Forbidden:
        return None
