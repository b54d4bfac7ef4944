"""Sign-in in Chromium through the local stand-ins for the identity providers (local/oidc.py) and the
real sign-in routes: a clerk at the desk (desktop) and a citizen in the app (phone, 390x844, Android
WebView UA). Each comes back to the page they asked for; an expired session sends them to sign in and
back to the same page; an account the centre gave no post is refused in Chinese."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import chromium
from tests.support.h5 import axe_serious, phone_context, screenshot, sign_in_on_screen

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def desk_context(browser):
    return browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")


def test_a_clerk_signs_in_at_the_centres_provider_and_an_expired_session_returns_to_the_page(http, browser):
    context = desk_context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(http.base_url + "/office/appointments")
    page.wait_for_url(re.compile(r"/office/signin\?back=(%2F|/)appointments$"))
    page.get_by_role("button", name="统一身份认证登录").wait_for()
    screenshot(page, "signin-desk")
    assert axe_serious(page) == []

    page.get_by_role("button", name="统一身份认证登录").click()
    page.wait_for_url(re.compile(r"/_dev/oidc/staff/authorize\?.*code_challenge_method=S256"))
    screenshot(page, "signin-desk-provider")
    assert axe_serious(page) == []
    page.get_by_role("button", name="以城区窗口受理员身份登录").click()
    page.wait_for_url(re.compile(r"/office/appointments$"))
    assert page.evaluate("sessionStorage.getItem('estate.desk.outlet')") == "140302"
    assert page.evaluate("sessionStorage.getItem('estate.signin.pending')") is None
    page.get_by_text("城区窗口受理员").first.wait_for()

    # The session ends (here: its token no longer passes): the next call sends the clerk to sign in,
    # and back to the same page.
    page.evaluate("sessionStorage.setItem('estate.token', 'expired.session.token')")
    page.reload()
    page.wait_for_url(re.compile(r"/office/signin\?back=(%2F|/)appointments"))
    page.get_by_role("button", name="统一身份认证登录").click()
    page.get_by_role("button", name="以城区窗口受理员身份登录").click()
    page.wait_for_url(re.compile(r"/office/appointments$"))
    assert errors == []
    context.close()


def test_an_account_without_a_post_is_refused_in_chinese_and_can_try_again(http, browser):
    context = desk_context(browser)
    page = context.new_page()
    page.goto(http.base_url + "/office/signin?back=/")
    page.get_by_role("button", name="统一身份认证登录").click()
    page.get_by_role("button", name="以未分配岗位的账号登录").click()
    page.wait_for_url(re.compile(r"/office/signin/callback\?code="))
    page.get_by_text("您的账号未分配不动产登记业务岗位，请联系管理员开通").wait_for()
    assert page.evaluate("sessionStorage.getItem('estate.token')") is None
    screenshot(page, "signin-desk-refused")
    assert axe_serious(page) == []
    page.get_by_role("button", name="重新登录").click()
    page.wait_for_url(re.compile(r"/office/signin\?back="))
    context.close()


def test_a_callback_without_this_tabs_sign_in_is_refused(http, browser):
    context = desk_context(browser)
    page = context.new_page()
    page.goto(http.base_url + "/office/signin/callback?code=stolen&state=forged")
    page.get_by_text("登录请求校验未通过，请重新登录").wait_for()
    assert page.evaluate("sessionStorage.getItem('estate.token')") is None
    context.close()


def test_a_citizen_signs_in_through_sanjintong_on_a_phone_and_comes_back(http, browser):
    person = http.json("GET", "/_dev/people")[1]["people"][2]
    context = phone_context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(http.base_url + "/app/booking/mine")
    page.wait_for_url(re.compile(r"/app/signin\?back=(%2F|/)booking(%2F|/)mine$"))
    page.get_by_role("button", name="三晋通授权登录").wait_for()
    screenshot(page, "signin-app")
    assert axe_serious(page) == []

    page.get_by_role("button", name="三晋通授权登录").click()
    page.wait_for_url("**/_dev/oidc/citizen/authorize?**")
    screenshot(page, "signin-app-provider")
    assert axe_serious(page) == []
    page.get_by_role("searchbox").fill(person["name"])
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_url("**q=**")
    page.get_by_role("button", name=person["name"]).first.click()
    page.wait_for_url("**/app/booking/mine")
    assert page.evaluate("sessionStorage.getItem('estate.name')") == person["name"]
    page.get_by_text("您还没有预约").or_(page.locator(".mine__item").first).wait_for()
    screenshot(page, "signin-app-back")

    # An expired session: sign in again, back on the same screen.
    page.evaluate("sessionStorage.setItem('estate.token', 'expired.session.token')")
    page.reload()
    page.wait_for_url(re.compile(r"/app/signin\?back=(%2F|/)booking(%2F|/)mine$"))
    sign_in_on_screen(page, person["name"])
    page.wait_for_url("**/app/booking/mine")
    assert errors == []
    context.close()


def test_a_loan_officer_is_sent_to_the_bank_desk_not_signed_in_at_the_counter(http, browser):
    context = desk_context(browser)
    page = context.new_page()
    page.goto(http.base_url + "/office/signin?back=/")
    page.get_by_role("button", name="统一身份认证登录").click()
    page.get_by_role("button", name="以中国建设银行阳泉分行营业部信贷员身份登录").click()
    page.get_by_text("您的账号是银行信贷岗位，请使用贷款银行协办工作台").wait_for()
    assert page.evaluate("sessionStorage.getItem('estate.token')") is None
    context.close()
