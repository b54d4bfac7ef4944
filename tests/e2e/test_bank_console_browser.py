"""The bank desk page in headless Chromium against the local stack over real HTTP: a loan sale a
buyer pushed to the branch is continued by the loan officer on the page (loan terms, contract, tax
declaration, inquiry record), every party signs through their SMS link, the officer seals as
mortgagee (抵押权人), extracts the signed documents and submits to the registration centre."""

from __future__ import annotations

import json

import pytest

from local.seed import load_register_data
from tests.e2e.test_clerk_console_browser import sms_tokens
from tests.support.browser import chromium, signed_in_staff_page
from local.driver.flows import (Citizen, contract_body, declaration_body, image_bytes, inquiry_body, multipart, party,
                                 sign_through_link)
from local.driver.signing import wait_until

pytestmark = pytest.mark.e2e

BRANCH, OUTLET = "ICBC-YQ-KQ", "140303"
CITIZEN_MATERIALS = ("original_certificate", "id_card_seller", "id_card_buyer", "household_register",
                     "marriage_certificate")
BANK_MATERIALS = ("loan_contract", "bank_license", "bank_agent_authorization")


def pushed_loan_sale(http) -> dict:
    """Seeded people no other e2e test uses: the second-to-last single unit of 矿区, a citizen from the middle."""
    data = load_register_data()
    unit = [u for u in data["units"] if u["scenario"] == "single" and u["outlet"] == OUTLET][-2]
    by_id = {p["id_number"]: p for p in data["people"]}
    sellers = [by_id[o["id_number"]] for o in unit["right"]["owners"]]
    buyer = [p for p in data["people"] if p["role"] == "citizen"][20]
    request = http.flow_request
    citizen = Citizen(request, http.login(id_number=buyer["id_number"]))
    app_id = citizen.start(unit, "buyer", business="loan-sale")["id"]
    status, body = citizen.call("PUT", f"/applications/{app_id}/parties", {
        "sellers": [party(s, "married") for s in sellers], "buyers": [party(buyer, "married")],
        "holding": {"mode": "single"}})
    assert status == 200, body
    for category in CITIZEN_MATERIALS:
        citizen.upload(app_id, category)
    status, body = citizen.call("POST", f"/applications/{app_id}/bank-push", {"bank": "ICBC", "branch": BRANCH})
    assert status == 200 and body["status"] == "PUSHED_TO_BANK", body
    return {"id": app_id, "sellers": sellers, "buyer": buyer, "request": request}


def officer_upload(http, token: str, app_id: str, category: str) -> None:
    status, body = http.json("POST", f"/bank/applications/{app_id}/materials", {"category": category}, token)
    assert status == 201, body
    form, form_type = multipart(body["upload"]["fields"], image_bytes())
    url = body["upload"]["url"]
    status, _, raw = http.raw("POST", url[url.index("/_s3/"):], {"Content-Type": form_type}, form)
    assert status in (200, 201, 204), raw


def test_a_loan_officer_continues_seals_and_submits_a_loan_sale_on_the_bank_desk_page(http):
    from playwright.sync_api import expect

    sale = pushed_loan_sale(http)
    app_id, sellers, buyer = sale["id"], sale["sellers"], sale["buyer"]
    token = http.login(role="bank", branch=BRANCH)

    with chromium() as browser:
        page = signed_in_staff_page(browser, http.base_url, "/bank/console", "二手房贷款买卖协办工作台", token)
        row = page.locator(f"tr.row[data-id='{app_id}']")
        expect(row).to_contain_text("已推送银行")
        row.click()
        expect(page.locator("#detail-status")).to_have_text("已推送银行")

        def done(action_selector: str) -> None:
            page.locator("#action-message").evaluate("node => node.textContent = ''")
            page.click(action_selector)
            expect(page.locator("#action-message")).to_have_text("操作成功")

        # The contract cannot come before the loan: the officer is told so, in Chinese.
        page.fill("#step-contract", json.dumps({**contract_body("600000.00"), "payment_method": "loan"}))
        page.click("button[data-step='contract']")
        expect(page.locator("#action-message")).to_contain_text("请先填写贷款及抵押信息")

        page.fill("#loan-amount", "400000")
        page.fill("#loan-term", "240")
        page.select_option("#loan-type", "commercial")
        page.fill("#mortgage-contract", "ICBC-KQ-DY-2026-0101")
        page.fill("#mortgage-ends", "2046-11-30")
        page.check("#mortgage-banned")
        done("#save-loan")
        expect(page.locator("#loan-amount")).to_have_value("400000.00")

        page.fill("#step-contract", json.dumps({**contract_body("600000.00"), "payment_method": "loan"}))
        done("button[data-step='contract']")
        page.fill("#step-tax-declaration", json.dumps(declaration_body(sellers, [buyer])))
        done("button[data-step='tax-declaration']")
        for category in BANK_MATERIALS:
            officer_upload(http, token, app_id, category)
        page.fill("#step-inquiry", json.dumps(inquiry_body(sellers, [buyer])))
        done("button[data-step='inquiry']")   # signing starts
        expect(page.locator("#signatures")).to_contain_text("抵押权人")

        for index, person in enumerate(sellers + [buyer]):
            link = wait_until(lambda p=person: sms_tokens(http, p["phone"]))[0]
            status, body = sign_through_link(sale["request"], link, seed=index)
            assert status == 200, body

        done("#seal")
        expect(page.locator("#signatures")).to_contain_text("抵押权人）：已签署")
        page.click("#seal")   # a second seal is refused
        expect(page.locator("#action-message")).to_contain_text("不能重复盖章")

        wait_until(lambda: http.json("GET", f"/bank/applications/{app_id}/signing", token=token)[1]["packet_ready"],
                   timeout_s=60)
        done("#extract")
        done("#submit")
        expect(page.locator("#detail-status")).to_have_text("已提交，待受理")
        expect(row).to_contain_text("已提交，待受理")
        expect(page.locator("#documents")).to_contain_text("不动产抵押合同（已签署）")
