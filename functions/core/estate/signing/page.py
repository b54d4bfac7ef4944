"""The link in each party's SMS, /sign/{token}: a browser opening it is sent to the citizen app's
signing screen (one codebase for every citizen screen, decision log "Signing moves into the app").

The token stays the only credential: the app's screen talks to /sign/{token}/* exactly as the
old page did, and shows an unknown, expired or voided link (404/410 from /session) as a page of
its own. Old links in old messages keep working: they land here and are redirected.
"""

from __future__ import annotations

from urllib.parse import quote

from estate.config import get_settings
from estate.results import Content, redirect


def signing_page(token: str) -> Content:
    return redirect(f"{get_settings().app_base_url}/sign/{quote(token, safe='')}")
