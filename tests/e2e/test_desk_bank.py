"""The bank desk (web/src/bank, served at /bank/) in Chromium on a desktop, against the local stack over
real HTTP: a loan sale the buyer pushed to the branch (set up through the API) is taken by the branch's
loan officer to the registration centre using only the desk's forms — loan and mortgage, the contract
(refused before the loan, in Chinese), the tax declaration, the bank's materials uploaded from the
browser, the inquiry record (which starts signing); every party signs through their SMS link; the
officer seals after a confirmation, extracts the signed documents and submits. Every page's rendered
text is scanned for English codes and UTC times, and axe-core finds nothing serious or critical."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from local.driver.flows import image_bytes, inquiry_body
from local.driver.signing import wait_until
from tests.e2e.test_desk_clerk import DESKTOP, assert_readable, desk_page
from tests.support.browser import chromium
from tests.support.h5 import screenshot
from tests.support.sales import pushed_loan_sale, sign_all

pytestmark = pytest.mark.e2e

BANK, BRANCH, OUTLET = "ICBC", "ICBC-YQ-KQ", "140303"
OFFICER = "中国工商银行阳泉矿区支行信贷员"
BRANCH_NAME = "中国工商银行阳泉矿区支行"
CITIZEN_MATERIALS = ("original_certificate", "id_card_seller", "id_card_buyer", "household_register",
                     "marriage_certificate")
BANK_MATERIALS = ("借款合同", "银行营业执照或电子印章", "银行授权委托书及经办人身份证")


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


def message(page):
    return page.get_by_test_id("action-message")


def status_of(page):
    return page.get_by_test_id("case-status")


def sign_in_as_officer(page, officer: str = OFFICER) -> None:
    """统一身份认证登录, then the officer on the local stand-in for the centre's identity provider
    (local/oidc.py), with the keyboard, as an officer without a mouse would."""
    button = page.get_by_role("button", name="统一身份认证登录")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/_dev/oidc/staff/authorize\?.*redirect_uri=[^&]*%2Fbank%2Fsignin%2Fcallback"))
    chosen = page.get_by_role("button", name=f"以{officer}身份登录")
    chosen.focus()
    page.keyboard.press("Enter")


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def test_the_bank_desk_is_served_at_bank_beside_the_api(http):
    status, headers, body = http.raw("GET", "/bank/cases/YQ2026120100000000AA")
    assert status == 200 and b'<div id="bank">' in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    status, _, body = http.raw("GET", "/bank/console")   # the retired console's bookmark (301, followed)
    assert status == 200 and b'<div id="bank">' in body
    status, _, _ = http.raw("GET", "/bank/bank-assets/missing-chunk.js")
    assert status == 404
    status, _, _ = http.raw("GET", "/bank/applications")   # the API's, not the desk's: no token
    assert status == 401


def fill_contract(page, price: str) -> None:
    today = date.today()
    form = page.get_by_role("form", name="房屋买卖合同")
    form.get_by_label("附属设施设备").fill("厨房橱柜、热水器")
    form.get_by_label("成交价（元）").fill(price)
    expect_text(form, "大写：人民币陆拾万元整")
    form.get_by_label("定金（元）").fill("20000")
    form.get_by_role("radiogroup", name="付款方式").get_by_text("贷款付款").click()
    form.get_by_label("第1期金额（元）").fill("20000.00")
    fill_date(form.get_by_label("第1期付款日期"), (today + timedelta(days=1)).isoformat())
    form.get_by_role("button", name="添加付款阶段").click()
    assert form.get_by_label("第2期金额（元）").input_value() == f"{float(price) - 20000:.2f}"   # the rest of the price
    fill_date(form.get_by_label("第2期付款日期"), (today + timedelta(days=20)).isoformat())
    fill_date(form.get_by_label("房屋交付日期"), (today + timedelta(days=30)).isoformat())
    fill_date(form.get_by_label("申请转移登记期限"), (today + timedelta(days=60)).isoformat())
    form.get_by_label("交付约定").fill("交付钥匙2把，水电气表读数结清")
    form.get_by_role("radiogroup", name="争议解决方式").get_by_text("提交仲裁委员会仲裁").click()
    form.get_by_role("textbox", name="仲裁委员会").fill("阳泉仲裁委员会")


def fill_date(field, day: str) -> None:
    """A date picker takes the date typed as 年-月-日 and Enter (the calendar is for the mouse)."""
    field.fill(day)
    field.press("Enter")


def expect_text(locator, text: str) -> None:
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text)


def answer_inquiry(page, http, sellers: list[dict], buyer: dict) -> None:
    """Every party's answers, as the app's driver answers them (yes/no by the radio, the rest typed)."""
    status, questions = http.json("GET", "/inquiry/questions", token=http.login(role="bank", branch=BRANCH))
    assert status == 200, questions
    body = inquiry_body(sellers, [buyer])
    people = [(s, "seller", "卖方") for s in sellers] + [(buyer, "buyer", "买方")]
    form = page.get_by_role("form", name="询问笔录")
    for (person, role, role_label), respondent in zip(people, body["respondents"], strict=True):
        section = form.get_by_role("region", name=f"{role_label}{person['name']}的回答")
        for question in questions[role]:
            answer = respondent["answers"][question["id"]]
            if question["answer_type"] == "yes_no":
                group = section.get_by_role("radiogroup", name=f"{person['name']}：{question['question']}")
                group.get_by_text("是" if answer == "yes" else "否", exact=True).click()
            else:
                section.get_by_label(question["question"]).fill(answer)


def test_a_loan_officer_takes_a_pushed_loan_sale_to_the_centre_with_the_desks_forms(http, browser):
    from playwright.sync_api import expect

    sale = pushed_loan_sale(http, OUTLET, BANK, BRANCH, CITIZEN_MATERIALS)
    app_id, sellers, buyer = sale["id"], sale["sellers"], sale["buyer"]
    page = desk_page(browser, http.base_url)

    # Behind sign-in at the centre's provider (its bank desk address), then back to the queue.
    page.goto(http.base_url + "/bank/")
    page.wait_for_url(re.compile(r"/bank/signin\?back="))
    expect(page.get_by_role("heading", name="信贷人员登录")).to_be_visible()
    screenshot(page, "bank-signin")
    assert_readable(page, "sign-in")
    sign_in_as_officer(page)
    page.wait_for_url(re.compile(r"/bank/$"))
    assert page.evaluate("sessionStorage.getItem('estate.bank.branch')") == BRANCH

    # The queue: the branch by name, the pushed sale with its bank branch and state.
    expect(page.get_by_test_id("branch")).to_have_text(BRANCH_NAME)
    row = page.locator(".el-table__row", has_text=app_id)
    expect(row).to_contain_text("已推送银行")
    expect(row).to_contain_text(BRANCH_NAME)
    expect(row).to_contain_text(buyer["name"])
    screenshot(page, "bank-queue")
    assert_readable(page, "queue")
    row.get_by_role("link", name=app_id).click()

    expect(status_of(page)).to_have_text("已推送银行")
    expect(page.locator(".el-descriptions")).to_contain_text(BRANCH_NAME)
    expect(page.locator(".el-timeline")).to_contain_text("推送贷款银行")
    # The tabs are keyboard operable (arrow keys move between the steps).
    page.get_by_role("tab", name="贷款及抵押").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="买卖合同")).to_have_attribute("aria-selected", "true")
    screenshot(page, "bank-case-pushed")
    assert_readable(page, "case as pushed")

    # The contract cannot come before the loan: the officer is told so, in Chinese.
    fill_contract(page, "600000.00")
    page.get_by_role("button", name="保存买卖合同").click()
    expect(message(page)).to_contain_text("请先填写贷款及抵押信息")

    # Loan and mortgage: a bad amount is named under its field, then the right one is saved.
    open_tab(page, "贷款及抵押")
    loan = page.get_by_role("form", name="贷款及抵押信息")
    loan.get_by_label("贷款金额（元）").fill("四十万")
    loan.get_by_label("贷款期限（月）").fill("240")
    loan.get_by_label("抵押合同编号").fill("ICBC-KQ-DY-2026-0101")
    fill_date(loan.get_by_label("债务履行期限届满日"), "2046-11-30")
    loan.get_by_text("约定禁止转让抵押房产").click()
    loan.get_by_role("button", name="保存贷款信息").click()
    expect(loan.locator(".el-form-item__error")).to_contain_text("贷款金额应为大于0的金额")
    screenshot(page, "bank-loan-refused")
    assert_readable(page, "loan refused")
    loan.get_by_label("贷款金额（元）").fill("400000")
    expect(loan).to_contain_text("大写：人民币肆拾万元整")
    loan.get_by_role("button", name="保存贷款信息").click()
    expect(message(page)).to_contain_text("贷款及抵押信息已保存")
    expect(page.get_by_role("tab", name="买卖合同")).to_have_attribute("aria-selected", "true")
    expect(page.locator(".el-timeline")).to_contain_text("银行填写贷款信息")

    # The contract as typed before is still there: saved now.
    page.get_by_role("button", name="保存买卖合同").click()
    expect(message(page)).to_contain_text("买卖合同已保存")
    expect(status_of(page)).to_contain_text("已签订合同")

    # The tax declaration: the parties come filled in as 本人 of their families.
    declaration = page.get_by_role("form", name="纳税申报")
    expect(declaration.get_by_label("成员1 姓名").first).to_have_value(sellers[0]["name"])
    fill_date(declaration.get_by_label("卖方取得房屋日期"), "2018-05-20")
    declaration.get_by_role("radiogroup", name="是否为卖方家庭唯一住房").get_by_text("否").click()
    declaration.get_by_label("买方家庭已有住房（套）").fill("0")
    screenshot(page, "bank-declaration")
    declaration.get_by_role("button", name="保存纳税申报").click()
    expect(message(page)).to_contain_text("纳税申报已保存")

    # The bank's materials, from the officer's computer.
    expect(page.get_by_role("tab", name="银行材料")).to_have_attribute("aria-selected", "true")
    for name in BANK_MATERIALS:
        page.get_by_label(f"选择{name}的图片").set_input_files(
            {"name": "scan.jpg", "mimeType": "image/jpeg", "buffer": image_bytes()})
        expect(page.get_by_role("group", name=name)).to_contain_text("已上传", timeout=20_000)
    screenshot(page, "bank-materials")
    assert_readable(page, "materials")

    # The inquiry record starts signing.
    open_tab(page, "询问笔录")
    answer_inquiry(page, http, sellers, buyer)
    page.get_by_role("button", name="保存询问笔录并发起签署").click()
    expect(message(page)).to_contain_text("询问笔录已保存")
    expect(page.get_by_test_id("signatures")).to_contain_text("抵押权人", timeout=20_000)

    sign_all(http, sellers + [buyer])

    # The seal, after a confirmation that names the bank.
    page.get_by_role("button", name="加盖本行电子印章").click()
    dialog = page.get_by_role("dialog", name="确认加盖电子印章")
    expect(dialog).to_contain_text(f"{BRANCH_NAME}（抵押权人）")
    screenshot(page, "bank-seal-confirm")
    assert_readable(page, "seal confirmation")
    dialog.get_by_role("button", name="确认盖章").click()
    expect(message(page)).to_contain_text("已加盖本行电子印章")
    expect(page.get_by_test_id("signatures").locator("li", has_text="抵押权人")).to_contain_text("已签署")
    expect(page.get_by_role("button", name="加盖本行电子印章")).to_be_disabled()   # sealed once

    wait_until(lambda: http.json("GET", f"/bank/applications/{app_id}/signing",
                                 token=http.login(role="bank", branch=BRANCH))[1]["packet_ready"], timeout_s=60)
    page.get_by_role("button", name="一键提取签署文件").click()
    expect(message(page)).to_contain_text("已提取全部签署文件")
    page.get_by_role("button", name="提交登记中心").click()
    expect(message(page)).to_contain_text("已提交登记中心")
    expect(status_of(page)).to_have_text("已提交，待受理")
    expect(page.get_by_test_id("documents")).to_contain_text("不动产抵押合同（已签署）")
    expect(page.locator(".el-timeline")).to_contain_text("提交申请")
    screenshot(page, "bank-case-submitted")
    assert_readable(page, "submitted case")

    page.get_by_role("link", name="返回列表").click()
    expect(page.locator(".el-table__row", has_text=app_id)).to_contain_text("已提交，待受理")
    assert page.errors == []


def test_an_expired_session_signs_in_again_and_returns_to_the_same_page(http, browser):
    page = desk_page(browser, http.base_url)
    page.goto(http.base_url + "/bank/")
    sign_in_as_officer(page)
    page.wait_for_url(re.compile(r"/bank/$"))
    page.goto(http.base_url + "/bank/cases/YQ2026120100000000AA")
    page.wait_for_load_state("networkidle")

    # The session ends (here: its token no longer passes): the next call sends the officer to sign in,
    # and back to the same page.
    page.evaluate("sessionStorage.setItem('estate.token', 'expired.session.token')")
    page.reload()
    page.wait_for_url(re.compile(r"/bank/signin\?back=(%2F|/)cases(%2F|/)YQ2026120100000000AA$"))
    sign_in_as_officer(page)
    page.wait_for_url(re.compile(r"/bank/cases/YQ2026120100000000AA$"))
    assert page.evaluate("sessionStorage.getItem('estate.signin.pending')") is None
    assert page.errors == []


def test_a_clerk_is_turned_away_from_the_bank_desk_in_chinese(http, browser):
    from playwright.sync_api import expect

    page = desk_page(browser, http.base_url)
    page.goto(http.base_url + "/bank/signin?back=/")
    sign_in_as_officer(page, "城区窗口受理员")
    page.wait_for_url(re.compile(r"/bank/signin/callback\?code="))
    expect(page.get_by_role("alert")).to_have_text("您的账号是窗口受理岗位，请使用不动产登记窗口受理工作台")
    screenshot(page, "bank-signin-clerk-refused")
    assert_readable(page, "clerk refused")
    assert page.evaluate("sessionStorage.getItem('estate.token')") is None
    page.get_by_role("button", name="重新登录").click()
    page.wait_for_url(re.compile(r"/bank/signin\?back="))


def test_the_bank_desk_shows_a_markup_name_as_text(stack, pool, in_process_origin):
    """A party named like markup (written straight into the store: the API refuses such names) is shown
    as the text it is, on the queue and the case, and nothing it carries runs."""
    from playwright.sync_api import expect

    from estate.store.applications import Application
    from local.driver.office import write_submitted_application

    markup = "<img src=x onerror=window.__xss=1>"
    case = write_submitted_application(pool, business="loan-sale", status="PUSHED_TO_BANK")
    application = Application.get(*Application.key(case["id"]))
    parties = dict(application.parties)
    parties["buyers"] = [{**parties["buyers"][0], "name": markup}, *parties["buyers"][1:]]
    application.parties = parties
    application.bank_branch = BRANCH
    application.bank = {"bank": BANK, "bank_name": "中国工商银行", "branch": BRANCH, "branch_name": BRANCH_NAME}
    application.save()

    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP, locale="zh-CN")
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        # The officer's session straight into the tab: this in-process stack's identity provider
        # names another origin (signing in through it is tested above).
        page.goto(f"{in_process_origin}/bank/signin")
        page.evaluate("([token, name, branch]) => { sessionStorage.setItem('estate.token', token);"
                      " sessionStorage.setItem('estate.name', name); sessionStorage.setItem('estate.bank.branch', branch); }",
                      [stack.issuer.bank_token(BRANCH, OFFICER), OFFICER, BRANCH])
        page.goto(f"{in_process_origin}/bank/cases/{case['id']}")
        expect(page.get_by_text(markup).first).to_be_visible()
        page.goto(f"{in_process_origin}/bank/")
        expect(page.locator(".el-table__row", has_text=case["id"])).to_contain_text(markup)
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert page.locator("img[src='x']").count() == 0
        assert errors == []
