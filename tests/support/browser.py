"""Headless Debian Chromium driven by Playwright (no browser download: the system binary)."""

from __future__ import annotations

import shutil
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    if not shutil.which("chromium"):
        pytest.fail("Debian's chromium is not installed: run tools/bootstrap-system.sh (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def signed_in_staff_page(browser, base_url: str, path: str, heading: str, token: str):
    """A staff page (clerk console, bank desk) on a desktop viewport, its staff token pasted and 登录 pressed."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page.goto(base_url + path)
    expect(page.locator("h1")).to_contain_text(heading)
    page.fill("#token", token)
    page.click("#save-token")
    return page
