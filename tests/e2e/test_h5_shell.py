"""The citizen H5 app's shell in Chromium at phone size: served at /app/ by the local stack, sign-in
through the demo-person screen, home's eight entries, no horizontal scroll, axe-core clean."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import chromium
from tests.support.h5 import (SMALL_PHONE, axe_serious, horizontal_overflow, phone_context, screenshot,
                              sign_in_on_screen, signed_in)

pytestmark = pytest.mark.e2e

HOME_ENTRIES = ["业务办理", "预约", "查询", "缴税", "政策", "指南", "常见问题", "我的"]


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def test_the_app_is_served_with_a_csp_and_its_router_answers_any_path(http):
    status, headers, body = http.raw("GET", "/app/booking/anything")
    assert status == 200 and b'<div id="app">' in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-cache"
    status, _, body = http.raw("GET", "/app")  # redirected to /app/ (urllib follows it)
    assert status == 200 and b'<div id="app">' in body
    status, _, _ = http.raw("GET", "/app/assets/missing-chunk.js")
    assert status == 404


def test_a_demo_person_signs_in_and_home_shows_the_eight_entries(http, server, browser):
    context = phone_context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if not r.url.startswith((server["base_url"], "data:", "blob:")) else None)
    # A screen that needs a person sends them to sign in, then back to it.
    page.goto(server["base_url"] + "/app/booking")
    page.wait_for_url(re.compile(r"/app/signin\?back=%2Fbooking$|/app/signin\?back=/booking$"))
    page.get_by_role("button", name="三晋通授权登录").wait_for()
    screenshot(page, "h5-shell-signin")
    assert axe_serious(page) == []
    person = http.json("GET", "/_dev/people")[1]["people"][0]
    sign_in_on_screen(page, person["name"])
    page.wait_for_url("**/app/booking")

    page.goto(server["base_url"] + "/app/")
    page.get_by_text(f"{person['name']}，您好").wait_for()
    grid = page.get_by_role("navigation", name="业务入口")
    assert [text.strip() for text in grid.locator(".van-grid-item__text").all_inner_texts()] == HOME_ENTRIES
    assert page.get_by_role("link", name="首页").is_visible() or page.locator(".van-tabbar").is_visible()
    assert horizontal_overflow(page) == 0
    screenshot(page, "h5-shell-home")
    assert axe_serious(page) == []

    # Each tap target of the grid and the tab bar is at least 44 px high.
    for box in [item.bounding_box() for item in page.locator(".van-grid-item__content, .van-tabbar-item").all()]:
        assert box is not None and box["height"] >= 44 and box["width"] >= 44

    grid.get_by_text("常见问题").click()
    page.wait_for_url("**/app/info/faqs")
    assert errors == [] and foreign == []  # no CDN: every request stays on the app's origin
    context.close()


def test_home_fits_a_360_px_phone(server, browser):
    context = phone_context(browser, viewport=SMALL_PHONE)
    page = context.new_page()
    page.goto(server["base_url"] + "/app/")
    page.get_by_role("navigation", name="业务入口").wait_for()
    assert horizontal_overflow(page) == 0
    screenshot(page, "h5-shell-home-360")
    context.close()


def test_an_expired_session_signs_in_again_and_returns_to_the_screen(http, server, browser):
    context = phone_context(browser)
    signed_in(context, "expired.or.forged.token", "某人")
    page = context.new_page()
    page.goto(server["base_url"] + "/app/booking/mine")
    page.wait_for_url(re.compile(r"/app/signin\?back=(%2F|/)booking(%2F|/)mine$"))
    person = http.json("GET", "/_dev/people")[1]["people"][1]
    sign_in_on_screen(page, person["name"])
    page.wait_for_url("**/app/booking/mine")
    page.get_by_text("您还没有预约").or_(page.locator(".mine__item").first).wait_for()
    context.close()


def test_the_home_screen_stays_inside_its_budget_and_pdfjs_stays_lazy():
    from bench.h5 import measure

    figures = measure()
    assert figures["h5.home.js_kb_gz"] <= 150, figures
    assert figures["h5.home.pdfjs_files"] == 0 and figures["h5.pdfjs.kb_gz"] > 50, figures
