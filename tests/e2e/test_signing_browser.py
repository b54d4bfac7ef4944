"""Four parties sign in a real headless Chromium, each through the link in their SMS: camera face
check (Chromium's fake camera), the three documents opened, a signature drawn, 一键签署. Then the
initiator sees everyone signed, extracts the signed packet and submits (issue 4's browser test)."""

from __future__ import annotations

import re
import time

import pytest

from tests.support.browser import chromium
from tests.support.flows import Citizen, contract_body, declaration_body, inquiry_body, party

pytestmark = pytest.mark.e2e


def wait_for(predicate, timeout_s=40):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("condition not reached in time")


@pytest.fixture(scope="module")
def sale(http):
    status, listing = http.json("GET", "/_dev/people")
    people = listing["people"]
    by_id = {p["id_number"]: p for p in people}
    joint = [u for p in people for u in p["units"] if u["scenario"] == "joint"]
    unit = joint[-1]
    sellers = [p for p in people if any(u["unit_number"] == unit["unit_number"] for u in p["units"])]
    buyers = [p for p in people if p["role"] == "citizen"][10:12]
    request = http.flow_request
    initiator = Citizen(request, http.login(id_number=sellers[0]["id_number"]))
    app_id = initiator.start({"outlet": unit["outlet"], "unit_number": unit["unit_number"]}, "seller")["id"]
    assert initiator.call("PUT", f"/applications/{app_id}/parties", {
        "sellers": [party(by_id[s["id_number"]], "married") for s in sellers],
        "buyers": [party(b, "married") for b in buyers],
        "holding": {"mode": "shares", "shares": {buyers[0]["id_number"]: "50", buyers[1]["id_number"]: "50"},
                    "separate_certificates": True}})[0] == 200
    assert initiator.call("PUT", f"/applications/{app_id}/contract", contract_body("450000.00"))[0] == 200
    assert initiator.call("PUT", f"/applications/{app_id}/tax-declaration", declaration_body(sellers, buyers))[0] == 200
    for category in ("original_certificate", "id_card_seller", "id_card_buyer", "household_register",
                     "marriage_certificate"):
        assert initiator.upload(app_id, category)[1] == 204
    assert initiator.call("PUT", f"/applications/{app_id}/inquiry", inquiry_body(sellers, buyers))[0] == 200
    return {"id": app_id, "initiator": initiator, "people": sellers + buyers}


def link_for(http, phone: str) -> str:
    def find():
        status, outbox = http.json("GET", "/_dev/sms?format=json")
        links = [re.search(r"(http://\S+/sign/[A-Za-z0-9_\-]+)", m["message"]) for m in outbox["messages"]
                 if m["phone"].endswith(phone) and "/sign/" in m["message"]]
        return [m.group(1) for m in links if m]
    return wait_for(find)[0]


def sign_in_browser(browser, link: str) -> str:
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  permissions=["camera"], bypass_csp=True)  # lets the test poll page state; the page itself runs under its CSP
    page = context.new_page()
    try:
        page.goto(link)
        page.wait_for_function("document.getElementById('case').textContent !== '加载中…'")
        assert page.is_disabled("#sign")
        page.click("#camera")
        page.wait_for_selector("#capture:not([hidden])")
        page.wait_for_function("document.getElementById('video').videoWidth > 0")
        page.click("#capture")
        page.wait_for_function("document.getElementById('face-state').textContent === '已通过'")
        for doc in ("application_form", "sale_contract", "inquiry_record"):
            viewed = f"state.documents.find(d => d.doc === '{doc}').viewed"
            deadline = time.monotonic() + 40
            while not page.evaluate(viewed):  # a person taps again while 文件正在生成
                assert time.monotonic() < deadline, page.text_content("#message")
                page.click(f"button[data-doc='{doc}']")
                page.wait_for_timeout(400)
        assert page.is_disabled("#sign")  # nothing drawn yet
        page.locator("#pad").scroll_into_view_if_needed()
        box = page.locator("#pad").bounding_box()
        page.mouse.move(box["x"] + 30, box["y"] + 90)
        page.mouse.down()
        for step in range(12):
            page.mouse.move(box["x"] + 40 + step * 22, box["y"] + 60 + (step % 3) * 25)
        page.mouse.up()
        page.click("#sign")
        page.wait_for_selector("#finished:not([hidden])")
        return page.text_content("#finished-text")
    finally:
        context.close()


def test_every_party_signs_in_chromium_and_the_initiator_extracts_and_submits(http, sale):
    with chromium() as browser:
        for person in sale["people"]:
            assert sign_in_browser(browser, link_for(http, person["phone"])) == "您已完成签署，感谢配合。"
        # a used link shows the status, not the form
        page = browser.new_page()
        page.goto(link_for(http, sale["people"][0]["phone"]))
        page.wait_for_selector("#finished:not([hidden])")
        page.close()
    initiator, app_id = sale["initiator"], sale["id"]
    view = wait_for(lambda: (s := initiator.call("GET", f"/applications/{app_id}/signing")[1]) and s["packet_ready"]
                    and s)
    assert view["all_signed"] and len(view["parties"]) == 4
    status, body = initiator.call("POST", f"/applications/{app_id}/signing/extract")
    assert status == 200 and len(body["extracted"]) == 3
    status, body = initiator.call("POST", f"/applications/{app_id}/submit", {})
    assert status == 200 and body["status"] == "SUBMITTED", body
