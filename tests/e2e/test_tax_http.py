"""Taxes over real HTTP on the local stack: the public calculator on the worked examples, then a
case paid by both sides (buyer combined by Alipay, seller item by item by UnionPay QR), with
receipts downloaded from S3 and checked at /verify."""

import hashlib
import json
import urllib.error
import urllib.request
from urllib.parse import urlencode, urlsplit

import pytest

pytestmark = pytest.mark.e2e

WORKED_EXAMPLES = [
    ({"transaction_date": "2021-04-15", "price": "520000.00", "assessed_price": "500000.00", "area_m2": "95.00",
      "seller_years_held": 3.0}, {"deed_tax": "7800.00", "income_tax": "5200.00", "vat": "0.00"}),
    ({"transaction_date": "2023-03-01", "price": "600000.00", "area_m2": "88.00", "seller_years_held": 1},
     {"vat": "28571.43", "vat_surcharges": "3428.57", "income_tax": "5714.29"}),
    ({"transaction_date": "2026-01-01", "price": "600000.00", "area_m2": "88.00", "seller_years_held": 1},
     {"vat": "17475.73", "vat_surcharges": "2097.09", "income_tax": "5825.24"}),
    ({"transaction_date": "2024-12-01", "price": "800000.00", "area_m2": "130.00", "buyer_family_homes_before": 1,
      "seller_years_held": 6}, {"deed_tax": "8000.00"}),
]


def raw(http, method: str, url: str, fields: dict | None = None, token: str | None = None):
    """A request to the local origin with a form body (providers, cashiers) or none."""
    target = url if url.startswith("http") else http.base_url + url
    request = urllib.request.Request(target, data=urlencode(fields).encode() if fields is not None else None,
                                     method=method)
    if fields is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def pay(http, checkout: dict) -> dict:
    if checkout["method"] == "GET":
        status, body = raw(http, "GET", checkout["pay_url"])
    else:
        status, body = raw(http, "POST", checkout["url"], checkout["fields"])
    assert status == 200, body
    status, body = raw(http, "POST", checkout["url"], json.loads(body)["confirm"]["fields"])
    assert status == 200, body
    return json.loads(body)


@pytest.mark.parametrize("body, expected", WORKED_EXAMPLES)
def test_the_calculator_matches_every_worked_example_over_http(http, body, expected):
    status, answer = http.json("POST", "/tax/estimate", body)
    assert status == 200, answer
    amounts = {i["tax"]: i["amount"] for i in answer["items"] if i["payer"] == "seller" or i["tax"] == "deed_tax"}
    assert {k: amounts[k] for k in expected} == expected


def test_absurd_estimate_input_is_400_over_http(http):
    status, answer = http.json("POST", "/tax/estimate", {"transaction_date": "1999-01-01", "price": "-5",
                                                         "area_m2": "0"})
    assert status == 400 and {d["field"] for d in answer["details"]} == {"transaction_date", "price", "area_m2"}


def test_a_case_paid_by_both_sides_with_verifiable_receipts(http):
    status, listing = http.json("GET", "/_dev/people")
    citizens = [p for p in listing["people"] if p["role"] == "citizen"]
    buyer, seller = citizens[-1], citizens[-2]   # the functional tests' pool takes from the front
    status, case = http.json("POST", "/_dev/tax-cases", {
        "buyer_ids": [buyer["id_number"]], "seller_ids": [seller["id_number"]],
        "case": {"transaction_date": "2023-03-01", "price": "600000.00", "area_m2": "88.00", "seller_years_held": 1}})
    assert status == 201, case
    application_id = case["application_id"]
    buyer_token, seller_token = http.login(id_number=buyer["id_number"]), http.login(id_number=seller["id_number"])

    status, buyer_order = http.json("POST", "/tax/payments", {"application": application_id, "side": "buyer",
                                                              "items": "all", "channel": "alipay", "mode": "app"},
                                    buyer_token)
    assert status == 201, buyer_order
    assert pay(http, buyer_order["checkout"])["acknowledgement"] == "success"

    receipts = [(buyer_token, buyer_order["order_id"])]
    for tax in ("vat", "vat_surcharges", "income_tax"):
        status, created = http.json("POST", "/tax/payments", {"application": application_id, "side": "seller",
                                                              "items": [tax], "channel": "unionpay", "mode": "qr"},
                                    seller_token)
        assert status == 201, created
        status, scanned = http.json("GET", urlsplit(created["qr"]["payload"]).path)   # no login: a scan
        assert status == 200, scanned
        assert pay(http, scanned["checkout"])["acknowledgement"] == "ok"
        receipts.append((seller_token, created["order_id"]))

    status, tax_view = http.json("GET", f"/applications/{application_id}/tax", token=seller_token)
    assert tax_view["all_paid"] is True and tax_view["outstanding"] == {"buyer": "0.00", "seller": "0.00"}

    for token, order_id in receipts:
        status, receipt = http.json("GET", f"/tax/receipts/{order_id}", token=token)
        assert status == 200, receipt
        status, pdf = raw(http, "GET", receipt["pdf_url"])
        assert status == 200 and pdf.startswith(b"%PDF-")
        status, verified = http.json("GET", urlsplit(receipt["verify_url"]).path)
        assert verified["valid"] is True and verified["sha256"] == hashlib.sha256(pdf).hexdigest()
