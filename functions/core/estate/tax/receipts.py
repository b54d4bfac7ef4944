"""完税凭证: the receipt of a paid order, as a registered PDF (estate.documents).

One receipt per paid order (its id is the order id): a combined payment has one receipt listing
its items, item-by-item payments one each.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pynamodb.exceptions import UpdateError

from estate import clock
from estate.adapters.payments import CHANNEL_LABELS
from estate.documents import issue
from estate.domain.money import amount_in_chinese
from estate.errors import Conflict
from estate.http import Principal
from estate.observability import mask_id_number
from estate.store import taxes as store
from estate.store.documents import get_document
from estate.store.people import get_person
from estate.store.taxes import PAID, PaymentOrder
from estate.tax.cases import SIDE_LABELS, TAX_LABELS

RECEIPT_TITLE = "完税凭证"


def _money(text: str) -> str:
    return f"{Decimal(text):,.2f}"


def _local_time(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(clock.SHANGHAI).strftime("%Y年%m月%d日 %H:%M:%S")


def _payers(order: PaymentOrder, case) -> str:
    ids = case.buyer_ids if order.side == "buyer" else case.seller_ids
    people = []
    for id_number in ids:
        person = get_person(id_number)
        name = person.name if person is not None else ""
        people.append(f"{name}（{mask_id_number(id_number)}）")
    return "、".join(people)


def render_receipt(order: PaymentOrder, verification) -> bytes:
    from estate.documents.pdf import ChineseDocument

    case, items = store.get_case(order.application_id)
    paid = [i for i in items if i.order_id == order.order_id and i.payer == order.side]
    doc = ChineseDocument(RECEIPT_TITLE, verification=verification, subtitle="（存量房交易税费 · 电子凭证）",
                          created_at=datetime.fromisoformat(order.paid_at))
    payment_way = CHANNEL_LABELS[order.channel] + ("（扫码代付）" if order.mode == "qr" else "")
    doc.key_values([
        ("凭证号", order.order_id),
        ("申请编号", order.application_id),
        ("纳税人", f"{SIDE_LABELS[order.side]}：{_payers(order, case)}"),
        ("缴款方式", payment_way),
        ("支付流水号", order.provider_trade_no or "—"),
        ("缴款时间", _local_time(order.paid_at)),
    ])
    rows = [[TAX_LABELS.get(i.tax, i.tax), _money(i.base), f"{Decimal(i.rate) * 100:.2f}%".replace(".00%", "%"),
             _money(i.amount)] for i in paid]
    doc.table(["税（费）种", "计税依据（元）", "税率", "实缴金额（元）"], rows, [50, 45, 25, 45],
              align=["L", "R", "C", "R"], total=["合计", "", "", _money(order.amount)])
    doc.key_values([("合计（大写）", amount_in_chinese(Decimal(order.amount))),
                    ("合计（小写）", f"¥{_money(order.amount)}")])
    doc.heading("征收依据")
    for item in paid:
        doc.note(f"{TAX_LABELS.get(item.tax, item.tax)}：{item.basis}")
    doc.note("本凭证根据支付机构的支付结果通知自动出具，与窗口开具的凭证具有同等效力；"
             "可扫描二维码或凭验证码核验真伪。")
    return doc.output()


def ensure_receipt(order: PaymentOrder) -> str:
    """The order's receipt code, issuing the PDF first if needed (safe to call twice)."""
    if order.receipt_code:
        return order.receipt_code
    if order.status != PAID:
        raise Conflict("订单尚未支付，暂无完税凭证", code="RECEIPT_NOT_READY")
    record = issue.issue("tax_receipt", RECEIPT_TITLE, lambda verification: render_receipt(order, verification),
                         subject=order.order_id, key_prefix=f"tax/receipts/{order.application_id}")
    try:
        order.update(actions=[PaymentOrder.receipt_code.set(record.code)],
                     condition=PaymentOrder.receipt_code.does_not_exist())
    except UpdateError:
        issue.revoke(record.code, "重复出具，已作废")   # a concurrent call issued one first; keep that one
        order.refresh()
    return order.receipt_code


def get_receipt(caller: Principal, order_id: str) -> dict:
    from estate.tax.payments import load_order_for

    order = load_order_for(caller, order_id)
    if order.status != PAID:
        raise Conflict("订单尚未支付，暂无完税凭证", code="RECEIPT_NOT_READY")
    record = get_document(ensure_receipt(order))
    view = issue.verification_view(record)
    return {"receipt_id": order.order_id, "application_id": order.application_id, "side": order.side,
            "items": [{"tax": t, "tax_label": TAX_LABELS.get(t, t)} for t in order.taxes],
            "amount": order.amount, "amount_in_words": amount_in_chinese(Decimal(order.amount)),
            "paid_at": order.paid_at, "channel": order.channel,
            "verification_code": view["code"], "verify_url": issue.verify_url(record.code),
            "sha256": record.sha256, "pdf_url": issue.download_url(record, f"完税凭证-{order.order_id}.pdf"),
            "pdf_url_expires_in": issue.DOWNLOAD_TTL_S}
