"""Helpers for the signing tests: a sale filled up to INQUIRY_SAVED, the links sent, polling."""

from __future__ import annotations

import time

from local.driver.api import decode
from local.driver.flows import contract_body, declaration_body, inquiry_body, link_tokens, party


def gateway_request(stack):
    return lambda method, path, headers, body: decode(stack.gateway.handle(method, path, headers, body))


def wait_until(predicate, timeout_s: float = 30, interval_s: float = 0.1):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval_s)
    raise AssertionError("condition not reached in time")


def prepare_sale(pool, as_citizen, scenario: str = "joint", buyers: int = 2) -> dict:
    """Start and fill a sale up to INQUIRY_SAVED, with every required material; signing starts."""
    unit = pool.unit(scenario)
    sellers, buyer_people = pool.owners(unit), [pool.citizen() for _ in range(buyers)]
    initiator = as_citizen(sellers[0])
    app_id = initiator.start(unit, "seller")["id"]
    holding = ({"mode": "joint", "separate_certificates": False} if buyers == 2 else {"mode": "single"})
    initiator.call("PUT", f"/applications/{app_id}/parties", {
        "sellers": [party(s, "married") for s in sellers], "buyers": [party(b, "married") for b in buyer_people],
        "holding": holding})
    initiator.call("PUT", f"/applications/{app_id}/contract", contract_body("600000.00"))
    initiator.call("PUT", f"/applications/{app_id}/tax-declaration", declaration_body(sellers, buyer_people))
    for category in ("original_certificate", "id_card_seller", "id_card_buyer", "household_register",
                     "marriage_certificate"):
        initiator.upload(app_id, category)
    status, body = initiator.call("PUT", f"/applications/{app_id}/inquiry", inquiry_body(sellers, buyer_people))
    assert status == 200, body
    return {"id": app_id, "initiator": initiator, "people": sellers + buyer_people, "unit": unit}


def tokens_for(stack, person: dict, count: int = 1) -> list[str]:
    return wait_until(lambda: (t := link_tokens(stack.sms_outbox(), person["phone"])) and len(t) >= count and t)
