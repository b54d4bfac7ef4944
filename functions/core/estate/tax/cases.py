"""The tax case of an application: its assessment, items per side, and who may see it.

create_tax_case() is the one way a case comes to be: the application calls it after submit (with
the declaration's facts and the family home count from the register); the local stack's
/_dev/tax-cases calls it for seeded people.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from estate import clock
from estate.store.base import transaction_connection
from estate.domain.tax import TaxCase, TaxRates, assess
from estate.errors import Forbidden, NotFound
from estate.http import Principal
from estate.observability import logger
from estate.store.taxes import (EXEMPT, PAID, UNPAID, CaseMembership, PayableItem, TaxCaseRecord, get_case)

SIDES = ("buyer", "seller")
SIDE_LABELS = {"buyer": "买方", "seller": "卖方"}
TAX_LABELS = {"deed_tax": "契税", "vat": "增值税", "vat_surcharges": "城市维护建设税及教育费附加",
              "income_tax": "个人所得税", "stamp_duty": "印花税", "land_vat": "土地增值税", "registration_fee": "不动产登记费"}
STATUS_LABELS = {UNPAID: "未缴纳", PAID: "已缴纳", EXEMPT: "免征/无需缴纳"}



def _facts_json(case: TaxCase) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v)
            for k, v in asdict(case).items()}


def create_tax_case(application_id: str, parties: dict, case: TaxCase, rates: TaxRates = TaxRates()) -> dict:
    """Assess `case` and record its items per side. parties = {"buyer_ids": [...], "seller_ids": [...]}.

    Idempotent: a second call for the same application keeps the first assessment (items may
    already be paid); it returns the case as stored."""
    buyer_ids, seller_ids = list(parties["buyer_ids"]), list(parties["seller_ids"])
    if not buyer_ids or not seller_ids or set(buyer_ids) & set(seller_ids):
        raise ValueError("a tax case needs distinct buyers and sellers")
    assessment = assess(case, rates)
    now = clock.now().isoformat()
    record = TaxCaseRecord(*TaxCaseRecord.key(application_id), application_id=application_id, buyer_ids=buyer_ids,
                           seller_ids=seller_ids, facts=_facts_json(case), base=str(assessment.base), created_at=now)
    items = [PayableItem(*PayableItem.key(application_id, item.payer, item.tax), application_id=application_id,
                         tax=item.tax, payer=item.payer, base=str(item.base), rate=format(item.rate.normalize(), "f"),
                         amount=str(item.amount), basis=item.basis, position=position,
                         status=EXEMPT if item.exempt or item.amount <= 0 else UNPAID)
             for position, item in enumerate(assessment.items)]
    members = [CaseMembership(*CaseMembership.key(i, application_id), application_id=application_id, side=side)
               for side, ids in (("buyer", buyer_ids), ("seller", seller_ids)) for i in ids]
    try:
        with TransactWrite(connection=transaction_connection()) as tx:
            tx.save(record, condition=TaxCaseRecord.pk.does_not_exist())
            for item in [*items, *members]:
                tx.save(item)
    except TransactWriteError:
        stored, _ = get_case(application_id)
        if stored is None:
            raise
        logger.info("tax case already exists", application_id=application_id)
    else:
        logger.info("tax case created", application_id=application_id, items=len(items))
    return case_view(*get_case(application_id))


def side_of(caller: Principal, case: TaxCaseRecord) -> str:
    """The caller's side in the case; 403 for anyone who is not one of its parties."""
    caller.require_citizen()
    if caller.id_number in case.buyer_ids:
        return "buyer"
    if caller.id_number in case.seller_ids:
        return "seller"
    raise Forbidden("您不是该申请的当事人，无权查看或缴纳其税费", code="NOT_A_PARTY")


def load_case_for(caller: Principal, application_id: str) -> tuple[TaxCaseRecord, list[PayableItem], str]:
    case, items = get_case(application_id)
    if case is None and caller.is_citizen:
        from estate.tax.from_application import assess_submitted_application

        if assess_submitted_application(application_id):
            case, items = get_case(application_id)
    if case is None:
        caller.require_citizen()
        raise NotFound("该申请尚未核定税费（提交申请后生成）", code="TAX_CASE_NOT_FOUND")
    return case, items, side_of(caller, case)


def item_view(item: PayableItem) -> dict:
    return {"tax": item.tax, "tax_label": TAX_LABELS.get(item.tax, item.tax), "payer": item.payer,
            "base": item.base, "rate": item.rate, "amount": item.amount, "exempt": item.status == EXEMPT,
            "basis": item.basis, "status": item.status, "status_label": STATUS_LABELS[item.status],
            "paid_at": item.paid_at, "order_id": item.order_id,
            "receipt_id": item.order_id if item.status == PAID else None}


def case_view(case: TaxCaseRecord, items: list[PayableItem], side: str | None = None) -> dict:
    totals = {s: Decimal("0.00") for s in SIDES}
    outstanding = {s: Decimal("0.00") for s in SIDES}
    for item in items:
        totals[item.payer] += Decimal(item.amount)
        if item.status == UNPAID:
            outstanding[item.payer] += Decimal(item.amount)
    return {
        "application_id": case.application_id, "base": case.base, "transaction_date": case.facts["transaction_date"],
        "your_side": side, "items": [item_view(i) for i in items],
        "totals": {s: str(v) for s, v in totals.items()}, "outstanding": {s: str(v) for s, v in outstanding.items()},
        "all_paid": all(i.status != UNPAID for i in items),
    }


def get_application_tax(caller: Principal, application_id: str) -> dict:
    case, items, side = load_case_for(caller, application_id)
    return case_view(case, items, side)
