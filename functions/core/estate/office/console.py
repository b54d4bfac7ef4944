"""The staff pages: the clerk console and the bank desk, each one static page (Chinese, desktop) that
calls the office API with the staff member's bearer token. The pages hold no data of their own, so
serving them needs no login."""

from __future__ import annotations

import functools
from pathlib import Path

from chalice import Response

HERE = Path(__file__).resolve().parent
PAGES = {"clerk": HERE / "console.html", "bank": HERE / "bank_console.html"}
COMMON = HERE / "staff_common.html"   # styles, escaping, the API call and sign-in both pages share


@functools.cache
def _html(name: str) -> str:
    return PAGES[name].read_text(encoding="utf-8").replace("<!--STAFF_COMMON-->", COMMON.read_text(encoding="utf-8"))


def page(name: str = "clerk") -> Response:
    return Response(body=_html(name), status_code=200,
                    headers={"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache",
                             "Content-Security-Policy": "default-src 'self'; img-src 'self' data: http: https:; "
                                                        "style-src 'self' 'unsafe-inline'; "
                                                        "script-src 'self' 'unsafe-inline'; frame-src http: https:"})
