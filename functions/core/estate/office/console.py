"""The clerk console: one static page (Chinese, desktop) that calls the office API with the clerk's
bearer token. The page holds no data of its own, so serving it needs no login."""

from __future__ import annotations

import functools
from pathlib import Path

from chalice import Response

PAGE = Path(__file__).resolve().parent / "console.html"


@functools.cache
def _html() -> str:
    return PAGE.read_text(encoding="utf-8")


def page() -> Response:
    return Response(body=_html(), status_code=200,
                    headers={"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache",
                             "Content-Security-Policy": "default-src 'self'; img-src 'self' data: http: https:; "
                                                        "style-src 'self' 'unsafe-inline'; "
                                                        "script-src 'self' 'unsafe-inline'; frame-src http: https:"})
