"""我的申请 and 我的 in the citizen app (issue 15): a case the centre returned (退件) shows its reasons
and its progress in Chinese; the initiator adds the missing material (补充材料: a photo chosen on the
phone, uploaded straight to storage, checked) and 重新提交; another case is withdrawn (撤销) from its
screen; 我的 shows who is signed in and signs out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from local.driver.flows import image_bytes, link_tokens, sign_through_link
from tests.e2e.h5 import app_loaded, check_screen, phone, wait_for
from tests.e2e.test_h5_sign import people_of, sale_up_to_signing
from tests.support.browser import chromium

pytestmark = pytest.mark.e2e


def returned_case(http) -> dict:
    """A sale signed by every party, submitted, then returned by the clerk for an unclear photo."""
    unit, sellers, buyers = people_of(http, "single", -2, slice(13, 14))
    case = sale_up_to_signing(http, unit, sellers, buyers)
    initiator, app_id = case["initiator"], case["id"]
    for person in case["people"]:
        token = wait_for(lambda p=person: link_tokens(http.json("GET", "/_dev/sms?format=json")[1]["messages"],
                                                      p["phone"]))[-1]
        status, body = sign_through_link(http.flow_request, token)
        assert status == 200, body
    wait_for(lambda: initiator.call("GET", f"/applications/{app_id}/signing")[1].get("packet_ready"))
    assert initiator.call("POST", f"/applications/{app_id}/signing/extract")[0] == 200
    status, body = initiator.call("POST", f"/applications/{app_id}/submit", {})
    assert status == 200 and body["status"] == "SUBMITTED", body
    clerk = http.login(role="clerk", outlet=unit["outlet"])
    status, body = http.json("POST", f"/office/applications/{app_id}/return",
                             {"reasons": ["MATERIAL_UNCLEAR"], "note": "户口簿照片模糊，请重新拍摄上传"}, clerk)
    assert status == 200, body
    return case


def test_a_returned_case_is_completed_and_submitted_again(http, tmp_path):
    case = returned_case(http)
    initiator = case["people"][0]
    photo = tmp_path / "household.jpg"
    photo.write_bytes(image_bytes("JPEG", (1200, 1600)))
    with chromium() as browser:
        context = phone(browser, token=case["initiator"].token, name=initiator["name"])
        page = context.new_page()
        page.goto(f"{http.base_url}/app/mine/applications")
        app_loaded(page)
        row = page.locator(f"[data-application='{case['id']}']")
        expect(row).to_contain_text("已退件，待补正")
        check_screen(page, "mine-applications")
        row.click()
        expect(page.get_by_test_id("return-reasons")).to_contain_text("申请材料照片不清晰或不完整")
        expect(page.get_by_test_id("return-reasons")).to_contain_text("户口簿照片模糊")
        timeline = page.get_by_test_id("timeline")
        for step in ("发起申请", "全部当事人签署完成", "提交登记申请", "登记中心退件"):
            expect(timeline).to_contain_text(step)
        assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", timeline.text_content())   # Beijing time, no ISO
        check_screen(page, "mine-returned")

        page.get_by_label("材料类别").select_option("household_register")
        with page.expect_file_chooser() as chooser:
            page.get_by_role("button", name="拍照或从相册选择").click()
        chooser.value.set_files(str(photo))
        expect(page.get_by_test_id("upload-state")).to_contain_text("上传成功", timeout=30000)
        expect(page.get_by_test_id("materials")).to_contain_text("户口簿")

        page.get_by_role("button", name="重新提交").click()
        expect(page.get_by_test_id("message")).to_contain_text("已重新提交")
        expect(page.get_by_test_id("case-status")).to_have_text("已提交，待受理")
        expect(page.get_by_test_id("return-reasons")).to_have_count(0)
        check_screen(page, "mine-resubmitted")
        context.close()
    status, body = case["initiator"].call("GET", f"/applications/{case['id']}")
    assert body["status"] == "SUBMITTED" and body["return_reasons"] == []


def test_a_case_is_withdrawn_from_its_screen(http):
    from local.driver.flows import Citizen

    unit, sellers, _ = people_of(http, "single", -3, slice(0, 0))
    citizen = Citizen(http.flow_request, http.login(id_number=sellers[0]["id_number"]))
    app_id = citizen.start({"outlet": unit["outlet"], "unit_number": unit["unit_number"]}, "seller")["id"]
    with chromium() as browser:
        context = phone(browser, token=citizen.token, name=sellers[0]["name"])
        page = context.new_page()
        page.goto(f"{http.base_url}/app/mine/applications/{app_id}")
        app_loaded(page)
        page.get_by_role("button", name="撤销申请").click()
        page.get_by_label("撤销原因").fill("价格未谈妥")
        check_screen(page, "mine-withdraw")
        page.get_by_role("button", name="确认撤销").click()
        expect(page.get_by_test_id("case-status")).to_have_text("已撤销")
        expect(page.get_by_test_id("timeline")).to_contain_text("撤销申请")
        expect(page.get_by_role("button", name="撤销申请")).to_have_count(0)
        context.close()
    assert citizen.call("GET", f"/applications/{app_id}")[1]["status"] == "WITHDRAWN"


def test_mine_shows_the_person_and_signs_out(http):
    status, listing = http.json("GET", "/_dev/people")
    person = [p for p in listing["people"] if p["role"] == "citizen"][15]
    with chromium() as browser:
        context = phone(browser, token=http.login(id_number=person["id_number"]), name=person["name"])
        page = context.new_page()
        page.goto(f"{http.base_url}/app/mine")
        expect(page.get_by_test_id("profile-name")).to_have_text(person["name"])
        check_screen(page, "mine")
        page.get_by_role("button", name="退出登录").click()
        expect(page).to_have_url(re.compile(r"/app/?$"))
        assert page.evaluate("sessionStorage.getItem('estate.token')") is None
        context.close()
