"""Taxes of an application: assessment per side, payment by Alipay and UnionPay QuickPass (combined,
item by item, by another person's scan), provider notifications, receipts, the personal centre."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
import shutil
import subprocess
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from estate.tax import models
from tests.support.contract import assert_answers

SELLER_ITEMS = ["vat", "vat_surcharges", "income_tax"]
# DOMAIN.md §2.7 B (seller held 1 year, 600 000, 2023) with a first-home buyer of 88 m².
CASE_B = {"transaction_date": "2023-03-01", "price": "600000.00", "area_m2": "88.00", "seller_years_held": 1,
          "buyer_family_homes_before": 0}


class Party:
    def __init__(self, api, stack, person):
        self.person = person
        self.api = api.as_token(stack.issuer.citizen_token(person["id_number"], person["name"]))  # seeded or fresh

    def get(self, path):
        response = self.api.get(path)
        return response.status, _checked("GET", path, response)

    def post(self, path, body):
        response = self.api.post(path, body)
        return response.status, _checked("POST", path, response)


ANSWERS = [("GET", r"/applications/[^/]+/tax", models.TaxCaseView), ("POST", r"/tax/payments", models.PaymentOrderView),
           ("GET", r"/tax/payments", models.MyPaymentsView), ("GET", r"/tax/payments/[^/]+", models.PaymentOrderView),
           ("GET", r"/tax/receipts/[^/]+", models.TaxReceiptView)]


def _checked(method: str, path: str, response) -> dict:
    """The answer's JSON, held to its route's answers= model when it is a success."""
    body = response.json()
    if response.status < 300:
        assert_answers(next(m for verb, shape, m in ANSWERS if verb == method and re.fullmatch(shape, path)), body)
    return body


def new_case(api, stack, people: tuple[dict, dict, dict]) -> tuple[str, Party, Party, Party]:
    buyer, seller, stranger = people
    response = api.as_token(None).post("/_dev/tax-cases", {"buyer_ids": [buyer["id_number"]],
                                                            "seller_ids": [seller["id_number"]], "case": CASE_B})
    assert response.status == 201, response.text
    return response.json()["application_id"], Party(api, stack, buyer), Party(api, stack, seller), \
        Party(api, stack, stranger)


@pytest.fixture(scope="module")
def people(pool) -> tuple[dict, dict, dict]:
    """A buyer, a seller and a stranger shared by this module's cases (each test gets a new case)."""
    return pool.citizen(), pool.citizen(), pool.citizen()


@pytest.fixture
def case(api, stack, people):
    return new_case(api, stack, people)


def local(stack, method: str, url: str, fields: dict | None = None, headers: dict | None = None):
    """Open a URL of the local origin (the simulators' cashiers, /_s3 downloads) as a phone would."""
    parts = urlsplit(url)
    target = f"{parts.path}?{parts.query}" if parts.query else parts.path
    body = urlencode(fields).encode() if fields is not None else b""
    all_headers = {"Content-Type": "application/x-www-form-urlencoded"} if fields is not None else {}
    return stack.gateway.handle(method, target, {**all_headers, **(headers or {})}, body)


def pay(stack, checkout: dict):
    """The payer opens the cashier, then confirms: the simulator notifies the service."""
    if checkout["method"] == "GET":
        cashier = local(stack, "GET", checkout["pay_url"])
    else:
        cashier = local(stack, "POST", checkout["url"], checkout["fields"])
    assert cashier.status == 200, cashier.text
    confirm = cashier.json()["confirm"]
    response = local(stack, "POST", checkout["url"], confirm["fields"])
    return response


def items_by_tax(tax_view: dict, side: str) -> dict:
    return {i["tax"]: i for i in tax_view["items"] if i["payer"] == side}


def order(party: Party, application_id: str, side: str, items, channel: str, mode: str):
    return party.post("/tax/payments", {"application": application_id, "side": side, "items": items,
                                        "channel": channel, "mode": mode})


# --- the whole story -------------------------------------------------------------------------------

def test_buyer_pays_combined_by_alipay_seller_item_by_item_by_unionpay_qr_and_receipts_verify(api, stack, pool,
                                                                                              tmp_path):
    application_id, buyer, seller, _ = new_case(api, stack, (pool.citizen(), pool.citizen(), pool.citizen()))
    status, tax = buyer.get(f"/applications/{application_id}/tax")
    assert status == 200 and tax["your_side"] == "buyer"
    assert tax["outstanding"] == {"buyer": "5794.29", "seller": "37714.29"}
    assert {t: i["amount"] for t, i in items_by_tax(tax, "seller").items() if i["status"] == "unpaid"} == {
        "vat": "28571.43", "vat_surcharges": "3428.57", "income_tax": "5714.29"}

    # Buyer: all items of the buyer's side in one Alipay payment, in the app.
    status, buyer_order = order(buyer, application_id, "buyer", "all", "alipay", "app")
    assert status == 201, buyer_order
    assert buyer_order["amount"] == "5794.29" and buyer_order["status"] == "pending"
    assert {i["tax"] for i in buyer_order["items"]} == {"deed_tax", "registration_fee"}
    paid = pay(stack, buyer_order["checkout"])
    assert paid.status == 200 and paid.json()["acknowledgement"] == "success"
    status, tax = buyer.get(f"/applications/{application_id}/tax")
    assert tax["outstanding"]["buyer"] == "0.00"
    assert all(i["status"] == "paid" and i["receipt_id"] == buyer_order["order_id"]
               for i in items_by_tax(tax, "buyer").values() if not i["exempt"])

    # Seller: item by item with UnionPay QuickPass; each QR code is scanned by someone without a login.
    seller_orders = []
    for index, tax_name in enumerate(SELLER_ITEMS):
        status, created = order(seller, application_id, "seller", [tax_name], "unionpay", "qr")
        assert status == 201, created
        assert created["qr"]["png_base64"] and "checkout" not in created
        token_path = urlsplit(created["qr"]["payload"]).path
        scanned = api.as_token(None).get(token_path)
        assert scanned.status == 200, scanned.text
        view = scanned.json()
        assert_answers(models.QrCheckoutView, view)
        assert view["amount"] == created["amount"] and "application_id" not in view
        answer = pay(stack, view["checkout"])
        assert answer.status == 200 and answer.json()["acknowledgement"] == "ok"
        seller_orders.append(created["order_id"])
        status, tax = seller.get(f"/applications/{application_id}/tax")
        statuses = {t: i["status"] for t, i in items_by_tax(tax, "seller").items() if t in SELLER_ITEMS}
        assert statuses == {t: ("paid" if SELLER_ITEMS.index(t) <= index else "unpaid") for t in SELLER_ITEMS}
    assert tax["all_paid"] is True and tax["outstanding"] == {"buyer": "0.00", "seller": "0.00"}

    # Receipts: each one downloadable by its side, registered, and verifiable by anyone.
    for party, order_id, amount in [(buyer, buyer_order["order_id"], "5794.29"),
                                    (seller, seller_orders[0], "28571.43")]:
        status, receipt = party.get(f"/tax/receipts/{order_id}")
        assert status == 200, receipt
        assert receipt["amount"] == amount and receipt["amount_in_words"].startswith("人民币")
        pdf = local(stack, "GET", receipt["pdf_url"])
        assert pdf.status == 200 and pdf.body.startswith(b"%PDF-")
        verified = api.as_token(None).get(urlsplit(receipt["verify_url"]).path).json()
        assert verified["valid"] is True and verified["document_type"] == "tax_receipt"
        assert verified["sha256"] == hashlib.sha256(pdf.body).hexdigest() == receipt["sha256"]
        if shutil.which("pdftotext"):
            (tmp_path / "r.pdf").write_bytes(pdf.body)
            text = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True).stdout
            assert "税收完税证明" in text and receipt["amount_in_words"] in text and receipt["verification_code"] in text
            assert party.person["name"] in text and party.person["id_number"] not in text

    # Personal centre.
    status, mine = seller.get("/tax/payments")
    assert status == 200
    assert {p["order_id"] for p in mine["payments"]} == set(seller_orders)
    assert all(p["status"] == "paid" for p in mine["payments"])
    assert {r["receipt_id"] for r in mine["receipts"]} == set(seller_orders)
    status, mine = buyer.get("/tax/payments")
    assert [r["receipt_id"] for r in mine["receipts"]] == [buyer_order["order_id"]]


# --- authorization ---------------------------------------------------------------------------------

def test_only_parties_see_an_applications_tax(case):
    application_id, buyer, seller, stranger = case
    assert seller.get(f"/applications/{application_id}/tax")[1]["your_side"] == "seller"
    status, body = stranger.get(f"/applications/{application_id}/tax")
    assert status == 403 and body["code"] == "NOT_A_PARTY"


@pytest.mark.parametrize("who, side, items, code", [
    ("buyer", "seller", "all", "NOT_YOUR_SIDE"),
    ("buyer", "buyer", ["vat"], "NOT_YOUR_SIDE"),
    ("seller", "buyer", ["deed_tax"], "NOT_YOUR_SIDE"),
    ("stranger", "buyer", "all", "NOT_A_PARTY"),
])
def test_nobody_creates_an_order_for_another_partys_items(case, who, side, items, code):
    application_id, buyer, seller, stranger = case
    party = {"buyer": buyer, "seller": seller, "stranger": stranger}[who]
    status, body = order(party, application_id, side, items, "alipay", "app")
    assert status == 403 and body["code"] == code


def test_orders_and_receipts_are_private_to_their_side(api, stack, case):
    application_id, buyer, seller, stranger = case
    _, created = order(buyer, application_id, "buyer", ["deed_tax"], "alipay", "app")
    pay(stack, created["checkout"])
    for outsider in (seller, stranger):
        assert outsider.get(f"/tax/payments/{created['order_id']}")[0] == 404
        assert outsider.get(f"/tax/receipts/{created['order_id']}")[0] == 404
    assert buyer.get(f"/tax/payments/{created['order_id']}")[1]["status"] == "paid"


@pytest.mark.parametrize("body, field", [
    ({"side": "buyer", "items": "all", "channel": "wechat", "mode": "app"}, "channel"),
    ({"side": "buyer", "items": "all", "channel": "alipay", "mode": "nfc"}, "mode"),
    ({"side": "both", "items": "all", "channel": "alipay", "mode": "app"}, "side"),
    ({"side": "buyer", "items": [], "channel": "alipay", "mode": "app"}, "items"),
    ({"side": "buyer", "items": ["deed_tax", "deed_tax"], "channel": "alipay", "mode": "app"}, "items"),
    ({"side": "buyer", "items": ["lottery"], "channel": "alipay", "mode": "app"}, "items[0]"),
    ({"side": "buyer", "items": ["stamp_duty"], "channel": "alipay", "mode": "app"}, "items[0]"),
])
def test_bad_order_requests_are_400_with_field_details(case, body, field):
    application_id, buyer, _, _ = case
    status, answer = buyer.post("/tax/payments", {"application": application_id, **body})
    assert status == 400 and answer["details"][0]["field"] == field


def test_an_unknown_application_has_no_tax_case(case):
    _, buyer, _, _ = case
    status, body = buyer.get("/applications/YQ20990101FFFFFFFFFF/tax")
    assert status == 404 and body["code"] == "TAX_CASE_NOT_FOUND"


# --- notifications: signatures, amounts, replays, order --------------------------------------------

def notify(stack, channel: str, fields: dict):
    return local(stack, "POST", f"/tax/notify/{channel}", fields)


def order_status(party: Party, order_id: str) -> dict:
    return party.get(f"/tax/payments/{order_id}")[1]


def test_a_tampered_alipay_signature_is_rejected_logged_and_changes_nothing(stack, case, log_output):
    application_id, buyer, _, _ = case
    _, created = order(buyer, application_id, "buyer", "all", "alipay", "app")
    genuine = stack.payments.alipay_notification(created["order_id"], created["amount"])
    tampered = {**genuine, "total_amount": "0.01", "receipt_amount": "0.01"}
    response = notify(stack, "alipay", tampered)
    assert response.status == 200 and response.text == "fail"
    forged = {**genuine, "sign": genuine["sign"][:-8] + "AAAAAAA="}
    assert notify(stack, "alipay", forged).text == "fail"
    unsigned = {k: v for k, v in genuine.items() if k != "sign"}
    assert notify(stack, "alipay", unsigned).text == "fail"
    assert order_status(buyer, created["order_id"])["status"] == "pending"
    assert '"payment notification rejected"' in log_output.getvalue()


def test_a_unionpay_notification_signed_outside_the_unionpay_chain_is_rejected(stack, case):
    from cryptography.hazmat.primitives import serialization

    from estate.adapters.payments import rsa_sha256_sign, unionpay_digest
    from local.payments import UNIONPAY_SIGNER_CN, _certificate, _key, _private_pem

    application_id, _, seller, _ = case
    _, created = order(seller, application_id, "seller", ["vat"], "unionpay", "app")
    fields = stack.payments.unionpay_notification(created["order_id"], created["amount"])
    impostor_key = _key()
    impostor = _certificate(UNIONPAY_SIGNER_CN, impostor_key, UNIONPAY_SIGNER_CN, impostor_key, False)
    fields["signPubKeyCert"] = impostor.public_bytes(serialization.Encoding.PEM).decode()
    fields["signature"] = rsa_sha256_sign(_private_pem(impostor_key), unionpay_digest(fields))
    response = notify(stack, "unionpay", fields)
    assert response.status == 400
    tampered = stack.payments.unionpay_notification(created["order_id"], created["amount"])
    tampered["txnAmt"] = "1"
    assert notify(stack, "unionpay", tampered).status == 400
    assert order_status(seller, created["order_id"])["status"] == "pending"


def test_an_amount_mismatch_is_flagged_and_not_marked_paid(stack, case, log_output):
    application_id, buyer, _, _ = case
    _, created = order(buyer, application_id, "buyer", "all", "alipay", "app")
    response = notify(stack, "alipay", stack.payments.alipay_notification(created["order_id"], "1.00"))
    assert response.text == "success"  # received and recorded; retrying would not fix it
    view = order_status(buyer, created["order_id"])
    assert view["status"] == "flagged" and view["flag"] == "AMOUNT_MISMATCH"
    tax = buyer.get(f"/applications/{application_id}/tax")[1]
    assert tax["outstanding"]["buyer"] == "5794.29"
    assert "AMOUNT_MISMATCH" in log_output.getvalue()


def test_a_replayed_notification_gets_the_same_answer_and_counts_once(stack, case):
    application_id, buyer, _, _ = case
    _, created = order(buyer, application_id, "buyer", "all", "alipay", "app")
    fields = stack.payments.alipay_notification(created["order_id"], created["amount"])
    answers = [notify(stack, "alipay", fields) for _ in range(3)]
    assert {(a.status, a.text) for a in answers} == {(200, "success")}
    first = order_status(buyer, created["order_id"])
    assert first["status"] == "paid"
    # Out of order: an older "waiting" status and a later "finished" never undo or repeat the payment.
    for status in ("WAIT_BUYER_PAY", "TRADE_FINISHED", "TRADE_CLOSED"):
        assert notify(stack, "alipay", stack.payments.alipay_notification(created["order_id"], created["amount"],
                                                                          status)).text == "success"
    again = order_status(buyer, created["order_id"])
    assert again["status"] == "paid" and again["paid_at"] == first["paid_at"]
    receipts = buyer.get("/tax/payments")[1]["receipts"]
    assert [r["receipt_id"] for r in receipts].count(created["order_id"]) == 1


def test_a_unionpay_replay_is_acknowledged_ok_and_counted_once(stack, case):
    application_id, _, seller, _ = case
    _, created = order(seller, application_id, "seller", ["vat"], "unionpay", "app")
    fields = stack.payments.unionpay_notification(created["order_id"], created["amount"])
    assert [notify(stack, "unionpay", fields).text for _ in range(2)] == ["ok", "ok"]
    tax = seller.get(f"/applications/{application_id}/tax")[1]
    assert items_by_tax(tax, "seller")["vat"]["status"] == "paid"
    assert tax["outstanding"]["seller"] == "9142.86"


def test_an_item_is_never_paid_twice(stack, case):
    application_id, buyer, _, _ = case
    _, first = order(buyer, application_id, "buyer", ["deed_tax"], "alipay", "app")
    _, second = order(buyer, application_id, "buyer", ["deed_tax"], "unionpay", "qr")
    pay(stack, first["checkout"])
    # The second order is still payable at the provider; its payment is flagged for refund, not counted.
    notify(stack, "unionpay", stack.payments.unionpay_notification(second["order_id"], second["amount"]))
    assert order_status(buyer, second["order_id"])["flag"] == "ITEM_ALREADY_PAID"
    item = items_by_tax(buyer.get(f"/applications/{application_id}/tax")[1], "buyer")["deed_tax"]
    assert item["status"] == "paid" and item["order_id"] == first["order_id"]
    status, body = order(buyer, application_id, "buyer", ["deed_tax"], "alipay", "app")
    assert status == 409 and body["code"] == "ITEM_ALREADY_PAID"


# --- QR orders and expiry ----------------------------------------------------------------------------

def test_paying_an_expired_order_is_409(api, stack, case):
    from estate import clock

    application_id, buyer, _, _ = case
    clock.set_now(clock.now() - timedelta(minutes=31))
    try:
        _, created = order(buyer, application_id, "buyer", "all", "alipay", "qr")
    finally:
        clock.set_now(None)
    response = api.as_token(None).get(urlsplit(created["qr"]["payload"]).path)
    assert response.status == 409 and response.json()["code"] == "ORDER_EXPIRED"
    assert order_status(buyer, created["order_id"])["status"] == "expired"
    # The provider refuses it too: the expiry travels in the signed checkout.
    from estate.tax.payments import notify_url, terms
    from estate.adapters.payments import provider
    from estate.store.taxes import get_order

    checkout = provider("alipay").checkout(terms(get_order(created["order_id"])), notify_url("alipay")).as_dict()
    answer = local(stack, "GET", checkout["pay_url"])
    assert answer.status == 409 and answer.json()["code"] == "ORDER_EXPIRED"


def test_a_qr_code_pays_its_own_order_only(api, stack, case):
    application_id, buyer, _, _ = case
    _, created = order(buyer, application_id, "buyer", ["deed_tax"], "alipay", "qr")
    checkout = api.as_token(None).get(urlsplit(created["qr"]["payload"]).path).json()["checkout"]
    fields = dict(parse_qsl(urlsplit(checkout["pay_url"]).query))
    other = fields["biz_content"].replace(created["order_id"], "TX20990101000000FFFFFFFFFF")
    refused = local(stack, "GET", checkout["url"] + "?" + urlencode({**fields, "biz_content": other}))
    assert refused.status == 400 and refused.json()["code"] == "INVALID_SIGNATURE"
    cheaper = fields["biz_content"].replace(f'"total_amount":"{created["amount"]}"', '"total_amount":"0.01"')
    assert local(stack, "GET", checkout["url"] + "?" + urlencode({**fields, "biz_content": cheaper})).status == 400
    assert api.as_token(None).get("/tax/pay/" + "x" * 32).status == 404
    assert pay(stack, checkout).json()["acknowledgement"] == "success"
    again = api.as_token(None).get(urlsplit(created["qr"]["payload"]).path)
    assert again.status == 409 and again.json()["code"] == "ORDER_NOT_PAYABLE"


# --- a submitted application ------------------------------------------------------------------------

def test_a_submitted_application_is_assessed_from_its_declaration_and_the_register(pool, as_citizen, stack):
    """The issue's done-when: a really submitted application (signed by both parties) gets its taxes
    assessed and paid."""
    from local.driver.signing import gateway_request, prepare_sale, tokens_for, wait_until
    from local.driver.flows import sign_through_link

    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    app_id, seller = sale["id"], sale["initiator"]
    [seller_person, buyer_person] = sale["people"]
    buyer = as_citizen(buyer_person)
    status, body = buyer.call("GET", f"/applications/{app_id}/tax")
    assert status == 404 and body["code"] == "TAX_CASE_NOT_FOUND"            # not submitted yet
    request = gateway_request(stack)
    for index, person in enumerate(sale["people"]):
        status, body = sign_through_link(request, tokens_for(stack, person)[0], seed=index)
        assert status == 200, body
    wait_until(lambda: seller.call("GET", f"/applications/{app_id}/signing")[1].get("packet_ready"))
    assert seller.call("POST", f"/applications/{app_id}/signing/extract")[0] == 200
    status, body = seller.call("POST", f"/applications/{app_id}/submit", {})
    assert status == 200 and body["status"] == "SUBMITTED", body

    status, tax = buyer.call("GET", f"/applications/{app_id}/tax")
    assert status == 200 and tax["your_side"] == "buyer", tax
    unit = sale["unit"]
    assert Decimal(tax["base"]) == max(Decimal("600000.00"), Decimal(unit.get("assessed_price") or 0))
    deed = items_by_tax(tax, "buyer")["deed_tax"]
    assert Decimal(deed["rate"]) == (Decimal("0.01") if Decimal(unit["building_area"]) <= 140 else Decimal("0.015"))
    status, created = buyer.call("POST", "/tax/payments", {"application": app_id, "side": "buyer", "items": "all",
                                                           "channel": "alipay", "mode": "app"})
    assert status == 201, created
    assert pay(stack, created["checkout"]).json()["acknowledgement"] == "success"
    assert buyer.call("GET", f"/applications/{app_id}/tax")[1]["outstanding"]["buyer"] == "0.00"
    assert seller.call("GET", f"/applications/{app_id}/tax")[1]["your_side"] == "seller"


@pytest.mark.parametrize("outlet, tier", [("140302", "urban"), ("140311", "urban"), ("140321", "county"),
                                          ("140322", "county"), ("140381", "county")])
def test_city_tier_follows_the_county_code(outlet, tier):
    from estate.tax.from_application import city_tier

    assert city_tier(outlet) == tier


def test_the_notification_is_answered_before_any_receipt_work_and_the_first_read_issues_it(stack, case,
                                                                                           monkeypatch):
    """The provider waits for (and retries on a slow) answer: no PDF is rendered in the notification;
    the payment is recorded there, and the 完税凭证 is issued once, on its first read."""
    from estate.documents import issue
    from estate.store.taxes import get_order

    application_id, buyer, _, _ = case
    _, created = order(buyer, application_id, "buyer", "all", "alipay", "app")

    issued, real_issue = [], issue.issue

    def counted(*args, **kwargs):
        issued.append(args[0])
        return real_issue(*args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(issue, "issue", counted)
        response = notify(stack, "alipay", stack.payments.alipay_notification(created["order_id"], created["amount"]))
    assert response.text == "success" and issued == []
    assert order_status(buyer, created["order_id"])["status"] == "paid"
    assert get_order(created["order_id"]).receipt_code is None
    first = buyer.get(f"/tax/receipts/{created['order_id']}")
    again = buyer.get(f"/tax/receipts/{created['order_id']}")
    assert first[0] == again[0] == 200, first
    assert first[1]["verification_code"] == again[1]["verification_code"]
    assert get_order(created["order_id"]).receipt_code is not None


def test_a_scanned_qr_code_opens_the_apps_cashier_screen_and_the_app_reads_the_order_as_json(api, stack, case):
    application_id, buyer, _, _ = case
    _, created = order(buyer, application_id, "buyer", ["deed_tax"], "unionpay", "qr")
    path = urlsplit(created["qr"]["payload"]).path
    token = path.rsplit("/", 1)[-1]
    # a phone's browser (the camera app opening the code) asks for a page: it is sent to the app
    scanned = stack.gateway.handle("GET", path, {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, b"")
    assert scanned.status == 303 and scanned.headers["Location"].endswith(f"/app/pay/{token}")
    assert scanned.headers["Cache-Control"] == "no-store" and scanned.headers["Referrer-Policy"] == "no-referrer"
    # the app's screen fetches the same address (Accept: */*): the order and its cashier, as before
    fetched = stack.gateway.handle("GET", path, {"Accept": "*/*"}, b"")
    assert fetched.status == 200 and fetched.json()["order_id"] == created["order_id"]
