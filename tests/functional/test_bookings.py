"""Hall appointments through the gateway, in-process: the flow, every bad input the issue lists,
staff quotas, no-shows, reminders, the provisional calendar beyond the published years, and one person racing
themself. The service's clock is set per test (estate.clock), and released afterwards."""

from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest

from estate.booking import models
from local.driver.api import decode
from tests.support.contract import assert_answers
from tests.support.booking import MONDAY, Booker


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


@pytest.fixture
def clock_at():
    from estate import clock

    def move(moment: str | datetime) -> None:
        clock.set_now(at(moment) if isinstance(moment, str) else moment)

    move(MONDAY)
    yield move
    clock.set_now(None)


@pytest.fixture(scope="module")
def request_fn(stack):
    return lambda method, path, headers, body: decode(stack.gateway.handle(method, path, headers, body))


@pytest.fixture(scope="module")
def new_bookers(stack, request_fn):
    """new_bookers(n) → n freshly registered citizens (the seeded register stays untouched)."""
    def make(count: int) -> list[Booker]:
        status, body = request_fn("POST", "/_dev/people", {"Content-Type": "application/json"},
                                  json.dumps({"count": count}).encode())
        assert status == 201, body
        bookers = []
        for p in body["people"]:
            booker = Booker(request_fn, p["token"])
            booker.phone = p["phone"]
            bookers.append(booker)
        return bookers
    return make


@pytest.fixture(scope="module")
def clerk(stack, request_fn):
    def make(outlet: str) -> Booker:
        return Booker(request_fn, stack.issuer.clerk_token(outlet))
    return make


def sms_to(stack, phone_suffix: str) -> list[str]:
    return [m["message"] for m in stack.sms_outbox() if m["phone"].endswith(phone_suffix)]


def test_book_list_show_proof_calendar_cancel_and_rebook(clock_at, new_bookers, stack):
    [person] = new_bookers(1)
    status, booking = person.book("140302", "sale", "2026-09-29", "am")
    assert status == 201, booking
    assert booking["status"] == "booked" and booking["number"].startswith("20260929A-")
    assert booking["start"] == "08:30" and booking["end"] == "12:00" and booking["id_number"].count("*") == 8
    assert booking["proof"]["qr_png"].startswith("data:image/png;base64,")
    assert booking["proof"]["qr_text"] == f"YQBDC-BOOKING|{booking['id']}|{booking['proof']['verification_code']}"
    assert_answers(models.Booking, booking)
    status, mine = person.call("GET", "/bookings")
    assert_answers(models.BookingList, mine)
    assert status == 200 and [b["id"] for b in mine["bookings"]] == [booking["id"]]
    status, shown = person.call("GET", f"/bookings/{booking['id']}")
    assert status == 200 and shown["proof"]["verification_code"] == booking["proof"]["verification_code"]
    assert_answers(models.Booking, shown)
    status, ics_body = person.call("GET", f"/bookings/{booking['id']}/ics")
    assert status == 200 and b"BEGIN:VEVENT" in ics_body and b"DTSTART:20260929T003000Z" in ics_body
    status, slots = person.call("GET", "/booking/slots?outlet=140302&business=sale&from=2026-09-29&to=2026-09-29")
    assert next(s for s in slots["slots"] if s["period"] == "am")["remaining"] == 19
    assert_answers(models.SlotsAnswer, slots)
    status, cancelled = person.call("DELETE", f"/bookings/{booking['id']}")
    assert status == 200 and cancelled["status"] == "cancelled" and "proof" not in cancelled
    assert_answers(models.Booking, cancelled)
    status, slots = person.call("GET", "/booking/slots?outlet=140302&business=sale&from=2026-09-29&to=2026-09-29")
    assert next(s for s in slots["slots"] if s["period"] == "am")["remaining"] == 20
    status, again = person.book("140302", "sale", "2026-09-29", "am")
    assert status == 201 and again["id"] != booking["id"]
    messages = sms_to(stack, person.phone)
    assert len(messages) == 3 and "已成功预约" in messages[0] and "已取消" in messages[1]
    assert booking["number"] in messages[0] and again["number"] in messages[2]


def test_slots_list_open_half_days_with_places_and_leave_closed_days_out(clock_at, api):
    response = api.get("/booking/slots?outlet=140303&business=change")
    assert response.status == 200
    slots = response.json()["slots"]
    days = sorted({s["date"] for s in slots})
    assert days == ["2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13"]
    assert {(s["period"], s["start"], s["end"], s["remaining"]) for s in slots} == {
        ("am", "08:30", "12:00", 20), ("pm", "14:30", "17:30", 20)}


def test_after_the_cut_off_tomorrow_leaves_the_list(clock_at, api):
    clock_at("2026-09-28T17:00:00+08:00")
    slots = api.get("/booking/slots?outlet=140303&business=change").json()["slots"]
    assert "2026-09-29" not in {s["date"] for s in slots}


def test_on_2026_12_03_the_window_is_december_and_official(clock_at, api):
    clock_at("2026-12-03T09:00:00+08:00")
    body = api.get("/booking/slots?outlet=140303&business=change").json()
    assert sorted({s["date"] for s in body["slots"]}) == [
        "2026-12-04", "2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-14"]
    assert not any(s["provisional"] for s in body["slots"]) and "notice" not in body and body["withheld_days"] == []


def test_the_window_crosses_the_year_end_onto_provisional_2027_days(clock_at, api, new_bookers):
    clock_at("2026-12-28T09:00:00+08:00")
    body = api.get("/booking/slots?outlet=140303&business=change").json()
    days = {s["date"]: s["provisional"] for s in body["slots"]}
    assert days == {"2026-12-29": False, "2026-12-30": False, "2026-12-31": False,  # 2027-01-01 元旦 closed
                    "2027-01-04": True, "2027-01-05": True, "2027-01-06": True, "2027-01-07": True}
    assert body["notice"].startswith("2027年节假日安排尚未公布，可预约日期按法定节假日预计")
    [person] = new_bookers(1)
    status, booking = person.book("140303", "change", "2027-01-04")
    assert status == 201, booking
    status, refused = person.book("140303", "change", "2027-01-01")
    assert status == 400 and refused["code"] == "DAY_IS_HOLIDAY"


def test_days_near_spring_festival_2027_wait_for_the_schedule_then_open(clock_at, api, new_bookers, tmp_path):
    from tests.support.calendar import SCHEDULE_2027, official_schedule

    clock_at("2027-01-15T09:00:00+08:00")
    body = api.get("/booking/slots?outlet=140303&business=change").json()
    assert sorted({s["date"] for s in body["slots"]}) == [f"2027-01-{n}" for n in (18, 19, 20, 21, 22)]
    assert body["withheld_days"] == ["2027-01-25", "2027-01-26"]
    assert "2027-01-25、2027-01-26临近法定节假日，待安排公布后开放预约" in body["notice"]
    [person] = new_bookers(1)
    status, refused = person.book("140303", "change", "2027-01-25")
    assert status == 400 and refused["code"] == "HOLIDAY_SCHEDULE_PENDING"
    assert refused["details"][0]["field"] == "date" and "2027年节假日安排尚未公布" in refused["message"]

    with official_schedule(tmp_path, SCHEDULE_2027):
        body = api.get("/booking/slots?outlet=140303&business=change").json()
        days = {s["date"]: s["provisional"] for s in body["slots"]}
        assert days["2027-01-25"] is False and days["2027-01-26"] is False and set(days.values()) == {False}
        assert body["withheld_days"] == [] and "notice" not in body
        status, booking = person.book("140303", "change", "2027-01-25")
        assert status == 201, booking


@pytest.mark.parametrize("outlet, business, day, period, code", [
    ("140302", "change", "2026-10-11", "am", "DAY_IS_WEEKEND"),
    ("140302", "change", "2026-10-05", "am", "DAY_IS_HOLIDAY"),
    ("140302", "change", "2026-09-25", "am", "DAY_IN_PAST"),
    ("140302", "change", "2026-10-20", "am", "BEYOND_HORIZON"),
    ("140302", "change", "2026-09-28", "pm", "AFTER_CUTOFF"),
    ("140302", "no-such-business", "2026-09-29", "am", "UNKNOWN_BUSINESS"),
    ("149999", "change", "2026-09-29", "am", "UNKNOWN_OUTLET"),
])
def test_bad_days_outlets_and_businesses_are_400_with_the_reason(clock_at, new_bookers, outlet, business, day, period,
                                                                 code):
    [person] = new_bookers(1)
    status, body = person.book(outlet, business, day, period)
    assert status == 400 and body["code"] == code and body["message"], body
    assert body["details"][0]["code"] == code


def test_after_the_cut_off_the_day_before(clock_at, new_bookers):
    [person] = new_bookers(1)
    clock_at("2026-09-28T16:59:00+08:00")
    captcha = person.captcha()
    clock_at("2026-09-28T17:00:01+08:00")
    status, body = person.book("140302", "change", "2026-09-29", captcha=captcha)
    assert status == 400 and body["code"] == "AFTER_CUTOFF"


@pytest.fixture(scope="module")
def extra_outlets(stack):
    """A hall that takes no appointments, and one that announced a closed day."""
    from estate.store.content import ContentItem

    template = dict(next(o for o in json.load(open("data/content/outlets.json", encoding="utf-8"))["outlets"]
                         if o["code"] == "140302"))
    ContentItem("outlet", "140398", data={**template, "code": "140398", "name": "测试网点（停止预约）",
                                          "online_services": ["sale"]}).save()
    ContentItem("outlet", "140397", data={**template, "code": "140397", "name": "测试网点（9月30日停办）",
                                          "closed_days": ["2026-09-30"]}).save()
    yield
    ContentItem("outlet", "140398").delete()
    ContentItem("outlet", "140397").delete()


def test_closed_outlet_and_closed_day(clock_at, new_bookers, extra_outlets, api):
    [person] = new_bookers(1)
    status, body = person.book("140398", "change", "2026-09-29")
    assert status == 400 and body["code"] == "OUTLET_CLOSED"
    status, body = person.book("140397", "change", "2026-09-30")
    assert status == 400 and body["code"] == "OUTLET_CLOSED"
    days = {s["date"] for s in api.get("/booking/slots?outlet=140397&business=change").json()["slots"]}
    assert "2026-09-30" not in days and "2026-09-29" in days


def test_missing_fields_are_listed_at_once(clock_at, new_bookers):
    [person] = new_bookers(1)
    status, body = person.call("POST", "/bookings", {"date": "29/09/2026", "period": "evening"})
    assert status == 400
    assert {d["field"]: d["code"] for d in body["details"]} == {
        "outlet": "KEY_REQUIRED", "business": "KEY_REQUIRED", "date": "INVALID_DATE", "period": "INVALID_CHOICE",
        "captcha_id": "KEY_REQUIRED", "captcha_answer": "REQUIRED", "notice_accepted": "NOTICE_NOT_ACCEPTED"}
    assert all(d["message"] for d in body["details"])


@pytest.mark.parametrize("fields, field, code", [
    ({"date": "2026-02-30"}, "date", "INVALID_DATE"),            # the right shape, no such day
    ({"outlet": "140 302"}, "outlet", "KEY_FORMAT"),
    ({"period": ["am"]}, "period", "INVALID_CHOICE"),
    ({"notice_accepted": "true"}, "notice_accepted", "NOTICE_NOT_ACCEPTED"),
    ({"captcha_answer": 1234}, "captcha_answer", "NOT_TEXT"),
])
def test_a_wrong_booking_field_is_named(clock_at, new_bookers, fields, field, code):
    [person] = new_bookers(1)
    body = {"outlet": "140302", "business": "sale", "date": "2026-09-29", "period": "am", "captcha_id": "cap_x",
            "captcha_answer": "1234", "notice_accepted": True, **fields}
    status, answer = person.call("POST", "/bookings", body)
    assert status == 400 and [(d["field"], d["code"]) for d in answer["details"]] == [(field, code)], answer


@pytest.mark.parametrize("fields, field, code", [
    ({"capacity": 501}, "capacity", "INVALID_QUOTA"),
    ({"capacity": -1}, "capacity", "INVALID_QUOTA"),
    ({"capacity": "3"}, "capacity", "INVALID_QUOTA"),
    ({"capacity": True}, "capacity", "INVALID_QUOTA"),
    ({"capacity": None}, "capacity", "INVALID_QUOTA"),
    ({"period": "evening"}, "period", "INVALID_CHOICE"),
    ({"date": "30/09/2026"}, "date", "INVALID_DATE"),
])
def test_a_wrong_quota_field_is_named(clock_at, clerk, fields, field, code):
    body = {"business": "inheritance-gift", "date": "2026-09-30", "period": "am", "capacity": 1, **fields}
    status, answer = clerk("140302").call("PUT", "/booking/quotas", body)
    assert status == 400 and [(d["field"], d["code"]) for d in answer["details"]] == [(field, code)], answer


def test_wrong_then_reused_captcha(clock_at, new_bookers):
    [person] = new_bookers(1)
    captcha = person.captcha()
    status, body = person.book("140302", "change", "2026-09-29", captcha=captcha, answer="XXXX")
    assert status == 400 and body["code"] == "CAPTCHA_WRONG"
    status, body = person.book("140302", "change", "2026-09-29", captcha=captcha)  # right answer, too late
    assert status == 400 and body["code"] == "CAPTCHA_USED"


def test_expired_unknown_and_someone_elses_captcha(clock_at, new_bookers):
    first, second = new_bookers(2)
    captcha = first.captcha()
    clock_at(at(MONDAY) + timedelta(minutes=5, seconds=1))
    status, body = first.book("140302", "change", "2026-09-29", captcha=captcha)
    assert status == 400 and body["code"] == "CAPTCHA_EXPIRED"
    status, body = first.book("140302", "change", "2026-09-29", captcha=("cap_doesnotexist", "ABCD"))
    assert status == 400 and body["code"] == "CAPTCHA_INVALID"
    status, body = second.book("140302", "change", "2026-09-29", captcha=first.captcha())
    assert status == 400 and body["code"] == "CAPTCHA_INVALID"


def test_double_booking_the_same_business_and_day_is_409(clock_at, new_bookers):
    [person] = new_bookers(1)
    assert person.book("140302", "replacement", "2026-09-30", "am")[0] == 201
    status, body = person.book("140302", "replacement", "2026-09-30", "pm")
    assert status == 409 and body["code"] == "ALREADY_BOOKED"
    assert person.book("140302", "mortgage-cancel", "2026-09-30", "pm")[0] == 201  # another business is fine


def test_at_most_three_upcoming_bookings(clock_at, new_bookers):
    [person] = new_bookers(1)
    for business in ("mortgage", "change", "replacement"):
        assert person.book("140311", business, "2026-10-08")[0] == 201
    status, body = person.book("140311", "sale", "2026-10-08")
    assert status == 409 and body["code"] == "TOO_MANY_BOOKINGS"


def test_quota_exhausted_is_409_with_the_next_slots_that_have_places(clock_at, new_bookers, clerk):
    status, quota = clerk("140311").call("PUT", "/booking/quotas", {"business": "mortgage-cancel", "date": "2026-09-29",
                                                                     "period": "pm", "capacity": 2})
    assert status == 200 and quota["remaining"] == 2
    people = new_bookers(3)
    assert [p.book("140311", "mortgage-cancel", "2026-09-29", "pm")[0] for p in people[:2]] == [201, 201]
    status, body = people[2].book("140311", "mortgage-cancel", "2026-09-29", "pm")
    assert status == 409 and body["code"] == "SLOT_FULL"
    assert body["next_slots"] and all(s["remaining"] > 0 for s in body["next_slots"])
    assert ("2026-09-29", "pm") not in {(s["date"], s["period"]) for s in body["next_slots"]}


def test_quotas_are_changed_by_a_clerk_of_that_outlet_only(clock_at, clerk, new_bookers, as_citizen, pool):
    body = {"business": "inheritance-gift", "date": "2026-09-30", "period": "am", "capacity": 1}
    status, answer = clerk("140302").call("PUT", "/booking/quotas", {**body, "outlet": "140303"})
    assert status == 403 and answer["code"] == "OTHER_OUTLET"
    status, answer = as_citizen(pool.citizen()).call("PUT", "/booking/quotas", body)
    assert status == 403 and answer["code"] == "ROLE_REQUIRED" and answer["required_role"] == "clerk"
    status, answer = clerk("140302").call("PUT", "/booking/quotas", body)
    assert status == 200 and answer["capacity"] == 1
    assert_answers(models.QuotaAnswer, answer)
    [person] = new_bookers(1)
    assert person.book("140302", "inheritance-gift", "2026-09-30", "am")[0] == 201
    status, answer = clerk("140302").call("PUT", "/booking/quotas", {**body, "capacity": 0})
    assert status == 409 and answer["code"] == "QUOTA_BELOW_BOOKED"
    status, answer = clerk("140302").call("PUT", "/booking/quotas", {**body, "date": "2026-10-04"})
    assert status == 400 and answer["code"] == "NOT_OPEN"


def test_only_the_owner_sees_or_cancels_a_booking(clock_at, new_bookers):
    owner, other = new_bookers(2)
    status, booking = owner.book("140303", "replacement", "2026-09-29")
    assert status == 201
    assert other.call("GET", f"/bookings/{booking['id']}")[0] == 404
    assert other.call("DELETE", f"/bookings/{booking['id']}")[0] == 404
    assert other.call("GET", f"/bookings/{booking['id']}/ics")[0] == 404


def test_cancel_closes_at_the_cut_off(clock_at, new_bookers):
    [person] = new_bookers(1)
    status, booking = person.book("140303", "certificate-pickup", "2026-09-29")
    assert status == 201
    clock_at("2026-09-28T17:00:00+08:00")
    status, body = person.call("DELETE", f"/bookings/{booking['id']}")
    assert status == 409 and body["code"] == "CANCEL_AFTER_CUTOFF"


def test_three_no_shows_in_30_days_block_new_bookings(clock_at, new_bookers, clerk):
    [person] = new_bookers(1)
    ids = [person.book("140303", "inheritance-gift", day)[1]["id"] for day in ("2026-09-29", "2026-09-30", "2026-10-08")]
    status, body = clerk("140303").call("POST", f"/bookings/{ids[0]}/no-show")
    assert status == 409 and body["code"] == "TOO_EARLY"
    assert clerk("140302").call("POST", f"/bookings/{ids[0]}/no-show")[0] == 404   # not that clerk's outlet
    clock_at("2026-10-08T18:00:00+08:00")
    results = [clerk("140303").call("POST", f"/bookings/{booking_id}/no-show") for booking_id in ids]
    assert [s for s, _ in results] == [200, 200, 200]
    assert results[0][1]["blocked_until"] is None and results[2][1]["blocked_until"] == "2026-11-07"
    assert_answers(models.NoShowAnswer, results[2][1])
    assert clerk("140303").call("POST", f"/bookings/{ids[0]}/no-show")[0] == 409   # recorded once
    status, body = person.book("140303", "inheritance-gift", "2026-10-12")
    assert status == 403 and body["code"] == "BOOKING_BLOCKED"


def test_a_clerk_checks_a_person_in_on_the_day_and_it_is_audited(clock_at, new_bookers, clerk, api, stack):
    [person] = new_bookers(1)
    status, booking = person.book("140322", "certificate-pickup", "2026-09-30")
    assert status == 201, booking
    status, body = clerk("140322").call("POST", f"/bookings/{booking['id']}/check-in")
    assert status == 409 and body["code"] == "NOT_BOOKING_DAY"
    clock_at("2026-09-30T09:10:00+08:00")
    assert clerk("140302").call("POST", f"/bookings/{booking['id']}/check-in")[0] == 404   # another outlet
    status, body = clerk("140322").call("POST", f"/bookings/{booking['id']}/check-in")
    assert status == 200 and body["status"] == "checked_in", body
    assert_answers(models.Booking, body)
    assert clerk("140322").call("POST", f"/bookings/{booking['id']}/check-in")[0] == 409
    clock_at("2026-09-30T18:00:00+08:00")
    assert clerk("140322").call("POST", f"/bookings/{booking['id']}/no-show")[0] == 409   # came: no no-show
    auditor = api.as_token(stack.issuer.clerk_token("140302", "审计", "auditor"))
    entries = auditor.get(f"/office/audit?date=2026-09-30&target={booking['id']}").json()["entries"]
    assert {(e["action"], e["outcome"]) for e in entries} >= {("booking.check_in", "ok"),
                                                              ("booking.no_show", "refused:BOOKING_NOT_ACTIVE")}


def test_check_in_by_the_proof_checks_it_against_the_booking(clock_at, new_bookers, clerk, api, stack):
    [person, other] = new_bookers(2)
    status, booking = person.book("140321", "certificate-pickup", "2026-09-30")
    assert status == 201, booking
    _, elsewhere = other.book("140321", "certificate-pickup", "2026-09-30", "pm")
    qr_text = person.call("GET", f"/bookings/{booking['id']}")[1]["proof"]["qr_text"]
    booking_id, code = qr_text.split("|")[1:]
    check_in = f"/bookings/{booking_id}/check-in"
    status, body = clerk("140321").call("POST", check_in, {"proof": qr_text})
    assert status == 409 and body["code"] == "NOT_BOOKING_DAY" and "9月30日上午" in body["message"]  # other day
    clock_at("2026-09-30T09:10:00+08:00")
    forged = f"YQBDC-BOOKING|{booking_id}|{(int(code) + 1) % 1000000:06d}"
    refusals = [
        ({"proof": forged}, 400, "PROOF_INVALID", "无效"),
        ({"proof": "https://example.com/pay?x=1"}, 400, "PROOF_UNREADABLE", "无法识别"),
        ({"proof": f"YQBDC-BOOKING|{elsewhere['id']}|{code}"}, 400, "PROOF_MISMATCH", "不是这条预约"),
        ({"proof": "YQBDC-BOOKING|" + "9" * 300}, 400, "PROOF_UNREADABLE", "无法识别"),
    ]
    for body_sent, expected_status, expected_code, words in refusals:
        status, body = clerk("140321").call("POST", check_in, body_sent)
        assert (status, body["details"][0]["code"]) == (expected_status, expected_code), body
        assert words in body["details"][0]["message"] and body["details"][0]["field"] == "proof"
    status, body = clerk("140302").call("POST", check_in, {"proof": qr_text})  # a genuine proof, other outlet
    assert status == 409 and body["code"] == "PROOF_OTHER_OUTLET" and "平定" in body["message"], body
    status, body = clerk("140321").call("POST", check_in, {"proof": qr_text})
    assert status == 200 and body["status"] == "checked_in", body
    assert_answers(models.Booking, body)
    status, body = clerk("140321").call("POST", check_in, {"proof": qr_text})
    assert status == 409 and body["code"] == "BOOKING_NOT_ACTIVE"  # once
    auditor = api.as_token(stack.issuer.clerk_token("140302", "审计", "auditor"))
    entries = auditor.get(f"/office/audit?date=2026-09-30&target={booking_id}").json()["entries"]
    assert {"by": "proof"} in [e["detail"] for e in entries if e["outcome"] == "ok"]
    assert "refused:PROOF_INVALID" in {e["outcome"] for e in entries}


def test_the_day_before_reminder_is_sent_once(clock_at, new_bookers, stack, request_fn):
    [person] = new_bookers(1)
    status, booking = person.book("140311", "certificate-pickup", "2026-09-29", "pm")
    assert status == 201
    clock_at("2026-09-28T18:00:00+08:00")
    status, first = request_fn("POST", "/_dev/reminders/run", {}, b"")
    assert status == 200 and first["date"] == "2026-09-29" and first["sent"] >= 1
    status, second = request_fn("POST", "/_dev/reminders/run", {}, b"")
    assert status == 200 and second["sent"] == 0
    reminders = [m for m in sms_to(stack, person.phone) if "提醒您明天" in m]
    assert len(reminders) == 1 and booking["number"] in reminders[0]


def test_one_person_ten_times_at_once_gets_exactly_one_booking(clock_at, new_bookers):
    [person] = new_bookers(1)
    captchas = [person.captcha() for _ in range(10)]
    barrier, results = threading.Barrier(10), []

    def attempt(captcha):
        barrier.wait()
        results.append(person.book("140321", "change", "2026-09-30", "pm", captcha=captcha))

    threads = [threading.Thread(target=attempt, args=(c,)) for c in captchas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(status for status, _ in results) == {201: 1, 409: 9}
    assert {body["code"] for status, body in results if status == 409} == {"ALREADY_BOOKED"}
    assert len(person.call("GET", "/bookings")[1]["bookings"]) == 1


def test_the_clerk_lists_the_outlets_appointments_of_a_day_morning_first(clock_at, new_bookers, clerk):
    morning, afternoon, elsewhere = new_bookers(3)
    day = "2026-10-09"
    status, late = afternoon.book("140321", "sale", day, "pm")
    assert status == 201, late
    status, early = morning.book("140321", "sale", day, "am")
    assert status == 201, early
    assert elsewhere.book("140322", "sale", day, "am")[0] == 201
    status, body = clerk("140321").call("GET", f"/booking/day?date={day}")
    assert status == 200, body
    listed = assert_answers(models.BookingList, body).bookings
    assert [b.id for b in listed] == [early["id"], late["id"]]   # this outlet's only, 上午 before 下午
    assert all("*" in b.id_number for b in listed)   # masked, as on the proof
    clock_at(f"{day}T09:00:00+08:00")
    status, body = clerk("140321").call("GET", "/booking/day")   # today by default
    assert status == 200 and [b["id"] for b in body["bookings"]] == [early["id"], late["id"]]


@pytest.mark.parametrize("query, status, code", [
    ("date=2026-13-40", 400, "INVALID_DATE"),
    ("date=tomorrow", 400, "INVALID_DATE"),
])
def test_a_bad_day_is_400_with_the_field(clock_at, clerk, query, status, code):
    answer_status, body = clerk("140321").call("GET", f"/booking/day?{query}")
    assert answer_status == status and body["code"] == code, body
    assert body["details"][0]["field"] == "date" and body["message"] == "日期格式应为YYYY-MM-DD"


def test_only_a_clerk_lists_the_day(clock_at, new_bookers):
    [citizen] = new_bookers(1)
    status, body = citizen.call("GET", "/booking/day")
    assert status == 403 and body["code"] == "ROLE_REQUIRED", body
