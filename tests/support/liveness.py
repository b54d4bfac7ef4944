"""Passing a face check in tests, one place: every flow goes through the local simulated liveness
page (local/liveness.py), as a person goes through the provider's page.

  face_check_over_http(http, token)    the API calls the app makes, the page answered over HTTP
  answer_liveness_page(page, outcome)  in a browser, on the app's face step: 开始人脸识别, then on
                                       the simulated page the button for live / not live / timeout,
                                       and wait to be back in the app
"""

from __future__ import annotations

from urllib.parse import urlsplit

BUTTONS = {"live": "本人完成动作（活体通过）", "not_live": "举着照片 / 翻拍屏幕（非活体）", "timeout": "什么也不做（超时）"}


def face_check_over_http(http, token: str, purpose: str = "apply") -> dict:
    status, started = http.json("POST", "/identity/liveness-sessions", {"purpose": purpose}, token)
    assert status == 201, started
    status, answered = http.json("POST", urlsplit(started["url"]).path, {"outcome": "live"})
    assert status == 200, answered
    status, face = http.json("POST", "/identity/face-checks", {"session": started["session"]}, token)
    assert status == 201, face
    return face


def answer_liveness_page(page, outcome: str = "live", timeout_ms: int = 30000, on_page=None) -> None:
    """`on_page(page)` runs on the liveness page itself (a screenshot, an accessibility check)."""
    from playwright.sync_api import expect

    start = page.get_by_test_id("liveness-start")
    # Not while it shows 请稍候… (a result being checked): a loading Vant button ignores the tap.
    expect(start).to_have_text("开始人脸识别", timeout=timeout_ms)
    start.click()
    page.wait_for_url("**/_dev/liveness/**", timeout=timeout_ms)
    if on_page is not None:
        on_page(page)
    page.get_by_role("button", name=BUTTONS[outcome]).click()
    page.wait_for_url("**/app/**", timeout=timeout_ms)
