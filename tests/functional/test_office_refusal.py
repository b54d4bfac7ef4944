"""不予登记 (issue 16, 条例 Art. 22): only an accepted case not yet entered in the register; in one
transaction the status and its timeline event, the unit's lock lifted, every party told, each paid tax
order turned into a refund request; audited; a retried request answers the first result."""

from __future__ import annotations

import pytest

from estate.office import models
from local.driver.office import assess_taxes, write_submitted_application
from tests.functional.test_tax_payments import Party, order, pay
from tests.support.contract import assert_answers

REASON = {"reason": "SEIZED", "text": "经查，该不动产已被阳泉市城区人民法院查封，查封期间不得办理转移登记。"}


def clerk(api, stack, outlet: str):
    return api.as_token(stack.issuer.clerk_token(outlet, f"{outlet}窗口"))


def texts_to(stack, person: dict) -> list[str]:
    return [m["message"] for m in stack.sms_outbox() if m["phone"].endswith(person["phone"])]


@pytest.fixture
def accepted(api, stack, pool):
    case = write_submitted_application(pool, buyers=2)
    office = clerk(api, stack, case["outlet"])
    response = office.post(f"/office/applications/{case['id']}/accept")
    assert response.status == 200, response.text
    assess_taxes(api, case)  # the case written straight into the store is not assessed at acceptance
    return {**case, "office": office}


def test_a_refusal_releases_the_unit_tells_every_party_and_flags_paid_taxes_for_refund(api, stack, accepted):
    from estate.store.register import get_unit
    from estate.store.taxes import refunds_of

    case, office = accepted, accepted["office"]
    buyer = case["buyers"][0]
    status, created = order(Party(api, stack, buyer), case["id"], "buyer", "all", "alipay", "app")
    assert status == 201, created
    assert pay(stack, created["checkout"]).status == 200
    assert get_unit(case["unit"]["unit_number"]).in_flight.case_id == case["id"]

    response = office.post(f"/office/applications/{case['id']}/refusal", REASON)
    assert response.status == 200, response.text
    view = assert_answers(models.CaseDetail, response.json())
    assert view.status == "REFUSED" and view.status_label == "不予登记"
    assert (view.refusal.code, view.refusal.text) == ("SEIZED", REASON["text"])
    assert view.refusal.label.startswith("不动产已被依法查封")
    [event] = [e for e in view.timeline if e.action == "refused"]
    assert (event.status_from, event.status_to) == ("ACCEPTED", "REFUSED") and REASON["text"] in event.note

    assert get_unit(case["unit"]["unit_number"]).in_flight is None  # another sale of the unit may start
    for person in [*case["sellers"], *case["buyers"]]:
        [told] = [t for t in texts_to(stack, person) if "不予登记" in t and "原因" in t]
        assert case["id"] in told and "不动产已被依法查封" in told
        assert "人民法院" not in told  # the clerk's own words stay in the case, not in an SMS
    [refund] = refunds_of(case["id"])
    assert (refund.reason, refund.payer_id, refund.amount, refund.state) == (
        "refused", buyer["id_number"], created["amount"], "requested")
    assert any(refund.refund_id in t and "不予登记" in t for t in texts_to(stack, buyer))

    # the case is over: nothing more is paid, decided or refused on it
    status, body = order(Party(api, stack, case["sellers"][0]), case["id"], "seller", "all", "alipay", "app")
    assert status == 409 and body["code"] == "APPLICATION_REFUSED", body
    for action in ("approve", "accept", "refusal"):
        again = office.post(f"/office/applications/{case['id']}/{action}", REASON if action == "refusal" else {})
        assert again.status == 409 and again.json()["code"] == "WRONG_STATE", (action, again.text)
    row = next(r for r in office.get("/office/applications?status=REFUSED&sort=newest&limit=100").json()["applications"]
               if r["id"] == case["id"])
    assert row["status_label"] == "不予登记" and row["working_days_left"] is None


def test_a_refusal_with_taxes_paid_refuses_too_and_the_audit_trail_records_it(api, stack, accepted):
    from local.driver.office import mark_taxes_paid
    from tests.functional.test_office import clerk as clerk_with_roles

    case, office = accepted, accepted["office"]
    mark_taxes_paid(case["id"])
    from estate.tax.settled import record_taxes_paid

    record_taxes_paid(case["id"])
    assert office.get(f"/office/applications/{case['id']}").json()["status"] == "TAX_PAID"
    response = office.post(f"/office/applications/{case['id']}/refusal", {**REASON, "reason": "OWNERSHIP_DISPUTE"})
    assert response.status == 200 and response.json()["status"] == "REFUSED", response.text
    auditor = clerk_with_roles(api, stack, case["outlet"], "auditor")
    entries = auditor.get("/office/audit").json()["entries"]
    assert any(e["action"] == "office.refuse" and e["target"] == case["id"] and e["outcome"] == "ok"
               and e["detail"] == {"reason": "OWNERSHIP_DISPUTE"} for e in entries)


@pytest.mark.parametrize("status", ["SUBMITTED", "RETURNED", "APPROVED", "COMPLETED", "WITHDRAWN"])
def test_a_refusal_outside_review_is_409_and_changes_nothing(api, stack, pool, status):
    from estate.store.applications import load_case
    from estate.store.register import get_unit

    case = write_submitted_application(pool, status=status)
    response = clerk(api, stack, case["outlet"]).post(f"/office/applications/{case['id']}/refusal", REASON)
    assert response.status == 409 and response.json()["code"] == "WRONG_STATE", response.text
    application, events, _ = load_case(case["id"])
    assert application.status == status and [e.action for e in events] == ["submitted"]
    assert get_unit(case["unit"]["unit_number"]).in_flight.case_id == case["id"]


def test_a_refusal_needs_a_legal_ground_from_the_list_and_a_written_reason(api, stack, accepted):
    case, office = accepted, accepted["office"]
    path = f"/office/applications/{case['id']}/refusal"
    for body, field, code in (({"text": REASON["text"]}, "reason", None),
                              ({**REASON, "reason": "DISLIKE"}, "reason", "UNKNOWN_REASON"),
                              ({"reason": "SEIZED"}, "text", None),
                              ({"reason": "SEIZED", "text": "  查封  "}, "text", "TOO_SHORT"),
                              ({"reason": "SEIZED", "text": "查" * 501}, "text", None),
                              ({"reason": "SEIZED", "text": 5}, "text", None)):
        response = office.post(path, body)
        assert response.status == 400, (body, response.text)
        details = response.json()["details"]
        assert [d["field"] for d in details] == [field], details
        assert code is None or details[0]["code"] == code, details
        assert all(d["message"] for d in details)
    assert office.get(f"/office/applications/{case['id']}").json()["status"] == "ACCEPTED"


def test_only_the_cases_outlet_clerk_may_refuse(api, stack, accepted):
    case = accepted
    other = clerk(api, stack, "140303" if case["outlet"] != "140303" else "140302")
    response = other.post(f"/office/applications/{case['id']}/refusal", REASON)
    assert response.status == 403 and response.json()["code"] == "OTHER_OUTLET"
    officer = api.as_token(stack.issuer.bank_token("ICBC-YQ-CQ"))
    assert officer.post(f"/office/applications/{case['id']}/refusal", REASON).status == 403
    assert case["office"].get(f"/office/applications/{case['id']}").json()["status"] == "ACCEPTED"


def test_a_refusal_sent_twice_with_its_idempotency_key_is_decided_and_told_once(api, stack, accepted):
    from estate.store.applications import load_case

    case, office = accepted, accepted["office"]
    headers = {"Idempotency-Key": f"refuse-{case['id']}"}
    first = office.post(f"/office/applications/{case['id']}/refusal", REASON, headers=headers)
    second = office.post(f"/office/applications/{case['id']}/refusal", REASON, headers=headers)
    assert first.status == second.status == 200, (first.text, second.text)
    assert second.json()["status"] == "REFUSED" and second.json()["timeline"] == first.json()["timeline"]
    _, events, _ = load_case(case["id"])
    assert [e.action for e in events].count("refused") == 1
    seller = case["sellers"][0]
    assert len([t for t in texts_to(stack, seller) if "不予登记" in t and case["id"] in t]) == 1
