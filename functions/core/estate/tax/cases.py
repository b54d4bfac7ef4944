"""The tax case of an application: its assessment and items per side (who may see it: estate.tax.access).

create_tax_case() is the one way a case comes to be: the application calls it after submit (with
the declaration's facts and the family home count from the register); the local stack's
/_dev/tax-cases calls it for seeded people.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any, Callable

from estate import clock
from estate.domain.tax import TaxCase, TaxRates, assess
from estate.notify import outbox
from estate.observability import logger
from estate.store.base import TransactionConflict
from estate.store.taxes import (EXEMPT, PAID, UNPAID, CaseMembership, PayableItem, TaxCaseRecord, get_case)
from estate.store.taxes import create_case as store_create_case

SIDES = ("buyer", "seller")
SIDE_LABELS = {"buyer": "买方", "seller": "卖方"}
TAX_LABELS = {"deed_tax": "契税", "vat": "增值税", "vat_surcharges": "城市维护建设税及教育费附加",
              "income_tax": "个人所得税", "stamp_duty": "印花税", "land_vat": "土地增值税", "registration_fee": "不动产登记费"}
STATUS_LABELS = {UNPAID: "未缴纳", PAID: "已缴纳", EXEMPT: "免征/无需缴纳"}



def _facts_json(case: TaxCase) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v)
            for k, v in asdict(case).items()}


def owed_by_side(items: list[PayableItem]) -> dict[str, tuple[str, list[str]]]:
    """side → (what it has to pay, in yuan; the labels of those taxes and fees)."""
    owed: dict[str, tuple[str, list[str]]] = {}
    for side in SIDES:
        due = [i for i in items if i.payer == side and i.status == UNPAID]
        owed[side] = (f"{sum((Decimal(i.amount) for i in due), Decimal('0.00')):.2f}",
                      [TAX_LABELS.get(i.tax, i.tax) for i in due])
    return owed


def create_tax_case(application_id: str, parties: dict, case: TaxCase, rates: TaxRates = TaxRates(),
                    announce: Callable[[dict[str, tuple[str, list[str]]]], Any] | None = None) -> dict:
    """Assess `case` and record its items per side. parties = {"buyer_ids": [...], "seller_ids": [...]}.
    `announce(owed_by_side)` returns the notification writes (estate.notify.outbox.Staged) to record
    with the case: each side is told its amounts exactly once, when the case comes to be.

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
    staged = announce(owed_by_side(items)) if announce else None
    try:
        store_create_case(record, items, members, staged.writes if staged else [])
    except TransactionConflict:
        stored, _ = get_case(application_id)
        if stored is None:
            raise
        logger.info("tax case already exists", application_id=application_id)
    else:
        logger.info("tax case created", application_id=application_id, items=len(items))
        if staged:
            outbox.dispatch(staged)
    return case_view(*get_case(application_id))


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
