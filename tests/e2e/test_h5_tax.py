"""网上缴税 in the citizen app (issue 15), each side on its own phone: the 须知 read and agreed, the
items of one's side, 合并缴税 by 支付宝 and 单笔缴税 by 云闪付 through the local cashier simulators
(opened in a new page while the app follows the order), 他人扫码缴税: the QR code's address opened in
another person's phone browser lands on the app's cashier screen (not JSON) and pays; the 完税凭证
previewed and downloaded."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.h5 import app_loaded, check_screen, phone
from tests.support.browser import chromium

pytestmark = pytest.mark.e2e

CASE = {"transaction_date": "2023-03-01", "price": "600000.00", "area_m2": "88.00", "seller_years_held": 1}


@pytest.fixture(scope="module")
def tax_case(http):
    status, listing = http.json("GET", "/_dev/people")
    citizens = [p for p in listing["people"] if p["role"] == "citizen"]
    buyer, seller = citizens[-3], citizens[-4]   # test_tax_http takes the last two
    status, case = http.json("POST", "/_dev/tax-cases", {
        "buyer_ids": [buyer["id_number"]], "seller_ids": [seller["id_number"]], "case": CASE})
    assert status == 201, case
    return {"id": case["application_id"], "buyer": buyer, "seller": seller}


def open_case(browser, http, person: dict, application_id: str, screens: str | None = None):
    context = phone(browser, token=http.login(id_number=person["id_number"]), name=person["name"])
    page = context.new_page()
    page.goto(f"{http.base_url}/app/tax/{application_id}")
    app_loaded(page)
    expect(page.get_by_test_id("tax-notice")).to_be_visible()
    next_step = page.get_by_role("button", name="下一步")
    expect(next_step).to_be_disabled()   # not before 我已阅读
    if screens:
        check_screen(page, f"{screens}-notice")
    page.get_by_role("checkbox", name="我已阅读，并同意").click()
    next_step.click()
    expect(page.get_by_test_id("outstanding").first).to_be_visible()
    return context, page


def pay_in_popup(page) -> None:
    """前往…付款 opens the provider's cashier in a new page; 确认付款 there; the app sees it paid."""
    with page.expect_popup() as opened:
        page.get_by_role("button", name=re.compile("^前往.+付款$")).click()
    cashier = opened.value
    expect(cashier.get_by_role("heading", name=re.compile("收银台"))).to_be_visible()
    cashier.get_by_role("button", name="确认付款").click()
    expect(cashier.get_by_role("heading", name="支付成功")).to_be_visible()
    cashier.close()
    expect(page.get_by_test_id("order-status")).to_contain_text("已支付", timeout=20000)


def test_both_sides_pay_through_the_simulators_and_download_their_receipts(http, tax_case):
    with chromium() as browser:
        # the buyer: everything at once (合并缴税) by 支付宝
        context, page = open_case(browser, http, tax_case["buyer"], tax_case["id"], screens="tax-buyer")
        section = page.locator("[data-side=buyer]")
        assert "人民币" in section.get_by_test_id("outstanding").text_content()   # 大写
        check_screen(page, "tax-buyer-items")
        page.get_by_role("radio", name="支付宝").click()
        section.get_by_role("button", name=re.compile("^合并缴税")).click()
        expect(page).to_have_url(re.compile(r"/app/tax/orders/"))
        check_screen(page, "tax-order")
        pay_in_popup(page)
        page.get_by_role("button", name="查看完税凭证").click()
        expect(page.get_by_test_id("verification-code")).to_be_visible(timeout=20000)
        expect(page.locator(".pdf-viewer canvas").first).to_be_visible(timeout=20000)
        check_screen(page, "tax-receipt")
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile("^下载文件")).click()
        assert download.value.suggested_filename.startswith("完税凭证")
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
        context.close()

        # the seller: one item (单笔缴税) by 云闪付, the rest scanned and paid by someone else
        context, page = open_case(browser, http, tax_case["seller"], tax_case["id"])
        section = page.locator("[data-side=seller]")
        first_item = section.locator("[data-tax]").filter(has=page.get_by_role("button", name="单笔缴税")).first
        first_tax = first_item.get_attribute("data-tax")
        first_item.get_by_role("button", name="单笔缴税").click()
        pay_in_popup(page)
        page.get_by_role("button", name="返回缴税").click()
        expect(page.locator(f"[data-side=seller] [data-tax={first_tax}]")).to_contain_text("已缴纳")

        page.locator("[data-side=seller]").get_by_role("button", name="他人扫码缴税").click()
        expect(page.get_by_role("img", name=re.compile("缴税二维码"))).to_be_visible()
        check_screen(page, "tax-qr")
        scanned = page.get_by_test_id("qr-payload").text_content().strip()
        assert "/tax/pay/" in scanned

        payer = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")   # someone else's phone
        payer_page = payer.new_page()
        payer_page.goto(scanned)
        expect(payer_page).to_have_url(re.compile(r"/app/pay/"))   # a page for people, not JSON
        expect(payer_page.get_by_test_id("pay-amount")).to_contain_text("¥")
        check_screen(payer_page, "tax-pay-scanned")
        payer_page.get_by_role("button", name=re.compile("^前往.+付款$")).click()
        payer_page.get_by_role("button", name="确认付款").click()
        expect(payer_page.get_by_role("heading", name="支付成功")).to_be_visible()
        payer.close()

        expect(page.get_by_test_id("order-status")).to_contain_text("已支付", timeout=20000)
        page.get_by_role("button", name="返回缴税").click()
        expect(page.get_by_text("本次交易的税费已全部缴清。")).to_be_visible()

        page.goto(f"{http.base_url}/app/tax")
        expect(page.get_by_test_id("receipts")).to_contain_text("¥")
        check_screen(page, "tax-home")
        context.close()

    seller_token = http.login(id_number=tax_case["seller"]["id_number"])
    status, view = http.json("GET", f"/applications/{tax_case['id']}/tax", token=seller_token)
    assert status == 200 and view["all_paid"] is True


def test_a_stale_qr_code_says_so_on_a_page(http):
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{http.base_url}/tax/pay/{'x' * 32}")
        expect(page).to_have_url(re.compile(r"/app/pay/x+$"))
        expect(page.get_by_test_id("pay-problem")).to_contain_text("二维码无效")
        context.close()
