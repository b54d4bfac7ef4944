"""Tencent Cloud API 3.0 (腾讯云 API 3.0): requests signed with TC3-HMAC-SHA256, answers unwrapped.

The official SDK (tencentcloud-sdk-python) is some 100 MB of generated models for every product; we
call one product's two actions, so the documented HTTP API is used directly: a JSON POST to
https://<service>.tencentcloudapi.com/ with X-TC-* headers and an Authorization header computed as
「签名方法 v3」 describes (https://cloud.tencent.com/document/api/213/30654, also published under
other products, e.g. https://cloud.tencent.com/document/api/362/4208). tests/unit/test_tencent.py
reproduces that page's worked example (DescribeInstances, timestamp 1551113065) exactly.

An answer is {"Response": {..., "RequestId"}}; a refusal is {"Response": {"Error": {"Code",
"Message"}, "RequestId"}} with HTTP 200, raised here as TencentError(code, message).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone

ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host"


class TencentError(Exception):
    """The API refused the call (Response.Error), or could not be reached (code "Network")."""

    def __init__(self, code: str, message: str = "", request_id: str | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.request_id = request_id


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_request(host: str, payload: str) -> str:
    """Step 1: POST, URI "/", no query string, the two signed headers, the payload's SHA-256."""
    return "\n".join(["POST", "/", "", f"content-type:{CONTENT_TYPE}\nhost:{host}\n", SIGNED_HEADERS,
                      _sha256_hex(payload)])


def credential_scope(service: str, timestamp: int) -> str:
    # The UTC date of the timestamp: Beijing's date would fail every call between 00:00 and 08:00.
    return f"{datetime.fromtimestamp(timestamp, timezone.utc):%Y-%m-%d}/{service}/tc3_request"


def string_to_sign(service: str, host: str, payload: str, timestamp: int) -> str:
    """Step 2."""
    return "\n".join([ALGORITHM, str(timestamp), credential_scope(service, timestamp),
                      _sha256_hex(canonical_request(host, payload))])


def signature(secret_key: str, service: str, host: str, payload: str, timestamp: int) -> str:
    """Step 3: the signing key derived from the date and service, then HMAC of the string to sign."""
    day = credential_scope(service, timestamp).split("/", 1)[0]
    signing_key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode("utf-8"), day), service), "tc3_request")
    return hmac.new(signing_key, string_to_sign(service, host, payload, timestamp).encode("utf-8"),
                    hashlib.sha256).hexdigest()


def authorization(secret_id: str, secret_key: str, service: str, host: str, payload: str, timestamp: int) -> str:
    """Step 4: the Authorization header."""
    return (f"{ALGORITHM} Credential={secret_id}/{credential_scope(service, timestamp)}, "
            f"SignedHeaders={SIGNED_HEADERS}, Signature={signature(secret_key, service, host, payload, timestamp)}")


@dataclass(frozen=True)
class TencentCredentials:
    secret_id: str
    secret_key: str


class TencentClient:
    """One product's API (e.g. faceid, version 2018-03-01). `send` is the HTTP transport
    (url, headers, body) → (status, body bytes): urllib in AWS, a stub in tests."""

    def __init__(self, service: str, version: str, credentials: TencentCredentials, region: str | None = None,
                 send=None, clock=time.time, timeout_s: float = 10.0):
        self.service = service
        self.version = version
        self.host = f"{service}.tencentcloudapi.com"
        self.credentials = credentials
        self.region = region
        self.timeout_s = timeout_s
        self._send = send or self._urllib_send
        self._clock = clock

    def headers(self, action: str, payload: str, timestamp: int) -> dict[str, str]:
        headers = {"Authorization": authorization(self.credentials.secret_id, self.credentials.secret_key,
                                                  self.service, self.host, payload, timestamp),
                   "Content-Type": CONTENT_TYPE, "Host": self.host, "X-TC-Action": action,
                   "X-TC-Timestamp": str(timestamp), "X-TC-Version": self.version}
        if self.region:
            headers["X-TC-Region"] = self.region
        return headers

    def call(self, action: str, params: dict) -> dict:
        payload = json.dumps(params, ensure_ascii=False, separators=(",", ":"))
        timestamp = int(self._clock())
        status, body = self._send(f"https://{self.host}/", self.headers(action, payload, timestamp),
                                  payload.encode("utf-8"))
        try:
            response = json.loads(body.decode("utf-8"))["Response"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise TencentError("MalformedResponse", f"HTTP {status}") from None
        error = response.get("Error")
        if error:
            raise TencentError(str(error.get("Code", "")), str(error.get("Message", "")), response.get("RequestId"))
        return response

    def _urllib_send(self, url: str, headers: dict, body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise TencentError("Network", type(error).__name__) from None
