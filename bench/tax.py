"""Tax figures.

pdf.receipt.ms         median time to render one 完税凭证 (warm: fpdf2 imported, font files cached
                       by the OS), of 20 renders, in-process, no storage
pdf.receipt.kb         size of that PDF
tax.estimate.p50_ms    median latency of POST /tax/estimate over HTTP on the local stack (a
                       `local.server.Server` on port 0 in this process), of 200 requests after 20 warm-ups
tax.notify.p50_ms      median latency of a provider's payment notification (POST /tax/notify/alipay, through the
                       local gateway in-process) that pays a pending order, of 30 orders after 3 warm-ups: the
                       provider's answer comes before any receipt PDF work
"""

from __future__ import annotations

import json
import statistics
import time
import urllib.request
from urllib.parse import urlencode

RENDERS = 20
REQUESTS = 200
WARMUP = 20
ESTIMATE = {"transaction_date": "2023-03-01", "price": "600000.00", "assessed_price": "580000.00", "area_m2": "88.00",
            "seller_years_held": 1, "buyer_family_homes_before": 0}


def _receipt_times(stack) -> tuple[float, int]:
    from estate.documents.pdf import Verification
    from estate.store.taxes import PAID, PaymentOrder
    from estate.tax import receipts
    from estate.tax.cases import create_tax_case
    from estate.tax.estimate import parse_estimate
    from estate.tax.models import TaxEstimateForm
    from estate.schema import parse
    from estate import clock

    people = [p["id_number"] for p in stack.register_data["people"] if p["role"] == "citizen"][-4:]
    create_tax_case("BENCH-RECEIPT", {"buyer_ids": people[:1], "seller_ids": people[1:2]},
                    parse_estimate(parse(TaxEstimateForm, ESTIMATE), clock.today_in_shanghai()))
    now = clock.now().isoformat()
    order = PaymentOrder("ORDER#TXBENCH", "ORDER", order_id="TXBENCH", application_id="BENCH-RECEIPT", side="seller",
                         taxes=["vat", "vat_surcharges", "income_tax"], amount="37142.86", channel="unionpay",
                         mode="qr", status=PAID, created_by=people[1], created_at=now, expires_at=now, paid_at=now,
                         provider_trade_no="112233445566778899001")
    verification = Verification("7KQ2-M9XD-ABCD-EFGH", f"{stack.base_url}/verify/7KQ2M9XDABCDEFGH")
    receipts.render_receipt(order, verification)  # warm: imports, font cmap
    times, size = [], 0
    for _ in range(RENDERS):
        started = time.perf_counter()
        pdf = receipts.render_receipt(order, verification)
        times.append((time.perf_counter() - started) * 1000)
        size = len(pdf)
    return statistics.median(times), size


NOTIFICATIONS = 30


def _notify_latency(stack) -> float:
    from estate import clock
    from estate.store.taxes import PENDING, PaymentOrder
    from estate.tax.cases import create_tax_case
    from estate.schema import parse
    from estate.tax.estimate import parse_estimate
    from estate.tax.models import TaxEstimateForm
    from estate.tax.payments import ORDER_TTL, new_order_id

    people = [p["id_number"] for p in stack.register_data["people"] if p["role"] == "citizen"][-4:]
    times = []
    for index in range(3 + NOTIFICATIONS):
        application_id = f"BENCH-NOTIFY-{index}"
        case = create_tax_case(application_id, {"buyer_ids": people[:1], "seller_ids": people[1:2]},
                               parse_estimate(parse(TaxEstimateForm, ESTIMATE), clock.today_in_shanghai()))
        buyer_items = [i for i in case["items"] if i["payer"] == "buyer" and i["status"] == "unpaid"]
        amount = case["outstanding"]["buyer"]
        now = clock.now()
        order_id = new_order_id(now)
        PaymentOrder(*PaymentOrder.key(order_id), order_id=order_id, application_id=application_id, side="buyer",
                     taxes=[i["tax"] for i in buyer_items], amount=amount, channel="alipay", mode="app",
                     status=PENDING, created_by=people[0], created_at=now.isoformat(),
                     expires_at=(now + ORDER_TTL).isoformat()).save()
        body = urlencode(stack.payments.alipay_notification(order_id, amount)).encode()
        started = time.perf_counter()
        response = stack.gateway.handle("POST", "/tax/notify/alipay",
                                        {"Content-Type": "application/x-www-form-urlencoded"}, body)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.text == "success", response.text
        if index >= 3:
            times.append(elapsed)
    return statistics.median(times)


def _estimate_latency(base_url: str) -> float:
    body = json.dumps(ESTIMATE).encode()
    times = []
    for index in range(WARMUP + REQUESTS):
        request = urllib.request.Request(f"{base_url}/tax/estimate", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            assert response.status == 200
        if index >= WARMUP:
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    from local.server import Server

    server = Server(0).start()
    from estate.observability import logger

    logger.setLevel("WARNING")  # keep stdout to `name value unit` lines
    try:
        receipt_ms, receipt_bytes = _receipt_times(server.stack)
        estimate_ms = _estimate_latency(server.stack.base_url)
        notify_ms = _notify_latency(server.stack)
    finally:
        server.stop()
    print(f"pdf.receipt.ms {receipt_ms:.1f} ms")
    print(f"pdf.receipt.kb {receipt_bytes / 1024:.1f} kB")
    print(f"tax.estimate.p50_ms {estimate_ms:.2f} ms")
    print(f"tax.notify.p50_ms {notify_ms:.2f} ms")


if __name__ == "__main__":
    main()
