"""The staff pages run no script from data: a party named like markup is shown as text on the clerk
console's case view and the bank desk, and nothing it carries runs. The name is written straight into
the store (the API refuses such names), so this runs against the in-process stack behind the local
HTTP front; the pages' CSP allows scripts from the office function's asset route only."""

from __future__ import annotations


import pytest

from tests.support.browser import chromium, signed_in_staff_page
from local.driver.office import write_submitted_application

pytestmark = pytest.mark.e2e

MALICIOUS = "<img src=x onerror=window.__xss=1>"
BRANCH = "ICBC-YQ-KQ"


def _rename_a_buyer(application_id: str, **fields) -> None:
    from estate.store.applications import Application

    application = Application.get(*Application.key(application_id))
    parties = dict(application.parties)
    parties["buyers"] = [{**parties["buyers"][0], "name": MALICIOUS}, *parties["buyers"][1:]]
    application.parties = parties
    for name, value in fields.items():
        setattr(application, name, value)
    application.save()


def _nothing_ran(page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_text(MALICIOUS).first).to_be_visible()  # shown as the text it is
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("#detail img[src='x']").count() == 0


def _open_case_as_staff(origin: str, path: str, title: str, token: str, application_id: str, screenshot: str) -> None:
    """Open the case on a staff page, check the markup name ran nothing, keep a phone-width screenshot."""
    with chromium() as browser:
        page = signed_in_staff_page(browser, origin, path, title, token)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.locator(f"tr.row[data-id='{application_id}']").click()
        page.wait_for_selector("#detail-status")
        _nothing_ran(page)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=screenshot, full_page=True)
        assert errors == []


def test_the_clerk_console_shows_a_markup_name_as_text(stack, pool, in_process_origin):
    case = write_submitted_application(pool)
    _rename_a_buyer(case["id"])
    _open_case_as_staff(in_process_origin, "/office/console", "窗口受理工作台", stack.issuer.clerk_token(case["outlet"]),
                        case["id"], "/tmp/clerk-console-xss.png")


def test_the_bank_desk_shows_a_markup_name_as_text(stack, pool, in_process_origin):
    case = write_submitted_application(pool, business="loan-sale", status="PUSHED_TO_BANK")
    _rename_a_buyer(case["id"], bank_branch=BRANCH, bank={"bank": "ICBC", "branch": BRANCH, "branch_name": "工商银行矿区支行"})
    _open_case_as_staff(in_process_origin, "/bank/console", "协办工作台", stack.issuer.bank_token(BRANCH),
                        case["id"], "/tmp/bank-desk-xss.png")


def test_the_staff_pages_allow_no_inline_script_and_serve_only_their_own_assets(api):
    for path in ("/office/console", "/bank/console"):
        response = api.as_token(None).get(path)
        csp = response.headers["Content-Security-Policy"]
        script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'self'" in script_src
        assert "<script>" not in response.text  # every script is a file
        for name in ("staff_common.js", "console.js" if path.startswith("/office") else "bank_console.js"):
            assert f'<script src="/office/assets/{name}"></script>' in response.text
    asset = api.as_token(None).get("/office/assets/console.js")
    assert asset.status == 200 and asset.headers["Content-Type"].startswith("text/javascript")
    for name in ("console.html", "nope.js"):  # well-formed names off the allow-list
        refused = api.as_token(None).get(f"/office/assets/{name}")
        assert refused.status == 404 and refused.json()["code"] == "ASSET_NOT_FOUND"
    for name in ("..%2Fconsole.py", ".env"):  # not a file name at all: refused at the edge
        refused = api.as_token(None).get(f"/office/assets/{name}")
        assert refused.status == 400 and refused.json()["details"][0]["code"] == "KEY_FORMAT"
