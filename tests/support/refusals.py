"""A pytest plugin that holds docs/openapi.json to the refusals the tests actually see.

Every 4xx the local gateway answers on a known operation is recorded as (method, path, status,
code); a test that sees a code the document does not list for that operation and status fails at
teardown, naming it. The document lists each operation's codes (tools/refusals.py collects them
from the code), so a refusal added to a use-case without reaching the document breaks the test
that exercises it. Cheap: one dict look-up per refused request.

    ESTATE_RECORD_REFUSALS=build/refusals.json pytest tests/functional   # also dumps what was seen
"""

from __future__ import annotations

import functools
import json
import os
import threading
from pathlib import Path

import pytest

DOCUMENT = Path(__file__).resolve().parents[2] / "docs/openapi.json"
_lock = threading.Lock()
_undocumented: list[str] = []
_observed: set[tuple[str, str, int, str]] = set()


@functools.cache
def documented() -> dict[tuple[str, str, int], frozenset[str]]:
    """(METHOD, path, status) → the codes docs/openapi.json lists for that response."""
    document = json.loads(DOCUMENT.read_text())
    found: dict[tuple[str, str, int], frozenset[str]] = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.isdigit() and int(status) >= 400:
                    found[(method.upper(), path, int(status))] = frozenset(response_codes(document, response))
    return found


def response_codes(document: dict, response: dict) -> list[str]:
    if "$ref" in response:
        response = document["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return list(response.get("x-error-codes") or [])


def observe(method: str, path: str, status: int, code: str) -> None:
    with _lock:
        _observed.add((method, path, status, code))
    listed = documented().get((method, path, status))
    if listed is None or code not in listed:
        with _lock:
            _undocumented.append(f"{method} {path} → {status} {code}")


def _code_of(response) -> str | None:
    if not 400 <= response.status < 500 or "json" not in str(response.headers.get("Content-Type", "")):
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) and isinstance(body.get("code"), str) else None


def pytest_configure(config) -> None:
    from local.gateway import Gateway

    if getattr(Gateway.handle, "records_refusals", False):
        return
    handle = Gateway.handle

    @functools.wraps(handle)
    def recording(self, method, target, *args, **kwargs):
        response = handle(self, method, target, *args, **kwargs)
        code = _code_of(response)
        if code is not None:
            matched = self.table.match(target.split("?", 1)[0] or "/")
            if matched is not None and method.upper() in self.table.by_path[matched[0]]:
                observe(method.upper(), matched[0], response.status, code)
        return response

    recording.records_refusals = True  # type: ignore[attr-defined]
    Gateway.handle = recording  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def refusals_documented():
    """Fails the test that saw a refusal docs/openapi.json does not list for its operation."""
    with _lock:
        _undocumented.clear()
    yield
    with _lock:
        seen = sorted(set(_undocumented))
        _undocumented.clear()
    assert not seen, ("refusals docs/openapi.json does not list (declare them in tools/refusals.py "
                      "or the raise is not found by it): " + "; ".join(seen))


def pytest_sessionfinish(session) -> None:
    target = os.environ.get("ESTATE_RECORD_REFUSALS")
    if target:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        out = Path(target).with_suffix(f".{worker}.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(sorted(_observed), ensure_ascii=False, indent=0))
