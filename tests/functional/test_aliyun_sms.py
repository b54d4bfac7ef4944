"""Alibaba Cloud SMS against a fake dysmsapi at the HTTP layer (documented response formats): SendSms,
QuerySendDetails and their errors; its secret in Secrets Manager (moto) checked at cold start; the
outbox's retries, failures and receipts with it."""

from __future__ import annotations

import json

import pytest

from estate.adapters import providers, sms
from tests.support.fake_dysmsapi import FakeDysmsapi, account_secret, details, error

CANCELLED = {"name": "王伟", "date": "9月29日", "period_label": "上午", "outlet_name": "城区登记大厅",
             "number": "20260929A-7KQ3M"}


# --- SendSms through the fake provider ---------------------------------------------------------------

@pytest.fixture
def fake():
    server = FakeDysmsapi()
    yield server
    server.close()


@pytest.fixture
def sender(fake):
    return sms.AliyunSender(endpoint=fake.url, secret=account_secret(), timeout_s=1.0)


def test_a_message_goes_with_the_registered_sign_name_and_template_code(fake, sender):
    biz_id = sender.send("+86 139-1234-5678", "booking_cancelled", **CANCELLED)
    assert biz_id == "900619746936498440^0"
    form = fake.requests[-1]
    assert form["Action"] == "SendSms" and form["Version"] == "2017-05-25" and form["Format"] == "JSON"
    assert form["PhoneNumbers"] == "13912345678" and form["SignName"] == "阳泉不动产登记"
    assert form["TemplateCode"] == "SMS_460001" and json.loads(form["TemplateParam"]) == CANCELLED
    assert form["SignatureMethod"] == "HMAC-SHA1" and form["SignatureNonce"]  # the fake verified the signature


def test_two_sends_use_two_nonces(fake, sender):
    sender.send("13912345678", "booking_cancelled", **CANCELLED)
    sender.send("13912345678", "booking_cancelled", **CANCELLED)
    assert fake.requests[0]["SignatureNonce"] != fake.requests[1]["SignatureNonce"]


def test_a_template_not_approved_fails_the_message_with_a_chinese_reason(fake, sender):
    fake.answers.append(error("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板"))
    with pytest.raises(sms.ProviderRefused, match="短信模板未通过阿里云审核.*isv.SMS_TEMPLATE_ILLEGAL") as refused:
        sender.send("13912345678", "booking_cancelled", **CANCELLED)
    assert not isinstance(refused.value, sms.ProviderUnavailable)  # the outbox marks it failed, no retry


@pytest.mark.parametrize("code, words", [("isv.SMS_SIGNATURE_ILLEGAL", "短信签名"), ("isv.MOBILE_NUMBER_ILLEGAL", "手机号码"),
                                         ("isv.SOMETHING_NEW", "阿里云短信拒绝发送")])
def test_other_refusals_of_the_message_fail_it_with_their_reason(fake, sender, code, words):
    fake.answers.append(error(code, "…"))
    with pytest.raises(sms.ProviderRefused, match=words):
        sender.send("13912345678", "booking_cancelled", **CANCELLED)


def test_a_template_without_a_registered_code_is_refused_before_any_call(fake, sender):
    with pytest.raises(sms.ProviderRefused, match="booking_reminder 未在阿里云登记"):
        sender.send("13912345678", "booking_reminder", **CANCELLED, weekday="周二", start="08:30", end="12:00",
                    business_name="抵押", address="德胜东街")
    assert fake.requests == []


@pytest.mark.parametrize("answer", [error("isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1"),
                                    error("Throttling.User", "Request was denied due to user flow control.", 400),
                                    error("isp.SYSTEM_ERROR", "isp.SYSTEM_ERROR", 500),
                                    ("raw", 502, b"<html>502 Bad Gateway</html>")])
def test_throttling_and_outages_are_retried_later(fake, sender, answer):
    fake.answers.append(answer)
    with pytest.raises(sms.ProviderUnavailable):
        sender.send("13912345678", "booking_cancelled", **CANCELLED)


def test_a_provider_that_does_not_answer_in_time_is_retried_later(fake, sender):
    fake.answers.append(("sleep", 2.0))
    with pytest.raises(sms.ProviderUnavailable, match="no answer within 1 s"):
        sender.send("13912345678", "booking_cancelled", **CANCELLED)


def test_an_unreachable_provider_is_retried_later():
    sender = sms.AliyunSender(endpoint="http://127.0.0.1:9/", secret=account_secret(), timeout_s=1.0)
    with pytest.raises(sms.ProviderUnavailable, match="SendSms"):
        sender.send("13912345678", "booking_cancelled", **CANCELLED)


def test_a_signature_the_provider_rejects_is_retried_and_the_secret_read_again(fake, monkeypatch):
    forgotten = []
    monkeypatch.setattr(providers, "forget_secret", forgotten.append)
    sender = sms.AliyunSender(endpoint=fake.url, secret=account_secret(access_key_secret="rotated-away"),
                                    timeout_s=1.0)
    with pytest.raises(sms.ProviderUnavailable, match="签名.*SignatureDoesNotMatch"):
        sender.send("13912345678", "booking_cancelled", **CANCELLED)
    assert forgotten == ["sms"]
    assert fake.requests[-1]["Signature"]  # the request was sent; the fake (Alibaba) refused it


def test_a_full_id_number_is_refused_as_with_every_provider(fake, sender):
    with pytest.raises(sms.SmsError):
        sender.send("13912345678", "booking_cancelled", **{**CANCELLED, "name": "140302199001010014"})
    assert fake.requests == []


# --- QuerySendDetails --------------------------------------------------------------------------------

@pytest.mark.parametrize("answer, state", [(details(3), "delivered"), (details(2, "MK:0001"), "failed"),
                                           (details(1, ""), "waiting"),
                                           ({"Code": "OK", "Message": "OK", "TotalCount": 0,
                                             "SmsSendDetailDTOs": {"SmsSendDetailDTO": []}}, "waiting")])
def test_receipts_are_read_from_query_send_details(fake, sender, answer, state):
    fake.answers.append(answer)
    receipt = sender.receipt("900619746936498440^0", "13912345678", "2026-12-03T06:05:07+00:00")
    assert receipt.state == state
    form = fake.requests[-1]
    assert form["Action"] == "QuerySendDetails" and form["BizId"] == "900619746936498440^0"
    assert form["SendDate"] == "20261203" and form["PhoneNumber"] == "13912345678"
    if state == "delivered":
        assert receipt.at == "2026-12-03T14:05:09+08:00"
    if state == "failed":
        assert "MK:0001" in receipt.reason and "运营商" in receipt.reason


def test_the_send_date_is_the_beijing_date(fake, sender):
    fake.answers.append(details(3))
    sender.receipt("1^0", "13912345678", "2026-12-03T17:30:00+00:00")  # 01:30 on the 4th in Beijing
    assert fake.requests[-1]["SendDate"] == "20261204"


# --- the secret: Secrets Manager (moto), read once, refused at cold start when missing ---------------

@pytest.fixture
def secret_arn(stack, monkeypatch):
    """An SMS secret in Secrets Manager and the settings pointing at it, for one test."""
    from dataclasses import replace

    from estate.adapters.aws import client

    created = []

    def make(value: dict | str | None, name: str = "estate/sms") -> str:
        sm = client("secretsmanager")
        name = f"{name}-{len(created)}-{id(created)}"
        if value is None:  # a secret that does not exist
            arn = f"arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:{name}-AbCdEf"
        else:
            text = value if isinstance(value, str) else json.dumps(value)
            arn = sm.create_secret(Name=name, SecretString=text)["ARN"]
        created.append(arn)
        settings = replace(providers.get_settings(), sms_secret_arn=arn, sms_provider="aliyun")
        monkeypatch.setattr(providers, "get_settings", lambda: settings)
        providers.forget_secret("sms")
        return arn

    yield make
    providers.forget_secret("sms")


ALIYUN = {"sms_provider": "aliyun", "face_provider": "rekognition", "realname_provider": "people"}


def test_a_function_that_sends_sms_starts_with_a_complete_secret_and_reads_it_once(secret_arn, monkeypatch):
    from estate.adapters import aws

    secret_arn(account_secret())
    providers.check_selected_providers(ALIYUN, uses=frozenset({"sms"}))
    monkeypatch.setattr(aws, "client", lambda *_: pytest.fail("the secret was read twice"))
    monkeypatch.setattr(providers, "selected_providers", lambda: ALIYUN)
    assert providers.provider_secret("sms")["sign_name"] == "阳泉不动产登记"


def test_cold_start_refuses_aliyun_when_its_secret_does_not_exist(secret_arn):
    arn = secret_arn(None)
    with pytest.raises(providers.ProviderSecretMissing, match=f"SMS_PROVIDER='aliyun' needs .*{arn}.*could not be read"):
        providers.check_selected_providers(ALIYUN, uses=frozenset({"sms"}))


def test_cold_start_refuses_aliyun_when_its_secret_lacks_the_access_key(secret_arn):
    secret_arn({"access_key_id": "", "sign_name": "阳泉不动产登记", "template_codes": {}})  # as the stack creates it
    with pytest.raises(providers.ProviderSecretMissing, match="access_key_id, access_key_secret, template_codes"):
        providers.check_selected_providers(ALIYUN, uses=frozenset({"sms"}))


def test_cold_start_refuses_aliyun_when_its_secret_is_not_json(secret_arn):
    secret_arn("LTAI5t… paste here")
    with pytest.raises(providers.ProviderSecretMissing, match="could not be read"):
        providers.check_selected_providers(ALIYUN, uses=frozenset({"sms"}))


def test_cold_start_refuses_aliyun_when_no_secret_is_configured(stack, monkeypatch):
    from dataclasses import replace

    settings = replace(providers.get_settings(), sms_secret_arn="")
    monkeypatch.setattr(providers, "get_settings", lambda: settings)
    providers.forget_secret("sms")
    with pytest.raises(providers.ProviderSecretMissing, match="SMS_SECRET_ARN is not set"):
        providers.check_selected_providers(ALIYUN, uses=frozenset({"sms"}))


def test_a_function_that_sends_no_sms_does_not_read_the_sms_secret(stack, monkeypatch):
    from dataclasses import replace

    settings = replace(providers.get_settings(), sms_secret_arn="")
    monkeypatch.setattr(providers, "get_settings", lambda: settings)
    providers.check_selected_providers(ALIYUN, uses=frozenset())  # no error: it never calls the provider


# --- through the outbox: retried, failed with a reason, delivered by receipt ---------------------------

def _queued_message(phone: str = "13912345678", template: str = "booking_cancelled") -> str:
    from estate import clock
    from estate.store import notifications as store

    message = store.new_message(phone, template, dict(CANCELLED), clock.now())
    store.record_alone([message])
    return message.message_id


def _message(message_id: str):
    from estate.store import notifications as store

    return store.get_message(message_id)


@pytest.fixture
def queued(stack, monkeypatch):
    """Outbox messages with the queue calls recorded instead of sent (the test drives the worker)."""
    from estate.adapters import queue

    calls = []
    monkeypatch.setattr(queue, "enqueue_sms", lambda message_id, delay_s=0, receipt_check=None:
                        calls.append((message_id, delay_s, receipt_check)))
    return calls


def test_through_the_outbox_a_message_is_sent_then_delivered_by_its_receipt(fake, sender, queued):
    from estate.notify import outbox

    message_id = _queued_message()
    assert outbox.deliver(message_id, sender=sender) == "sent"
    assert _message(message_id).provider_message_id == "900619746936498440^0"
    assert queued == [(message_id, 60, 1)]  # the receipt is asked for a minute later

    fake.answers.append(details(1, ""))  # still waiting for the carrier: asked again later
    assert outbox.check_receipt(message_id, 1, sender=sender) == "waiting"
    assert queued[-1] == (message_id, 120, 2)
    fake.answers.append(details(3))
    assert outbox.handle_queue_event({"Records": [{"messageId": "q1", "body": json.dumps(
        {"message_id": message_id, "receipt_check": 2})}]}, sender=sender) == {"batchItemFailures": []}
    delivered = _message(message_id)
    assert delivered.state == "delivered" and delivered.delivered_at == "2026-12-03T14:05:09+08:00"
    # a repeated queue message changes nothing and asks nobody
    before = len(fake.requests)
    assert outbox.check_receipt(message_id, 2, sender=sender) == "skipped" and len(fake.requests) == before


def test_a_carrier_failure_receipt_fails_the_message_with_its_reason(fake, sender, queued):
    from estate.notify import outbox

    message_id = _queued_message()
    outbox.deliver(message_id, sender=sender)
    fake.answers.append(details(2, "MK:0001"))
    assert outbox.check_receipt(message_id, 1, sender=sender) == "failed"
    failed = _message(message_id)
    assert failed.state == "failed" and "运营商回执" in failed.last_error and "MK:0001" in failed.last_error


def test_receipt_checks_stop_after_the_last_one(fake, sender, queued):
    from estate.notify import outbox

    message_id = _queued_message()
    outbox.deliver(message_id, sender=sender)
    fake.answers.append(error("Throttling.User", "flow control", 400))  # cannot ask: the next check will
    assert outbox.check_receipt(message_id, 1, sender=sender) == "waiting"
    fake.answers.append(details(1, ""))
    assert outbox.check_receipt(message_id, len(outbox.RECEIPT_CHECK_DELAYS_S), sender=sender) == "no receipt"
    assert _message(message_id).state == "sent"


def test_a_template_not_approved_fails_the_outbox_message_at_once_with_the_reason(fake, sender, queued):
    from estate.notify import outbox

    message_id = _queued_message()
    fake.answers.append(error("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板"))
    assert outbox.deliver(message_id, sender=sender) == "failed"
    failed = _message(message_id)
    assert failed.state == "failed" and "短信模板未通过阿里云审核" in failed.last_error
    assert failed.attempts == 1 and queued == []  # no retry, no receipt check


@pytest.mark.parametrize("answer", [error("isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1"), ("sleep", 2.0)],
                         ids=["throttled", "timeout"])
def test_throttled_or_timed_out_the_message_waits_and_goes_later_once(fake, sender, queued, answer):
    from datetime import timedelta

    from estate import clock
    from estate.notify import outbox

    message_id = _queued_message()
    fake.answers.append(answer)
    assert outbox.deliver(message_id, sender=sender) == "retrying"
    waiting = _message(message_id)
    assert waiting.state == "queued" and waiting.last_error.startswith("provider: ") and queued[-1][1] == 60
    later = clock.now() + timedelta(minutes=2)
    assert outbox.deliver(message_id, now=later, sender=sender) == "sent"
    assert outbox.deliver(message_id, now=later, sender=sender) == "skipped"
    sends = [r for r in fake.requests if r["Action"] == "SendSms"]
    assert len(sends) == 2 and _message(message_id).attempts == 2
