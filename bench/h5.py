"""The citizen H5 app's weight, from Vite's build manifest (build/web/app/.vite/manifest.json; built by
`make web-app`, which `make bench` runs first). Sizes are gzip level 9 of the built files, in KB.

h5.home.js_kb_gz            JS + CSS a phone loads to show the home screen: the entry, what it imports
                            statically, and the home view's own chunk with its imports (goal ≤ 150)
h5.route.<View>.kb_gz       each lazy screen's own JS + CSS beyond what the home screen already loaded
h5.pdfjs.kb_gz              PDF.js (its library chunk; the worker is fetched when a document is shown)
h5.home.pdfjs_files         PDF.js files among the home screen's (goal 0: it loads only with a document)
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "build" / "web" / "app"
HOME_VIEW = "src/app/views/home/HomeView.vue"


def gzip_kb(path: Path) -> float:
    return len(gzip.compress(path.read_bytes(), compresslevel=9)) / 1024


def closure(manifest: dict, keys: list[str]) -> set[str]:
    """Every file (JS and CSS) that loading these manifest entries fetches: static imports, recursively."""
    files: set[str] = set()
    seen: set[str] = set()
    pending = list(keys)
    while pending:
        key = pending.pop()
        if key in seen or key not in manifest:
            continue
        seen.add(key)
        chunk = manifest[key]
        files.add(chunk["file"])
        files.update(chunk.get("css", []))
        pending.extend(chunk.get("imports", []))
    return files


def measure() -> dict[str, float]:
    manifest = json.loads((APP / ".vite" / "manifest.json").read_text(encoding="utf-8"))
    entry = next(key for key, chunk in manifest.items() if chunk.get("isEntry"))
    home = closure(manifest, [entry, HOME_VIEW])
    figures = {"h5.home.js_kb_gz": sum(gzip_kb(APP / f) for f in home)}
    for key, chunk in sorted(manifest.items()):
        if chunk.get("isDynamicEntry") and key.endswith(".vue") and key != HOME_VIEW:
            extra = closure(manifest, [key]) - home
            figures[f"h5.route.{Path(key).stem}.kb_gz"] = sum(gzip_kb(APP / f) for f in extra)
    pdfjs = [key for key in manifest if "pdfjs-dist" in key and key.endswith("pdf.mjs")]
    figures["h5.pdfjs.kb_gz"] = sum(gzip_kb(APP / manifest[key]["file"]) for key in pdfjs)
    figures["h5.home.pdfjs_files"] = float(len(home & {manifest[key]["file"] for key in pdfjs}))
    return figures


def main() -> None:
    for name, value in measure().items():
        if name.endswith("_files"):
            print(f"{name} {value:.0f} files")
        else:
            print(f"{name} {value:.1f} KB")


if __name__ == "__main__":
    main()
