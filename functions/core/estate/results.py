"""What a use case answers when the answer is not a plain JSON object, without knowing the transport.

A use case returns a dict (JSON, 200), one of these values, or raises a DomainError; estate.http
turns each into the HTTP response (the only module that imports Chalice), so the same use case can
be called from a queue, a test or another edge unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Content:
    """A body that is not JSON: an HTML page, a static script, a calendar file, a provider's
    plain-text acknowledgement. `headers` come on top of the Content-Type (security policy, caching,
    Content-Disposition)."""

    body: str | bytes
    content_type: str
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Created:
    """201 with a JSON body, and where the new thing lives when it has an address of its own."""

    body: Any
    location: str | None = None


def redirect(location: str) -> Content:
    """303 See Other: a browser opening an API address meant for people (a signing link in an SMS, a
    scanned payment QR code) is sent to the citizen app's screen for it. The address carries a
    token, so it is never cached and never leaks to the next site as a referrer."""
    return Content("", "text/html; charset=utf-8", 303,
                   {"Location": location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


def moved(location: str) -> Content:
    """301 Moved Permanently: a retired page's address (a bookmark of the old staff consoles) now
    served elsewhere on the same origin; browsers may remember it."""
    return Content("", "text/html; charset=utf-8", 301, {"Location": location, "Cache-Control": "max-age=86400"})
