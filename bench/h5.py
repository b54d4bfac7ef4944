"""The citizen H5 app's weight, from Vite's build manifest (build/web/app/.vite/manifest.json; built by
`make web-app`, which `make bench` runs first). Sizes are gzip level 9 of the built files, in KB.

h5.home.js_kb_gz            JS + CSS a phone loads to show the home screen: the entry, what it imports
                            statically, and the home view's own chunk with its imports (goal ≤ 150)
h5.route.<View>.kb_gz       each lazy screen's own JS + CSS beyond what the home screen already loaded
h5.pdfjs.kb_gz              PDF.js (its library chunk; the worker is fetched when a document is shown)
h5.home.pdfjs_files         PDF.js files among the home screen's (goal 0: it loads only with a document)
h5.home.interactive_ms_slow4g  from navigation to the home screen's entries shown, in Chromium with a cold
                            cache, Lighthouse's mobile "Slow 4G" network (150 ms RTT, 1.6 Mbit/s down,
                            750 kbit/s up) and a 4x CPU slowdown, median of 3 (goal ≤ 2,500); a local stack
                            on a free port serves the app
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
from collections.abc import Iterator
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
    home = closure(manifest, [entry, HOME_VIEW])  # the home view is in the entry now; kept should it go lazy
    figures = {"h5.home.js_kb_gz": sum(gzip_kb(APP / f) for f in home)}
    for key, chunk in sorted(manifest.items()):
        if chunk.get("isDynamicEntry") and key.endswith(".vue") and key != HOME_VIEW:
            extra = closure(manifest, [key]) - home
            figures[f"h5.route.{Path(key).stem}.kb_gz"] = sum(gzip_kb(APP / f) for f in extra)
    pdfjs = [key for key in manifest if "pdfjs-dist" in key and key.endswith("pdf.mjs")]
    figures["h5.pdfjs.kb_gz"] = sum(gzip_kb(APP / manifest[key]["file"]) for key in pdfjs)
    figures["h5.home.pdfjs_files"] = float(len(home & {manifest[key]["file"] for key in pdfjs}))
    return figures


SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6 * 1024 * 1024 / 8,
           "uploadThroughput": 750 * 1024 / 8}
RUNS = 3


@contextlib.contextmanager
def local_server() -> Iterator[str]:
    process = subprocess.Popen([sys.executable, "-m", "local.server", "--port", "0"], cwd=APP.parents[2],
                               env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        for line in process.stdout or []:
            match = re.search(r"ready at (http://[\d.]+:\d+)", line)
            if match:
                # Keep reading its output: a full pipe would block the server's logging, and so requests.
                threading.Thread(target=lambda: [None for _ in process.stdout or []], daemon=True).start()
                yield match.group(1)
                return
        raise RuntimeError("the local stack did not start")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def interactive_ms_slow4g() -> float:
    from tests.support.browser import chromium
    from tests.support.h5 import phone_context

    timings = []
    with local_server() as base_url, chromium() as browser:
        for _ in range(RUNS):
            context = phone_context(browser)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send("Network.emulateNetworkConditions", SLOW_4G)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            page.goto(base_url + "/app/", wait_until="commit")
            page.get_by_role("navigation", name="业务入口").get_by_text("常见问题").wait_for(timeout=60000)
            timings.append(page.evaluate("performance.now()"))
            context.close()
    return statistics.median(timings)


def main() -> None:
    figures = measure()
    figures["h5.home.interactive_ms_slow4g"] = interactive_ms_slow4g()
    for name, value in figures.items():
        if name.endswith("_ms_slow4g"):
            print(f"{name} {value:.0f} ms")
        elif name.endswith("_files"):
            print(f"{name} {value:.0f} files")
        else:
            print(f"{name} {value:.1f} KB")


if __name__ == "__main__":
    main()
