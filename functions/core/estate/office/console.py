"""The staff pages: the clerk console and the bank desk, each one static page (Chinese, desktop) that
calls the office API with the staff member's bearer token. The pages hold no data of their own, so
serving them needs no login."""

from __future__ import annotations

import functools
from pathlib import Path

from estate.errors import NotFound
from estate.results import Content

HERE = Path(__file__).resolve().parent
PAGES = {"clerk": HERE / "console.html", "bank": HERE / "bank_console.html"}
COMMON = HERE / "staff_common.html"   # styles and the shared script (assets/staff_common.js) both pages load


@functools.cache
def _html(name: str) -> str:
    return PAGES[name].read_text(encoding="utf-8").replace("<!--STAFF_COMMON-->", COMMON.read_text(encoding="utf-8"))


# No inline script may run (a party's name is data): the pages load their scripts from ASSETS only.
CSP = ("default-src 'self'; script-src 'self'; img-src 'self' data: http: https:; style-src 'self' 'unsafe-inline'; "
       "frame-src http: https:; object-src 'none'; base-uri 'none'; form-action 'self'")
ASSETS = {name: HERE / "assets" / name for name in ("staff_common.js", "console.js", "bank_console.js")}


def page(name: str = "clerk") -> Content:
    return Content(_html(name), "text/html; charset=utf-8",
                   headers={"Cache-Control": "no-cache", "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"})


def asset(name: str) -> Content:
    """One of the pages' scripts, by its allow-listed name (nothing else under this folder is served)."""
    if name not in ASSETS:
        raise NotFound("文件不存在", code="ASSET_NOT_FOUND")
    return Content(_asset(name), "text/javascript; charset=utf-8",
                   headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


@functools.cache
def _asset(name: str) -> str:
    return ASSETS[name].read_text(encoding="utf-8")
