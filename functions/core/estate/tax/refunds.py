"""Taxes paid on a case that ends without registration (withdrawn; refused once the centre can
refuse) become refund requests, one per paid order, and whoever paid is told (DOMAIN: the money
goes back through the channel it came by; the tax desk refunds and marks the request refunded).

plan_refunds() returns the writes for the ending's own transaction, so a withdrawal and its refund
requests are recorded together or not at all."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from pynamodb.exceptions import DoesNotExist

from estate import clock
from estate.notify import outbox
from estate.notify import steps as notices
from estate.observability import logger
from estate.store import taxes as store
from estate.store.applications import Application
from estate.store.base import TransactionConflict, Write

ENDINGS = {"withdrawn": "撤销", "refused": "不予登记"}
ENDED_BY_STATUS = {"WITHDRAWN": "withdrawn", "REFUSED": "refused"}  # a case that ended refunds what is paid after


def plan_refunds(application, reason: str, now: datetime) -> tuple[list[Write], list[notices.Notice]]:
    case, items = store.get_case(application.application_id)
    if case is None:
        return [], []
    paid_by_order: dict[str, Decimal] = defaultdict(Decimal)
    for item in items:
        if item.status == store.PAID and item.order_id:
            paid_by_order[str(item.order_id)] += Decimal(item.amount)
    already = {r.order_id for r in store.refunds_of(application.application_id)}
    people = {p["id_number"]: p for _, p in notices.parties_of(application)}
    writes: list[Write] = []
    told: list[notices.Notice] = []
    for order_id, amount in sorted(paid_by_order.items()):
        order = store.get_order(order_id)
        if order is None or order_id in already:
            continue
        writes.append(store.new_refund(order, f"{amount:.2f}", reason, now.isoformat()))
        payer = people.get(str(order.created_by), {"id_number": order.created_by, "name": "", "phone": None})
        told += notices.refund(application, payer, f"{amount:.2f}", f"TK{order_id}", ENDINGS[reason])
    return writes, told


def refund_if_ended(application_id: str) -> int:
    """A payment that lands after the case ended (its order was opened before the withdrawal or refusal): its
    refund request and the payer's notice, recorded together; how many requests were written."""
    try:
        application = Application.get(*Application.key(application_id))
    except DoesNotExist:
        return 0
    reason = ENDED_BY_STATUS.get(application.status)
    if reason is None:
        return 0
    writes, told = plan_refunds(application, reason, clock.now())
    if not writes:
        return 0
    staged = outbox.stage(told, application_id)
    try:
        store.record_refunds([*writes, *staged.writes])
    except TransactionConflict:  # recorded meanwhile by a copy of this notification
        return 0
    outbox.dispatch(staged)
    logger.info("refund requested for a payment after withdrawal", application_id=application_id)
    return len(writes)
