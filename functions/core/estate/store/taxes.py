"""Tax cases, payment orders and their receipts. One table, items sharing partitions:

  CASE#<application> / CASE            the assessment: parties per side, the facts, the base
  CASE#<application> / ITEM#<side>#<tax>  one tax or fee of one side: amount, unpaid | paid | exempt;
                                       marked paid only by a conditional write (never twice)
  PARTY#<id number> / CASE#<application>  who may see the case (personal centre)
  ORDER#<order id> / ORDER             a payment order (= the receipt once paid): items, amount,
                                       channel, mode, pending | paid | flagged, expiry
  QR#<token> / QR                      a QR order's bearer token → the order (pays that order only)
  PAYER#<id number> / ORDER#<order id> the orders a person created (personal centre)
  REFUND#<application> / ORDER#<order id>  a refund request for a paid order of a case that ended
                                       without registration (withdrawn, refused): requested → refunded
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (DiscriminatorAttribute, JSONAttribute, ListAttribute, NumberAttribute,
                                 UnicodeAttribute, UnicodeSetAttribute)
from pynamodb.exceptions import DoesNotExist

from estate.config import get_settings
from estate.store.base import BaseModel, Put, Update, meta, write_together

UNPAID, PAID, EXEMPT = "unpaid", "paid", "exempt"
PENDING, FLAGGED = "pending", "flagged"          # order states besides PAID


class TaxItemBase(BaseModel):
    Meta = meta(get_settings().tax_table)
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()


class TaxCaseRecord(TaxItemBase, discriminator="case"):
    application_id = UnicodeAttribute()
    buyer_ids = ListAttribute(of=UnicodeAttribute)
    seller_ids = ListAttribute(of=UnicodeAttribute)
    facts = JSONAttribute()          # the TaxCase as assessed (JSON-ready)
    base = UnicodeAttribute()
    created_at = UnicodeAttribute()

    @staticmethod
    def key(application_id: str) -> tuple[str, str]:
        return f"CASE#{application_id}", "CASE"


class PayableItem(TaxItemBase, discriminator="item"):
    application_id = UnicodeAttribute()
    tax = UnicodeAttribute()
    payer = UnicodeAttribute()       # buyer | seller
    base = UnicodeAttribute()
    rate = UnicodeAttribute()
    amount = UnicodeAttribute()
    basis = UnicodeAttribute()
    position = NumberAttribute()
    status = UnicodeAttribute()      # unpaid | paid | exempt
    order_id = UnicodeAttribute(null=True)
    paid_at = UnicodeAttribute(null=True)

    @staticmethod
    def key(application_id: str, side: str, tax: str) -> tuple[str, str]:
        return f"CASE#{application_id}", f"ITEM#{side}#{tax}"


class CaseMembership(TaxItemBase, discriminator="party"):
    application_id = UnicodeAttribute()
    side = UnicodeAttribute()

    @staticmethod
    def key(id_number: str, application_id: str) -> tuple[str, str]:
        return f"PARTY#{id_number}", f"CASE#{application_id}"


class PaymentOrder(TaxItemBase, discriminator="order"):
    order_id = UnicodeAttribute()
    application_id = UnicodeAttribute()
    side = UnicodeAttribute()
    taxes = ListAttribute(of=UnicodeAttribute)
    amount = UnicodeAttribute()
    channel = UnicodeAttribute()     # alipay | unionpay
    mode = UnicodeAttribute()        # app | qr
    status = UnicodeAttribute()      # pending | paid | flagged
    created_by = UnicodeAttribute()  # ID number of the party who created it
    created_at = UnicodeAttribute()
    expires_at = UnicodeAttribute()
    qr_token = UnicodeAttribute(null=True)
    paid_at = UnicodeAttribute(null=True)
    provider_trade_no = UnicodeAttribute(null=True)
    paid_amount = UnicodeAttribute(null=True)
    flag = UnicodeAttribute(null=True)           # AMOUNT_MISMATCH | ITEM_ALREADY_PAID: needs a person (refund)
    notify_ids = UnicodeSetAttribute(null=True)  # every provider notification seen (audit, replays)
    receipt_code = UnicodeAttribute(null=True)   # the issued 完税凭证 in the document registry

    @staticmethod
    def key(order_id: str) -> tuple[str, str]:
        return f"ORDER#{order_id}", "ORDER"


class QrToken(TaxItemBase, discriminator="qr"):
    order_id = UnicodeAttribute()

    @staticmethod
    def key(token: str) -> tuple[str, str]:
        return f"QR#{token}", "QR"


class PayerOrder(TaxItemBase, discriminator="payer"):
    order_id = UnicodeAttribute()
    created_at = UnicodeAttribute()

    @staticmethod
    def key(id_number: str, order_id: str) -> tuple[str, str]:
        return f"PAYER#{id_number}", f"ORDER#{order_id}"


REQUESTED, REFUNDED = "requested", "refunded"   # refund request states (the tax desk refunds and marks it)


class RefundRequest(TaxItemBase, discriminator="refund"):
    application_id = UnicodeAttribute()
    order_id = UnicodeAttribute()
    refund_id = UnicodeAttribute()
    payer_id = UnicodeAttribute()    # ID number of who paid the order (the money goes back the way it came)
    side = UnicodeAttribute()
    taxes = ListAttribute(of=UnicodeAttribute)
    amount = UnicodeAttribute()
    channel = UnicodeAttribute()
    reason = UnicodeAttribute()      # withdrawn | refused
    state = UnicodeAttribute()       # requested | refunded
    created_at = UnicodeAttribute()

    @staticmethod
    def key(application_id: str, order_id: str) -> tuple[str, str]:
        return f"REFUND#{application_id}", f"ORDER#{order_id}"


def new_refund(order: PaymentOrder, amount: str, reason: str, now: str) -> Put:
    """A refund request for `order`, written only once per order (the condition), in the caller's transaction."""
    request = RefundRequest(*RefundRequest.key(str(order.application_id), str(order.order_id)),
                            application_id=order.application_id, order_id=order.order_id,
                            refund_id=f"TK{order.order_id}", payer_id=order.created_by, side=order.side,
                            taxes=list(order.taxes), amount=amount, channel=order.channel, reason=reason,
                            state=REQUESTED, created_at=now)
    return Put(request, RefundRequest.pk.does_not_exist())


def record_refunds(writes: list[Any]) -> None:
    """Refund requests (new_refund) and what tells their payers, together."""
    write_together(writes)


def refunds_of(application_id: str) -> list[RefundRequest]:
    return list(RefundRequest.query(f"REFUND#{application_id}"))


def get_case(application_id: str) -> tuple[TaxCaseRecord | None, list[PayableItem]]:
    case, items = None, []
    for record in TaxItemBase.query(f"CASE#{application_id}"):
        if isinstance(record, TaxCaseRecord):
            case = record
        elif isinstance(record, PayableItem):
            items.append(record)
    items.sort(key=lambda i: i.position)
    return case, items


def get_order(order_id: str) -> PaymentOrder | None:
    try:
        return PaymentOrder.get(*PaymentOrder.key(order_id))
    except DoesNotExist:
        return None


def order_for_token(token: str) -> PaymentOrder | None:
    try:
        pointer = QrToken.get(*QrToken.key(token))
    except DoesNotExist:
        return None
    return get_order(pointer.order_id)


def cases_of(id_number: str) -> list[CaseMembership]:
    return list(CaseMembership.query(f"PARTY#{id_number}"))


def orders_created_by(id_number: str) -> list[str]:
    return [p.order_id for p in PayerOrder.query(f"PAYER#{id_number}")]


def create_case(record: TaxCaseRecord, items: list[PayableItem], members: list[CaseMembership],
                extra: list[Any] | None = None) -> None:
    """The case (only if the application has none yet), its items, who may see it and the `extra`
    writes (the parties' notifications), together; TransactionConflict when the case exists."""
    write_together([Put(record, TaxCaseRecord.pk.does_not_exist()), *(Put(i) for i in [*items, *members]),
                    *(extra or [])])


def create_order(order: PaymentOrder, payer: PayerOrder, qr: QrToken | None) -> None:
    write_together([Put(order, PaymentOrder.pk.does_not_exist()), Put(payer), *([Put(qr)] if qr else [])])


def mark_order_paid(order: PaymentOrder, paid_at: str, paid_amount: str, provider_trade_no: str | None,
                    notify_id: str) -> None:
    """The order paid and each of its items paid by it, each on condition that it was still unpaid:
    an item is never paid twice (TransactionConflict instead)."""
    writes: list[Any] = [Update(order, [PaymentOrder.status.set(PAID), PaymentOrder.paid_at.set(paid_at),
                                   PaymentOrder.paid_amount.set(paid_amount),
                                   PaymentOrder.provider_trade_no.set(provider_trade_no),  # type: ignore[arg-type]  # None: the provider gave none
                                   PaymentOrder.notify_ids.add({notify_id})],
                           PaymentOrder.status == PENDING)]
    for tax in order.taxes:
        writes.append(Update(PayableItem(*PayableItem.key(str(order.application_id), str(order.side), str(tax))),
                             [PayableItem.status.set(PAID), PayableItem.order_id.set(order.order_id),
                              PayableItem.paid_at.set(paid_at)], PayableItem.status == UNPAID))
    write_together(writes)
