"""Headless Debian Chromium driven by Playwright (no browser download: the system binary)."""

from __future__ import annotations

import shutil
from contextlib import contextmanager

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


class _Shared:
    """One Playwright driver and one Chromium per test process (each xdist worker), started by the
    first test that asks and stopped at the session's end (tests/conftest.py): a launch costs ~1 s
    of CPU and the citizen app's tests open the browser in every file."""

    playwright = None
    browser = None

    @classmethod
    def get(cls):
        if cls.browser is None or not cls.browser.is_connected():
            from playwright.sync_api import sync_playwright

            if cls.playwright is None:
                cls.playwright = sync_playwright().start()
            cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        return cls.browser

    @classmethod
    def stop(cls) -> None:
        if cls.browser is not None:
            cls.browser.close()
        if cls.playwright is not None:
            cls.playwright.stop()
        cls.browser = cls.playwright = None


@contextmanager
def chromium():
    """The process's Chromium for the block. What the block opens (contexts, and the context of each
    `browser.new_page()`) is closed when it ends, so each block starts with no cookies, storage or
    pages of an earlier one, as a freshly launched browser would."""
    if not shutil.which("chromium"):
        pytest.fail("Debian's chromium is not installed: run tools/bootstrap-system.sh (make test does)")
    browser = _Shared.get()
    before = set(browser.contexts)
    try:
        yield browser
    finally:
        for context in browser.contexts:
            if context not in before:
                context.close()


def stop_shared_chromium() -> None:
    _Shared.stop()
