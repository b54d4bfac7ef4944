"""Paying an application's taxes online: orders, the QR page another person scans, the providers'
notifications, and the personal centre's list.

An order covers one side's items (all of them, or some). It is marked paid only by one
transaction that also marks each item paid on condition that it is still unpaid, so an item is
never paid twice: a second payment for it leaves the order flagged for a refund instead. The
provider's notification is answered without any PDF work: the receipt is issued when first read.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from pynamodb.exceptions import UpdateError

from estate import clock, events
from estate.adapters.payments import CHANNEL_LABELS, CHANNELS, InvalidNotification, OrderTerms, provider
from estate.config import get_settings
from estate.errors import Conflict, FieldErrors, Forbidden, NotFound
from estate.observability import count_event, logger
from estate.principal import Principal
from estate.results import Content
from estate.store import taxes as store
from estate.store.taxes import EXEMPT, FLAGGED, PAID, PENDING, UNPAID, PaymentOrder, PayableItem
from estate.store.base import TransactionConflict
from estate.tax.access import load_case_for, load_order_for
from estate.tax.cases import TAX_LABELS
from estate.tax.refunds import refund_if_ended

if TYPE_CHECKING:
    from estate.tax.models import PaymentForm

ORDER_TTL = timedelta(minutes=30)
ORDER_STATUS_LABELS = {PENDING: "待支付", PAID: "已支付", "expired": "已过期", FLAGGED: "异常，待人工处理"}


# --- creating an order ---------------------------------------------------------------------------

def _wanted_items(form: PaymentForm) -> list[str] | None:
    """The items the order is for (None: all of the side's unpaid items); the model checked their shape."""
    if form.items == "all":
        return None
    if len(set(form.items)) != len(form.items):
        errors = FieldErrors()
        errors.add("items", "DUPLICATE_ITEMS", "税费项目不能重复")
        errors.raise_if_any()
    return list(form.items)


def _select_items(items: list[PayableItem], side: str, wanted: list[str] | None) -> list[PayableItem]:
    mine = {i.tax: i for i in items if i.payer == side}
    if wanted is None:
        chosen = [i for i in mine.values() if i.status == UNPAID]
        if not chosen:
            raise Conflict("该方税费已全部缴清，无需再缴", code="NOTHING_TO_PAY")
        return chosen
    errors = FieldErrors()
    chosen = []
    for index, tax in enumerate(wanted):
        item = mine.get(tax)
        if item is None:
            if any(i.tax == tax for i in items):
                raise Forbidden("只能缴纳本方（您所在一方）的税费", code="NOT_YOUR_SIDE")
            errors.add(f"items[{index}]", "UNKNOWN_ITEM", f"没有该税费项目：{tax}")
        elif item.status == EXEMPT:
            errors.add(f"items[{index}]", "NOTHING_TO_PAY", f"{TAX_LABELS.get(tax, tax)}免征或金额为零，无需缴纳")
        elif item.status == PAID:
            raise Conflict(f"{TAX_LABELS.get(tax, tax)}已缴纳，不能重复缴纳", code="ITEM_ALREADY_PAID")
        else:
            chosen.append(item)
    errors.raise_if_any("所选税费项目有误")
    return chosen


def new_order_id(now: datetime) -> str:
    """TX + Shanghai time + random: valid as Alipay out_trade_no and UnionPay orderId (8-40 alphanumerics)."""
    return f"TX{now.astimezone(clock.SHANGHAI):%Y%m%d%H%M%S}{secrets.token_hex(5).upper()}"


def terms(order: PaymentOrder) -> OrderTerms:
    return OrderTerms(order.order_id, order.amount, f"不动产交易税费 {order.application_id}", order.created_at,
                      order.expires_at)


def notify_url(channel: str) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}/tax/notify/{channel}"


def qr_page_url(token: str) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}/tax/pay/{token}"


def qr_png(text: str) -> str:
    import io

    import segno  # pure Python, writes PNG itself (no Pillow)

    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=6, border=2)
    return base64.b64encode(buffer.getvalue()).decode()


def _require_case_open(application_id: str) -> None:
    """No new payment on a withdrawn or refused case: what was paid before is being refunded (estate.tax.refunds)."""
    from estate.store.applications import Application

    try:
        application = Application.get(*Application.key(application_id))
    except Application.DoesNotExist:
        return
    if application.status == "WITHDRAWN":
        raise Conflict("该申请已撤销，无需再缴纳税费；已缴税费将办理退税", code="APPLICATION_WITHDRAWN")
    if application.status == "REFUSED":
        raise Conflict("该申请已不予登记，无需再缴纳税费；已缴税费将办理退税", code="APPLICATION_REFUSED")


def create_payment(caller: Principal, form: PaymentForm) -> dict:
    application_id, side, channel, mode = form.application, form.side, form.channel, form.mode
    wanted = _wanted_items(form)
    case, items, caller_side = load_case_for(caller, application_id)
    if side != caller_side:
        raise Forbidden("只能缴纳本方（您所在一方）的税费", code="NOT_YOUR_SIDE")
    _require_case_open(application_id)
    chosen = _select_items(items, side, wanted)
    now = clock.now()
    amount = sum((Decimal(i.amount) for i in chosen), Decimal("0.00"))
    order_id = new_order_id(now)
    order = PaymentOrder(*PaymentOrder.key(order_id), order_id=order_id, application_id=application_id, side=side,
                         taxes=[i.tax for i in chosen], amount=str(amount), channel=channel, mode=mode, status=PENDING,
                         created_by=caller.id_number, created_at=now.isoformat(),
                         expires_at=(now + ORDER_TTL).isoformat(),
                         qr_token=secrets.token_urlsafe(24) if mode == "qr" else None)
    store.create_order(order, store.PayerOrder(*store.PayerOrder.key(caller.id_number, order.order_id),
                                               order_id=order.order_id, created_at=order.created_at),
                       store.QrToken(*store.QrToken.key(order.qr_token), order_id=order.order_id)
                       if order.qr_token else None)
    count_event("PaymentOrderCreated")
    logger.info("payment order created", order_id=order.order_id, application_id=application_id, side=side,
                channel=channel, mode=mode, amount=order.amount, items=len(chosen))
    view = order_view(order)
    if mode == "qr":
        payload = qr_page_url(order.qr_token)
        view["qr"] = {"payload": payload, "png_base64": qr_png(payload),
                      "hint": f"请付款人使用{CHANNEL_LABELS[channel]}扫描二维码，在{ORDER_TTL.seconds // 60}分钟内完成支付"}
    else:
        view["checkout"] = provider(channel).checkout(terms(order), notify_url(channel)).as_dict()
    return view


# --- reading orders --------------------------------------------------------------------------------

def effective_status(order: PaymentOrder) -> str:
    if order.status == PENDING and datetime.fromisoformat(order.expires_at) <= clock.now():
        return "expired"
    return order.status


def order_view(order: PaymentOrder) -> dict:
    status = effective_status(order)
    return {"order_id": order.order_id, "application_id": order.application_id, "side": order.side,
            "items": [{"tax": t, "tax_label": TAX_LABELS.get(t, t)} for t in order.taxes], "amount": order.amount,
            "channel": order.channel, "channel_label": CHANNEL_LABELS[order.channel], "mode": order.mode,
            "status": status, "status_label": ORDER_STATUS_LABELS[status], "flag": order.flag,
            "created_at": order.created_at, "expires_at": order.expires_at, "paid_at": order.paid_at,
            "receipt_id": order.order_id if order.status == PAID else None}


def get_payment(caller: Principal, order_id: str) -> dict:
    return order_view(load_order_for(caller, order_id))


def my_payments(caller: Principal) -> dict:
    """Personal centre (我的缴税): orders the caller created, and the receipts of their side."""
    caller.require_citizen()
    orders = [o for o in (store.get_order(i) for i in store.orders_created_by(caller.id_number)) if o is not None]
    receipts = []
    for membership in store.cases_of(caller.id_number):
        _, items = store.get_case(membership.application_id)
        paid_orders = sorted({i.order_id for i in items if i.status == PAID and i.payer == membership.side})
        for order in (store.get_order(i) for i in paid_orders):
            if order is not None:
                receipts.append({"receipt_id": order.order_id, "application_id": order.application_id,
                                 "side": order.side, "amount": order.amount, "paid_at": order.paid_at,
                                 "items": [TAX_LABELS.get(t, t) for t in order.taxes]})
    orders.sort(key=lambda o: o.created_at, reverse=True)
    receipts.sort(key=lambda r: r["paid_at"] or "", reverse=True)
    return {"payments": [order_view(o) for o in orders], "receipts": receipts}


# --- the QR page another person scans --------------------------------------------------------------

def qr_checkout(token: str) -> dict:
    """GET /tax/pay/{token}: whoever holds the QR code sees this order (amount, items, expiry) and
    the provider's cashier for it; nothing about the parties, and no other order."""
    order = store.order_for_token(token) if 16 <= len(token) <= 64 else None
    if order is None:
        raise NotFound("二维码无效", code="QR_NOT_FOUND")
    status = effective_status(order)
    if status == "expired":
        raise Conflict("该二维码已过期，请联系当事人重新生成", code="ORDER_EXPIRED")
    if status != PENDING:
        raise Conflict("该订单已支付或正在处理，无需重复支付", code="ORDER_NOT_PAYABLE")
    view = {k: v for k, v in order_view(order).items() if k not in ("application_id", "receipt_id", "flag")}
    view["checkout"] = provider(order.channel).checkout(terms(order), notify_url(order.channel)).as_dict()
    return view


# --- provider notifications ------------------------------------------------------------------------

def _acknowledge(channel: str, accepted: bool) -> Content:
    status, text = provider(channel).acknowledgement(accepted)
    return Content(text, "text/plain; charset=utf-8", status)


def handle_notification(channel: str, body: bytes) -> Content:
    """POST /tax/notify/{channel}. Genuine and about a known order → acknowledged as the provider
    expects (so it stops retrying), whatever we made of it; anything else → refused, unchanged."""
    if channel not in CHANNELS:
        raise NotFound("不支持的支付渠道", code="CHANNEL_NOT_FOUND")
    try:
        note = provider(channel).parse_notification(body)
    except InvalidNotification as error:
        logger.warning("payment notification rejected", channel=channel, reason=str(error))
        return _acknowledge(channel, False)
    order = store.get_order(note.order_id)
    if order is None or order.channel != channel:
        logger.warning("payment notification for an unknown order", channel=channel, order_id=note.order_id)
        return _acknowledge(channel, False)
    if not note.succeeded:
        _remember(order, note.notify_id)
        logger.info("payment notification without payment", order_id=order.order_id, provider_status=note.raw_status)
        return _acknowledge(channel, True)
    if order.status == PAID:
        _remember(order, note.notify_id)
        logger.info("payment notification replayed", order_id=order.order_id)
        return _acknowledge(channel, True)
    if note.amount != Decimal(order.amount):
        _flag(order, "AMOUNT_MISMATCH", note)
        return _acknowledge(channel, True)
    _mark_paid(order, note)
    return _acknowledge(channel, True)


def _remember(order: PaymentOrder, notify_id: str) -> None:
    order.update(actions=[PaymentOrder.notify_ids.add({notify_id})])


def _flag(order: PaymentOrder, flag: str, note) -> None:
    try:
        order.update(actions=[PaymentOrder.status.set(FLAGGED), PaymentOrder.flag.set(flag),
                              PaymentOrder.paid_amount.set(str(note.amount)),
                              PaymentOrder.provider_trade_no.set(note.provider_trade_no),
                              PaymentOrder.notify_ids.add({note.notify_id})],
                     condition=PaymentOrder.status == PENDING)
    except UpdateError:
        pass  # a concurrent notification settled it first
    logger.error("payment flagged for manual handling", order_id=order.order_id, flag=flag,
                 order_amount=order.amount, paid_amount=str(note.amount))


def _mark_paid(order: PaymentOrder, note) -> None:
    now = clock.now().isoformat()
    try:
        store.mark_order_paid(order, now, str(note.amount), note.provider_trade_no, note.notify_id)
    except TransactionConflict:
        current = store.get_order(order.order_id)
        if current is not None and current.status == PAID:   # a concurrent copy of this notification won
            _remember(current, note.notify_id)
            return
        _flag(order, "ITEM_ALREADY_PAID", note)              # paid twice: the money goes back by refund
        return
    count_event("PaymentReceived")
    logger.info("payment received", order_id=order.order_id, channel=order.channel, amount=order.amount)
    # No receipt work here: the provider waits for this answer (and retries when it is slow), so the
    # 完税凭证 is issued on its first GET /tax/receipts/{id} (receipts.ensure_receipt, safe to race).
    refund_if_ended(order.application_id)  # paid on an order opened before the case was withdrawn
    _, items = store.get_case(order.application_id)
    if all(i.status != UNPAID for i in items):
        events.emit("taxes_paid", application_id=order.application_id)
