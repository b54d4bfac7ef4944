"""Alibaba Cloud SMS against a fake dysmsapi at the HTTP layer (documented response formats): SendSms,
QuerySendDetails and their errors; its secret in Secrets Manager (moto) checked at cold start; the
outbox's retries, failures and receipts with it."""

from __future__ import annotations

import json

import pytest

from estate.adapters import aliyun, providers, sms
from tests.support.fake_dysmsapi import ACCESS_KEY_SECRET, FakeDysmsapi, account_secret, details, error, sent_ok

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
    return aliyun.AliyunSmsSender(endpoint=fake.url, secret=account_secret(), timeout_s=1.0)


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
    with pytest.raises(aliyun.AliyunRefused, match="短信模板未通过阿里云审核.*isv.SMS_TEMPLATE_ILLEGAL") as refused:
        sender.send("13912345678", "booking_cancelled", **CANCELLED)
    assert not isinstance(refused.value, sms.ProviderUnavailable)  # the outbox marks it failed, no retry


@pytest.mark.parametrize("code, words", [("isv.SMS_SIGNATURE_ILLEGAL", "短信签名"), ("isv.MOBILE_NUMBER_ILLEGAL", "手机号码"),
                                         ("isv.SOMETHING_NEW", "阿里云短信拒绝发送")])
def test_other_refusals_of_the_message_fail_it_with_their_reason(fake, sender, code, words):
    fake.answers.append(error(code, "…"))
    with pytest.raises(aliyun.AliyunRefused, match=words):
        sender.send("13912345678", "booking_cancelled", **CANCELLED)


def test_a_template_without_a_registered_code_is_refused_before_any_call(fake, sender):
    with pytest.raises(aliyun.AliyunRefused, match="booking_reminder 未在阿里云登记"):
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
    sender = aliyun.AliyunSmsSender(endpoint="http://127.0.0.1:9/", secret=account_secret(), timeout_s=1.0)
    with pytest.raises(sms.ProviderUnavailable, match="SendSms"):
        sender.send("13912345678", "booking_cancelled", **CANCELLED)


def test_a_signature_the_provider_rejects_is_retried_and_the_secret_read_again(fake, monkeypatch):
    forgotten = []
    monkeypatch.setattr(providers, "forget_secret", forgotten.append)
    sender = aliyun.AliyunSmsSender(endpoint=fake.url, secret=account_secret(access_key_secret="rotated-away"),
                                    timeout_s=1.0)
    with pytest.raises(sms.ProviderUnavailable, match="签名.*SignatureDoesNotMatch"):
        sender.send("13912345678", "booking_cancelled", **CANCELLED)
    assert forgotten == ["sms"]
    assert fake.requests[-1]["Signature"]  # the request was sent; the fake (Alibaba) refused it


def test_a_full_id_number_is_refused_as_with_every_provider(fake, sender):
    with pytest.raises(sms.SmsError):
        sender.send("13912345678", "booking_cancelled", **{**CANCELLED, "name": "140302199001010014"})
    assert fake.requests == []


def test_the_fake_itself_refuses_a_wrong_signature():
    # so that the tests above, which pass through it, do check our signature
    assert aliyun.rpc_signature("POST", {"A": "1"}, ACCESS_KEY_SECRET) != aliyun.rpc_signature("POST", {"A": "1"}, "x")


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


def test_sent_ok_is_what_the_documentation_shows():
    assert set(sent_ok()) == {"Code", "Message", "BizId", "RequestId"}
