"""Hall appointments on the local stack over real HTTP: the citizen's flow, and no overbooking and
no double booking under a burst of concurrent requests (the issue's concurrency bar)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from bench.booking import burst, contention, solved_attempt
from tests.support.booking import MONDAY, Booker

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def monday(http):
    """The service's clock on a fixed Monday, so the run does not depend on today's date."""
    assert http.json("POST", "/_dev/clock", {"now": MONDAY})[0] == 200
    yield
    assert http.json("POST", "/_dev/clock", {"now": None})[0] == 200


def new_people(http, count: int) -> list[dict]:
    status, body = http.json("POST", "/_dev/people", {"count": count})
    assert status == 201, body
    return body["people"]


def booker(http, person: dict) -> Booker:
    def request(method, path, headers, body):
        status, response_headers, raw = http.request(method, path, json.loads(body) if body else None,
                                                     headers=headers)
        if "json" in (response_headers.get("Content-Type") or ""):
            return status, json.loads(raw.decode("utf-8"))
        return status, raw
    return Booker(request, person["token"])


def test_book_list_show_proof_cancel_and_rebook(http, monday):
    person = booker(http, new_people(http, 1)[0])
    status, booking = person.book("140303", "sale", "2026-09-30", "pm")
    assert status == 201 and booking["status"] == "booked", booking
    status, mine = person.call("GET", "/bookings")
    assert status == 200 and [b["id"] for b in mine["bookings"]] == [booking["id"]]
    status, shown = person.call("GET", f"/bookings/{booking['id']}")
    assert status == 200 and shown["proof"]["qr_png"].startswith("data:image/png;base64,")
    assert shown["number"] == booking["number"] and shown["start"] == "14:30"
    status, calendar = person.call("GET", f"/bookings/{booking['id']}/ics")
    assert status == 200 and calendar.startswith(b"BEGIN:VCALENDAR\r\n")
    status, cancelled = person.call("DELETE", f"/bookings/{booking['id']}")
    assert status == 200 and cancelled["status"] == "cancelled"
    status, rebooked = person.book("140303", "sale", "2026-09-30", "pm")
    assert status == 201 and rebooked["id"] != booking["id"]
    status, mine = person.call("GET", "/bookings")
    assert Counter(b["status"] for b in mine["bookings"]) == {"booked": 1, "cancelled": 1}
    status, outbox = http.json("GET", "/_dev/sms?format=json")
    assert any(rebooked["number"] in m["message"] for m in outbox["messages"])


def test_200_people_on_a_quota_of_20_get_exactly_20_places(http, monday):
    result = contention(http.base_url, {"outlet": "140322", "business": "sale", "date": "2026-09-29", "period": "am"},
                        people=200, quota=20)
    assert result["confirmed"] == 20 and result["conflicts"] == 180, result
    assert result["errors_5xx"] == 0 and result["other"] == [] and result["remaining"] == 0
    assert len(set(result["booking_ids"])) == 20


def test_one_person_ten_times_at_once_gets_one_booking(http, monday):
    person = new_people(http, 1)[0]
    slot = {"outlet": "140322", "business": "change", "date": "2026-09-29", "period": "pm"}
    attempts = [solved_attempt(http.base_url, person["token"], slot) for _ in range(10)]
    results, _ = burst(http.base_url, attempts)
    assert Counter(status for status, _, _ in results) == {201: 1, 409: 9}
    assert {body["code"] for status, body, _ in results if status == 409} == {"ALREADY_BOOKED"}
