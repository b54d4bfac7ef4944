"""The citizen H5 app's built files (web/ → build/web/app by `make web-app`) at /app/, as CloudFront
serves them from the bucket when deployed: hashed assets cached for a year, index.html never, any
other path under /app/ answered with index.html (the app's router reads the address)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from local.gateway import HttpResponse

ROOT = Path(__file__).resolve().parents[1]
APP_DIR = ROOT / "build" / "web" / "app"
PREFIX = "/app"
IMMUTABLE = "public, max-age=31536000, immutable"
# The app's own scripts only (no inline script, no eval); styles inline are Vue's scoped/Vant's.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; media-src 'self' blob:; "
       "object-src 'none'; base-uri 'self'; frame-ancestors 'self'")
TYPES = {".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".html": "text/html; charset=utf-8", ".json": "application/json",
         ".svg": "image/svg+xml", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
         ".png": "image/png", ".jpg": "image/jpeg", ".ico": "image/x-icon", ".map": "application/json"}


def _not_built() -> HttpResponse:
    body = "<!doctype html><meta charset='utf-8'><title>未构建</title><p>应用尚未构建：请运行 <code>make web-app</code>（make run 会自动构建）。</p>"
    return HttpResponse(503, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}, body.encode())


def serve_app(method: str, path: str, headers: dict, body: bytes, query: dict) -> HttpResponse | None:
    """A local route (see local.stack.first_answer): None for anything outside /app/."""
    if path != PREFIX and not path.startswith(PREFIX + "/"):
        return None
    if method.upper() not in ("GET", "HEAD"):
        return HttpResponse(405, {"Allow": "GET, HEAD", "Content-Type": "text/plain; charset=utf-8"}, b"")
    if path == PREFIX:
        return HttpResponse(301, {"Location": PREFIX + "/"}, b"")
    index = APP_DIR / "index.html"
    if not index.is_file():
        return _not_built()
    relative = path[len(PREFIX) + 1:]
    target = (APP_DIR / relative).resolve() if relative else index
    inside = target == APP_DIR.resolve() or APP_DIR.resolve() in target.parents
    if inside and target.is_file() and target != index:
        suffix = target.suffix.lower()
        content_type = TYPES.get(suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        # Vite names everything under assets/ by its content hash: safe to keep forever.
        cache = IMMUTABLE if relative.startswith("assets/") else "no-cache"
        return HttpResponse(200, {"Content-Type": content_type, "Cache-Control": cache,
                                  "X-Content-Type-Options": "nosniff"}, target.read_bytes())
    if relative.startswith("assets/") or Path(relative).suffix:
        # A missing file is a 404, not the app: a stale chunk name must not come back as HTML.
        return HttpResponse(404, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}, b"")
    return HttpResponse(200, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache",
                              "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                              "Referrer-Policy": "same-origin"}, index.read_bytes())
