"""Text messages to citizens' mobiles: named Chinese templates rendered with parameters, sent
with SNS `Publish(PhoneNumber=...)` (the local stack's /_dev/sms outbox reads moto's SNS store), or,
where the stack selects SmsProvider=aliyun (aws-cn has no SNS SMS), with Alibaba Cloud SMS
(estate.adapters.aliyun: the same templates, registered there under template codes).

Use `send_sms(phone, template_name, **params)`. Other capabilities keep their wording in their own
`messages.TEMPLATES` and each function declares the tables it sends (`estate.wiring.declare`), which
adds them here (one table at run time, so wording and the 【签名】 stay uniform). A message that would carry a full
resident ID number is refused before sending: SMS is plain text on someone's lock screen.
Sending never raises into the caller's state change: callers decide whether a failure matters.
"""

from __future__ import annotations

import functools
import re
import string

from estate.adapters.aws import client
from estate.observability import logger, mask_phone

SIGNATURE = "【阳泉不动产登记】"

TEMPLATES: dict[str, str] = {
    "booking_confirmed": (
        "{name}您好，您已成功预约{date}（{weekday}）{period_label}{start}-{end}在{outlet_name}办理{business_name}，"
        "预约号{number}。请携带身份证原件按时到场，出示预约凭证。如需取消请于{cutoff}前操作。"),
    "booking_cancelled": "{name}您好，您{date}{period_label}在{outlet_name}的预约（预约号{number}）已取消。",
    "booking_reminder": (
        "{name}您好，提醒您明天（{date}）{period_label}{start}-{end}到{outlet_name}办理{business_name}，"
        "预约号{number}，地址：{address}。请携带身份证原件准时到场，无故未到将影响今后预约。"),
}

BASE_TEMPLATES = frozenset(TEMPLATES)  # the booking reminders' own wording, always present


def add_templates(templates: dict[str, str]) -> None:
    """Add a capability's templates; a name may not be given two wordings."""
    for name, text in templates.items():
        if TEMPLATES.setdefault(name, text) != text:
            raise ValueError(f"SMS template {name!r} is declared twice with different wording")


# A full 18-digit resident ID (or 15-digit legacy) anywhere in the text; masked ones (140302********0014) pass.
_FULL_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
_MAINLAND_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")


class SmsError(Exception):
    """The message could not be rendered or handed to the SMS service."""


class ProviderUnavailable(SmsError):
    """The SMS service refused or failed the call: the same message later may well go (the outbox retries)."""


class ProviderRefused(SmsError):
    """The SMS service refused this message for good (template not approved, bad mobile …): its reason, in Chinese."""


def render(template_name: str, **params) -> str:
    try:
        template = TEMPLATES[template_name]
    except KeyError:
        raise SmsError(f"unknown SMS template {template_name!r}") from None
    needed = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    missing = needed - set(params)
    if missing:
        raise SmsError(f"SMS template {template_name!r} needs {sorted(missing)}")
    if any(_FULL_ID_NUMBER.search(str(value)) for value in params.values()):
        raise SmsError(f"SMS template {template_name!r} was given a full ID number")
    text = SIGNATURE + template.format(**params)
    if _FULL_ID_NUMBER.search(text):
        raise SmsError(f"SMS template {template_name!r} would carry a full ID number")
    return text


def masked_location(location: str) -> str:
    """阳泉市城区桃北中街…室 → district and street only: SMS lock screens are public."""
    return location[:12] + "…" if len(location) > 12 else location


def e164(phone: str) -> str:
    match = _MAINLAND_MOBILE.match(str(phone).replace(" ", "").replace("-", ""))
    if not match:
        raise SmsError("not a mainland mobile number")
    return "+86" + match.group(1)


class SmsSender:
    """Amazon SNS. A sender's interface: send(phone, template_name, **params) → the provider's message id,
    raising ProviderUnavailable (try later) or SmsError (never as it is); polls_receipts says whether
    the outbox must ask for delivery receipts (SNS writes them to CloudWatch Logs by itself)."""

    polls_receipts = False

    def __init__(self, sns=None):
        self._sns = sns

    @property
    def sns(self):
        if self._sns is None:
            self._sns = client("sns")
        return self._sns

    def send(self, phone: str, template_name: str, **params) -> str:
        """Returns the provider's message id; raises SmsError."""
        text = render(template_name, **params)
        try:
            response = self.sns.publish(PhoneNumber=e164(phone), Message=text, MessageAttributes={
                "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}})
        except SmsError:
            raise
        except Exception as error:  # any provider failure is the same to callers
            raise ProviderUnavailable(type(error).__name__) from error
        logger.info("sms sent", template=template_name, phone=mask_phone(phone))
        return response["MessageId"]


class AliyunSender:
    """Alibaba Cloud SMS (estate.adapters.aliyun): the same templates, registered there under template codes
    (the secret's template_codes) with ${name} variables named as ours. send() returns the BizId."""

    polls_receipts = True  # no delivery-status log to subscribe to: the outbox asks QuerySendDetails

    def __init__(self, endpoint: str | None = None, secret: dict | None = None, timeout_s: float | None = None):
        self._endpoint, self._secret, self._timeout_s = endpoint, secret, timeout_s

    def _client(self):
        from estate.adapters import aliyun, providers

        secret = self._secret if self._secret is not None else providers.provider_secret("sms")
        return aliyun.AliyunSmsClient(self._endpoint or aliyun.ENDPOINT, secret,
                                      self._timeout_s or aliyun.TIMEOUT_S)

    def send(self, phone: str, template_name: str, **params) -> str:
        from estate.adapters import aliyun

        render(template_name, **params)  # the same refusals as with every provider (no full ID number …)
        mobile = e164(phone).removeprefix("+86")
        client = self._client()
        code = (client.secret.get("template_codes") or {}).get(template_name)
        if not code:
            raise ProviderRefused(f"短信模板 {template_name} 未在阿里云登记模板编号（template_codes）")
        try:
            biz_id = client.send_sms(mobile, code, {k: str(v) for k, v in params.items()})
        except aliyun.AliyunRetryLater as error:
            raise ProviderUnavailable(str(error)) from error
        except aliyun.AliyunRefused as error:
            raise ProviderRefused(str(error)) from error
        logger.info("sms sent", provider="aliyun", template=template_name, phone=mask_phone(phone))
        return biz_id

    def receipt(self, provider_message_id: str, phone: str, sent_at: str):
        """aliyun.Receipt (waiting | delivered | failed); ProviderUnavailable when it cannot be asked."""
        from estate.adapters import aliyun

        try:
            return self._client().query_send_details(provider_message_id, e164(phone).removeprefix("+86"), sent_at)
        except (aliyun.AliyunRetryLater, aliyun.AliyunRefused) as error:
            raise ProviderUnavailable(str(error)) from error


@functools.cache
def default_sender():
    """The selected provider's sender (estate.adapters.providers refuses an unknown one at cold start)."""
    from estate.config import get_settings

    return AliyunSender() if get_settings().sms_provider == "aliyun" else SmsSender()


def send_sms(phone: str, template_name: str, **params) -> str | None:
    """Send, and log rather than raise on failure: the state change that asked for the SMS stands.
    Returns the message id, or None if it could not be sent."""
    try:
        return default_sender().send(phone, template_name, **params)
    except SmsError as error:
        logger.warning("sms not sent", template=template_name, phone=mask_phone(phone), reason=str(error))
        return None
