"""Journey 6 of issue 15: 个人不动产登记信息查询 in the citizen app — 查询须知, 网点与范围, captcha, face
(a liveness session on the provider's page, locally the simulated one; no photo upload — issue 18),
the result with the certificate PDF drawn by PDF.js and downloadable. axe-core on every screen, no
horizontal scroll."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import chromium
from tests.support.h5 import (SMALL_PHONE, CaptchaReader, axe_serious, horizontal_overflow, phone_context,
                              screenshot, signed_in)
from tests.support.liveness import answer_liveness_page

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def owner(http):
    """A seeded owner (the register lists units for them) and their token."""
    people = http.json("GET", "/_dev/people")[1]["people"]
    person = next(p for p in people if p["units"])
    return {**person, "token": http.login(id_number=person["id_number"])}


def check_screen(page, name: str) -> None:
    assert horizontal_overflow(page) == 0, name
    screenshot(page, name)
    assert axe_serious(page) == [], name


def through_the_form(page, http, base_url: str, prefix: str) -> None:
    captchas = CaptchaReader(page)
    page.goto(base_url + "/app/")
    page.get_by_role("navigation", name="业务入口").get_by_text("查询").click()
    page.wait_for_url("**/app/query")
    page.get_by_role("heading", name="查询须知").wait_for()
    page.get_by_role("button", name="下一步").click()  # not yet accepted: refused, stays
    page.get_by_text("请阅读并同意查询须知").first.wait_for()
    check_screen(page, f"{prefix}-notice")
    page.get_by_role("checkbox", name="我已阅读并同意").click()
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("radio", name="阳泉市全市").wait_for()
    check_screen(page, f"{prefix}-scope")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("img", name="验证码图片").wait_for()
    page.get_by_label("验证码", exact=True).fill(captchas.latest_answer(http))
    check_screen(page, f"{prefix}-applicant")
    page.get_by_role("button", name="下一步：人脸识别").click()


def the_result_with_its_pdf(page, prefix: str) -> None:
    page.wait_for_url("**/app/query/*")
    page.get_by_text("共1处不动产").wait_for()
    page.locator(".pdf-viewer canvas").first.wait_for(timeout=30000)
    assert page.get_by_role("img", name="查询结果证明 第1页，共1页").is_visible()
    check_screen(page, f"{prefix}-result")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载文件（共1页）").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"


def test_query_through_the_liveness_page_and_the_pdf_previewed_and_downloaded(server, http, browser, owner):
    context = phone_context(browser, accept_downloads=True)
    signed_in(context, owner["token"], owner["name"])
    page = context.new_page()
    through_the_form(page, http, server["base_url"], "h5-query")
    page.get_by_role("button", name="开始人脸识别").wait_for()
    check_screen(page, "h5-query-face")
    # the (simulated) provider's page, then back with the captcha answered before leaving: submitted
    answer_liveness_page(page, "live", on_page=lambda simulator: check_screen(simulator, "h5-liveness-page"))
    the_result_with_its_pdf(page, "h5-query")
    context.close()


def test_a_photo_is_refused_as_not_live_then_the_person_passes(server, http, browser, owner):
    """No upload fallback: the screen says a phone without a camera goes to a hall; a photo held up
    to the camera (not live) is refused with the reason, and the person tries again."""
    context = phone_context(browser, viewport=SMALL_PHONE, accept_downloads=True)
    signed_in(context, owner["token"], owner["name"])
    page = context.new_page()
    through_the_form(page, http, server["base_url"], "h5-query-360")
    expect(page.get_by_test_id("no-camera-hint")).to_contain_text("不动产登记大厅")
    assert page.get_by_role("button", name=re.compile("选择照片|上传")).count() == 0
    answer_liveness_page(page, "not_live")
    expect(page.get_by_test_id("face-message")).to_contain_text("未通过活体检测", timeout=20000)
    check_screen(page, "h5-query-360-not-live")
    answer_liveness_page(page, "live")
    the_result_with_its_pdf(page, "h5-query-360")
    context.close()
