"""Sales set up through the API for the staff desks' browser tests (the clerk's desk, the bank desk):
a cash sale signed and submitted by its parties, a loan sale pushed to a branch, taxes paid, the SMS
signing links, the property query that shows a registration's result."""

from __future__ import annotations

from local.driver.flows import Citizen, link_tokens, party, sign_through_link
from local.driver.signing import prepare_sale, wait_until
from local.seed import load_register_data
from tests.e2e.test_tax_http import pay
from tests.support.liveness import face_check_over_http


def sms_tokens(http, phone: str) -> list[str]:
    status, body = http.json("GET", "/_dev/sms?format=json")
    return link_tokens(body["messages"], phone)


def sign_all(http, people: list[dict]) -> None:
    """Every person signs through the SMS link they were sent."""
    for index, person in enumerate(people):
        token = wait_until(lambda p=person: sms_tokens(http, p["phone"]))[0]
        status, body = sign_through_link(http.flow_request, token, seed=index)
        assert status == 200, body


def signed_submitted_sale(http, pool) -> dict:
    request = http.flow_request
    as_citizen = lambda person: Citizen(request, http.login(id_number=person["id_number"]))  # noqa: E731
    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    sign_all(http, sale["people"])
    initiator, app_id = sale["initiator"], sale["id"]
    wait_until(lambda: initiator.call("GET", f"/applications/{app_id}/signing")[1].get("packet_ready"))
    assert initiator.call("POST", f"/applications/{app_id}/signing/extract")[0] == 200
    status, body = initiator.call("POST", f"/applications/{app_id}/submit", {})
    assert status == 200 and body["status"] == "SUBMITTED", body
    return sale


def pushed_loan_sale(http, outlet: str, bank: str, branch: str, materials: tuple[str, ...], nth: int = -2) -> dict:
    """A loan sale a buyer started, filled in up to the parties, with the citizen's materials, pushed to
    `branch`: a single unit of `outlet` (the nth) and a citizen from the middle of the seed."""
    data = load_register_data()
    unit = [u for u in data["units"] if u["scenario"] == "single" and u["outlet"] == outlet][nth]
    by_id = {p["id_number"]: p for p in data["people"]}
    sellers = [by_id[o["id_number"]] for o in unit["right"]["owners"]]
    buyer = [p for p in data["people"] if p["role"] == "citizen"][20]
    citizen = Citizen(http.flow_request, http.login(id_number=buyer["id_number"]))
    app_id = citizen.start(unit, "buyer", business="loan-sale")["id"]
    status, body = citizen.call("PUT", f"/applications/{app_id}/parties", {
        "sellers": [party(s, "married") for s in sellers], "buyers": [party(buyer, "married")],
        "holding": {"mode": "single"}})
    assert status == 200, body
    for category in materials:
        citizen.upload(app_id, category)
    status, body = citizen.call("POST", f"/applications/{app_id}/bank-push", {"bank": bank, "branch": branch})
    assert status == 200 and body["status"] == "PUSHED_TO_BANK", body
    return {"id": app_id, "unit": unit, "sellers": sellers, "buyer": buyer, "citizen": citizen}


def pay_all_taxes(http, app_id: str, buyer: dict, seller: dict) -> None:
    for person, side in ((buyer, "buyer"), (seller, "seller")):
        token = http.login(id_number=person["id_number"])
        status, created = http.json("POST", "/tax/payments", {"application": app_id, "side": side, "items": "all",
                                                              "channel": "alipay", "mode": "app"}, token)
        if status == 409:
            continue
        assert status == 201, created
        pay(http, created["checkout"])


def property_query(http, person: dict) -> dict:
    token = http.login(id_number=person["id_number"])
    status, captcha = http.json("POST", "/captchas", {}, token)
    assert status == 201, captcha
    status, revealed = http.json("GET", f"/_dev/captchas/{captcha['captcha_id']}")
    face = face_check_over_http(http, token, "query")
    status, body = http.json("POST", "/queries", {
        "notice_accepted": True, "outlet": "140302", "scope": "city", "purpose": "核对登簿结果",
        "captcha_id": captcha["captcha_id"], "captcha_answer": revealed["answer"],
        "face_check": face["face_check"]}, token)
    assert status == 201, body
    return body
