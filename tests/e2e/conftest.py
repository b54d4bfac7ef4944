"""Starts `python -m local.server` in its own process on a free port, as `make run` does."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"ready at (http://[\d.]+:\d+)")


class HttpClient:
    def __init__(self, base_url: str):
        self.base_url = base_url

    def raw(self, method: str, path: str, headers: dict | None = None, data: bytes | None = None):
        """(status, headers, bytes) for any request, error statuses included."""
        request = urllib.request.Request(self.base_url + path, data=data or None, method=method)
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def request(self, method: str, path: str, body=None, token: str | None = None, headers: dict | None = None):
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        auth = {"Authorization": f"Bearer {token}"} if token else {}
        return self.raw(method, path, {"Content-Type": "application/json", **auth, **(headers or {})}, data)

    def flow_request(self, method: str, path: str, headers: dict, body: bytes):
        """The (method, path, headers, body) → (status, json | bytes) callable local/driver/flows drives."""
        status, response_headers, raw = self.raw(method, path, headers, body)
        return status, (json.loads(raw) if "json" in response_headers.get("Content-Type", "") and raw else raw)

    def json(self, method: str, path: str, body=None, token: str | None = None):
        status, _, raw = self.request(method, path, body, token)
        return status, json.loads(raw.decode("utf-8"))

    def login(self, **claims) -> str:
        status, body = self.json("POST", "/_dev/login", claims)
        assert status == 200, body
        return body["token"]


def pytest_collection_modifyitems(items) -> None:
    """Schemathesis 4 names each operation's test `name[GET /path]` but, under pytest 9 (which builds a
    node id from `originalname` and a callspec it does not pass), every one gets the same node id. Give
    each its operation as the id's parameter: reports name the operation, and pytest-xdist (which keys
    tests by node id) runs all of them, not one."""
    for item in items:
        label = getattr(item, "operation_label", None)
        if label and not item.nodeid.endswith("]"):
            item._id = item.parent.id.child(item.originalname).with_params(label)


@contextlib.contextmanager
def local_stack():
    """A fresh `python -m local.server --port 0` for as long as the block runs; stopped by SIGTERM, and
    the stop is checked: `make run` must exit 0 and say "stopped" on SIGTERM (CI and ops stop it that
    way). Every stack this starts checks it after its tests, so no test starts a stack just for that."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "local.server", "--port", "0"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base_url, seen, deadline = None, [], time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        match = READY.search(line)
        if match:
            base_url = match.group(1)
            break
    if base_url is None:
        process.kill()
        pytest.fail("local stack did not print its ready line:\n" + "".join(seen))
    # Keep reading its output: a full pipe would block the server's logging, and so every request.
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(process.stdout), name="server-log", daemon=True)
    reader.start()
    yield {"process": process, "base_url": base_url, "banner": seen, "log": log}
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    reader.join(timeout=10)   # its last lines ("stopped") are read after the process exits
    if code != 0 or not any(line.strip() == "stopped" for line in log):
        pytest.fail(f"the local stack did not stop cleanly on SIGTERM (exit code {code}):\n" + "".join(log[-40:]))


@pytest.fixture(scope="session")
def server():
    with local_stack() as stack:
        yield stack


@pytest.fixture(scope="session")
def http(server) -> HttpClient:
    return HttpClient(server["base_url"])


@pytest.fixture(scope="session")
def in_process_origin(stack):
    """The in-process stack on a real port, so a test can write straight into its store."""
    from local.server import serving

    with serving(stack) as port:
        yield f"http://127.0.0.1:{port}"
