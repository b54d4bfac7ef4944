"""The rest of the clerk's day in the desk (/office/), in Chromium on a desktop against the local stack:
check-in by the camera reading the proof's QR (the camera is a canvas showing the proof) and the
refusals of a proof that does not match, the camera refused (back to the scanner field), the half-day
quotas (never below the places booked), content publishing with its citizen preview and versions, and
the auditor's trail. One test visits every desk page: no English code, no UTC time, axe-core clean,
and the navigation works from the keyboard."""

from __future__ import annotations

import json
import re
import secrets

import pytest

from local.seed import load_register_data
from tests.e2e.test_booking_http import booker, new_people
from tests.e2e.test_desk_clerk import CODE, UTC_TIME, desk_page, sign_in_as_clerk, status_of
from tests.support.sales import signed_submitted_sale
from tests.support.booking import MONDAY
from tests.support.browser import chromium
from tests.support.h5 import axe_serious, screenshot

pytestmark = pytest.mark.e2e

# Identifiers people read out or look up: applications (YQ…), booking numbers and ids, content numbers.
IDENTIFIERS = re.compile(r"\bYQ\d{8}[0-9A-F]{10}\b|\b\d{8}[AP]-[A-Z0-9]{5}\b|\bbk_[A-Za-z0-9_-]+|[a-z0-9]+(?:-[a-z0-9]+)+")
ALLOWED_LATIN = {"PDF"}


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture
def dev_clock(http):
    def move(moment: str | None) -> None:
        assert http.json("POST", "/_dev/clock", {"now": moment})[0] == 200
    yield move
    move(None)


def assert_readable(page, what: str) -> None:
    text = IDENTIFIERS.sub("", page.locator("body").inner_text())
    codes = [word for word in CODE.findall(text) if word not in ALLOWED_LATIN]
    assert codes == [], f"{what}: codes shown {codes[:10]}"
    assert UTC_TIME.findall(text) == [], f"{what}: UTC times shown"
    assert axe_serious(page) == [], what


def camera_showing(page, text: str) -> None:
    """The page's camera films `text` as a QR code (a canvas stream stands in for the lens)."""
    import segno

    matrix = [list(row) for row in segno.make(text, error="m").matrix]
    page.add_init_script("""(() => {
      const matrix = %s, scale = 8, border = 4, size = (matrix.length + 2 * border) * scale;
      navigator.mediaDevices.getUserMedia = async () => {
        const canvas = document.createElement("canvas");
        canvas.width = canvas.height = size;
        const g = canvas.getContext("2d");
        const paint = () => {
          g.fillStyle = "#fff"; g.fillRect(0, 0, size, size); g.fillStyle = "#000";
          matrix.forEach((row, y) => row.forEach((dark, x) => {
            if (dark) g.fillRect((x + border) * scale, (y + border) * scale, scale, scale);
          }));
          requestAnimationFrame(paint);
        };
        paint();
        return canvas.captureStream(10);
      };
    })();""" % json.dumps(matrix))


def camera_refused(page) -> None:
    page.add_init_script("navigator.mediaDevices.getUserMedia = () => "
                         "Promise.reject(new DOMException('refused', 'NotAllowedError'));")


def test_check_in_by_the_camera_and_a_proof_that_does_not_match_is_refused(http, browser, dev_clock):
    from playwright.sync_api import expect

    outlet, day = "140321", "2026-09-30"
    dev_clock(MONDAY)
    coming, later = (booker(http, person) for person in new_people(http, 2))
    status, today = coming.book(outlet, "sale", day, "am")
    assert status == 201, today
    status, other_day = later.book(outlet, "sale", "2026-10-08", "am")
    assert status == 201, other_day
    proof = coming.call("GET", f"/bookings/{today['id']}")[1]["proof"]["qr_text"]
    other_proof = later.call("GET", f"/bookings/{other_day['id']}")[1]["proof"]["qr_text"]
    dev_clock(f"{day}T09:30:00+08:00")

    page = desk_page(browser, http.base_url)
    page.clock.set_system_time(f"{day}T09:30:00+08:00")
    camera_showing(page, proof)
    page.goto(http.base_url + "/office/appointments")
    sign_in_as_clerk(page, outlet)
    page.wait_for_url("**/office/appointments")
    scan_field, message = page.get_by_label("扫码签到"), page.get_by_test_id("scan-message")

    # A proof whose code was altered, another day's proof, a QR code that is no proof: each said in Chinese.
    forged = proof[:-1] + ("0" if proof[-1] != "0" else "1")
    for typed, words in ((forged, "预约凭证无效"), (other_proof, "10月8日上午的，只能在预约当天签到")):
        scan_field.fill(typed)
        scan_field.press("Enter")
        expect(message).to_contain_text(words)
    expect(scan_field).to_be_focused()   # ready for the next scan
    row = page.locator(".el-table__row", has_text=today["number"])
    expect(row).to_contain_text("已预约")

    page.get_by_role("button", name="用摄像头扫码").click()
    expect(message).to_contain_text(f"{today['name']}（{today['number']}）已签到", timeout=15_000)
    expect(row).to_contain_text("已签到")
    screenshot(page, "desk-day-camera-check-in")
    assert page.errors == []


def test_a_refused_camera_falls_back_to_the_scanner_field(http, browser):
    from playwright.sync_api import expect

    page = desk_page(browser, http.base_url)
    camera_refused(page)
    page.goto(http.base_url + "/office/appointments")
    sign_in_as_clerk(page, "140302")
    page.wait_for_url("**/office/appointments")
    page.get_by_role("button", name="用摄像头扫码").click()
    expect(page.get_by_test_id("scan-message")).to_contain_text("摄像头未获授权，请用扫码枪扫描或输入预约号")
    expect(page.get_by_label("扫码签到")).to_be_focused()
    assert page.errors == []


def test_the_clerk_sets_a_half_days_places_never_below_those_booked(http, browser, dev_clock):
    from playwright.sync_api import expect

    outlet, day = "140322", "2026-09-29"
    dev_clock(MONDAY)
    # Other tests on this worker's stack may have booked the half-day full: one more place first.
    slot = next(s for s in http.json("GET", f"/booking/slots?outlet={outlet}&business=sale")[1]["slots"]
                if s["date"] == day and s["period"] == "am")
    if slot["remaining"] == 0:
        clerk = http.login(role="clerk", outlet=outlet)
        status, raised = http.json("PUT", "/booking/quotas", {"business": "sale", "date": day, "period": "am",
                                                               "capacity": slot["capacity"] + 1}, clerk)
        assert status == 200, raised
    person = booker(http, new_people(http, 1)[0])
    status, booking = person.book(outlet, "sale", day, "am")
    assert status == 201, booking
    sale_name = next(b["name"] for b in http.json("GET", "/business-types")[1]["business_types"] if b["code"] == "sale")

    page = desk_page(browser, http.base_url)
    page.goto(http.base_url + "/office/appointments")
    sign_in_as_clerk(page, outlet)
    page.wait_for_url("**/office/appointments")
    page.get_by_role("combobox", name="名额的业务类型").click(force=True)
    page.get_by_role("option", name=sale_name, exact=True).click()
    places = page.get_by_role("spinbutton", name=re.compile(r"2026年9月29日.*上午的名额"))
    row = page.locator(".quota .el-table__row").filter(has=places)
    places.fill("0")
    places.press("Tab")
    row.get_by_role("button", name="保存").click()
    message = page.get_by_test_id("quota-message")
    expect(message).to_contain_text("名额不能少于已预约人数")
    expect(message).to_contain_text("已预约")
    places.fill("40")
    places.press("Tab")
    row.get_by_role("button", name="保存").click()
    expect(message).to_contain_text("上午名额已调整为40个")
    slot = next(s for s in http.json("GET", f"/booking/slots?outlet={outlet}&business=sale")[1]["slots"]
                if s["date"] == day and s["period"] == "am")
    assert slot["capacity"] == 40
    screenshot(page, "desk-day-quotas")
    assert_readable(page, "quotas")
    assert page.errors == []


def test_the_editor_publishes_edits_and_withdraws_a_faq_with_its_preview(http, browser):
    from playwright.sync_api import expect

    item_id = f"faq-desk-{secrets.token_hex(3)}"
    page = desk_page(browser, http.base_url)
    page.goto(http.base_url + "/office/publishing")
    sign_in_as_clerk(page, "140302")
    page.wait_for_url("**/office/publishing")
    page.get_by_role("button", name="常见问题", exact=True).click()
    page.get_by_label("编号（小写字母、数字和连字符）").fill(item_id)
    page.get_by_label("分类", exact=True).fill("预约办理")
    page.get_by_label("问题", exact=True).fill("预约后不能到场怎么办？")
    page.get_by_label("回答", exact=True).fill("请在前一天16:00前取消预约。<b>不会加粗</b>")
    preview = page.get_by_role("region", name="群众端预览")
    expect(preview).to_contain_text("问：预约后不能到场怎么办？")
    expect(preview).to_contain_text("<b>不会加粗</b>")        # shown as text, never as HTML
    expect(preview.locator("b")).to_have_count(0)
    screenshot(page, "desk-day-content-new")
    assert_readable(page, "content editor")
    page.get_by_role("button", name="发布", exact=True).click()
    versions = page.get_by_test_id("content-versions")
    expect(versions).to_contain_text("第1版")
    assert any(f["id"] == item_id for f in http.json("GET", "/info/faqs")[1]["faqs"])

    page.get_by_label("回答", exact=True).fill("请在预约日前一天16:00前在“我的预约”中取消。")
    page.get_by_role("button", name="保存并发布新版本").click()
    expect(versions).to_contain_text("第2版")
    withdraw = page.get_by_role("button", name="撤回", exact=True)
    withdraw.focus()
    page.keyboard.press("Enter")                                 # asks first
    confirm = page.get_by_role("button", name="确认撤回（群众端将不再显示）")
    confirm.focus()
    page.keyboard.press("Enter")
    expect(versions).to_contain_text("第3版")
    expect(versions).to_contain_text("已撤回")
    expect(page.locator(".content__status")).to_contain_text("已撤回")
    assert all(f["id"] != item_id for f in http.json("GET", "/info/faqs")[1]["faqs"])
    versions.locator(".el-table__row", has_text="第1版").get_by_role("button", name="预览").click()
    expect(preview).to_contain_text("<b>不会加粗</b>")
    screenshot(page, "desk-day-content-versions")
    assert_readable(page, "content versions")
    assert page.errors == []


def test_the_auditor_reads_the_days_trail_by_person_and_action(http, browser):
    from playwright.sync_api import expect

    clerk = http.login(role="clerk", outlet="140303")
    assert http.json("GET", "/office/applications", token=clerk)[0] == 200
    page = desk_page(browser, http.base_url)
    page.goto(http.base_url + "/office/")
    page.get_by_role("button", name="统一身份认证登录").click()
    page.get_by_role("button", name="以审计人员身份登录").click()
    page.wait_for_url(re.compile(r"/office/$"))
    page.get_by_role("link", name="操作日志").click()
    page.wait_for_url("**/office/trail")
    entries = page.get_by_test_id("audit-entries")
    expect(entries).to_contain_text("查看受理队列")
    page.get_by_role("combobox", name="操作类型").click(force=True)
    page.get_by_role("option", name="查看受理队列", exact=True).click()
    page.get_by_role("button", name="查询").click()
    rows = entries.locator(".el-table__row")
    expect(rows.first).to_contain_text("查看受理队列")
    expect(rows.filter(has_not_text="查看受理队列")).to_have_count(0)
    page.get_by_role("combobox", name="操作人").click(force=True)
    page.get_by_role("option", name=re.compile("矿区窗口受理员")).first.click()
    page.get_by_role("button", name="查询").click()
    expect(rows.first).to_contain_text("矿区窗口受理员（窗口工作人员）")
    expect(rows.filter(has_not_text="矿区窗口受理员")).to_have_count(0)
    expect(rows.filter(has_not_text="查看受理队列")).to_have_count(0)
    screenshot(page, "desk-day-trail")
    assert_readable(page, "audit trail")
    assert page.errors == []


def test_every_desk_page_reads_in_chinese_and_works_from_the_keyboard(http, browser, pool_sale):
    from playwright.sync_api import expect

    app_id, outlet = pool_sale["id"], pool_sale["unit"]["outlet"]
    page = desk_page(browser, http.base_url)
    page.goto(http.base_url + "/office/")
    assert_readable(page, "sign-in")
    page.get_by_role("button", name="统一身份认证登录").focus()
    page.keyboard.press("Enter")
    picker = page.get_by_role("button", name=re.compile(r"^以.*身份登录"))
    expect(picker.first).to_be_visible()
    staff = next(s for s in load_register_data()["staff"] if s["role"] == "clerk" and s["outlet"] == outlet)
    page.get_by_role("button", name=f"以{staff['name']}身份登录").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/office/$"))
    expect(page.locator(".el-table__row").first).to_be_visible()
    assert_readable(page, "queue")
    for link, path, what in (("今日预约", "/office/appointments", "appointments"),
                             ("内容发布", "/office/publishing", "publishing"), ("受理队列", "/office/", "queue again")):
        page.get_by_role("link", name=link).focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"**{path}")
        page.wait_for_load_state("networkidle")
        assert_readable(page, what)
    page.goto(f"{http.base_url}/office/cases/{app_id}")
    expect(status_of(page)).to_have_text("已提交，待受理")
    assert_readable(page, "case")
    # the auditor's pages
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("button", name="统一身份认证登录").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="以审计人员身份登录").focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="操作日志").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/office/trail")
    expect(page.get_by_test_id("audit-entries").locator(".el-table__row").first).to_be_visible()
    screenshot(page, "desk-day-trail-auditor")
    assert_readable(page, "trail")
    assert page.errors == []


@pytest.fixture(scope="module")
def pool_sale(http):
    from local.driver.api import PeoplePool

    data = load_register_data()
    third = len(data["units"]) // 3
    citizens = [p for p in data["people"] if p["role"] == "citizen"]
    pool = PeoplePool({"units": data["units"][third:] + data["units"][:third],
                       "people": [p for p in data["people"] if p["role"] != "citizen"]
                       + citizens[len(citizens) // 3:] + citizens[:len(citizens) // 3]})
    return signed_submitted_sale(http, pool)
