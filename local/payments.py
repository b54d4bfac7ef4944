"""Local stand-ins for the payment providers (Alipay, UnionPay QuickPass) and a tax-case seed.

Each simulator holds the provider's own keys (made at start-up) and does what the provider does:
checks our merchant signature on the checkout request, refuses an expired or already paid order,
takes the payment, and posts a notification signed exactly as the provider signs it to the
notify URL the order named (through the local gateway, as an HTTP request would arrive).

  GET|POST /_dev/pay/alipay?<signed checkout>      the cashier; `_confirm=1` pays
  GET|POST /_dev/pay/unionpay?<signed checkout>
  POST     /_dev/tax-cases {buyer_ids, seller_ids, case: <estimate body>}  a tax case for seeded people
"""

from __future__ import annotations

import html
import json
import secrets
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from local.gateway import HttpResponse, json_response

SHANGHAI = ZoneInfo("Asia/Shanghai")
ALIPAY_APP_ID = "2021000000000001"
UNIONPAY_MER_ID = "777290058110048"
UNIONPAY_SIGNER_CN = "中国银联股份有限公司"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _private_pem(key) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _public_pem(key) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _certificate(subject_cn: str, key, issuer_cn: str, issuer_key, ca: bool) -> x509.Certificate:
    now = datetime.now(timezone.utc)
    return (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_cn)]))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .sign(issuer_key, hashes.SHA256()))


class PaymentSimulators:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.alipay_platform_key, self.alipay_app_key = _key(), _key()
        root_key, self.unionpay_signer_key, self.unionpay_merchant_key = _key(), _key(), _key()
        self.unionpay_root = _certificate("中国银联测试根证书（本地）", root_key, "中国银联测试根证书（本地）", root_key, True)
        self.unionpay_signer = _certificate(UNIONPAY_SIGNER_CN, self.unionpay_signer_key,
                                            "中国银联测试根证书（本地）", root_key, False)
        self.merchant_cert_id = str(x509.random_serial_number() % 10**11)
        self.gateway = None          # set by the stack: notifications go through it
        self.paid: dict[str, str] = {}   # order id → provider trade number: a provider takes an order once
        self.sent: list[dict] = []       # every notification delivered: {channel, body, status, answer}

    def service_keys(self) -> dict:
        """What the service is configured with (PAYMENT_KEYS_JSON): our merchant keys, the providers' public ones."""
        return {
            "alipay": {"app_id": ALIPAY_APP_ID, "app_private_key": _private_pem(self.alipay_app_key),
                       "alipay_public_key": _public_pem(self.alipay_platform_key),
                       "gateway": f"{self.base_url}/_dev/pay/alipay"},
            "unionpay": {"mer_id": UNIONPAY_MER_ID, "merchant_private_key": _private_pem(self.unionpay_merchant_key),
                         "merchant_cert_id": self.merchant_cert_id, "signer_cn": UNIONPAY_SIGNER_CN,
                         "root_cert": self.unionpay_root.public_bytes(serialization.Encoding.PEM).decode(),
                         "gateway": f"{self.base_url}/_dev/pay/unionpay"},
        }

    # --- signing exactly as the providers do -------------------------------------------------------
    def alipay_notification(self, order_id: str, amount: str, status: str = "TRADE_SUCCESS", *,
                            trade_no: str | None = None, notify_id: str | None = None) -> dict[str, str]:
        from estate.adapters.payments import alipay_signing_string, rsa_sha256_sign

        now = datetime.now(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
        params = {"notify_time": now, "notify_type": "trade_status_sync", "notify_id": notify_id or secrets.token_hex(16),
                  "app_id": ALIPAY_APP_ID, "charset": "utf-8", "version": "1.0", "sign_type": "RSA2",
                  "trade_no": trade_no or self.paid.get(order_id) or datetime.now(SHANGHAI).strftime("%Y%m%d")
                  + secrets.token_hex(8), "out_trade_no": order_id, "total_amount": amount,
                  "receipt_amount": amount, "buyer_id": "2088" + str(secrets.randbelow(10**12)).zfill(12),
                  "trade_status": status, "gmt_create": now, "gmt_payment": now, "subject": "不动产交易税费"}
        params["sign"] = rsa_sha256_sign(_private_pem(self.alipay_platform_key),
                                         alipay_signing_string(params, ("sign", "sign_type")).encode("utf-8"))
        return params

    def unionpay_notification(self, order_id: str, amount: str, resp_code: str = "00", *, txn_time: str = "",
                              query_id: str | None = None) -> dict[str, str]:
        from estate.adapters.payments import fen_text, rsa_sha256_sign, unionpay_digest

        now = datetime.now(SHANGHAI)
        params = {"version": "5.1.0", "encoding": "UTF-8", "signMethod": "01", "txnType": "01", "txnSubType": "01",
                  "bizType": "000201", "accessType": "0", "merId": UNIONPAY_MER_ID, "orderId": order_id,
                  "txnTime": txn_time or now.strftime("%Y%m%d%H%M%S"), "txnAmt": fen_text(amount), "currencyCode": "156",
                  "queryId": query_id or self.paid.get(order_id) or now.strftime("%m%d%H%M%S") + str(secrets.randbelow(10**11)).zfill(11),
                  "respCode": resp_code, "respMsg": "成功[0000000]" if resp_code == "00" else "失败",
                  "settleAmt": fen_text(amount), "settleCurrencyCode": "156", "settleDate": now.strftime("%m%d"),
                  "traceNo": str(secrets.randbelow(10**6)).zfill(6), "traceTime": now.strftime("%m%d%H%M%S"),
                  "certId": str(self.unionpay_signer.serial_number),
                  "signPubKeyCert": self.unionpay_signer.public_bytes(serialization.Encoding.PEM).decode()}
        params["signature"] = rsa_sha256_sign(_private_pem(self.unionpay_signer_key), unionpay_digest(params))
        return params

    def deliver(self, channel: str, notification: dict[str, str], notify_path: str | None = None) -> dict:
        body = urlencode(notification).encode()
        response = self.gateway.handle("POST", notify_path or f"/tax/notify/{channel}",
                                       {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, body)
        record = {"channel": channel, "body": body, "status": response.status, "answer": response.text}
        self.sent.append(record)
        return record

    # --- the cashiers ------------------------------------------------------------------------------
    def __call__(self, method: str, path: str, headers: dict, body: bytes, query: dict) -> HttpResponse | None:
        if path not in ("/_dev/pay/alipay", "/_dev/pay/unionpay"):
            return None
        channel = path.rsplit("/", 1)[1]
        params = dict(query)
        if method.upper() == "POST" and body:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        confirm = params.pop("_confirm", "") == "1"
        checked = self._check_checkout(channel, params)
        if isinstance(checked, HttpResponse):
            return checked
        order_id, amount, expires, notify_url = checked
        if order_id in self.paid:
            return _error(409, "TRADE_HAS_SUCCESS", "该订单已支付，请勿重复付款")
        if expires <= datetime.now(SHANGHAI):
            return _error(409, "ORDER_EXPIRED", "订单已超过支付时限，不能再支付")
        if not confirm:
            return _cashier(channel, order_id, amount, params, headers)
        notification = (self.alipay_notification(order_id, amount) if channel == "alipay"
                        else self.unionpay_notification(order_id, amount, txn_time=params["txnTime"]))
        self.paid[order_id] = notification["trade_no"] if channel == "alipay" else notification["queryId"]
        delivered = self.deliver(channel, notification, urlsplit(notify_url).path)
        if _wants_page(headers):  # a person pressed 确认付款 on the cashier page: a page, as the provider shows
            return _paid_page(channel, order_id, amount)
        return json_response(200, {"paid": True, "order_id": order_id, "amount": amount,
                                   "notification_status": delivered["status"], "acknowledgement": delivered["answer"]})

    def _check_checkout(self, channel: str, params: dict):
        from estate.adapters.payments import alipay_signing_string, rsa_sha256_verify, unionpay_digest

        try:
            if channel == "alipay":
                signed = rsa_sha256_verify(self.alipay_app_key.public_key(),
                                           alipay_signing_string(params, ("sign",)).encode("utf-8"), params["sign"])
                biz = json.loads(params["biz_content"])
                order_id, amount, notify_url = biz["out_trade_no"], biz["total_amount"], params["notify_url"]
                expires = datetime.strptime(biz["time_expire"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
            else:
                signed = rsa_sha256_verify(self.unionpay_merchant_key.public_key(), unionpay_digest(params),
                                           params["signature"])
                order_id, notify_url = params["orderId"], params["backUrl"]
                amount = str(Decimal(int(params["txnAmt"])) / 100)
                expires = datetime.strptime(params["payTimeout"], "%Y%m%d%H%M%S").replace(tzinfo=SHANGHAI)
        except (KeyError, ValueError):
            return _error(400, "INVALID_PARAMETER", "支付请求参数不完整")
        if not signed:
            return _error(400, "INVALID_SIGNATURE", "商户签名验证失败")
        return order_id, f"{Decimal(amount):.2f}", expires, notify_url


def _error(status: int, code: str, message: str) -> HttpResponse:
    return json_response(status, {"code": code, "message": message, "details": []})


CHANNEL_NAMES = {"alipay": "支付宝", "unionpay": "云闪付"}
PAGE_HEAD = ("<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><meta name='viewport' "
             "content='width=device-width,initial-scale=1'><title>{title}</title></head><body>")


def _wants_page(headers: dict) -> bool:
    return "text/html" in next((v for k, v in headers.items() if k.lower() == "accept"), "")


def _paid_page(channel: str, order_id: str, amount: str) -> HttpResponse:
    title = f"{CHANNEL_NAMES[channel]}（本地模拟）· 支付成功"
    page = (PAGE_HEAD.format(title=title) + f"<main><h1>支付成功</h1><p>订单 {html.escape(order_id)}</p>"
            f"<p>已付 ¥{html.escape(amount)}</p><p>请返回不动产登记应用查看缴税结果。</p></main></body></html>")
    return HttpResponse(200, {"Content-Type": "text/html; charset=utf-8"}, page.encode())


def _cashier(channel: str, order_id: str, amount: str, params: dict, headers: dict) -> HttpResponse:
    name = CHANNEL_NAMES[channel]
    if not _wants_page(headers):
        return json_response(200, {"channel": channel, "order_id": order_id, "amount": amount,
                                   "confirm": {"method": "POST", "fields": {**params, "_confirm": "1"}}})
    fields = "".join(f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>"
                     for k, v in {**params, "_confirm": "1"}.items())
    page = (PAGE_HEAD.format(title=f"{name}收银台（本地模拟）") + f"<main><h1>{name}收银台（本地模拟）</h1>"
            f"<p>订单 {html.escape(order_id)}</p><p>应付 ¥{html.escape(amount)}</p>"
            f"<form method='post' action='/_dev/pay/{channel}'>{fields}<button>确认付款</button></form></main></body></html>")
    return HttpResponse(200, {"Content-Type": "text/html; charset=utf-8"}, page.encode())


def create_tax_case_route(method: str, path: str, headers: dict, body: bytes, query: dict) -> HttpResponse | None:
    """POST /_dev/tax-cases: a tax case for seeded people, until an application's submit creates one."""
    if (method.upper(), path) != ("POST", "/_dev/tax-cases"):
        return None
    from estate import clock
    from estate.errors import DomainError
    from estate.store.applications import new_application_id
    from estate.tax.cases import create_tax_case
    from estate.schema import parse
    from estate.tax.estimate import parse_estimate
    from estate.tax.models import TaxEstimateForm

    try:
        request = json.loads(body.decode("utf-8") or "{}")
        assert isinstance(request, dict) and isinstance(request.get("case"), dict)
        parties = {"buyer_ids": list(request["buyer_ids"]), "seller_ids": list(request["seller_ids"])}
    except (ValueError, AssertionError, KeyError, TypeError):
        return _error(400, "MALFORMED_JSON", "需要 {buyer_ids, seller_ids, case}")
    try:
        case = parse_estimate(parse(TaxEstimateForm, request["case"]), clock.today_in_shanghai())
        application_id = request.get("application_id") or new_application_id(clock.now())
        return json_response(201, create_tax_case(application_id, parties, case))
    except DomainError as error:
        return json_response(error.status, error.body())
    except ValueError as error:
        return _error(400, "INVALID_PARTIES", str(error))
