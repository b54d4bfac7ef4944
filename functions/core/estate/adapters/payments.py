"""Payment providers: Alipay (支付宝) and UnionPay QuickPass (云闪付), behind one interface.

For each channel:
  checkout(order, notify_url) → how the payer's phone opens the provider's cashier for exactly this
                                 order (signed with our merchant key, amount and expiry inside)
  parse_notification(body)     → the provider's asynchronous notification, signature verified,
                                 or InvalidNotification
  acknowledgement(accepted)    → the HTTP answer the provider expects

Alipay (OpenAPI, RSA2): a notification is a form POST; its signature is SHA256withRSA by Alipay's
key over every parameter except sign and sign_type, empty ones left out, sorted by name and
joined as k=v&k=v. We answer the plain text `success` (anything else makes Alipay retry).

UnionPay (online payment gateway 5.1.0, signMethod 01): a form POST; the signer's certificate
travels in signPubKeyCert and must chain to the UnionPay root we trust; the signature is
SHA256withRSA over the lower-case hex SHA-256 of every parameter except signature, sorted and
joined as k=v&k=v. Amounts are in fen. UnionPay takes any HTTP 200 as received (we answer `ok`).

Keys: {"alipay": {"app_id", "app_private_key", "alipay_public_key", "gateway"},
       "unionpay": {"mer_id", "merchant_private_key", "merchant_cert_id", "root_cert", "signer_cn", "gateway"}}
from PAYMENT_KEYS_JSON (local stack) or the Secrets Manager secret PAYMENT_SECRET_ARN (AWS).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode

from estate.clock import SHANGHAI
from estate.config import get_settings

CHANNELS = ("alipay", "unionpay")
CHANNEL_LABELS = {"alipay": "支付宝", "unionpay": "云闪付"}


class InvalidNotification(Exception):
    """Not a genuine notification from the provider (bad or missing signature, malformed body)."""


@dataclass(frozen=True)
class Checkout:
    method: str          # GET | POST (UnionPay's front gateway takes a form POST)
    url: str
    fields: dict[str, str]

    @property
    def pay_url(self) -> str:
        return f"{self.url}?{urlencode(self.fields)}"

    def as_dict(self) -> dict:
        return {"method": self.method, "url": self.url, "fields": self.fields, "pay_url": self.pay_url}


@dataclass(frozen=True)
class OrderTerms:
    """What the provider is told about an order: it charges exactly this, until expires_at."""

    order_id: str
    amount: str          # yuan, two decimals
    subject: str
    created_at: str      # ISO 8601
    expires_at: str


@dataclass(frozen=True)
class Notification:
    channel: str
    order_id: str
    succeeded: bool          # the payment is complete (money taken)
    closed: bool             # the provider closed the trade unpaid
    amount: Decimal          # in yuan
    notify_id: str           # unique per notification (replays repeat it)
    provider_trade_no: str
    paid_at: str | None
    raw_status: str


# --- keys ----------------------------------------------------------------------------------------

@functools.cache
def _keys() -> dict:
    settings = get_settings()
    if settings.payment_keys_json:
        return json.loads(settings.payment_keys_json)
    if settings.payment_secret_arn:
        from estate.adapters.aws import client

        return json.loads(client("secretsmanager").get_secret_value(SecretId=settings.payment_secret_arn)["SecretString"])
    raise RuntimeError("no payment keys configured (PAYMENT_KEYS_JSON or PAYMENT_SECRET_ARN)")


def _private_key(pem: str):
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    return load_pem_private_key(pem.encode(), password=None)


def _public_key(pem: str):
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    return load_pem_public_key(pem.encode())


def rsa_sha256_sign(private_key_pem: str, message: bytes) -> str:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    return base64.b64encode(_private_key(private_key_pem).sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def rsa_sha256_verify(public_key, message: bytes, signature_b64: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    try:
        public_key.verify(base64.b64decode(signature_b64, validate=True), message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def parse_form(body: bytes) -> dict[str, str]:
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        raise InvalidNotification("not a form body") from None
    return dict(pairs)


def _compact_time(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S")


# --- Alipay ------------------------------------------------------------------------------------------

ALIPAY_PAID = {"TRADE_SUCCESS", "TRADE_FINISHED"}


def alipay_signing_string(params: dict[str, str], exclude: tuple[str, ...]) -> str:
    return "&".join(f"{k}={params[k]}" for k in sorted(params) if k not in exclude and params[k] not in (None, ""))


class Alipay:
    channel = "alipay"

    def __init__(self, keys: dict | None = None):
        self.keys = keys or _keys()["alipay"]

    def checkout(self, order: OrderTerms, notify_url: str) -> Checkout:
        """alipay.trade.wap.pay: a signed GET to the gateway opens the cashier for this order."""
        biz = {"out_trade_no": order.order_id, "total_amount": order.amount, "subject": order.subject,
               "product_code": "QUICK_WAP_WAY", "time_expire": datetime.fromisoformat(order.expires_at)
               .astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")}
        params = {"app_id": self.keys["app_id"], "method": "alipay.trade.wap.pay", "format": "JSON",
                  "charset": "utf-8", "sign_type": "RSA2", "version": "1.0", "notify_url": notify_url,
                  "timestamp": datetime.fromisoformat(order.created_at).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"),
                  "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":"))}
        params["sign"] = rsa_sha256_sign(self.keys["app_private_key"],
                                         alipay_signing_string(params, ("sign",)).encode("utf-8"))
        return Checkout("GET", self.keys["gateway"], params)

    def parse_notification(self, body: bytes) -> Notification:
        params = parse_form(body)
        signature = params.get("sign", "")
        if params.get("sign_type") != "RSA2" or not signature:
            raise InvalidNotification("unsigned or not RSA2")
        message = alipay_signing_string(params, ("sign", "sign_type")).encode("utf-8")
        if not rsa_sha256_verify(_public_key(self.keys["alipay_public_key"]), message, signature):
            raise InvalidNotification("signature")
        if params.get("app_id") != self.keys["app_id"]:
            raise InvalidNotification("another merchant's notification")
        try:
            amount = Decimal(params["total_amount"])
            order_id, notify_id, status = params["out_trade_no"], params["notify_id"], params["trade_status"]
        except (KeyError, ArithmeticError):
            raise InvalidNotification("missing fields") from None
        return Notification("alipay", order_id, status in ALIPAY_PAID, status == "TRADE_CLOSED", amount, notify_id,
                            params.get("trade_no", ""), params.get("gmt_payment"), status)

    @staticmethod
    def acknowledgement(accepted: bool) -> tuple[int, str]:
        return 200, "success" if accepted else "fail"


# --- UnionPay ----------------------------------------------------------------------------------------

UNIONPAY_PAID = {"00", "A6"}   # A6: success with a deferred settlement amount


def unionpay_digest(params: dict[str, str]) -> bytes:
    data = "&".join(f"{k}={params[k]}" for k in sorted(params) if k != "signature")
    return hashlib.sha256(data.encode("utf-8")).hexdigest().encode("ascii")


def fen_text(amount: str | Decimal) -> str:
    return str(int(Decimal(amount) * 100))


class UnionPay:
    channel = "unionpay"

    def __init__(self, keys: dict | None = None):
        self.keys = keys or _keys()["unionpay"]

    def checkout(self, order: OrderTerms, notify_url: str) -> Checkout:
        """frontTransReq (消费, 云闪付 mobile): a signed form POST opens the cashier for this order."""
        params = {"version": "5.1.0", "encoding": "UTF-8", "signMethod": "01", "txnType": "01", "txnSubType": "01",
                  "bizType": "000201", "channelType": "08", "accessType": "0", "currencyCode": "156",
                  "merId": self.keys["mer_id"], "certId": self.keys["merchant_cert_id"], "orderId": order.order_id,
                  "txnTime": _compact_time(order.created_at), "txnAmt": fen_text(order.amount),
                  "payTimeout": _compact_time(order.expires_at), "backUrl": notify_url,
                  "orderDesc": order.subject}
        params["signature"] = rsa_sha256_sign(self.keys["merchant_private_key"], unionpay_digest(params))
        return Checkout("POST", self.keys["gateway"], params)

    def _trusted_signer(self, pem: str):
        from cryptography import x509
        from cryptography.x509.oid import NameOID

        from estate import clock

        try:
            cert = x509.load_pem_x509_certificate(pem.encode())
            root = x509.load_pem_x509_certificate(self.keys["root_cert"].encode())
            cert.verify_directly_issued_by(root)
        except Exception:  # noqa: BLE001 - any parse or chain failure means "not UnionPay"
            raise InvalidNotification("certificate not issued by the UnionPay root") from None
        now = clock.now()
        if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
            raise InvalidNotification("certificate expired")
        names = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
        if self.keys["signer_cn"] not in names:
            raise InvalidNotification("certificate of another subject")
        return cert.public_key()

    def parse_notification(self, body: bytes) -> Notification:
        params = parse_form(body)
        if params.get("signMethod") != "01" or not params.get("signature") or not params.get("signPubKeyCert"):
            raise InvalidNotification("unsigned")
        public_key = self._trusted_signer(params["signPubKeyCert"])
        if not rsa_sha256_verify(public_key, unionpay_digest(params), params["signature"]):
            raise InvalidNotification("signature")
        if params.get("merId") != self.keys["mer_id"]:
            raise InvalidNotification("another merchant's notification")
        try:
            amount = Decimal(int(params["txnAmt"])) / 100
            order_id, query_id, code = params["orderId"], params["queryId"], params["respCode"]
        except (KeyError, ValueError, ArithmeticError):
            raise InvalidNotification("missing fields") from None
        # UnionPay repeats a notification with the same queryId and traceTime; that pair identifies it.
        notify_id = f"{query_id}:{params.get('traceTime', '')}:{code}"
        return Notification("unionpay", order_id, code in UNIONPAY_PAID, False, amount, notify_id, query_id,
                            params.get("txnTime"), code)

    @staticmethod
    def acknowledgement(accepted: bool) -> tuple[int, str]:
        return (200, "ok") if accepted else (400, "fail")


@functools.cache
def provider(channel: str):
    return {"alipay": Alipay, "unionpay": UnionPay}[channel]()
