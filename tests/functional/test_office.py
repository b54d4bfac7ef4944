"""The registration centre's back office over the API (issue 7): queue, detail, accept (with the legal
deadline), return, approve (登簿: the register changes in one transaction), handover, the bank desk,
the audit trail, and each refusal of the issue."""

from __future__ import annotations

import re
import threading

import pytest

from estate.office import models
from tests.functional.test_tax_payments import Party, order, pay
from tests.support.contract import assert_answers
from local.driver.office import (assess_taxes, fresh_people, mark_taxes_paid, signed_submitted_sale,
                                  write_submitted_application)

TITLE_NUMBER = re.compile(r"^晋\((\d{4})\)阳泉市不动产权第(\d{7})号$")
PROOF_NUMBER = re.compile(r"^晋\((\d{4})\)阳泉市不动产证明第(\d{7})号$")
OTHER_OUTLET = {"140302": "140303"}


def clerk(api, stack, outlet: str, roles: str = ""):
    return api.as_token(stack.issuer.clerk_token(outlet, f"{outlet}窗口", roles))


def title_counter(year: int) -> int:
    from estate.domain.registration import TITLE_SERIES
    from estate.store.register import get_counter

    return int(get_counter(TITLE_SERIES, year).value)


def sms_to(stack, phone: str) -> list[str]:
    return [m["message"] for m in stack.sms_outbox() if m["phone"].endswith(phone)]


def pay_everything(api, stack, application_id: str, buyer: dict, seller: dict) -> None:
    for person, side in ((buyer, "buyer"), (seller, "seller")):
        status, created = order(Party(api, stack, person), application_id, side, "all", "alipay", "app")
        if status == 409:  # nothing left to pay on that side
            continue
        assert status == 201, created
        assert pay(stack, created["checkout"]).status == 200


def assert_deadline(deadline: dict) -> None:
    """30 working days from acceptance; an estimate (预计) while it counts days of an unpublished year."""
    from datetime import date

    from estate.domain.registration import legal_deadline
    from estate.services.working_calendar import working_calendar

    assert deadline["working_days"] == 30
    due = legal_deadline(working_calendar(), date.fromisoformat(deadline["accepted_on"]), 30)
    assert deadline["due_on"] == due.due_on.isoformat() and deadline["days_left"] == 30
    assert deadline["due_on_provisional"] is due.provisional
    assert deadline["due_on_label"] == ("预计" if due.provisional else "") + deadline["due_on"]


# --- the issue's "done when" -----------------------------------------------------------------------

def test_signed_sale_is_returned_resubmitted_accepted_paid_approved_and_handed_over(api, stack, pool, as_citizen):
    from estate.store.register import Certificate, get_unit, units_held_by

    sale = signed_submitted_sale(stack, pool, as_citizen)
    app_id, initiator, unit = sale["id"], sale["initiator"], sale["unit"]
    sellers, buyers = sale["people"][:2], sale["people"][2:]
    office = clerk(api, stack, unit["outlet"])

    queue = assert_answers(models.OfficeQueue, office.get("/office/applications?status=SUBMITTED&sort=newest&limit=100").json())
    assert app_id in [row.id for row in queue.applications]
    detail = office.get(f"/office/applications/{app_id}")
    assert detail.status == 200, detail.text
    detail = detail.json()
    assert_answers(models.CaseDetail, detail)
    assert {d["doc"] for d in detail["documents"]} == {"application_form", "sale_contract", "inquiry_record"}
    assert all(d["signed"] and d["url"] for d in detail["documents"])
    assert detail["materials"] and all("X-Amz-Signature" in m["url"] or "Signature" in m["url"]
                                       for m in detail["materials"])
    assert {s["status"] for s in detail["signatures"]} == {"signed"} and len(detail["signatures"]) == 4
    assert [b["id_number"] for b in detail["parties"]["buyers"]] == [b["id_number"] for b in buyers]

    # 退件 with every reason at once; the initiator is told, corrects and resubmits.
    returned = office.post(f"/office/applications/{app_id}/return",
                           {"reasons": ["MATERIAL_UNCLEAR", "CONTRACT_DEFECT"], "note": "请上传清晰的户口簿照片"})
    assert returned.status == 200, returned.text
    assert assert_answers(models.CaseDetail, returned.json()).status == "RETURNED"
    assert [r["code"] for r in returned.json()["return_reasons"]] == ["MATERIAL_UNCLEAR", "CONTRACT_DEFECT", "NOTE"]
    assert any("已退件" in m and "买卖合同内容有误" in m for m in sms_to(stack, sellers[0]["phone"]))
    status, seen = initiator.call("GET", f"/applications/{app_id}")
    assert seen["status"] == "RETURNED" and len(seen["return_reasons"]) == 3
    initiator.upload(app_id, "household_register")
    status, body = initiator.call("POST", f"/applications/{app_id}/submit", {})
    assert status == 200 and body["status"] == "SUBMITTED", body

    accepted = office.post(f"/office/applications/{app_id}/accept")
    assert accepted.status == 200, accepted.text
    assert_deadline(accepted.json()["deadline"])
    assert_answers(models.CaseDetail, accepted.json())
    assert accepted.json()["actions"] == ["return", "refusal"]  # no 登簿 offered before the taxes are paid
    assert_answers(models.OfficeQueue, office.get("/office/applications?status=ACCEPTED&sort=newest").json())

    # Taxes are assessed when a party first opens them, then paid through the payment providers.
    status, tax = Party(api, stack, buyers[0]).get(f"/applications/{app_id}/tax")
    assert status == 200 and not tax["all_paid"], tax
    refused = office.post(f"/office/applications/{app_id}/approve")
    assert refused.status == 409 and refused.json()["code"] == "TAXES_NOT_PAID"
    pay_everything(api, stack, app_id, buyers[0], sellers[0])
    paid = office.get(f"/office/applications/{app_id}").json()
    assert paid["tax"]["all_paid"] is True and paid["actions"] == ["return", "refusal", "approve"]

    old_certificate = unit["right"]["certificate_number"]
    approved = office.post(f"/office/applications/{app_id}/approve")
    assert approved.status == 200, approved.text
    assert assert_answers(models.CaseDetail, approved.json()).registration.certificates
    registration = approved.json()["registration"]
    assert approved.json()["status"] == "APPROVED" and approved.json()["actions"] == ["handover"]
    [certificate] = [c["certificate_number"] for c in registration["certificates"]]
    assert TITLE_NUMBER.match(certificate)

    register_unit = get_unit(unit["unit_number"])
    assert [o.id_number for o in register_unit.right.owners] == [b["id_number"] for b in buyers]
    assert register_unit.right.holding_mode == "joint" and register_unit.right.certificate_number == certificate
    assert register_unit.in_flight is None
    assert all(unit["unit_number"] in units_held_by(b["id_number"]) for b in buyers)
    assert all(unit["unit_number"] not in units_held_by(s["id_number"]) for s in sellers)
    assert Certificate.get(*Certificate.key(old_certificate)).status == "to_hand_in"
    assert Certificate.get(*Certificate.key(certificate)).status == "current"
    for buyer in buyers:
        assert any(certificate in m and "领取新证" in m for m in sms_to(stack, buyer["phone"]))

    done = office.post(f"/office/applications/{app_id}/handover")
    assert done.status == 200 and assert_answers(models.CaseDetail, done.json()).status == "COMPLETED", done.text
    assert done.json()["actions"] == []
    assert Certificate.get(*Certificate.key(old_certificate)).status == "retired"
    status, seen = initiator.call("GET", f"/applications/{app_id}")
    assert seen["status"] == "COMPLETED"
    actions = [e["action"] for e in seen["timeline"]]
    assert actions[-6:] == ["returned", "submitted", "accepted", "taxes_paid", "approved", "handed_over"], actions


# --- refusals --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def untouched(pool):
    """A submitted case that the refusal tests below leave exactly as it is (each asserts so)."""
    return write_submitted_application(pool)


def test_a_clerk_of_another_outlet_is_refused_every_route(api, stack, untouched):
    case = untouched
    other = clerk(api, stack, OTHER_OUTLET.get(case["outlet"], "140302" if case["outlet"] != "140302" else "140303"))
    for method, path in [("GET", ""), ("POST", "/accept"), ("POST", "/approve"), ("POST", "/handover")]:
        response = other.request(method, f"/office/applications/{case['id']}{path}", {} if method == "POST" else None)
        assert response.status == 403 and response.json()["code"] == "OTHER_OUTLET", (path, response.text)
    response = other.post(f"/office/applications/{case['id']}/return", {"reasons": ["OTHER"], "note": "x"})
    assert response.status == 403
    assert case["id"] not in [r["id"] for r in other.get("/office/applications?sort=newest&limit=100").json()["applications"]]


def test_citizens_and_bank_officers_cannot_use_the_office(api, stack, untouched):
    case = untouched
    citizen = api.as_token(stack.citizen_token(case["sellers"][0]["id_number"]))
    refusal = citizen.get("/office/applications").json()
    assert refusal["code"] == "ROLE_REQUIRED" and refusal["required_role"] == "clerk"
    assert citizen.post(f"/office/applications/{case['id']}/accept").status == 403
    officer = api.as_token(stack.issuer.bank_token("ICBC-YQ-CQ"))
    assert officer.get(f"/office/applications/{case['id']}").status == 403


def test_approve_before_taxes_are_assessed_or_paid_is_409(api, stack, pool):
    case = write_submitted_application(pool)
    office = clerk(api, stack, case["outlet"])
    early = office.post(f"/office/applications/{case['id']}/approve")
    assert early.status == 409 and early.json()["code"] == "WRONG_STATE"  # not accepted yet
    assert office.post(f"/office/applications/{case['id']}/accept").status == 200
    unassessed = office.post(f"/office/applications/{case['id']}/approve")
    assert unassessed.status == 409 and unassessed.json()["code"] == "TAXES_NOT_PAID"
    assess_taxes(api, case)
    unpaid = office.post(f"/office/applications/{case['id']}/approve")
    assert unpaid.status == 409 and unpaid.json()["code"] == "TAXES_NOT_PAID"
    assert "请" in unpaid.json()["message"] or "税" in unpaid.json()["message"]
    from estate.store.register import get_unit
    assert get_unit(case["unit"]["unit_number"]).in_flight.case_id == case["id"]  # nothing changed


def test_return_needs_at_least_one_known_reason(api, stack, untouched):
    case = untouched
    office = clerk(api, stack, case["outlet"])
    for body, field in [({}, "reasons"), ({"reasons": []}, "reasons"), ({"reasons": ["NOPE"]}, "reasons[0]"),
                        ({"reasons": ["OTHER"]}, "note"), ({"reasons": "MATERIAL_MISSING"}, "reasons"),
                        ({"reasons": ["MATERIAL_MISSING"], "note": 5}, "note")]:
        response = office.post(f"/office/applications/{case['id']}/return", body)
        assert response.status == 400, response.text
        assert field in [d["field"] for d in response.json()["details"]]
    assert office.get(f"/office/applications/{case['id']}").json()["status"] == "SUBMITTED"
    assert office.post(f"/office/applications/{case['id']}/return", raw=b"not json").status == 400


def test_two_clerks_approving_at_once_one_wins_and_the_series_advances_one_step(api, stack, pool):
    from estate import clock

    case = write_submitted_application(pool)
    first, second = clerk(api, stack, case["outlet"]), clerk(api, stack, case["outlet"])
    assert first.post(f"/office/applications/{case['id']}/accept").status == 200
    assess_taxes(api, case)
    mark_taxes_paid(case["id"])
    year = clock.today_in_shanghai().year
    before = title_counter(year)
    results = []
    barrier = threading.Barrier(2)

    def approve(office):
        barrier.wait()
        results.append(office.post(f"/office/applications/{case['id']}/approve"))

    threads = [threading.Thread(target=approve, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status for r in results) == [200, 409], [r.text for r in results]
    loser = next(r for r in results if r.status == 409)
    assert loser.json()["code"] in ("ALREADY_APPROVED", "WRONG_STATE", "CONCURRENT_UPDATE")
    winner = next(r for r in results if r.status == 200).json()
    [number] = [c["certificate_number"] for c in winner["registration"]["certificates"]]
    assert title_counter(year) == before + 1
    assert int(TITLE_NUMBER.match(number).group(2)) == before + 1


def test_concurrent_approvals_of_different_cases_take_consecutive_numbers_without_gap(api, stack, pool):
    from estate import clock

    cases = [write_submitted_application(pool) for _ in range(3)]
    for case in cases:
        assert clerk(api, stack, case["outlet"]).post(f"/office/applications/{case['id']}/accept").status == 200
        assess_taxes(api, case)
        mark_taxes_paid(case["id"])
    year = clock.today_in_shanghai().year
    before = title_counter(year)
    results, barrier = [], threading.Barrier(len(cases))

    def approve(case):
        barrier.wait()
        results.append(clerk(api, stack, case["outlet"]).post(f"/office/applications/{case['id']}/approve"))

    threads = [threading.Thread(target=approve, args=(c,)) for c in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status for r in results] == [200] * len(cases), [r.text for r in results]
    serials = sorted(int(TITLE_NUMBER.match(c["certificate_number"]).group(2))
                     for r in results for c in r.json()["registration"]["certificates"])
    assert serials[0] > before and serials == list(range(serials[0], serials[0] + len(cases)))
    assert title_counter(year) == serials[-1]


def test_separate_certificates_and_shares_issue_one_numbered_certificate_per_holder(api, stack, pool):
    from estate.store.register import get_unit

    case = write_submitted_application(pool, scenario="single", buyers=2, holding={
        "mode": "shares", "shares": {}, "separate_certificates": True})
    # shares keyed by the buyers' ID numbers, in percent, as the apply function stores them
    from estate.store.applications import Application
    application = Application.get(*Application.key(case["id"]))
    application.parties = {**application.parties, "holding": {
        "mode": "shares", "separate_certificates": True, "holders": [b["name"] for b in case["buyers"]],
        "shares": {case["buyers"][0]["id_number"]: "60", case["buyers"][1]["id_number"]: "40"}}}
    application.save()
    office = clerk(api, stack, case["outlet"])
    assert office.post(f"/office/applications/{case['id']}/accept").status == 200
    assess_taxes(api, case)
    mark_taxes_paid(case["id"])
    approved = office.post(f"/office/applications/{case['id']}/approve")
    assert approved.status == 200, approved.text
    numbers = [c["certificate_number"] for c in approved.json()["registration"]["certificates"]]
    serials = [int(TITLE_NUMBER.match(n).group(2)) for n in numbers]
    assert len(numbers) == 2 and serials[1] == serials[0] + 1
    owners = get_unit(case["unit"]["unit_number"]).right.owners
    assert [(o.id_number, o.share, o.certificate_number) for o in owners] == [
        (case["buyers"][0]["id_number"], "0.6", numbers[0]), (case["buyers"][1]["id_number"], "0.4", numbers[1])]


def test_queue_filters_by_status_and_waiting_days_and_rejects_bad_filters(api, stack, untouched):
    # the paging, orders and cursor over many cases: test_office_queue.py
    case = untouched
    office = clerk(api, stack, case["outlet"])
    ids = lambda query: [r["id"] for r in office.get(f"/office/applications?sort=newest&limit=100{query}").json()["applications"]]  # noqa: E731
    assert case["id"] in ids("&status=SUBMITTED")
    assert case["id"] not in ids("&status=ACCEPTED")
    assert case["id"] in ids("&status=SUBMITTED&min_waiting_days=0")
    assert case["id"] not in ids("&min_waiting_days=3")  # submitted today
    for query in ("?status=DRAFT", "?min_waiting_days=-1", "?min_waiting_days=abc", "?business=lease"):
        response = office.get(f"/office/applications{query}")
        assert response.status == 400 and response.json()["details"][0]["code"] == "INVALID_FILTER", query


# --- audit -----------------------------------------------------------------------------------------

def test_accept_twice_or_handover_early_is_409_and_every_staff_action_is_audited(api, stack, pool):
    case = write_submitted_application(pool)
    office = clerk(api, stack, case["outlet"])
    assert office.post(f"/office/applications/{case['id']}/accept").status == 200
    again = office.post(f"/office/applications/{case['id']}/accept")
    assert again.status == 409 and again.json()["code"] == "WRONG_STATE"
    assert office.post(f"/office/applications/{case['id']}/handover").status == 409
    assert office.get("/office/applications/YQ20990101NOPE").status == 404
    clerk(api, stack, OTHER_OUTLET.get(case["outlet"], "140302")).get(f"/office/applications/{case['id']}")
    assert office.get("/office/audit").status == 403
    auditor = clerk(api, stack, "140302", roles="auditor")
    trail = auditor.get("/office/audit?target=" + case["id"])
    assert trail.status == 200, trail.text
    entries = trail.json()["entries"]
    assert_answers(models.AuditDay, trail.json())
    assert [e["outcome"] for e in entries if e["action"] == "office.accept"] == ["refused:WRONG_STATE", "ok"]
    accept = next(e for e in entries if e["action"] == "office.accept" and e["outcome"] == "ok")
    assert accept["outlet"] == case["outlet"] and accept["actor_role"] == "clerk"
    assert accept["at"] and accept["source_ip"]
    assert any(e["action"] == "office.view" and e["outcome"] == "refused:OTHER_OUTLET" for e in entries)
    assert auditor.get("/office/audit?date=2026-13-01").status == 400
    for method in ("PUT", "DELETE", "POST"):
        assert auditor.request(method, "/office/audit", {}).status in (403, 404, 405)


# --- bank desk -------------------------------------------------------------------------------------

def pushed_loan_sale(stack, pool, branch: str) -> dict:
    """A buyer starts a loan sale, fills the parties and pushes it to the bank, as in the app."""
    from local.driver.api import decode
    from local.driver.flows import Citizen, party

    unit = pool.unit("single", outlet="140302")
    [seller], [buyer] = pool.owners(unit), fresh_people(1)
    citizen = Citizen(lambda method, path, headers, body: decode(stack.gateway.handle(method, path, headers, body)),
                      stack.issuer.citizen_token(buyer["id_number"], buyer["name"]))
    app_id = citizen.start(unit, "buyer", business="loan-sale")["id"]
    status, body = citizen.call("PUT", f"/applications/{app_id}/parties", {
        "sellers": [party(seller, "single")], "buyers": [party(buyer, "single")], "holding": {"mode": "single"}})
    assert status == 200, body
    status, body = citizen.call("POST", f"/applications/{app_id}/bank-push", {"bank": branch.split("-", maxsplit=1)[0],
                                                                              "branch": branch})
    assert status == 200 and body["status"] == "PUSHED_TO_BANK", body
    return {"id": app_id, "unit": unit, "sellers": [seller], "buyers": [buyer], "outlet": unit["outlet"]}


def test_bank_desk_sees_only_its_branch_and_checks_the_loan(api, stack, pool):
    """The whole loan sale through the bank desk is tests/functional/test_bank_desk.py."""
    case = pushed_loan_sale(stack, pool, "ICBC-YQ-CQ")
    officer = api.as_token(stack.issuer.bank_token("ICBC-YQ-CQ"))
    stranger = api.as_token(stack.issuer.bank_token("CCB-YQ-CQ"))
    assert case["id"] in [a["id"] for a in officer.get("/bank/applications").json()["applications"]]
    assert case["id"] not in [a["id"] for a in stranger.get("/bank/applications").json()["applications"]]
    assert stranger.get(f"/bank/applications/{case['id']}").status == 404
    assert stranger.request("PUT", f"/bank/applications/{case['id']}/loan", {}).status in (400, 404)
    early = officer.post(f"/bank/applications/{case['id']}/submit")
    assert early.status == 409 and early.json()["code"] == "WRONG_STATE"
    bad = officer.request("PUT", f"/bank/applications/{case['id']}/loan",
                          {"amount": "-1", "term_months": 0, "mortgage": {"ends_on": "soon"}})
    assert bad.status == 400
    assert {d["field"] for d in bad.json()["details"]} >= {"amount", "term_months", "mortgage.ends_on",
                                                          "mortgage.contract_number"}
    loan = officer.request("PUT", f"/bank/applications/{case['id']}/loan", {
        "amount": "400000", "term_months": 240,
        "mortgage": {"ends_on": "2046-11-30", "transfer_banned": False, "contract_number": "ICBC-DY-2026-001"}})
    assert loan.status == 200 and loan.json()["loan"]["amount"] == "400000.00", loan.text
    assert assert_answers(models.PushedCase, loan.json()).loan.loan_type == "commercial"
    assert_answers(models.BankQueue, officer.get("/bank/applications").json())


@pytest.mark.parametrize(("old", "desk"), [("/office/console", "/office/"), ("/bank/console", "/bank/")])
def test_the_retired_console_addresses_move_to_the_desks(api, old, desk):
    response = api.as_token(None).get(old)
    assert response.status == 301 and response.headers["Location"] == desk
    assert api.as_token(None).get("/office/assets/console.js").status in (403, 404)   # the old scripts are gone


# --- the legal deadline beyond the published holiday schedules -------------------------------------

@pytest.fixture
def clock_at():
    from datetime import datetime

    from estate import clock

    yield lambda moment: clock.set_now(datetime.fromisoformat(moment))
    clock.set_now(None)


def test_acceptance_on_2026_12_03_gets_a_provisional_due_date_made_official_by_the_2027_schedule(
        api, stack, pool, as_citizen, clock_at, tmp_path):
    """2026-12-03 + 30 working days: 20 in December, 元旦 closed, 10 in January → 2027-01-15, counted on
    the provisional 2027 calendar. The office and the parties (here the seller) see it as 预计; once ops add the official
    2027 schedule it is recomputed from the stored acceptance day and the flag drops."""
    from tests.support.calendar import official_schedule

    clock_at("2026-12-03T10:00:00+08:00")
    case = write_submitted_application(pool)
    office = clerk(api, stack, case["outlet"])
    accepted = office.post(f"/office/applications/{case['id']}/accept")
    assert accepted.status == 200, accepted.text
    deadline = accepted.json()["deadline"]
    assert (deadline["due_on"], deadline["due_on_provisional"], deadline["due_on_label"], deadline["days_left"]) == (
        "2027-01-15", True, "预计2027-01-15", 30)
    assert any(e["note"] == "法定办结期限：预计2027-01-15（30个工作日）" for e in accepted.json()["timeline"])
    [row] = [r for r in office.get("/office/applications?status=ACCEPTED&sort=newest&limit=100").json()["applications"]
             if r["id"] == case["id"]]
    assert row["deadline"]["due_on"] == "2027-01-15" and row["deadline"]["due_on_provisional"] is True

    seller = as_citizen(case["sellers"][0])
    status, seen = seller.call("GET", f"/applications/{case['id']}")
    assert status == 200, seen
    assert seen["deadline"]["due_on"] == "2027-01-15" and seen["deadline"]["due_on_provisional"] is True

    clock_at("2027-01-15T10:00:00+08:00")  # the provisional due day itself
    deadline = office.get(f"/office/applications/{case['id']}").json()["deadline"]
    assert (deadline["due_on_label"], deadline["days_left"]) == ("预计2027-01-15", 0)

    clock_at("2027-01-11T10:00:00+08:00")
    with official_schedule(tmp_path, {"2027": {"holidays": ["2027-01-01", "2027-01-04"], "workdays": []}}):
        official = office.get(f"/office/applications/{case['id']}").json()["deadline"]
        assert (official["due_on"], official["due_on_provisional"], official["due_on_label"]) == (
            "2027-01-18", False, "2027-01-18")
        assert official["days_left"] == 5  # Jan 12-15, 18
        status, seen = seller.call("GET", f"/applications/{case['id']}")
        assert seen["deadline"]["due_on"] == "2027-01-18" and seen["deadline"]["due_on_provisional"] is False


def test_a_deadline_within_the_published_year_is_not_provisional(api, stack, pool, clock_at):
    clock_at("2026-09-18T10:00:00+08:00")
    case = write_submitted_application(pool)
    deadline = clerk(api, stack, case["outlet"]).post(f"/office/applications/{case['id']}/accept").json()["deadline"]
    assert (deadline["due_on"], deadline["due_on_provisional"], deadline["due_on_label"]) == (
        "2026-11-05", False, "2026-11-05")
