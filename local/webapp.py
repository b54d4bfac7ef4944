"""The built browser apps, as CloudFront serves them from the bucket when deployed: hashed assets cached
for a year, the page itself never, and the app's own addresses answered with its page (its router reads
the address).

- the citizen H5 app (web/ → build/web/app by `make web-app`) at /app/: every path under it is the app's;
- the clerk's desk (→ build/web/desk by `make web-desk`) at /office/: that prefix is shared with the
  office API (/office/applications, /office/vocabulary…), so only the desk's own addresses (its routes
  in web/src/desk/router.ts, its assets under /office/desk-assets/) are answered here, the rest falls
  through to the API;
- the bank desk (→ build/web/bank by `make web-bank`) at /bank/, beside the bank API (/bank/applications…)
  in the same way: its routes in web/src/bank/router.ts and its assets under /bank/bank-assets/."""

from __future__ import annotations

import functools
import gzip
import mimetypes
from pathlib import Path

from local.gateway import HttpResponse

ROOT = Path(__file__).resolve().parents[1]
APP_DIR = ROOT / "build" / "web" / "app"
PREFIX = "/app"
DESK_DIR = ROOT / "build" / "web" / "desk"
DESK_PREFIX = "/office"
DESK_ASSETS = "desk-assets/"
# The desk's router's first path segments (web/src/desk/router.ts); "" is /office/ itself.
DESK_ROUTES = {"", "signin", "cases", "appointments", "publishing", "trail"}
BANK_DIR = ROOT / "build" / "web" / "bank"
BANK_PREFIX = "/bank"
BANK_ASSETS = "bank-assets/"
# The bank desk's router's first path segments (web/src/bank/router.ts).
BANK_ROUTES = {"", "signin", "cases"}
IMMUTABLE = "public, max-age=31536000, immutable"
# The app's own scripts only (no inline script, no eval); styles inline are Vue's scoped/Vant's.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; media-src 'self' blob:; "
       "object-src 'none'; base-uri 'self'; frame-ancestors 'self'")
TYPES = {".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".html": "text/html; charset=utf-8", ".json": "application/json",
         ".svg": "image/svg+xml", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
         ".png": "image/png", ".jpg": "image/jpeg", ".ico": "image/x-icon", ".map": "application/json"}


COMPRESSIBLE = (".js", ".mjs", ".css", ".html", ".json", ".svg", ".map")


@functools.lru_cache(maxsize=256)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6)


def _file(path: Path, headers: dict, extra: dict[str, str]) -> HttpResponse:
    """The file, gzip-encoded when the browser accepts it (as CloudFront's `Compress: true` does)."""
    accept = next((v for k, v in headers.items() if k.lower() == "accept-encoding"), "")
    if path.suffix.lower() in COMPRESSIBLE and "gzip" in accept:
        body = _gzipped(path, path.stat().st_mtime_ns)
        return HttpResponse(200, {**extra, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}, body)
    return HttpResponse(200, {**extra, "Vary": "Accept-Encoding"}, path.read_bytes())


def _not_built(target: str = "web-app") -> HttpResponse:
    body = f"<!doctype html><meta charset='utf-8'><title>未构建</title><p>应用尚未构建：请运行 <code>make {target}</code>（make run 会自动构建）。</p>"
    return HttpResponse(503, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}, body.encode())


def serve_app(method: str, path: str, headers: dict, body: bytes, query: dict) -> HttpResponse | None:
    """A local route (see local.stack.first_answer): None for anything outside /app/."""
    if path != PREFIX and not path.startswith(PREFIX + "/"):
        return None
    return _serve_built(method, path, headers, PREFIX, APP_DIR / "index.html", "assets/", "web-app")


def serve_desk(method: str, path: str, headers: dict, body: bytes, query: dict) -> HttpResponse | None:
    """A local route: the clerk's desk's page and files under /office/; None for the office API's paths."""
    if not _desk_path(path, DESK_PREFIX, DESK_ASSETS, DESK_ROUTES):
        return None
    return _serve_built(method, path, headers, DESK_PREFIX, DESK_DIR / "desk.html", DESK_ASSETS, "web-desk")


def serve_bank(method: str, path: str, headers: dict, body: bytes, query: dict) -> HttpResponse | None:
    """A local route: the bank desk's page and files under /bank/; None for the bank API's paths."""
    if not _desk_path(path, BANK_PREFIX, BANK_ASSETS, BANK_ROUTES):
        return None
    return _serve_built(method, path, headers, BANK_PREFIX, BANK_DIR / "bank.html", BANK_ASSETS, "web-bank")


def _desk_path(path: str, prefix: str, assets: str, routes: set[str]) -> bool:
    """Whether a path under a prefix shared with the API is a desk's own (its screens, its files)."""
    if not path.startswith(prefix + "/"):
        return False
    relative = path[len(prefix) + 1:]
    return relative.startswith(assets) or relative.split("/", 1)[0] in routes


def _serve_built(method: str, path: str, headers: dict, prefix: str, index: Path, assets: str, target: str) -> HttpResponse:
    """One built app's page or file; `assets` is the folder of its content-hashed files."""
    if method.upper() not in ("GET", "HEAD"):
        return HttpResponse(405, {"Allow": "GET, HEAD", "Content-Type": "text/plain; charset=utf-8"}, b"")
    if path == prefix:
        return HttpResponse(301, {"Location": prefix + "/"}, b"")
    if not index.is_file():
        return _not_built(target)
    root = index.parent.resolve()
    relative = path[len(prefix) + 1:]
    target_file = (root / relative).resolve() if relative else index
    inside = target_file == root or root in target_file.parents
    if inside and target_file.is_file() and target_file != index:
        suffix = target_file.suffix.lower()
        content_type = TYPES.get(suffix) or mimetypes.guess_type(target_file.name)[0] or "application/octet-stream"
        # Vite names everything under its assets folder by content hash: safe to keep forever.
        cache = IMMUTABLE if relative.startswith(assets) else "no-cache"
        return _file(target_file, headers, {"Content-Type": content_type, "Cache-Control": cache,
                                            "X-Content-Type-Options": "nosniff"})
    if relative.startswith(assets) or Path(relative).suffix:
        # A missing file is a 404, not the app: a stale chunk name must not come back as HTML.
        return HttpResponse(404, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}, b"")
    return _file(index, headers, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache",
                                  "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                                  "Referrer-Policy": "same-origin"})
