"""Issue 17: everyone told at every step (SMS and GET /me/notifications), delivery through the
outbox, a new signing link on request, refunds on withdrawal."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import timedelta

import pytest

from local.driver.office import signed_submitted_sale
from local.driver.signing import prepare_sale, tokens_for, wait_until
from estate.notify.models import NotificationsView
from tests.functional.test_office import clerk, pay_everything
from tests.functional.test_tax_payments import Party, order, pay
from tests.support.contract import assert_answers


def inbox(as_citizen, person: dict, **query) -> list[dict]:
    path = "/me/notifications" + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    status, body = as_citizen(person).call("GET", path)
    assert status == 200, body
    assert_answers(NotificationsView, body)
    return body["notifications"]


def steps_of(as_citizen, person: dict, application_id: str) -> list[str]:
    return [n["step"] for n in inbox(as_citizen, person, limit=50) if n["application_id"] == application_id]


def sms_to(stack, person: dict, *words: str) -> list[str]:
    return [m["message"] for m in stack.sms_outbox()
            if m["phone"].endswith(person["phone"]) and all(w in m["message"] for w in words)]


def assert_everyone_told(stack, as_citizen, people, application_id, step, *words):
    for person in people:
        assert step in steps_of(as_citizen, person, application_id), (person["name"], step)
        assert sms_to(stack, person, *words), (person["name"], step, words)


# --- the "done when": a sale from submit to completion ---------------------------------------

def test_every_party_is_told_at_every_step_from_submit_to_completion(api, stack, pool, as_citizen):
    sale = signed_submitted_sale(stack, pool, as_citizen)
    app_id, people = sale["id"], sale["people"]
    sellers, buyers = people[:2], people[2:]
    initiator_person = sellers[0]
    office = clerk(api, stack, sale["unit"]["outlet"])

    assert_everyone_told(stack, as_citizen, people, app_id, "submitted", app_id, "已于", "提交登记机构")

    returned = office.post(f"/office/applications/{app_id}/return", {"reasons": ["CONTRACT_DEFECT"]})
    assert returned.status == 200, returned.text
    assert sms_to(stack, initiator_person, "已退件", "买卖合同内容有误")
    for person in people[1:]:
        assert sms_to(stack, person, app_id, "已被登记机构退件"), person["name"]
        assert "returned" in steps_of(as_citizen, person, app_id)
    status, body = sale["initiator"].call("POST", f"/applications/{app_id}/submit", {})
    assert status == 200, body

    accepted = office.post(f"/office/applications/{app_id}/accept")
    assert accepted.status == 200, accepted.text
    due = accepted.json()["deadline"]["due_on_label"]
    assert_everyone_told(stack, as_citizen, people, app_id, "accepted", "已于", "受理", f"法定办结期限：{due}")
    # taxes assessed at acceptance, each side told its own amounts (no party opened them first)
    from estate.store.taxes import UNPAID, get_case

    _, items = get_case(app_id)
    for side, members in (("buyer", buyers), ("seller", sellers)):
        owed = sum(float(i.amount) for i in items if i.payer == side and i.status == UNPAID)
        label = {"buyer": "买方", "seller": "卖方"}[side]
        words = (f"{label}应缴{owed:.2f}元",) if owed else (f"{label}无需缴纳税费",)
        assert_everyone_told(stack, as_citizen, members, app_id, "taxes_assessed", *words)

    pay_everything(api, stack, app_id, buyers[0], sellers[0])
    approved = office.post(f"/office/applications/{app_id}/approve")
    assert approved.status == 200, approved.text
    certificate = approved.json()["registration"]["certificates"][0]["certificate_number"]
    assert_everyone_told(stack, as_citizen, buyers, app_id, "approved", certificate, "领取新证")
    assert_everyone_told(stack, as_citizen, sellers, app_id, "approved", "交回原证书")
    entry = next(n for n in inbox(as_citizen, buyers[0]) if n["step"] == "approved")
    assert entry["action"] == {"kind": "book", "label": "预约领证", "business": "certificate-pickup",
                               "outlet": sale["unit"]["outlet"]}

    done = office.post(f"/office/applications/{app_id}/handover")
    assert done.status == 200, done.text
    assert_everyone_told(stack, as_citizen, people, app_id, "completed", app_id, "办结")

    # newest first, Chinese text and Beijing time; nobody's SMS carries an ID number
    entries = inbox(as_citizen, buyers[0], limit=50)
    mine = [n for n in entries if n["application_id"] == app_id]
    assert mine[0]["step"] == "completed" and mine[0]["title"] == "登记已办结"
    assert [n["created_at"] for n in entries] == sorted((n["created_at"] for n in entries), reverse=True)
    assert "年" in mine[0]["created_at_label"] and "月" in mine[0]["created_at_label"]
    for person in people:
        assert not any(p["id_number"] in m for p in people for m in sms_to(stack, person))

    # every outbox message of the case went out exactly once
    from estate.store.notifications import OutboxMessage

    messages = [m for m in OutboxMessage.scan(OutboxMessage.application_id == app_id)]
    assert messages and {m.state for m in messages} == {"sent"} and {m.attempts for m in messages} == {1}


def test_notifications_are_paged_with_a_cursor_and_only_ones_own(api, stack, pool, as_citizen):
    sale = signed_submitted_sale(stack, pool, as_citizen, buyers=1)
    seller, buyer = sale["people"][0], sale["people"][-1]
    office = clerk(api, stack, sale["unit"]["outlet"])
    assert office.post(f"/office/applications/{sale['id']}/accept").status == 200
    everything = inbox(as_citizen, seller, limit=50)
    first = as_citizen(seller).call("GET", "/me/notifications?limit=1")[1]
    assert len(first["notifications"]) == 1 and first["next_cursor"]
    assert_answers(NotificationsView, first)
    second = as_citizen(seller).call("GET", f"/me/notifications?limit=1&cursor={first['next_cursor']}")[1]
    assert [n["id"] for n in first["notifications"] + second["notifications"]] == [n["id"] for n in everything[:2]]
    # the buyer's entries are the buyer's: none of the seller's entry ids
    assert not {n["id"] for n in everything} & {n["id"] for n in inbox(as_citizen, buyer, limit=50)}


@pytest.mark.parametrize("query, field", [("limit=0", "limit"), ("limit=abc", "limit"), ("cursor=@@@", "cursor")])
def test_bad_paging_is_a_400_naming_the_field(as_citizen, pool, query, field):
    status, body = as_citizen(pool.citizen()).call("GET", f"/me/notifications?{query}")
    assert status == 400 and [d["field"] for d in body["details"]] == [field], body


# --- delivery you can trust --------------------------------------------------------------------------

class Outage:
    """The SMS provider down until recover(): every publish fails."""

    def __init__(self):
        self.down = True

    def install(self, monkeypatch):
        from estate.adapters import sms

        real = sms.default_sender().send

        def send(phone, template_name, **params):
            if self.down:
                sms.render(template_name, **params)
                raise sms.ProviderUnavailable("ServiceUnavailable")
            return real(phone, template_name, **params)

        monkeypatch.setattr(sms.default_sender(), "send", send)


def test_a_provider_outage_loses_no_sms_and_sends_none_twice(api, stack, pool, as_citizen, monkeypatch):
    from estate import clock
    from estate.notify import outbox
    from estate.store.notifications import OutboxMessage

    sale = signed_submitted_sale(stack, pool, as_citizen, buyers=1)
    stack.deliver_sms()
    outage = Outage()
    outage.install(monkeypatch)
    office = clerk(api, stack, sale["unit"]["outlet"])
    assert office.post(f"/office/applications/{sale['id']}/accept").status == 200
    stack.deliver_sms()
    messages = [m for m in OutboxMessage.scan(OutboxMessage.application_id == sale["id"])
                if m.step in ("accepted", "taxes_assessed")]  # queued during the outage
    assert len(messages) == 4 and {m.state for m in messages} == {"queued"}, [(m.state, m.step) for m in messages]
    assert all(m.attempts == 1 and m.last_error for m in messages)
    before = len(stack.sms_outbox())

    # the backoff: the sweeper does not resend before the message is due ...
    assert {outbox.deliver(m.message_id) for m in messages} == {"waiting"}
    assert {OutboxMessage.get(m.pk, m.sk).attempts for m in messages} == {1}
    # ... and after it, the provider back: every message goes, once, even if queued twice
    outage.down = False
    later = clock.now() + timedelta(hours=1)
    assert outbox.sweep(later) >= len(messages)
    assert outbox.sweep(later) >= len(messages)  # a second sweep: duplicates in the queue
    clock.set_now(later)
    try:
        stack.deliver_sms()
    finally:
        clock.set_now(None)
    sent = [OutboxMessage.get(m.pk, m.sk) for m in messages]
    assert {m.state for m in sent} == {"sent"} and {m.attempts for m in sent} == {2}
    new = stack.sms_outbox()[before:]
    assert sorted(m["id"] for m in new if m["id"] in {s.provider_message_id for s in sent}) == \
        sorted(s.provider_message_id for s in sent)  # one SMS per message, none twice

    # delivery receipts (SNS delivery status through CloudWatch Logs): delivered / failed
    delivered, undelivered = sent[0], sent[-1] if len(sent) > 1 else None
    records = [{"notification": {"messageId": delivered.provider_message_id, "timestamp": "2026-12-03 05:31:10.558"},
                "delivery": {"destination": "+86" + delivered.phone, "smsType": "Transactional",
                             "providerResponse": "Message has been accepted by phone carrier", "dwellTimeMs": 599},
                "status": "SUCCESS"}]
    if undelivered is not None:
        records.append({"notification": {"messageId": undelivered.provider_message_id,
                                         "timestamp": "2026-12-03 05:31:11.000"},
                        "delivery": {"destination": "+86" + undelivered.phone,
                                     "providerResponse": "Phone has blocked SMS"}, "status": "FAILURE"})
    records.append({"notification": {"messageId": "not-ours"}, "status": "SUCCESS"})
    event = log_subscription_event(records)
    result = stack.registry.invoke("SmsReceiptsFunction", event)
    assert result["delivered"] == 1 and result["unknown"] == 1
    assert OutboxMessage.get(delivered.pk, delivered.sk).state == "delivered"
    if undelivered is not None:
        failed = OutboxMessage.get(undelivered.pk, undelivered.sk)
        assert failed.state == "failed" and "blocked" in failed.last_error


def log_subscription_event(records: list[dict]) -> dict:
    """A CloudWatch Logs subscription's Lambda event, as AWS sends it (base64 of gzip of JSON)."""
    payload = {"messageType": "DATA_MESSAGE", "owner": "123456789012",
               "logGroup": "sns/us-east-1/123456789012/DirectPublishToPhoneNumber", "logStream": "x",
               "subscriptionFilters": ["Delivered"],
               "logEvents": [{"id": str(i), "timestamp": 0, "message": json.dumps(r)} for i, r in enumerate(records)]}
    return {"awslogs": {"data": base64.b64encode(gzip.compress(json.dumps(payload).encode())).decode()}}


# --- a new signing link on request --------------------------------------------------------------------

def test_a_party_gets_a_new_link_the_old_dies_and_a_fourth_a_day_is_refused(stack, pool, as_citizen):
    from local.driver.api import decode

    request = lambda method, path, headers, body: decode(stack.gateway.handle(method, path, headers, body))  # noqa: E731
    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    app_id, initiator = sale["id"], sale["initiator"]
    seller, buyer = sale["people"][0], sale["people"][-1]
    old = tokens_for(stack, buyer)[0]
    status, view = initiator.call("GET", f"/applications/{app_id}/signing")
    buyer_key = next(p["party"] for p in view["parties"] if p["role"] == "buyer")

    # the buyer for themselves
    status, body = as_citizen(buyer).call("POST", f"/applications/{app_id}/parties/me/link")
    assert status == 200 and body["requests_left_today"] == 2 and "****" in body["sent_to"], body
    new = wait_until(lambda: (t := tokens_for(stack, buyer, 2)) and t[-1])
    assert new != old
    status, gone = request("GET", f"/sign/{old}/session", {}, b"")
    assert (status, gone["code"]) == (410, "LINK_VOID") and "重新发送" in gone["message"]
    assert request("GET", f"/sign/{new}/session", {}, b"")[0] == 200
    assert "link_reissued" in steps_of(as_citizen, buyer, app_id)

    # the initiator for the buyer, twice more; the fourth of the day is refused
    for left in (1, 0):
        status, body = initiator.call("POST", f"/applications/{app_id}/parties/{buyer_key}/link")
        assert status == 200 and body["requests_left_today"] == left, body
    status, body = initiator.call("POST", f"/applications/{app_id}/parties/{buyer_key}/link")
    assert status == 429 and body["code"] == "LINK_REQUESTS_EXHAUSTED" and "明天" in body["message"], body
    # the seller's own allowance is untouched
    status, body = as_citizen(seller).call("POST", f"/applications/{app_id}/parties/me/link")
    assert status == 200, body


def test_a_link_request_by_someone_who_is_not_a_party_is_403(stack, pool, as_citizen):
    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    stranger = pool.citizen()
    status, body = as_citizen(stranger).call("POST", f"/applications/{sale['id']}/parties/me/link")
    assert status == 403 and body["code"] == "NOT_A_PARTY", body
    # nor may one party ask for another's link unless they started the application
    buyer = sale["people"][-1]
    status, view = sale["initiator"].call("GET", f"/applications/{sale['id']}/signing")
    seller_key = next(p["party"] for p in view["parties"] if p["role"] == "seller")
    status, body = as_citizen(buyer).call("POST", f"/applications/{sale['id']}/parties/{seller_key}/link")
    assert status == 403 and body["code"] == "ONLY_SELF_OR_INITIATOR", body


# --- withdrawal and refunds --------------------------------------------------------------------------

def test_taxes_paid_on_a_withdrawn_case_become_refund_requests_and_the_payer_is_told(api, stack, pool, as_citizen):
    from estate.store.taxes import refunds_of

    sale = signed_submitted_sale(stack, pool, as_citizen, buyers=1)
    app_id, seller, buyer = sale["id"], sale["people"][0], sale["people"][-1]
    status, created = order(Party(api, stack, buyer), app_id, "buyer", "all", "alipay", "app")
    assert status == 201, created
    assert pay(stack, created["checkout"]).status == 200
    status, body = sale["initiator"].call("POST", f"/applications/{app_id}/withdraw", {"reason": "买方放弃"})
    assert status == 200 and body["status"] == "WITHDRAWN", body
    [refund] = refunds_of(app_id)
    assert refund.state == "requested" and refund.payer_id == buyer["id_number"] and refund.reason == "withdrawn"
    assert refund.amount == created["amount"]
    assert sms_to(stack, buyer, "撤销", f"{refund.amount}元", refund.refund_id)
    assert "refund" in steps_of(as_citizen, buyer, app_id)
    assert not sms_to(stack, seller, refund.refund_id)  # the seller paid nothing
    assert "withdrawn" in steps_of(as_citizen, seller, app_id) and "withdrawn" in steps_of(as_citizen, buyer, app_id)
    # and nothing more can be paid on the withdrawn case
    status, body = order(Party(api, stack, seller), app_id, "seller", "all", "alipay", "app")
    assert status == 409 and body["code"] == "APPLICATION_WITHDRAWN", body


def test_a_payment_landing_after_the_withdrawal_becomes_a_refund_request_too(api, stack, pool, as_citizen):
    from estate.store.taxes import refunds_of

    sale = signed_submitted_sale(stack, pool, as_citizen, buyers=1)
    app_id, buyer = sale["id"], sale["people"][-1]
    status, created = order(Party(api, stack, buyer), app_id, "buyer", "all", "alipay", "app")
    assert status == 201, created
    status, body = sale["initiator"].call("POST", f"/applications/{app_id}/withdraw", {})
    assert status == 200 and not refunds_of(app_id), body  # nothing paid yet
    assert pay(stack, created["checkout"]).status == 200     # the cashier was already open
    [refund] = refunds_of(app_id)
    assert refund.order_id == created["order_id"] and refund.state == "requested"
    assert sms_to(stack, buyer, refund.refund_id)
