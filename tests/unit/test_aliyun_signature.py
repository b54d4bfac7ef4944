"""Alibaba Cloud's RPC request signature, checked against Alibaba's published examples (the SMS calls
themselves, through a fake dysmsapi: tests/functional/test_aliyun_sms.py)."""

from __future__ import annotations

import pytest

from estate.adapters import aliyun

# --- the signature, checked against the documentation's own examples ---------------------------------

def test_the_signature_matches_the_rpc_signature_documentation_example():
    # Alibaba Cloud, "签名机制" / "Request syntax and signature method V2 for RPC APIs"
    # (https://help.aliyun.com/document_detail/25492.html; alibabacloud.com/help/doc-detail/196741.htm):
    # DescribeRegions, AccessKey testid / testsecret → StringToSign and Signature as printed there.
    params = {"TimeStamp": "2016-02-23T12:46:24Z", "Format": "XML", "AccessKeyId": "testid",
              "Action": "DescribeRegions", "SignatureMethod": "HMAC-SHA1",
              "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "Version": "2014-05-26",
              "SignatureVersion": "1.0"}
    assert aliyun.string_to_sign("GET", params) == (
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
        "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
        "%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26")
    assert aliyun.rpc_signature("GET", params, "testsecret") == "CT9X0VtwR86fNWSnsc6v8YGOjuE="


def test_the_signature_matches_the_sms_documentation_sendsms_example():
    # Alibaba Cloud SMS, "HTTP协议及签名" (https://help.aliyun.com/document_detail/101343.html): SendSms to
    # 15300000001 with the sign name 阿里云短信测试专用 (UTF-8, percent-encoded twice in StringToSign),
    # AccessKey testId / testSecret → Signature zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D.
    params = {"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
              "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
              "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
              "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
              "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25"}
    assert aliyun.rpc_signature("GET", params, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


@pytest.mark.parametrize("raw, encoded", [("a b", "a%20b"), ("a*b", "a%2Ab"), ("a~b", "a~b"), ("阳", "%E9%98%B3")])
def test_percent_encoding_follows_the_documented_rules(raw, encoded):
    assert aliyun.percent_encode(raw) == encoded
