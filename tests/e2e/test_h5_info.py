"""Journey 7 of issue 15: 政策 / 指南 / 常见问题 in the citizen app, searched and opened, on a phone
(no sign-in needed); axe-core clean and no horizontal scroll at 390 and 360 px."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import chromium
from tests.support.h5 import SMALL_PHONE, axe_serious, horizontal_overflow, phone_context, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def check_screen(page, name: str) -> None:
    assert horizontal_overflow(page) == 0, name
    screenshot(page, name)
    assert axe_serious(page) == [], name


def test_search_policies_open_one_and_come_back_to_the_results(server, browser):
    context = phone_context(browser)
    page = context.new_page()
    page.goto(server["base_url"] + "/app/")
    page.get_by_role("navigation", name="业务入口").get_by_text("政策").click()
    page.wait_for_url("**/app/info/policies")
    page.get_by_text(re.compile(r"共 \d+ 条")).wait_for()
    total = int(re.search(r"\d+", page.get_by_text(re.compile(r"共 \d+ 条")).inner_text()).group())
    page.get_by_role("searchbox").fill("暂行条例")
    page.get_by_text("共 1 条").wait_for()
    assert total > 1
    check_screen(page, "h5-info-policies-search")
    page.locator(".van-cell", has_text="不动产登记暂行条例").click()
    page.get_by_role("heading", name=re.compile("不动产登记暂行条例")).wait_for()
    assert page.get_by_text("国务院令第656号").is_visible()
    check_screen(page, "h5-info-policy")
    page.go_back()
    page.get_by_text("共 1 条").wait_for()  # the search is kept in the address
    assert page.get_by_role("searchbox").input_value() == "暂行条例"
    context.close()


def test_a_guide_shows_its_process_materials_and_fees(server, browser):
    context = phone_context(browser)
    page = context.new_page()
    page.goto(server["base_url"] + "/app/info/guides")
    page.locator(".van-cell", has_text="二手商品房转移登记（买卖）办事指南").click()
    page.get_by_role("heading", name="办事流程").wait_for()
    for heading in ("阅读须知", "收件材料"):
        assert page.get_by_role("heading", name=heading).is_visible()
    check_screen(page, "h5-info-guide")
    context.close()


def test_faq_search_finds_nothing_then_something_and_unfolds_the_answer(server, browser):
    context = phone_context(browser, viewport=SMALL_PHONE)
    page = context.new_page()
    page.goto(server["base_url"] + "/app/info/faqs")
    page.get_by_role("searchbox").fill("火星")
    page.get_by_text("没有找到与“火星”相关的内容").wait_for()
    page.get_by_role("searchbox").fill("取消 预约")
    page.get_by_text(re.compile(r"共 \d+ 条")).wait_for()
    page.locator(".van-collapse-item__title").first.click()
    answer = page.locator(".van-collapse-item__content").first
    answer.wait_for()
    assert "取消" in answer.inner_text()
    check_screen(page, "h5-info-faqs-360")
    context.close()
