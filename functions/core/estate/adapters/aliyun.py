"""Alibaba Cloud SMS (短信服务, dysmsapi 2017-05-25): SendSms and QuerySendDetails over its documented
HTTP API, signed with Alibaba Cloud's RPC request signature (HMAC-SHA1, SignatureVersion 1.0).
This module is the provider's API only (it knows nothing of our templates); estate.adapters.sms's
AliyunSender turns our messages into these calls and these errors into the outbox's two outcomes.

Why the RPC signature and not ACS3-HMAC-SHA256 (V3): dysmsapi is an RPC-style API and the SMS
documentation's own signature example is a SendSms request signed this way, so the test checks our
signing against the provider's published answer for the very call we make; it needs only hmac and
base64. Alibaba marks V2 as no longer updated; should the gateway stop accepting it, rpc_signature()
is the one function to replace. Why no SDK: alibabacloud_dysmsapi20170525 pulls the Tea runtime,
credentials and an async HTTP stack into the layer for two form POSTs.

The secret (SMS_SECRET_ARN, estate.adapters.providers) holds the account, as ops registered it:
  {"access_key_id": "...", "access_key_secret": "...", "sign_name": "阳泉不动产登记",
   "template_codes": {"booking_confirmed": "SMS_4600...", ...}}
Each of our templates is registered with Alibaba with the same wording and ${name} variables named
as our {name} parameters; TemplateParam carries the parameters as JSON.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote, urlencode

from estate import clock
from estate.adapters import providers
from estate.observability import logger

ENDPOINT = "https://dysmsapi.aliyuncs.com/"  # the one mainland endpoint (tests pass a fake's)
API_VERSION = "2017-05-25"
TIMEOUT_S = 5.0


# --- the request signature -----------------------------------------------------------------------------

def percent_encode(value: str) -> str:
    """RFC 3986 as the signature documentation requires: UTF-8, space → %20, * → %2A, ~ kept."""
    return quote(str(value), safe="~")


def string_to_sign(method: str, params: dict[str, str]) -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def rpc_signature(method: str, params: dict[str, str], access_key_secret: str) -> str:
    """Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)) over every parameter but Signature."""
    digest = hmac.new(f"{access_key_secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1)
    return base64.b64encode(digest.digest()).decode()


def signed_params(action: str, params: dict[str, str], access_key_id: str, access_key_secret: str, *,
                  method: str = "POST", nonce: str | None = None, timestamp: str | None = None) -> dict[str, str]:
    common = {"AccessKeyId": access_key_id, "Action": action, "Format": "JSON", "RegionId": "cn-hangzhou",
              "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or uuid.uuid4().hex,
              "SignatureVersion": "1.0", "Version": API_VERSION,
              "Timestamp": timestamp or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    signed = {**common, **params}
    return {**signed, "Signature": rpc_signature(method, signed, access_key_secret)}


# --- what Alibaba's error codes mean to the outbox -------------------------------------------------------
# https://help.aliyun.com/zh/sms/developer-reference/api-error-codes (the codes SendSms answers with).
# Busy, throttled, out of balance, or our credentials refused: the same message later may go, so the
# outbox retries with backoff (ops can top up or fix the AccessKey meanwhile; nothing is lost).
RETRY_LATER = {
    "isv.BUSINESS_LIMIT_CONTROL": "发送频率超过运营商限制",
    "isv.DAY_LIMIT_CONTROL": "已达到当日发送上限",
    "Throttling.User": "短信服务限流",
    "isv.AMOUNT_NOT_ENOUGH": "短信账户余额不足",
    "isp.OUT_OF_SERVICE": "短信服务已停机（余额不足）",
    "isp.SYSTEM_ERROR": "短信服务系统错误",
    "isp.GATEWAY_ERROR": "短信网关错误",
    "ServiceUnavailable": "短信服务暂不可用",
    "InternalError": "短信服务内部错误",
}
CREDENTIALS_REFUSED = {
    "SignatureDoesNotMatch": "阿里云拒绝了请求签名（AccessKey Secret 配置有误）",
    "InvalidAccessKeyId.NotFound": "阿里云 AccessKey ID 不存在",
    "InvalidAccessKeyId.Inactive": "阿里云 AccessKey 已停用",
    "isp.RAM_PERMISSION_DENY": "AccessKey 没有短信发送权限",
    "SignatureNonceUsed": "请求签名随机数重复",
    "InvalidTimeStamp.Expired": "请求时间与阿里云相差过大",
}
# The message itself can never go as it is: failed, with the reason staff read.
REFUSED = {
    "isv.SMS_TEMPLATE_ILLEGAL": "短信模板未通过阿里云审核或已停用",
    "isv.SMS_SIGNATURE_ILLEGAL": "短信签名未通过阿里云审核或已停用",
    "isv.SMS_SIGNATURE_SCENE_ILLEGAL": "短信签名与模板类型不匹配",
    "isv.MOBILE_NUMBER_ILLEGAL": "手机号码格式不正确",
    "isv.MOBILE_COUNT_OVER_LIMIT": "手机号码数量超过限制",
    "isv.TEMPLATE_MISSING_PARAMETERS": "短信模板缺少变量",
    "isv.TEMPLATE_PARAMS_ILLEGAL": "短信模板变量不合规",
    "isv.PARAM_LENGTH_LIMIT": "短信模板变量超过长度限制",
    "isv.INVALID_JSON_PARAM": "短信模板变量格式错误",
    "isv.BLACK_KEY_CONTROL_LIMIT": "短信内容含有禁用词",
    "isv.INVALID_PARAMETERS": "短信参数不正确",
    "isv.OUT_OF_SERVICE": "短信业务已停用",
}


class AliyunRetryLater(Exception):
    """Busy, throttled, unreachable, no answer in time, or our credentials refused: the same call later may work."""


class AliyunRefused(Exception):
    """Alibaba refused this message for good (template or sign name not approved, bad mobile …)."""


def _outcome(answer: providers.HttpAnswer, action: str) -> dict:
    """The answer's JSON when Code is OK; otherwise the mapped error."""
    body = answer.json()
    code = str(body.get("Code") or "")
    if answer.status == 200 and code == "OK":
        return body
    if not code:  # not Alibaba's JSON at all (a proxy's error page): an outage
        raise AliyunRetryLater(f"阿里云短信 {action} 无有效应答（HTTP {answer.status}）")
    if code in CREDENTIALS_REFUSED:
        providers.forget_secret("sms")  # read again next time: ops may have rotated or fixed it
        logger.error("aliyun refused our credentials", action=action, code=code)
        raise AliyunRetryLater(f"{CREDENTIALS_REFUSED[code]}（{code}）")
    if code in RETRY_LATER or answer.status >= 500:
        raise AliyunRetryLater(f"{RETRY_LATER.get(code, '短信服务暂不可用')}（{code}）")
    if code in REFUSED or code.startswith("isv."):
        reason = REFUSED.get(code, "阿里云短信拒绝发送")
        raise AliyunRefused(f"{reason}（{code}）")
    raise AliyunRetryLater(f"阿里云短信暂不可用（{code}）")


# --- the client ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Receipt:
    """What QuerySendDetails says of one sent message (SendStatus 1 waiting, 2 failed, 3 delivered)."""
    state: str                 # "waiting" | "delivered" | "failed"
    at: str | None = None      # ISO time of the carrier's receipt
    reason: str | None = None  # the carrier's ErrCode when failed


class AliyunSmsClient:
    """SendSms and QuerySendDetails for one account (the secret's dict). Mobiles are 11 digits."""

    def __init__(self, endpoint: str, secret: dict, timeout_s: float = TIMEOUT_S):
        self.endpoint, self.secret, self.timeout_s = endpoint, secret, timeout_s

    def _call(self, action: str, params: dict[str, str]) -> dict:
        form = signed_params(action, params, self.secret["access_key_id"], self.secret["access_key_secret"])
        try:
            answer = providers.http_call("POST", self.endpoint, body=urlencode(form).encode(), timeout_s=self.timeout_s,
                                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                                                  "Accept": "application/json"})
        except providers.ProviderCallFailed as error:
            raise AliyunRetryLater(f"阿里云短信 {action}：{error}") from error
        return _outcome(answer, action)

    def send_sms(self, mobile: str, template_code: str, params: dict[str, str]) -> str:
        """Returns the BizId (what QuerySendDetails and receipts name the message by)."""
        body = self._call("SendSms", {
            "PhoneNumbers": mobile, "SignName": self.secret["sign_name"], "TemplateCode": template_code,
            "TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":"))})
        biz_id = str(body.get("BizId") or "")
        if not biz_id:
            raise AliyunRetryLater("阿里云短信应答缺少 BizId")
        return biz_id

    def query_send_details(self, biz_id: str, mobile: str, sent_at: str) -> Receipt:
        send_date = datetime.fromisoformat(sent_at).astimezone(clock.SHANGHAI).strftime("%Y%m%d")
        body = self._call("QuerySendDetails", {"PhoneNumber": mobile, "BizId": biz_id, "SendDate": send_date,
                                               "PageSize": "10", "CurrentPage": "1"})
        details = ((body.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO")) or []
        if not details:
            return Receipt("waiting")
        detail = details[0]
        status = int(detail.get("SendStatus") or 1)
        at = _beijing_time(detail.get("ReceiveDate"))
        if status == 3:
            return Receipt("delivered", at)
        if status == 2:
            return Receipt("failed", at, f"运营商回执：发送失败（{detail.get('ErrCode') or '未知原因'}）")
        return Receipt("waiting")


def _beijing_time(text: str | None) -> str | None:
    """QuerySendDetails writes Beijing time as 'YYYY-MM-DD HH:MM:SS'."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text).replace(" ", "T")).replace(tzinfo=clock.SHANGHAI).isoformat()
    except ValueError:
        return None
