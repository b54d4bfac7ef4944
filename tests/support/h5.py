"""The citizen H5 app in Chromium as a phone: viewport, Android WebView user agent, sign-in, axe-core,
screenshots (build/screenshots/, not committed). Shared by every tests/e2e/test_h5_<area>.py."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
PHONE = {"width": 390, "height": 844}
SMALL_PHONE = {"width": 360, "height": 640}
ANDROID_WEBVIEW_UA = ("Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 "
                      "(KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 Mobile Safari/537.36")


def phone_context(browser, viewport: dict | None = None, **options):
    """A new browser context shaped like a phone's WebView (its own sessionStorage: one "phone")."""
    return browser.new_context(viewport=viewport or PHONE, user_agent=ANDROID_WEBVIEW_UA, locale="zh-CN",
                               timezone_id="Asia/Shanghai", is_mobile=True, has_touch=True,
                               device_scale_factor=2, **options)


def signed_in(context, token: str, name: str) -> None:
    """Every page of `context` starts signed in as this person (as the sign-in screen leaves it)."""
    context.add_init_script(f"sessionStorage.setItem('estate.token', {json.dumps(token)});"
                            f"sessionStorage.setItem('estate.name', {json.dumps(name)});")


def sign_in_on_screen(page, name: str) -> None:
    """On the sign-in screen: 三晋通授权登录, then on the local stand-in for 三晋通 (local/oidc.py) filter the
    demo people by name and choose that person; 三晋通 sends the phone back to the app's callback."""
    page.get_by_role("button", name="三晋通授权登录").click()
    page.wait_for_url("**/_dev/oidc/citizen/authorize?**")
    page.get_by_role("searchbox").fill(name)
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_url("**q=**")
    page.get_by_role("button", name=name).first.click()


def axe_serious(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now (id, impact, nodes' targets)."""
    # Evaluated through the DevTools protocol, not add_script_tag: the app's CSP (script-src 'self')
    # blocks an inline script tag, and the test should run the app under its real CSP.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' '))}));
    }""")
    return list(result)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 = no horizontal scroll)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


class CaptchaReader:
    """Reads the captchas a page is shown (the answers of POST /captchas it receives), as a person
    reads the picture: the local stack's reveal route gives the text of the latest one."""

    def __init__(self, page):
        self.page = page
        self.ids: list[str] = []
        self.refused: list[int] = []
        page.on("response", self._seen)

    def _seen(self, response) -> None:
        if response.request.method == "POST" and response.url.split("?")[0].endswith("/captchas"):
            if response.ok:
                self.ids.append(response.json()["captcha_id"])
            else:
                self.refused.append(response.status)

    def latest_answer(self, http) -> str:
        # The picture can be on screen before the sync API has delivered its response event: let
        # Playwright dispatch events for a while (a loaded runner) before concluding there was none.
        for _ in range(50):
            if self.ids:
                break
            self.page.wait_for_timeout(200)
        assert self.ids, f"the page has not shown a captcha (refused: {self.refused})"
        status, body = http.json("GET", f"/_dev/captchas/{self.ids[-1]}")
        assert status == 200, body
        return body["answer"]


def deny_camera(context) -> None:
    """The person refuses the camera (or the WebView has none): getUserMedia rejects as browsers do."""
    context.add_init_script("""navigator.mediaDevices && (navigator.mediaDevices.getUserMedia =
        () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError')));""")
