"""Tencent Cloud API 3.0 signing (TC3-HMAC-SHA256) against the worked example of 「签名方法 v3」
(https://cloud.tencent.com/document/api/213/30654): CVM DescribeInstances in ap-guangzhou,
SecretId AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE, SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE,
X-TC-Timestamp 1551113065, the payload below — the page's intermediate hashes and its signature."""

import json

import pytest

from estate.adapters import tencent
from estate.adapters.tencent import TencentClient, TencentCredentials, TencentError

SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"
SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
HOST = "cvm.tencentcloudapi.com"
TIMESTAMP = 1551113065
PAYLOAD = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
DOC_CANONICAL_REQUEST = ("POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n"
                         "content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064")
DOC_STRING_TO_SIGN = ("TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
                      "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031")
DOC_SIGNATURE = "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
DOC_AUTHORIZATION = ("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
                     "SignedHeaders=content-type;host, Signature=" + DOC_SIGNATURE)


def test_the_canonical_request_is_the_documented_one():
    assert tencent.canonical_request(HOST, PAYLOAD) == DOC_CANONICAL_REQUEST


def test_the_string_to_sign_uses_the_utc_date():
    # 1551113065 is 2019-02-26 00:44 in Beijing: the scope must still say 2019-02-25 (UTC).
    assert tencent.string_to_sign("cvm", HOST, PAYLOAD, TIMESTAMP) == DOC_STRING_TO_SIGN


def test_the_signature_and_authorization_are_the_documented_ones():
    assert tencent.signature(SECRET_KEY, "cvm", HOST, PAYLOAD, TIMESTAMP) == DOC_SIGNATURE
    assert tencent.authorization(SECRET_ID, SECRET_KEY, "cvm", HOST, PAYLOAD, TIMESTAMP) == DOC_AUTHORIZATION


def test_a_changed_payload_changes_the_signature():
    assert tencent.signature(SECRET_KEY, "cvm", HOST, PAYLOAD.replace("1", "2"), TIMESTAMP) != DOC_SIGNATURE


class Recorder:
    def __init__(self, answer: dict, status: int = 200):
        self.answer, self.status, self.sent = answer, status, []

    def __call__(self, url, headers, body):
        self.sent.append((url, headers, body))
        return self.status, json.dumps(self.answer).encode()


def test_the_client_sends_the_signed_headers_it_computed():
    recorder = Recorder({"Response": {"BizToken": "B", "Url": "https://u", "RequestId": "r"}})
    api = TencentClient("faceid", "2018-03-01", TencentCredentials(SECRET_ID, SECRET_KEY), send=recorder,
                        clock=lambda: TIMESTAMP)
    assert api.call("DetectAuth", {"RuleId": "1"})["BizToken"] == "B"
    url, headers, body = recorder.sent[0]
    assert url == "https://faceid.tencentcloudapi.com/"
    assert headers["X-TC-Action"] == "DetectAuth" and headers["X-TC-Version"] == "2018-03-01"
    assert headers["X-TC-Timestamp"] == str(TIMESTAMP) and headers["Host"] == "faceid.tencentcloudapi.com"
    assert headers["Authorization"] == tencent.authorization(SECRET_ID, SECRET_KEY, "faceid",
                                                             "faceid.tencentcloudapi.com", body.decode(), TIMESTAMP)


def test_an_error_answer_is_raised_with_its_code():
    recorder = Recorder({"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "签名错误"},
                                      "RequestId": "r1"}})
    api = TencentClient("faceid", "2018-03-01", TencentCredentials(SECRET_ID, SECRET_KEY), send=recorder)
    with pytest.raises(TencentError) as raised:
        api.call("DetectAuth", {})
    assert raised.value.code == "AuthFailure.SignatureFailure" and raised.value.request_id == "r1"


def test_a_malformed_answer_is_an_error_not_a_crash():
    api = TencentClient("faceid", "2018-03-01", TencentCredentials(SECRET_ID, SECRET_KEY),
                        send=lambda url, headers, body: (502, b"<html>bad gateway</html>"))
    with pytest.raises(TencentError) as raised:
        api.call("DetectAuth", {})
    assert raised.value.code == "MalformedResponse"
