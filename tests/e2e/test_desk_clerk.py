"""The clerk's desk (web/src/desk, served at /office/) in Chromium on a desktop, against the local stack
over real HTTP: staff sign in through the picker; a signed sale is accepted, returned with coded
reasons, resubmitted by its initiator through the API, accepted again, approved after its taxes are
paid and handed over; another is refused (不予登记); the day's appointments take a check-in from the
proof's QR text and a no-show. Every page's rendered text is scanned for English codes and UTC times,
and axe-core finds nothing serious or critical."""

from __future__ import annotations

import re

import pytest

from local.seed import load_register_data
from tests.e2e.test_booking_http import booker, new_people
from tests.support.sales import pay_all_taxes, property_query, signed_submitted_sale
from tests.support.booking import MONDAY
from tests.support.browser import chromium
from tests.support.h5 import axe_serious, screenshot

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1366, "height": 900}
# Codes as the API writes them (SUBMITTED, parties_saved, signed…) and instants as it sends them.
CODE = re.compile(r"\b[A-Z]{3,}(?:_[A-Z]+)*\b|\b[a-z]+_[a-z_]+\b|\b(?:signed|pending|invited|booked|unpaid|paid|"
                  r"buyer|seller|sale|accepted|returned|submitted)\b")
UTC_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|[+-]00:00|\bUTC\b|\bGMT\b")
# What may appear in Latin letters: identifiers people read out (application YQ…, booking 20260930A-XXXXX)
# and the PDF viewer's 下载 PDF.
IDENTIFIERS = re.compile(r"\bYQ\d{8}[0-9A-F]{10}\b|\b\d{8}[AP]-[A-Z0-9]{5}\b")
ALLOWED_LATIN = {"PDF"}


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def pool():
    """Units and people from the middle of the seed: the console's tests take the far end, others the front."""
    from local.driver.api import PeoplePool

    data = load_register_data()
    half = len(data["units"]) // 2
    citizens = [p for p in data["people"] if p["role"] == "citizen"]
    return PeoplePool({"units": data["units"][half:] + data["units"][:half],
                       "people": [p for p in data["people"] if p["role"] != "citizen"]
                       + citizens[len(citizens) // 2:] + citizens[:len(citizens) // 2]})


def desk_page(browser, base_url: str):
    # The browser in UTC: the desk must still show Beijing time.
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="UTC")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.base_url = base_url
    return page


def sign_in_as_clerk(page, outlet: str) -> None:
    """统一身份认证登录, then the clerk on the local stand-in for the centre's identity provider (local/oidc.py)."""
    staff = next(s for s in load_register_data()["staff"] if s["role"] == "clerk" and s["outlet"] == outlet)
    page.get_by_role("button", name="统一身份认证登录").click()
    page.get_by_role("button", name=f"以{staff['name']}身份登录").click()


def assert_readable(page, what: str) -> None:
    """No English code and no UTC time in what the page shows; axe-core clean."""
    text = IDENTIFIERS.sub("", page.locator("body").inner_text())
    codes = [word for word in CODE.findall(text) if word not in ALLOWED_LATIN]
    assert codes == [], f"{what}: codes shown {codes[:10]}"
    assert UTC_TIME.findall(text) == [], f"{what}: UTC times shown"
    assert axe_serious(page) == [], what


def status_of(page):
    return page.get_by_test_id("case-status")


def test_the_desk_is_served_at_office_beside_the_api(http):
    status, headers, body = http.raw("GET", "/office/cases/YQ2026120100000000AA")
    assert status == 200 and b'<div id="desk">' in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    status, _, body = http.raw("GET", "/office/")
    assert status == 200 and b'<div id="desk">' in body
    status, _, _ = http.raw("GET", "/office/desk-assets/missing-chunk.js")
    assert status == 404
    status, _, _ = http.raw("GET", "/office/applications")   # the API's, not the desk's: no token
    assert status == 401


def test_a_clerk_returns_accepts_approves_and_hands_over_a_sale_in_the_desk(http, browser, pool):
    from playwright.sync_api import expect

    sale = signed_submitted_sale(http, pool)
    app_id, outlet = sale["id"], sale["unit"]["outlet"]
    seller, buyer = sale["people"][0], sale["people"][1]
    page = desk_page(browser, http.base_url)

    # A screen behind sign-in sends the clerk to the picker, then back to it.
    page.goto(http.base_url + "/office/")
    page.wait_for_url(re.compile(r"/office/signin\?back="))
    screenshot(page, "desk-signin")
    assert_readable(page, "sign-in")
    sign_in_as_clerk(page, outlet)
    page.wait_for_url(re.compile(r"/office/$"))

    # The queue: newest first, the case's row with its labels; it opens the case.
    page.get_by_role("combobox", name="排序方式").click(force=True)
    page.get_by_role("option", name="最新在前").click()
    page.get_by_role("button", name="查询").click()
    row = page.locator(".el-table__row", has_text=app_id)
    expect(row).to_contain_text("已提交，待受理")
    expect(row).to_contain_text("二手商品房转移登记")
    screenshot(page, "desk-queue")
    assert_readable(page, "queue")
    row.get_by_role("link", name=app_id).click()

    expect(status_of(page)).to_have_text("已提交，待受理")
    # only the decisions of a submitted case: 受理, 退件 (not 登簿, 办结, 不予登记)
    expect(page.get_by_role("button", name="受理", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="退件", exact=True)).to_be_visible()
    for absent in ("登簿", "不予登记", "办结（交回原证、领取新证）"):
        expect(page.get_by_role("button", name=absent, exact=True)).to_have_count(0)
    # the three signed documents in the page, the materials labelled by category
    expect(page.locator(".doc-tab")).to_have_count(3)
    expect(page.locator(".doc-tab", has_text="（已签署）")).to_have_count(3)
    expect(page.locator(".pdf-viewer canvas, canvas").first).to_be_visible(timeout=20_000)
    expect(page.locator(".material-group h3").first).not_to_have_text(re.compile(r"[a-z_]{4,}"))
    expect(page.locator(".material-group", has_text="户口簿")).to_have_count(1)   # uploaded by category
    assert page.locator(".material-group").count() >= 5
    expect(page.get_by_text("已通过（").first).to_be_visible()   # each signature's face check
    screenshot(page, "desk-case-submitted")
    assert_readable(page, "case")

    # The material viewer: zoom and rotate (Element Plus' preview)
    page.locator(".material__image img").first.click()
    expect(page.locator(".el-image-viewer__wrapper")).to_be_visible()
    page.locator(".el-image-viewer__actions__inner i, .el-image-viewer__actions__inner svg").nth(3).click()
    page.keyboard.press("Escape")
    expect(page.locator(".el-image-viewer__wrapper")).to_have_count(0)

    # 退件: a coded reason and a note
    page.locator(".el-checkbox", has_text="申请材料照片不清晰或不完整").click()
    page.get_by_label("退件说明").fill("请上传清晰的户口簿照片")
    page.get_by_role("button", name="退件", exact=True).click()
    expect(status_of(page)).to_have_text("已退件，待补正")
    expect(page.get_by_text("申请材料照片不清晰或不完整").first).to_be_visible()

    # The initiator corrects and resubmits through the API.
    initiator = sale["initiator"]
    initiator.upload(app_id, "household_register")
    status, body = initiator.call("POST", f"/applications/{app_id}/submit", {})
    assert status == 200 and body["status"] == "SUBMITTED", body
    page.reload()
    expect(status_of(page)).to_have_text("已提交，待受理")

    page.get_by_role("button", name="受理", exact=True).click()
    expect(status_of(page)).to_have_text("已受理")
    expect(page.get_by_test_id("deadline")).to_contain_text("法定办结期限")
    expect(page.get_by_test_id("deadline")).to_contain_text("个工作日")
    expect(page.get_by_role("button", name="不予登记", exact=True)).to_be_visible()

    # taxes not paid yet: the API offers no 登簿 (CaseDetail.actions), so the desk shows none
    expect(page.get_by_role("button", name="登簿", exact=True)).to_have_count(0)

    http.json("GET", f"/applications/{app_id}/tax", token=http.login(id_number=buyer["id_number"]))
    pay_all_taxes(http, app_id, buyer, seller)
    page.reload()
    expect(status_of(page)).to_have_text("已缴税")
    expect(page.get_by_test_id("tax")).not_to_contain_text("未缴纳")
    assert_readable(page, "case with taxes")
    page.get_by_role("button", name="登簿", exact=True).click()
    expect(status_of(page)).to_have_text("已登簿")
    expect(page.get_by_test_id("new-certificates")).to_contain_text("不动产权第")

    page.get_by_role("button", name="办结（交回原证、领取新证）").click()
    expect(status_of(page)).to_have_text("已办结", timeout=20_000)
    expect(page.get_by_text("当前状态下无需窗口操作")).to_be_visible()
    screenshot(page, "desk-case-completed")
    assert_readable(page, "completed case")
    assert page.errors == []
    # The register says so too (from the retired console's test): the buyer's query shows the new
    # certificate the desk shows, the seller's no longer shows the unit.
    [unit] = [u for u in property_query(http, buyer)["units"] if u["unit_number"] == sale["unit"]["unit_number"]]
    assert unit["owners"] == [buyer["name"]]
    expect(page.get_by_test_id("new-certificates")).to_contain_text(unit["certificate_number"])
    assert sale["unit"]["unit_number"] not in [u["unit_number"] for u in property_query(http, seller)["units"]]


def test_a_clerk_refuses_an_accepted_sale_with_its_legal_ground(http, browser, pool):
    from playwright.sync_api import expect

    sale = signed_submitted_sale(http, pool)
    app_id, outlet = sale["id"], sale["unit"]["outlet"]
    token = http.login(role="clerk", outlet=outlet)
    assert http.json("POST", f"/office/applications/{app_id}/accept", {}, token)[0] == 200

    page = desk_page(browser, http.base_url)
    page.goto(f"{http.base_url}/office/cases/{app_id}")
    sign_in_as_clerk(page, outlet)
    page.wait_for_url(f"**/office/cases/{app_id}")
    expect(status_of(page)).to_have_text("已受理")
    page.get_by_role("combobox", name="不予登记的法定情形").click(force=True)
    page.get_by_role("option").first.click()
    page.get_by_role("button", name="不予登记", exact=True).click()   # no written reason: told what is missing
    expect(page.get_by_test_id("action-message")).to_contain_text("请写明不予登记的具体理由")
    page.get_by_label("不予登记的具体理由").fill("该房屋存在尚未解决的继承纠纷，已诉至人民法院。")
    page.get_by_role("button", name="不予登记", exact=True).click()
    expect(status_of(page)).to_have_text("不予登记", timeout=20_000)
    expect(page.get_by_text("该房屋存在尚未解决的继承纠纷").first).to_be_visible()
    screenshot(page, "desk-case-refused")
    assert_readable(page, "refused case")
    status, body = http.json("GET", f"/office/applications/{app_id}", token=token)
    assert status == 200 and body["status"] == "REFUSED" and body["refusal"]["text"].startswith("该房屋"), body


def test_the_days_appointments_check_in_by_qr_text_and_record_a_no_show(http, browser):
    from playwright.sync_api import expect

    outlet, day = "140311", "2026-09-30"
    assert http.json("POST", "/_dev/clock", {"now": MONDAY})[0] == 200
    try:
        came, absent = (booker(http, person) for person in new_people(http, 2))
        status, coming = came.book(outlet, "sale", day, "pm")
        assert status == 201, coming
        status, missing = absent.book(outlet, "sale", day, "am")
        assert status == 201, missing
        status, shown = came.call("GET", f"/bookings/{coming['id']}")
        qr_text = shown["proof"]["qr_text"]

        # The booking day, after the morning: the morning's person did not come, the afternoon's did.
        assert http.json("POST", "/_dev/clock", {"now": f"{day}T13:00:00+08:00"})[0] == 200
        page = desk_page(browser, http.base_url)
        page.clock.set_system_time(f"{day}T13:00:00+08:00")
        page.goto(http.base_url + "/office/appointments")
        sign_in_as_clerk(page, outlet)
        page.wait_for_url("**/office/appointments")
        expect(page.locator("h1")).to_contain_text("2026年9月30日")
        morning = page.locator(".half").nth(0)
        afternoon = page.locator(".half").nth(1)
        expect(morning.locator(".el-table__row", has_text=missing["number"])).to_contain_text("已预约")
        expect(afternoon.locator(".el-table__row", has_text=coming["number"])).to_contain_text("已预约")
        screenshot(page, "desk-appointments")
        assert_readable(page, "appointments")

        # A handheld scanner types the proof's text into the focused field and presses Enter.
        page.get_by_label("扫码签到").fill(qr_text)
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("scan-message")).to_contain_text("已签到")
        expect(afternoon.locator(".el-table__row", has_text=coming["number"])).to_contain_text("已签到")
        page.get_by_label("扫码签到").fill("not a proof")
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("scan-message")).to_contain_text("无法识别")

        morning.locator(".el-table__row", has_text=missing["number"]).get_by_role("button", name="记为未到").click()
        expect(morning.locator(".el-table__row", has_text=missing["number"])).to_contain_text("未到")
        screenshot(page, "desk-appointments-done")
        assert_readable(page, "appointments after check-in")
        assert page.errors == []
    finally:
        assert http.json("POST", "/_dev/clock", {"now": None})[0] == 200
