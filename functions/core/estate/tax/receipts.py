"""完税凭证: the receipt of a paid order, as a registered PDF (estate.documents).

One receipt per paid order (its id is the order id): a combined payment has one receipt listing
its items, item-by-item payments one each. It is issued on its first read (GET /tax/receipts/{id}),
not inside the provider's payment notification, which must answer fast.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pynamodb.exceptions import UpdateError

from estate import clock
from estate.adapters.payments import CHANNEL_LABELS
from estate.documents import issue
from estate.domain.documents import (FEE_PAYEE, date_in_chinese, division_of, fee_ticket_number, tax_bureau,
                                     tax_ticket_number)
from estate.domain.money import amount_in_chinese
from estate.errors import Conflict
from estate.principal import Principal
from estate.observability import mask_id_number
from estate.store import taxes as store
from estate.store.documents import get_document
from estate.store.applications import Application
from estate.store.people import get_person
from estate.store.taxes import PAID, PaymentOrder
from estate.tax.access import load_order_for
from estate.tax.cases import SIDE_LABELS, TAX_LABELS

RECEIPT_TITLE = "完税凭证"                        # the registry's title for the file
TAX_RECEIPT_TITLE = "中华人民共和国税收完税证明"
FEE_RECEIPT_TITLE = "非税收入电子票据"
FEE = "registration_fee"                          # a fee (行政事业性收费), not a tax: its own receipt
ITEM_NAMES = {"deed_tax": "房屋买卖", "vat": "销售不动产", "vat_surcharges": "增值税附征", "income_tax": "财产转让所得",
              "stamp_duty": "产权转移书据", "land_vat": "转让旧房及建筑物"}


def _money(text: str) -> str:
    return f"{Decimal(text):,.2f}"


def _local_time(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(clock.SHANGHAI).strftime("%Y年%m月%d日 %H:%M:%S")


def _payers(order: PaymentOrder, case) -> list[tuple[str, str]]:
    """(name, ID number) of everyone on the order's side."""
    ids = case.buyer_ids if order.side == "buyer" else case.seller_ids
    people = []
    for id_number in ids:
        person = get_person(id_number)
        people.append((person.name if person is not None else "", id_number))
    return people


def _division(application_id: str) -> str | None:
    """The county-level division of the home sold (its tax bureau issues the receipt)."""
    try:
        application = Application.get(*Application.key(application_id))
    except Application.DoesNotExist:
        return None
    return division_of(application.unit_number)


def _rate(rate: str) -> str:
    return f"{Decimal(rate) * 100:.2f}%".replace(".00%", "%")


def _tax_receipt(doc, order: PaymentOrder, taxes: list, payers: list[tuple[str, str]], bureau: str,
                 division: str | None, paid_on) -> None:
    """Laid out as the tax authority's electronic receipt: issuing bureau, 税票号码, the taxpayer by masked
    纳税人识别号 (a person's is the ID number), one row per tax, the total in words, the seal area."""
    total = sum((Decimal(i.amount) for i in taxes), Decimal("0.00"))
    doc.key_values([
        ("税务机关", bureau),
        ("税票号码", tax_ticket_number(division or "140300", paid_on, order.order_id)),
        ("填发日期", date_in_chinese(paid_on)),
        ("纳税人识别号", "、".join(mask_id_number(i) for _, i in payers)),
        ("纳税人名称", "、".join(n for n, _ in payers) + f"（{SIDE_LABELS[order.side]}）"),
    ])
    period = f"{paid_on:%Y-%m-%d}"  # a transaction's taxes belong to the day of the transaction
    rows = [[TAX_LABELS.get(i.tax, i.tax), ITEM_NAMES.get(i.tax, "存量房交易"), _money(i.base), _rate(i.rate), period,
             _money(i.amount)] for i in taxes]
    doc.table(["税种", "品目名称", "计税依据（元）", "税率", "税款所属时期", "实缴金额（元）"], rows,
              [22, 26, 28, 12, 28, 28], align=["L", "L", "R", "C", "C", "R"],
              total=["金额合计", "", "", "", "", _money(str(total))])
    doc.key_values([("金额合计（大写）", amount_in_chinese(total)), ("金额合计（小写）", f"¥{_money(str(total))}")])
    doc.e_seal(bureau, label="征税专用章", caption="税务机关（盖章）")
    doc.key_values([("填票人", "电子税务局"), ("原凭证号", order.order_id), ("申请编号", order.application_id),
                    ("缴款方式", CHANNEL_LABELS[order.channel] + ("，扫码代付" if order.mode == "qr" else "")),
                    ("支付流水号", order.provider_trade_no or "—"), ("缴款时间", _local_time(order.paid_at) + "（北京时间）")])
    doc.heading("征收依据", keep_with_next=12)
    for item in taxes:
        doc.note(f"{TAX_LABELS.get(item.tax, item.tax)}：{item.basis}")


def _fee_receipt(doc, order: PaymentOrder, fees: list, payers: list[tuple[str, str]], paid_on) -> None:
    """登记费 on its own non-tax receipt: the registration centre collects it, per case; no 税率."""
    total = sum((Decimal(i.amount) for i in fees), Decimal("0.00"))
    doc.key_values([("票据号码", fee_ticket_number(paid_on, order.order_id)), ("开票日期", date_in_chinese(paid_on)),
                    ("交款人", "、".join(n for n, _ in payers)),
                    ("交款人证件号码", "、".join(mask_id_number(i) for _, i in payers)),
                    ("收款单位", FEE_PAYEE), ("申请编号", order.application_id)])
    doc.table(["项目名称", "单位", "数量", "收费标准（元）", "金额（元）"],
              [[TAX_LABELS[FEE] + "（住宅）", "件", "1", _money(i.amount), _money(i.amount)] for i in fees],
              [60, 16, 16, 34, 34], align=["L", "C", "C", "R", "R"], total=["合计", "", "", "", _money(str(total))])
    doc.key_values([("金额合计（大写）", amount_in_chinese(total)), ("金额合计（小写）", f"¥{_money(str(total))}")])
    doc.e_seal(FEE_PAYEE, label="财务专用章", caption="收款单位（盖章）")
    for item in fees:
        doc.note(f"收费依据：{item.basis}")
    doc.note("不动产登记费是行政事业性收费，不属于税收，按件收取。")


def render_receipt(order: PaymentOrder, verification) -> bytes:
    """The file for one paid order: the 税收完税证明 for its taxes and, when the order paid the registration
    fee too, the fee's own 非税收入电子票据 on a page of its own."""
    from estate.documents.pdf import ChineseDocument

    case, items = store.get_case(order.application_id)
    paid = [i for i in items if i.order_id == order.order_id and i.payer == order.side]
    taxes, fees = [i for i in paid if i.tax != FEE], [i for i in paid if i.tax == FEE]
    payers = _payers(order, case)
    paid_on = datetime.fromisoformat(order.paid_at).astimezone(clock.SHANGHAI).date()
    division = _division(order.application_id)
    bureau = tax_bureau(division)
    created = datetime.fromisoformat(order.paid_at)
    if taxes:
        doc = ChineseDocument(TAX_RECEIPT_TITLE, verification=verification, subtitle="（电子 · 存量房交易）",
                              created_at=created, issuer=bureau, author=bureau)
        _tax_receipt(doc, order, taxes, payers, bureau, division, paid_on)
        if fees:
            doc.titled_page(FEE_RECEIPT_TITLE, "（不动产登记费）", issuer=FEE_PAYEE)
    else:
        doc = ChineseDocument(FEE_RECEIPT_TITLE, verification=verification, subtitle="（不动产登记费）",
                              created_at=created, issuer=FEE_PAYEE)
    if fees:
        _fee_receipt(doc, order, fees, payers, paid_on)
    if taxes and fees:
        doc.note(f"本次缴款（原凭证号{order.order_id}）合计{amount_in_chinese(Decimal(order.amount))}"
                 f"（¥{_money(order.amount)}），含税款及不动产登记费，分别出具如上。")
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
