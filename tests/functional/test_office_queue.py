"""The clerk's queue a page at a time (issue 16): one Query on office-queue-index per page, filters
(status, business, waiting working days), the three orders, the cursor (a forged one is a 400), other
outlets' cases unseen, only clerks; and the labels the desk reads from GET /office/vocabulary."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import pytest

from estate.office import models
from local.driver.calls import counting_requests
from local.driver.office import write_queue_cases
from tests.support.contract import assert_answers

# Outlets of their own (no seeded unit is there): each test knows every case its queue holds.
PAGED, FILTERED, WAITING, DEADLINES, EMPTY = "149901", "149902", "149903", "149904", "149905"


def clerk(api, stack, outlet: str):
    return api.as_token(stack.issuer.clerk_token(outlet, f"{outlet}窗口"))


def all_pages(office, query: str = "") -> tuple[list[dict], int]:
    """Every row the queue lists for `query`, following `next`; and how many pages that took."""
    rows, pages, cursor = [], 0, None
    while True:
        path = "/office/applications?" + query + (f"&next={cursor}" if cursor else "")
        response = office.get(path)
        assert response.status == 200, response.text
        page = assert_answers(models.OfficeQueue, response.json())
        rows += [r for r in response.json()["applications"]]
        pages += 1
        cursor = page.next
        if cursor is None:
            return rows, pages
        assert pages < 50


@pytest.fixture(scope="module")
def paged():
    start = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)
    return write_queue_cases(PAGED, 45, since=start)


def test_the_queue_pages_on_the_server_oldest_first_without_repeats(api, stack, paged):
    office = clerk(api, stack, PAGED)
    first = office.get("/office/applications?limit=20")
    assert first.status == 200, first.text
    body = first.json()
    assert body["sort"] == "oldest" and body["limit"] == 20 and len(body["applications"]) == 20 and body["next"]
    rows, pages = all_pages(office, "limit=20")
    assert pages == 3 and [r["id"] for r in rows] == paged  # every case once, the longest waiting first
    newest, _ = all_pages(office, "sort=newest&limit=7")
    assert [r["id"] for r in newest] == paged[::-1]
    row = rows[0]
    assert row["status_label"] == "已提交，待受理" and row["business_label"] == "二手商品房转移登记（买卖）"
    assert row["waiting_working_days"] > 0 and row["working_days_left"] is None and row["deadline"] is None


def test_one_page_of_a_large_queue_is_one_dynamodb_query(api, stack, paged):
    office = clerk(api, stack, PAGED)
    with counting_requests("dynamodb") as counted:
        response = office.get("/office/applications?limit=20")
    assert response.status == 200
    assert counted["operations"].count("Query") == 1 and "Scan" not in counted["operations"], counted
    assert counted["n"] <= 2, counted  # the page and its audit entry


def test_the_page_size_is_bounded(api, stack, paged):
    office = clerk(api, stack, PAGED)
    assert len(office.get("/office/applications").json()["applications"]) == 20  # the default
    assert len(office.get("/office/applications?limit=100").json()["applications"]) == 45
    for limit in ("0", "101", "abc", "-1"):
        response = office.get(f"/office/applications?limit={limit}")
        assert response.status == 400, limit
        assert [d["field"] for d in response.json()["details"]] == ["limit"]


def test_status_and_business_filters(api, stack):
    start = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)
    submitted = write_queue_cases(FILTERED, 30, since=start)
    accepted = write_queue_cases(FILTERED, 5, status="ACCEPTED", since=start + timedelta(seconds=30))
    loans = write_queue_cases(FILTERED, 4, status="ACCEPTED", business="loan-sale", since=start + timedelta(seconds=45))
    office = clerk(api, stack, FILTERED)
    rows, _ = all_pages(office, "status=ACCEPTED&limit=3")
    assert {r["id"] for r in rows} == set(accepted + loans) and len(rows) == 9
    rows, _ = all_pages(office, "status=ACCEPTED&business=loan-sale&limit=3")
    assert [r["id"] for r in rows] == loans and all(r["business_label"].endswith("（贷款买卖）") for r in rows)
    rows, _ = all_pages(office, "status=SUBMITTED,ACCEPTED&limit=50")
    assert len(rows) == 39
    rows, _ = all_pages(office, "status=SUBMITTED&limit=50")
    assert [r["id"] for r in rows] == submitted
    for query, field in (("status=DRAFT", "status"), ("status=SUBMITTED,NOPE", "status"), ("business=lease", "business"),
                         ("sort=random", "sort"), ("min_waiting_days=-1", "min_waiting_days"),
                         ("min_waiting_days=abc", "min_waiting_days"), ("sort=deadline&status=SUBMITTED", "sort")):
        response = office.get(f"/office/applications?{query}")
        assert response.status == 400, query
        assert [(d["field"], d["code"] in ("INVALID_FILTER", "INVALID_SORT")) for d in response.json()["details"]] == [
            (field, True)], query


def test_waiting_working_days_count_the_calendar(api, stack, clock_at):
    # Thursday 2026-10-08 is the first working day after the National Day holiday (10-01 to 10-07).
    clock_at("2026-10-12T10:00:00+08:00")  # Monday; Saturday 10-10 is an adjusted working day
    before_holiday = write_queue_cases(WAITING, 1, since=datetime(2026, 9, 30, 2, 0, tzinfo=timezone.utc))
    thursday = write_queue_cases(WAITING, 1, since=datetime(2026, 10, 8, 2, 0, tzinfo=timezone.utc))
    today = write_queue_cases(WAITING, 1, since=datetime(2026, 10, 12, 1, 0, tzinfo=timezone.utc))
    office = clerk(api, stack, WAITING)
    rows = {r["id"]: r["waiting_working_days"] for r in office.get("/office/applications").json()["applications"]}
    # (09-30, 10-12]: 10-08, 10-09, 10-10 (调休), 10-12 -> 4; (10-08, 10-12]: 10-09, 10-10, 10-12 -> 3
    assert rows == {before_holiday[0]: 4, thursday[0]: 3, today[0]: 0}
    ids = lambda days: [r["id"] for r in office.get(f"/office/applications?min_waiting_days={days}").json()["applications"]]  # noqa: E731
    assert ids(0) == before_holiday + thursday + today
    assert ids(3) == before_holiday + thursday
    assert ids(4) == before_holiday
    assert ids(5) == []


def test_deadline_order_lists_the_accepted_cases_by_their_due_day(api, stack, clock_at):
    clock_at("2026-12-03T10:00:00+08:00")
    write_queue_cases(DEADLINES, 3, since=datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc))  # not accepted
    late = write_queue_cases(DEADLINES, 2, status="TAX_PAID", since=datetime(2026, 11, 20, 1, 0, tzinfo=timezone.utc))
    early = write_queue_cases(DEADLINES, 2, status="ACCEPTED", since=datetime(2026, 11, 10, 1, 0, tzinfo=timezone.utc))
    office = clerk(api, stack, DEADLINES)
    rows, _ = all_pages(office, "sort=deadline&limit=3")
    assert [r["id"] for r in rows] == early + late
    due = [r["deadline"]["due_on"] for r in rows]
    assert due == sorted(due)
    assert [r["working_days_left"] for r in rows] == [r["deadline"]["days_left"] for r in rows]
    assert all(isinstance(r["working_days_left"], int) for r in rows)
    assert all(r["working_days_left_provisional"] is r["deadline"]["due_on_provisional"] for r in rows)


def test_a_forged_or_foreign_cursor_is_a_400_never_a_500(api, stack, paged):
    office = clerk(api, stack, PAGED)
    cursor = office.get("/office/applications?limit=5").json()["next"]
    decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))

    def forged(value) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    bad = ["nonsense", "%%%", forged([1, 2]), forged({**decoded, "id": "APP#X"}), forged({**decoded, "w": "yesterday"}),
           forged({**decoded, "w": 5}), forged({**decoded, "v": "0" * 12}), forged({"w": decoded["w"]}),
           base64.urlsafe_b64encode(b"\xff\xfe").decode(), forged({**decoded, "w": "2026-11-02T01:00:00"})]
    for value in bad:
        response = office.get(f"/office/applications?limit=5&next={value}")
        assert response.status == 400, (value, response.text)
        assert response.json()["details"][0]["code"] == "INVALID_CURSOR"
    # a cursor is bound to the filters and order it was handed out with
    response = office.get(f"/office/applications?limit=5&sort=newest&next={cursor}")
    assert response.status == 400 and response.json()["details"][0]["field"] == "next"
    assert office.get(f"/office/applications?limit=5&next={cursor}").status == 200


def test_another_outlets_cases_are_not_listed_even_with_their_cursor(api, stack, paged):
    cursor = clerk(api, stack, PAGED).get("/office/applications?limit=5").json()["next"]
    other = clerk(api, stack, EMPTY)
    assert other.get("/office/applications").json()["applications"] == []
    response = other.get(f"/office/applications?limit=5&next={cursor}")  # continues in the caller's own outlet
    assert response.status == 200 and response.json()["applications"] == []


def test_only_clerks_see_the_queue(api, stack, pool):
    citizen = api.as_token(stack.citizen_token(next(p["id_number"] for p in pool.register["people"]
                                                    if p["role"] == "citizen")))
    officer = api.as_token(stack.issuer.bank_token("ICBC-YQ-CQ"))
    for caller in (citizen, officer):
        assert caller.get("/office/applications?limit=5").status == 403
        assert caller.get("/office/vocabulary").status == 403
    assert api.as_token(None).get("/office/applications").status == 401


def test_every_code_the_desk_shows_has_a_label(api, stack):
    from estate.domain.application import STATUS_LABELS, TIMELINE_ACTIONS
    from estate.domain.registration import REFUSAL_REASONS, RETURN_REASONS

    response = clerk(api, stack, EMPTY).get("/office/vocabulary")
    assert response.status == 200, response.text
    body = assert_answers(models.OfficeVocabulary, response.json())
    as_dict = lambda labels: {item.code: item.label for item in labels}  # noqa: E731
    assert as_dict(body.statuses) == STATUS_LABELS and as_dict(body.statuses)["REFUSED"] == "不予登记"
    assert as_dict(body.return_reasons) == RETURN_REASONS and as_dict(body.refusal_reasons) == REFUSAL_REASONS
    assert as_dict(body.timeline_actions) == TIMELINE_ACTIONS
    categories = as_dict(body.material_categories)
    assert categories["id_card_seller"] == "卖方身份证" and categories["sale_contract"]
    assert set(as_dict(body.queue_sorts)) == {"oldest", "newest", "deadline"}
    assert as_dict(body.signer_statuses)["signed"] == "已签署" and as_dict(body.signer_roles)["bank"] == "抵押权人"


@pytest.fixture
def clock_at():
    from estate import clock

    yield lambda moment: clock.set_now(datetime.fromisoformat(moment))
    clock.set_now(None)
