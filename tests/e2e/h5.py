"""What the citizen app's browser tests share: a phone (390x844, Android WebView user agent), signing
in as the app's demo sign-in does (the token in sessionStorage), axe-core with 0 serious/critical
issues, screenshots to build/screenshots/ (gitignored), and the SMS / polling helpers."""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path

from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
         "user_agent": ("Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 "
                        "(KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 Mobile Safari/537.36")}


def phone(browser, *, camera: bool = False, token: str | None = None, name: str = "测试用户"):
    """A new phone: its own browser context (a party's own device), signed in to the app when `token`."""
    context = browser.new_context(**PHONE, permissions=["camera"] if camera else [])
    if token:
        # what the app's sign-in screen stores (web/src/shared/session.ts), before any app script runs
        context.add_init_script(f"sessionStorage.setItem('estate.token', {token!r});"
                                f"sessionStorage.setItem('estate.name', {name!r});")
    return context


@functools.cache
def _axe_source() -> str:
    return AXE.read_text("utf-8") + "\n;undefined"


def check_screen(page, name: str) -> None:
    """A screenshot to look at, and axe-core: no serious or critical accessibility issue on the screen."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    # Through the DevTools protocol, which the page's CSP does not govern (add_script_tag would be an
    # inline script the app's CSP refuses, rightly).
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                           ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                           ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))")
    assert result == [], f"{name}: {result}"
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, f"{name}: horizontal scroll ({scroll_width}px)"


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


def first_answer(url: str, accept: str) -> tuple[int, dict]:
    """(status, headers) of a GET without following a redirect (urllib follows them by default)."""
    import urllib.error
    import urllib.request

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.build_opener(Stay).open(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)
