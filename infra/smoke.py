"""Smoke test of a deployed stack (or the local one): public routes, an authorizer refusal, a lookup.

    ESTATE_API_URL=https://<api-id>.execute-api.<region>.amazonaws.com/<stage> \
    ESTATE_SMOKE_TOKEN=<a citizen's bearer token, optional> \
    python infra/smoke.py

Prints one `PASS|FAIL|SKIP <check> <detail>` line per check and exits 1 if any failed; without
ESTATE_API_URL it says so and exits 0 (nothing to test). Read-only: it creates nothing, so it is
safe against production. Standard library only, so it runs from any machine with Python 3.11.
tests/e2e/test_smoke.py runs the same checks against the local stack, so they stay true.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Callable


@dataclass
class Result:
    check: str
    status: str   # PASS | FAIL | SKIP
    detail: str = ""


class Api:
    def __init__(self, base_url: str, timeout: float = 20):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def call(self, method: str, path: str, body=None, token: str | None = None) -> tuple[int, dict]:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        request.add_header("Accept", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            return status, {"_raw": raw[:200].decode("utf-8", "replace")}


class CheckFailed(AssertionError):
    pass


def expect(condition: bool, detail: str) -> None:
    if not condition:
        raise CheckFailed(detail)


def checks(api: Api, token: str | None) -> list[tuple[str, Callable[[], str]]]:
    state: dict = {}

    def outlets() -> str:
        status, body = api.call("GET", "/outlets")
        expect(status == 200 and body.get("outlets"), f"GET /outlets -> {status} {body}")
        state["outlet"] = body["outlets"][0]["code"]
        return f"{len(body['outlets'])} outlets"

    def business_types() -> str:
        status, body = api.call("GET", "/business-types")
        expect(status == 200, f"GET /business-types -> {status} {body}")
        return "ok"

    def tax_estimate() -> str:
        status, body = api.call("POST", "/tax/estimate", {"transaction_date": _today(), "price": "1000000",
                                                          "area_m2": "88.5", "buyer_family_homes_before": 0})
        expect(status == 200 and body.get("totals"), f"POST /tax/estimate -> {status} {body}")
        return "totals " + json.dumps(body["totals"], ensure_ascii=False)

    def booking_slots() -> str:
        if "outlet" not in state:
            raise CheckFailed("no outlet to ask about (GET /outlets failed)")
        status, body = api.call("GET", f"/booking/slots?outlet={state['outlet']}&business=sale")
        expect(status == 200 and "slots" in body, f"GET /booking/slots -> {status} {body}")
        return f"{len(body['slots'])} slots at {state['outlet']}"

    def validation_error_shape() -> str:
        status, body = api.call("POST", "/tax/estimate", {"price": "-1"})
        expect(status == 400 and body.get("code") and isinstance(body.get("details"), list),
               f"bad estimate -> {status} {body}")
        return body["code"]

    def unknown_route() -> str:
        status, body = api.call("GET", "/no-such-route")
        expect(status == 403 and body.get("code") == "ROUTE_NOT_FOUND", f"GET /no-such-route -> {status} {body}")
        return "403 ROUTE_NOT_FOUND"

    def missing_token_refused() -> str:
        status, body = api.call("GET", "/applications")
        expect(status == 401 and body.get("code") == "UNAUTHENTICATED", f"no token -> {status} {body}")
        return "401 UNAUTHENTICATED"

    def forged_token_refused() -> str:
        status, body = api.call("GET", "/applications", token="eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")
        expect(status in (401, 403) and body.get("code") in ("UNAUTHENTICATED", "FORBIDDEN"),
               f"forged token -> {status} {body}")
        return f"{status} {body['code']}"

    def lookup_with_token() -> str:
        if not token:
            return "SKIP: set ESTATE_SMOKE_TOKEN to a citizen's bearer token"
        status, body = api.call("GET", "/applications", token=token)
        expect(status == 200 and isinstance(body, dict), f"GET /applications with token -> {status} {body}")
        status, body = api.call("GET", "/tax/payments", token=token)
        expect(status == 200, f"GET /tax/payments with token -> {status} {body}")
        return "my applications and payments listed"

    return [("outlets", outlets), ("business-types", business_types), ("tax-estimate", tax_estimate),
            ("booking-slots", booking_slots), ("validation-error-shape", validation_error_shape),
            ("unknown-route", unknown_route), ("missing-token-refused", missing_token_refused),
            ("forged-token-refused", forged_token_refused), ("lookup-with-token", lookup_with_token)]


def _today() -> str:
    from datetime import datetime, timedelta, timezone

    return datetime.now(timezone(timedelta(hours=8))).date().isoformat()


def run(base_url: str, token: str | None = None) -> list[Result]:
    results = []
    for name, check in checks(Api(base_url), token):
        try:
            detail = check()
            if detail.startswith("SKIP: "):
                results.append(Result(name, "SKIP", detail.removeprefix("SKIP: ")))
            else:
                results.append(Result(name, "PASS", detail))
        except CheckFailed as failure:
            results.append(Result(name, "FAIL", str(failure)))
        except OSError as error:  # DNS, TLS, timeouts: the stack is not reachable
            results.append(Result(name, "FAIL", f"{type(error).__name__}: {error}"))
    return results


def main() -> int:
    base_url = os.environ.get("ESTATE_API_URL")
    if not base_url:
        print("SKIP smoke: set ESTATE_API_URL to the stack's ApiUrl output")
        return 0
    results = run(base_url, os.environ.get("ESTATE_SMOKE_TOKEN"))
    for result in results:
        print(f"{result.status} {result.check} {result.detail}")
    return 1 if any(r.status == "FAIL" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
