"""What the sign / tax / mine browser tests share, on top of tests/support/h5.py (the phone, sign-in,
axe-core, screenshots): one check per screen, the SMS links, polling, a redirect read as it is."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request

from playwright.sync_api import expect

from tests.support.h5 import axe_serious, horizontal_overflow, phone_context, screenshot, signed_in


def phone(browser, *, camera: bool = False, token: str | None = None, name: str = "测试用户"):
    """A new phone (its own browser context): a party's own device, signed in to the app when `token`."""
    context = phone_context(browser, permissions=["camera"] if camera else [])
    if token:
        signed_in(context, token, name)
    return context


def check_screen(page, name: str) -> None:
    """A screenshot to look at (build/screenshots/), 0 serious/critical axe issues, no horizontal scroll."""
    screenshot(page, name)
    assert axe_serious(page) == [], name
    assert horizontal_overflow(page) <= 0, name


def wait_for(predicate, timeout_s: float = 40):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("condition not reached in time")


def sms_links(http, phone_number: str, kind: str = "sign") -> list[str]:
    """The links of one kind (/sign/…) in the SMS sent to a phone, oldest first."""
    status, outbox = http.json("GET", "/_dev/sms?format=json")
    found = [re.search(rf"(http://\S+/{kind}/[A-Za-z0-9_\-]+)", m["message"]) for m in outbox["messages"]
             if m["phone"].endswith(phone_number)]
    return [m.group(1) for m in found if m]


def signing_link(http, phone_number: str) -> str:
    return wait_for(lambda: sms_links(http, phone_number))[-1]


def app_loaded(page) -> None:
    """The app shell is up (its nav bar shows the screen's title)."""
    expect(page.locator(".van-nav-bar__title")).not_to_be_empty()


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def first_answer(url: str, accept: str) -> tuple[int, dict]:
    """(status, headers) of a GET without following a redirect (urllib follows them by default)."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.build_opener(_Stay).open(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)
