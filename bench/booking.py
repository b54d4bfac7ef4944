"""Booking under contention, on the local stack over HTTP (a `python -m local.server` process).

200 distinct people, each with a solved captcha (read through the local-only reveal route, as a
person reads the picture), hit POST /bookings for one half-day with a quota of 20 at the same
moment. Printed:

booking.contention.confirmed     201 answers (must equal the quota)
booking.contention.conflicts     clean 409s (must be attempts - quota)
booking.contention.errors_5xx    5xx answers (must be 0)
booking.contention.remaining     places left afterwards per GET /booking/slots (must be 0, never negative)
booking.contention.rps           attempts / wall time of the burst
booking.contention.p95_ms        95th percentile latency of one attempt within the burst

The service's clock is set to a fixed Monday (local-only /_dev/clock) so the run does not depend
on today's date or on next year's holiday schedule being published.
"""

from __future__ import annotations

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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY = re.compile(r"ready at (http://[\d.]+:\d+)")
FIXED_NOW = "2026-09-28T09:00:00+08:00"   # a Monday: the next working day is Tuesday 29 September
ATTEMPTS = int(os.environ.get("BENCH_BOOKING_ATTEMPTS", "200"))
QUOTA = 20


def http(base_url: str, method: str, path: str, body=None, token: str | None = None) -> tuple[int, dict]:
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    request = urllib.request.Request(base_url + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw or b"{}")
        except ValueError:
            return error.code, {"raw": raw.decode("utf-8", "replace")}


@dataclass
class Attempt:
    token: str
    body: dict


def solved_attempt(base_url: str, token: str, slot: dict) -> Attempt:
    status, captcha = http(base_url, "POST", "/captchas", {}, token)
    assert status == 201, captcha
    status, revealed = http(base_url, "GET", f"/_dev/captchas/{captcha['captcha_id']}")
    assert status == 200, revealed
    return Attempt(token, {**slot, "captcha_id": captcha["captcha_id"], "captcha_answer": revealed["answer"],
                           "notice_accepted": True})


def burst(base_url: str, attempts: list[Attempt]) -> tuple[list[tuple[int, dict, float]], float]:
    """Fire every attempt at once (all threads released by one barrier); (status, body, seconds) each."""
    barrier = threading.Barrier(len(attempts))

    def fire(attempt: Attempt) -> tuple[int, dict, float]:
        barrier.wait()
        started = time.perf_counter()
        status, body = http(base_url, "POST", "/bookings", attempt.body, attempt.token)
        return status, body, time.perf_counter() - started

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        started = time.perf_counter()
        results = list(pool.map(fire, attempts))
        return results, time.perf_counter() - started


def prepare(base_url: str, slot: dict, people: int, quota: int, parallel: int = 8) -> list[Attempt]:
    status, clerk = http(base_url, "POST", "/_dev/login", {"role": "clerk", "outlet": slot["outlet"]})
    assert status == 200, clerk
    status, answer = http(base_url, "PUT", "/booking/quotas", {**slot, "capacity": quota}, clerk["token"])
    assert status == 200, answer
    status, created = http(base_url, "POST", "/_dev/people", {"count": people})
    assert status == 201 and len(created["people"]) == people, created
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        return list(pool.map(lambda p: solved_attempt(base_url, p["token"], slot), created["people"]))


def remaining(base_url: str, slot: dict) -> int:
    status, body = http(base_url, "GET", f"/booking/slots?outlet={slot['outlet']}&business={slot['business']}"
                                          f"&from={slot['date']}&to={slot['date']}")
    assert status == 200, body
    return next(s["remaining"] for s in body["slots"] if s["period"] == slot["period"])


def contention(base_url: str, slot: dict, people: int = ATTEMPTS, quota: int = QUOTA) -> dict:
    attempts = prepare(base_url, slot, people, quota)
    results, elapsed = burst(base_url, attempts)
    latencies = sorted(seconds for _, _, seconds in results)
    return {
        "confirmed": sum(1 for status, _, _ in results if status == 201),
        "conflicts": sum(1 for status, body, _ in results if status == 409 and body.get("code") == "SLOT_FULL"),
        "errors_5xx": sum(1 for status, _, _ in results if status >= 500),
        "other": [(status, body.get("code")) for status, body, _ in results if status not in (201, 409) and status < 500],
        "remaining": remaining(base_url, slot),
        "rps": len(results) / elapsed,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "booking_ids": [body["id"] for status, body, _ in results if status == 201],
    }


def start_server() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "local.server", "--port", "0"], cwd=ROOT,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        match = READY.search(line)
        if match:
            threading.Thread(target=process.stdout.read, daemon=True).start()  # keep draining the banner
            return process, match.group(1)
    process.kill()
    raise RuntimeError("local stack did not start")


def main() -> None:
    process, base_url = start_server()
    try:
        status, _ = http(base_url, "POST", "/_dev/clock", {"now": FIXED_NOW})
        assert status == 200
        slot = {"outlet": "140321", "business": "sale", "date": "2026-09-29", "period": "am"}
        result = contention(base_url, slot)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    print(f"booking.contention.confirmed {result['confirmed']} bookings")
    print(f"booking.contention.conflicts {result['conflicts']} responses")
    print(f"booking.contention.errors_5xx {result['errors_5xx']} responses")
    print(f"booking.contention.remaining {result['remaining']} places")
    print(f"booking.contention.rps {result['rps']:.1f} req/s")
    print(f"booking.contention.p95_ms {result['p95_ms']:.0f} ms")


if __name__ == "__main__":
    main()
