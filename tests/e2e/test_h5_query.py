"""Journey 6 of issue 15: 个人不动产登记信息查询 in the citizen app — 查询须知, 网点与范围, captcha, face
(the front camera; when it is denied, a photo chosen from the album), the result with the certificate
PDF drawn by PDF.js and downloadable. axe-core on every screen, no horizontal scroll."""

from __future__ import annotations

import pytest

from local.driver.flows import image_bytes
from tests.support.browser import chromium
from tests.support.h5 import (SMALL_PHONE, CaptchaReader, axe_serious, deny_camera, horizontal_overflow,
                              phone_context, screenshot, signed_in)

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


def test_query_with_the_camera_and_the_pdf_previewed_and_downloaded(server, http, browser, owner):
    context = phone_context(browser, accept_downloads=True)
    signed_in(context, owner["token"], owner["name"])
    page = context.new_page()
    through_the_form(page, http, server["base_url"], "h5-query")
    page.get_by_role("button", name="拍照识别").wait_for()
    page.wait_for_function("document.querySelector('video').readyState >= 2")
    check_screen(page, "h5-query-face")
    page.get_by_role("button", name="拍照识别").click()
    the_result_with_its_pdf(page, "h5-query")
    context.close()


def test_camera_denied_falls_back_to_a_photo_file(server, http, browser, owner):
    context = phone_context(browser, viewport=SMALL_PHONE, accept_downloads=True)
    deny_camera(context)
    signed_in(context, owner["token"], owner["name"])
    page = context.new_page()
    through_the_form(page, http, server["base_url"], "h5-query-360")
    page.get_by_text("无法打开摄像头").wait_for()
    assert page.get_by_role("button", name="拍照识别").count() == 0
    check_screen(page, "h5-query-360-face-denied")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="拍摄或选择照片").click()
    chooser.value.set_files(files=[{"name": "selfie.jpg", "mimeType": "image/jpeg",
                                    "buffer": image_bytes("JPEG", (480, 640))}])
    the_result_with_its_pdf(page, "h5-query-360")
    context.close()
