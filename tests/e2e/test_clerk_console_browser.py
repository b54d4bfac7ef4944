"""The clerk console in headless Chromium against the local stack over real HTTP (issue 7's browser
"done when"): a sale signed and submitted by its parties is accepted, its taxes paid, approved and
handed over from the console; the buyer's property query then shows the new certificate."""

from __future__ import annotations

import pytest

from local.seed import load_register_data
from local.driver.api import PeoplePool
from tests.e2e.test_tax_http import pay
from tests.support.browser import chromium, signed_in_staff_page
from tests.support.liveness import face_check_over_http
from local.driver.flows import Citizen, link_tokens, sign_through_link
from local.driver.signing import prepare_sale, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def pool():
    """Units and people from the far end of the seed: other e2e tests take from the front or the very end."""
    data = load_register_data()
    citizens = [p for p in data["people"] if p["role"] == "citizen"][:-6]
    return PeoplePool({"units": list(reversed(data["units"])),
                       "people": [p for p in data["people"] if p["role"] != "citizen"] + list(reversed(citizens))})


def sms_tokens(http, phone: str) -> list[str]:
    status, body = http.json("GET", "/_dev/sms?format=json")
    return link_tokens(body["messages"], phone)


def signed_submitted_sale(http, pool) -> dict:
    request = http.flow_request
    as_citizen = lambda person: Citizen(request, http.login(id_number=person["id_number"]))  # noqa: E731
    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    for index, person in enumerate(sale["people"]):
        token = wait_until(lambda p=person: sms_tokens(http, p["phone"]))[0]
        status, body = sign_through_link(request, token, seed=index)
        assert status == 200, body
    initiator, app_id = sale["initiator"], sale["id"]
    wait_until(lambda: initiator.call("GET", f"/applications/{app_id}/signing")[1].get("packet_ready"))
    assert initiator.call("POST", f"/applications/{app_id}/signing/extract")[0] == 200
    status, body = initiator.call("POST", f"/applications/{app_id}/submit", {})
    assert status == 200 and body["status"] == "SUBMITTED", body
    return sale


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
    face = face_check_over_http(http, token, purpose="query")
    status, body = http.json("POST", "/queries", {
        "notice_accepted": True, "outlet": "140302", "scope": "city", "purpose": "核对登簿结果",
        "captcha_id": captcha["captcha_id"], "captcha_answer": revealed["answer"],
        "face_check": face["face_check"]}, token)
    assert status == 201, body
    return body


def test_a_clerk_takes_a_sale_through_accept_approve_and_handover_in_the_console(http, pool):
    from playwright.sync_api import expect

    sale = signed_submitted_sale(http, pool)
    app_id, seller, buyer = sale["id"], sale["people"][0], sale["people"][1]
    token = http.login(role="clerk", outlet=sale["unit"]["outlet"])

    with chromium() as browser:
        page = signed_in_staff_page(browser, http.base_url, "/office/console", "窗口受理工作台", token)
        row = page.locator(f"tr.row[data-id='{app_id}']")
        expect(row).to_contain_text("已提交，待受理")
        row.click()
        expect(page.locator("#detail-status")).to_have_text("已提交，待受理")
        expect(page.locator("#detail img.thumb").first).to_be_visible()
        assert page.locator("#detail a", has_text="（已签署）").count() == 3

        # Accepted on 2026-12-03: the 30 working days run into 2027, whose holidays are not published.
        assert http.json("POST", "/_dev/clock", {"now": "2026-12-03T10:00:00+08:00"})[0] == 200
        try:
            page.click("#accept")
            expect(page.locator("#detail-status")).to_have_text("已受理")
            expect(page.locator("#deadline")).to_contain_text("法定办结期限：预计2027-01-15，剩余 30 个工作日")
            expect(page.locator("#deadline")).to_contain_text("节假日安排公布前按法定节假日预计")
        finally:
            assert http.json("POST", "/_dev/clock", {"now": None})[0] == 200

        page.click("#approve")   # taxes not paid yet: the clerk is told why
        expect(page.locator("#action-message")).to_contain_text("税费尚未全部缴清")

        http.json("GET", f"/applications/{app_id}/tax", token=http.login(id_number=buyer["id_number"]))
        pay_all_taxes(http, app_id, buyer, seller)
        row.click()
        expect(page.locator("#tax")).not_to_contain_text("未缴纳")
        expect(page.locator("#detail-status")).to_have_text("已缴税")   # TAX_PAID once the last item is paid
        page.click("#approve")
        expect(page.locator("#detail-status")).to_have_text("已登簿")
        new_certificate = page.locator("#new-certificates").inner_text().removeprefix("新证书号：")

        page.click("#handover")
        # Completing writes every party's notification and SMS in one transaction: give a loaded runner time.
        expect(page.locator("#detail-status")).to_have_text("已办结", timeout=20_000)

    assert new_certificate.startswith("晋(") and "不动产权第" in new_certificate
    result = property_query(http, buyer)
    [unit] = [u for u in result["units"] if u["unit_number"] == sale["unit"]["unit_number"]]
    assert unit["certificate_number"] == new_certificate and unit["owners"] == [buyer["name"]]
    assert sale["unit"]["unit_number"] not in [u["unit_number"] for u in property_query(http, seller)["units"]]


def test_a_clerk_refuses_an_accepted_sale_with_a_legal_ground_read_from_the_api(http, pool):
    from pathlib import Path

    from playwright.sync_api import expect

    sale = signed_submitted_sale(http, pool)
    app_id = sale["id"]
    token = http.login(role="clerk", outlet=sale["unit"]["outlet"])
    assert http.json("POST", f"/office/applications/{app_id}/accept", {}, token)[0] == 200

    with chromium() as browser:
        page = signed_in_staff_page(browser, http.base_url, "/office/console", "窗口受理工作台", token)
        page.locator(f"tr.row[data-id='{app_id}']").click()
        expect(page.locator("#detail-status")).to_have_text("已受理")
        # the return reasons and the refusal grounds are the API's labels (GET /office/vocabulary)
        expect(page.locator("#detail fieldset").first).to_contain_text("申请材料照片不清晰或不完整")
        page.select_option("#refusal-reason", "OWNERSHIP_DISPUTE")
        page.click("#refuse")   # no written reason yet: the clerk is told what is missing
        expect(page.locator("#action-message")).to_contain_text("请写明不予登记的具体理由")
        page.fill("#refusal-text", "该房屋存在尚未解决的继承纠纷，已诉至人民法院。")
        page.click("#refuse")
        expect(page.locator("#detail-status")).to_have_text("不予登记", timeout=20_000)
        Path("build/screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path="build/screenshots/clerk_console_refusal.png", full_page=True)
    status, body = http.json("GET", f"/office/applications/{app_id}", token=token)
    assert status == 200 and body["refusal"]["code"] == "OWNERSHIP_DISPUTE", body
