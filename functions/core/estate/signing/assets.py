"""The signing page's static files, served by the sign function itself (no CDN, no second origin):
its script and style, and the PDF.js build that draws each document onto canvases.

Only the names below are served (no path from the URL ever reaches the file system). URLs carry a
digest of the content (`?v=`), so a file can be cached for a year and a new deploy is still seen
at once. The PDF.js files come from web/node_modules (pinned in web/package-lock.json); `make`
copies them here and tools/package.py refuses to package the sign function without them.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from estate.errors import NotFound
from estate.results import Content

JAVASCRIPT, CSS = "text/javascript; charset=utf-8", "text/css; charset=utf-8"
CONTENT_TYPES = {"signing.js": JAVASCRIPT, "signing.css": CSS,
                 "pdf.min.mjs": JAVASCRIPT, "pdf.worker.min.mjs": JAVASCRIPT}
PDFJS_FILES = ("pdf.min.mjs", "pdf.worker.min.mjs")
LONG_CACHE = "public, max-age=31536000, immutable"


class StaticAssets:
    def __init__(self, directory: Path):
        self.directory = directory

    @functools.cache  # noqa: B019 - one instance per process; the files never change while it runs
    def _read(self, name: str) -> tuple[str, str]:
        path = self.directory / name
        if name not in CONTENT_TYPES or not path.is_file():
            raise NotFound("文件不存在", code="ASSET_NOT_FOUND")
        text = path.read_text("utf-8")
        return text, hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def url(self, name: str) -> str:
        """Relative to the page (/sign/{token}), so it also works under an API stage prefix."""
        return f"assets/{name}?v={self._read(name)[1]}"

    def response(self, name: str) -> Content:
        text, _digest = self._read(name)
        return Content(text, CONTENT_TYPES[name], headers={"Cache-Control": LONG_CACHE, "X-Content-Type-Options": "nosniff"})
