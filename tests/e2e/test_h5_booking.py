"""Journey 5 of issue 15: a booking in the citizen app — business, outlet, a working day in the calendar
(holidays and weekends disabled, a 调休 Saturday open), 下午 with its places, a wrong then a right captcha, 预约须知, one
request for a double tap; then the QR proof, the .ics, 我的预约 and the cancellation. axe-core on every
screen, no horizontal scroll at 390 and 360 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.booking import MONDAY
from tests.support.browser import chromium
from tests.support.h5 import (SMALL_PHONE, CaptchaReader, axe_serious, horizontal_overflow, phone_context,
                              screenshot, signed_in)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def monday(http):
    """The service's clock on a fixed Monday (2026-09-28): the next working days are 09-29 and 09-30,
    then the National Day holiday."""
    assert http.json("POST", "/_dev/clock", {"now": MONDAY})[0] == 200
    yield
    assert http.json("POST", "/_dev/clock", {"now": None})[0] == 200


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture
def person(http):
    status, body = http.json("POST", "/_dev/people", {"count": 1})
    assert status == 201, body
    return body["people"][0]


def check_screen(page, name: str) -> None:
    assert horizontal_overflow(page) == 0, name
    screenshot(page, name)
    assert axe_serious(page) == [], name


def test_book_with_captcha_show_the_proof_download_the_ics_and_cancel(server, http, browser, monday, person):
    context = phone_context(browser, accept_downloads=True)
    signed_in(context, person["token"], person["name"])
    page = context.new_page()
    captchas = CaptchaReader(page)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.headers.get("idempotency-key", ""))
            if r.method == "POST" and r.url.endswith("/bookings") else None)
    page.goto(server["base_url"] + "/app/")
    page.get_by_role("navigation", name="业务入口").get_by_text("预约").click()
    page.wait_for_url("**/app/booking")
    page.get_by_role("radio", name="二手商品房转移登记（买卖）").click()
    page.get_by_role("radio", name="阳泉市不动产登记中心矿区登记大厅").click()
    page.get_by_text("可预约7天内的工作日").wait_for()
    check_screen(page, "h5-booking-form")

    page.get_by_text("预约日期").click()
    calendar = page.locator(".van-calendar")
    calendar.wait_for()
    open_days = calendar.locator(".van-calendar__day[aria-disabled='false']")
    open_days.first.wait_for()
    # Working days only: 国庆 (10-01…07) and Sunday 10-11 cannot be chosen; Saturday 10-10 (调休) can.
    assert [text.split("\n")[0] for text in open_days.all_inner_texts()] == ["29", "30", "8", "9", "10", "12", "13"]
    check_screen(page, "h5-booking-calendar")
    open_days.nth(1).click()
    page.get_by_text("2026年9月30日 周三").wait_for()
    # Places left, whatever other tests on this worker's stack booked on that day before this one.
    page.get_by_role("radio", name=re.compile(r"下午 14:30-17:30（余\d+个）")).click()

    page.get_by_label("验证码", exact=True).fill("WRONG")
    page.get_by_role("button", name="《预约须知》").click()
    page.get_by_role("dialog", name="预约须知").get_by_role("button", name="我已阅读并同意").click()
    with page.expect_response(lambda r: r.url.endswith("/captchas")):  # refused: a fresh captcha is shown
        page.get_by_role("button", name="立即提交").click()
    page.get_by_text("验证码错误").first.wait_for()
    assert page.url.endswith("/app/booking") and len(posts) == 1

    page.get_by_label("验证码", exact=True).fill(captchas.latest_answer(http))
    page.get_by_role("button", name="立即提交").dblclick()
    page.wait_for_url("**/app/booking/mine/*")
    assert len(posts) == 2 and posts[0] != posts[1]  # the double tap sent one request
    proof = page.get_by_role("img", name="预约证明二维码")
    proof.wait_for()
    assert page.get_by_text("核验码").first.is_visible() and page.get_by_text("2026年9月30日 周三").is_visible()
    # the double click selected no text on the proof, and the refusal's toast is not left over it
    assert page.evaluate("String(window.getSelection())") == ""
    expect(page.locator(".van-toast:visible")).to_have_count(0)  # closed at once; its fade-out may still run
    check_screen(page, "h5-booking-proof")

    with page.expect_download() as download:
        page.get_by_role("button", name="添加到日历").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".ics")
    assert open(path, "rb").read().startswith(b"BEGIN:VCALENDAR")

    page.get_by_role("button", name="我的预约").click()
    page.wait_for_url("**/app/booking/mine")
    item = page.locator(".van-cell", has_text="二手商品房转移登记（买卖）")
    item.wait_for()
    assert "已预约" in item.inner_text() or "预约成功" in item.inner_text() or item.locator(".van-tag").count() == 1
    check_screen(page, "h5-booking-mine")
    item.click()
    page.wait_for_url("**/app/booking/mine/*")
    page.get_by_role("button", name="取消预约").click()
    page.get_by_role("button", name="确定取消").click()
    page.get_by_text("已取消预约", exact=True).wait_for()
    page.get_by_role("button", name="取消预约").wait_for(state="detached")
    assert page.get_by_role("img", name="预约证明二维码").count() == 0
    context.close()


def test_the_booking_form_fits_a_360_px_phone(server, browser, monday, person):
    context = phone_context(browser, viewport=SMALL_PHONE)
    signed_in(context, person["token"], person["name"])
    page = context.new_page()
    page.goto(server["base_url"] + "/app/booking")
    page.get_by_role("radio", name="变更登记").click()
    page.get_by_role("radio", name="阳泉市不动产登记中心城区登记大厅").click()
    page.get_by_text("可预约7天内的工作日").wait_for()
    assert horizontal_overflow(page) == 0
    screenshot(page, "h5-booking-form-360")
    context.close()
