"""The public 文件核验 screen: the QR code printed on every issued PDF is GET /verify/{code} on the API.
A phone's browser opening it (Accept: text/html) is sent to the app's screen, which reads the same
address as JSON and says in Chinese, in Beijing time, whether the document stands; anything asking for
JSON still gets the API's answer. No sign-in anywhere."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.h5 import check_screen, first_answer
from tests.support.browser import chromium
from tests.support.h5 import SMALL_PHONE, phone_context
from tests.support.liveness import face_check_over_http

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def certificate(http) -> dict:
    """A query certificate issued to a seeded owner, through the API (captcha, face, the query)."""
    people = http.json("GET", "/_dev/people")[1]["people"]
    owner = next(p for p in people if p["units"])
    token = http.login(id_number=owner["id_number"])
    status, captcha = http.json("POST", "/captchas", {}, token)
    assert status == 201, captcha
    answer = http.json("GET", f"/_dev/captchas/{captcha['captcha_id']}")[1]["answer"]
    face = face_check_over_http(http, token, purpose="query")
    status, query = http.json("POST", "/queries", {
        "outlet": "140302", "scope": "city", "purpose": "核验测试", "captcha_id": captcha["captcha_id"],
        "captcha_answer": answer, "face_check": face["face_check"], "notice_accepted": True}, token)
    assert status == 201, query
    deadline = time.monotonic() + 40
    while not (query.get("document") or {}).get("code"):
        assert time.monotonic() < deadline, query
        time.sleep(0.5)
        query = http.json("GET", f"/queries/{query['id']}", token=token)[1]
    return query["document"]


def test_the_printed_link_opens_a_page_for_people_and_json_stays_for_clients(server, http, browser, certificate):
    code = certificate["code"]
    link = f"{server['base_url']}/verify/{code}"
    status, headers = first_answer(link, "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 303 and headers["Location"].endswith(f"/app/verify/{code}")
    status, headers, raw = http.raw("GET", f"/verify/{code}", {"Accept": "application/json"})
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert json.loads(raw)["valid"] is True

    context = phone_context(browser)   # a stranger's phone: nobody signed in
    page = context.new_page()
    page.goto(link)
    page.wait_for_url(re.compile(rf"/app/verify/{re.escape(code)}$"))
    expect(page.get_by_test_id("verify-verdict")).to_have_text("该文件由不动产登记机构出具，现行有效。")
    expect(page.get_by_text("不动产登记信息查询结果").first).to_be_visible()
    expect(page.get_by_text("（北京时间）").first).to_be_visible()
    check_screen(page, "h5-verify-valid")
    context.close()


def test_a_copy_is_compared_and_a_mistyped_code_is_explained(server, browser, certificate):
    code = certificate["code"]
    context = phone_context(browser, viewport=SMALL_PHONE)
    page = context.new_page()
    page.goto(f"{server['base_url']}/verify/{code}?sha256={'0' * 64}")
    page.wait_for_url(re.compile(r"/app/verify/"))
    expect(page.get_by_test_id("verify-match")).to_contain_text("不一致")
    check_screen(page, "h5-verify-360-mismatch")
    page.get_by_test_id("verify-code").locator("input").fill("2222-2222-2222-2222")
    page.get_by_role("button", name="核验").click()
    expect(page.get_by_test_id("verify-verdict")).to_have_text("未找到该验证码对应的文件，请核对后重新输入")
    check_screen(page, "h5-verify-360-unknown")
    context.close()
