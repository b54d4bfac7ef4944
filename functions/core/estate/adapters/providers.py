"""The SMS and face providers a deployment may select (template parameters SmsProvider, FaceProvider,
RealNameProvider), and the two things their adapters share: the provider's secret and one HTTP call.

Amazon SNS SMS and Rekognition are not offered in the China regions, so an aws-cn stack names a
domestic provider instead. A stack configured with a provider this build cannot use fails at cold
start with a clear message, not on the first citizen's SMS:
  - a provider without an adapter here (IMPLEMENTED);
  - in a function that calls the provider (USES_PROVIDERS, set per function in template.yaml), a
    provider whose Secrets Manager secret is missing or lacks a field (SECRET_FIELDS).

The surface for adapters (estate/adapters/aliyun.py; a Tencent Cloud one beside it):
  provider_secret(kind)   the selected provider's secret as a dict: read once per process, checked
  forget_secret(kind)     after the provider refused our credentials: the next call reads it again
                          (a rotated AccessKey is picked up without a cold start)
  http_call(...)          one HTTPS request with a timeout → HttpAnswer(status, body); a timeout or
                          an unreachable provider is ProviderCallFailed, a 4xx/5xx is an answer
Signing stays in each provider's module: Alibaba's RPC signature and Tencent's TC3 share nothing.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass

from estate.config import get_settings, provider_secret_arns, selected_providers

# Implemented adapters. Declared in template.yaml AllowedValues too: adding one means writing its
# adapter in estate/adapters/ and listing it here (and its secret's fields in SECRET_FIELDS).
# face_provider "simulated" is the local stack's liveness page: template.yaml does not allow it.
IMPLEMENTED = {"sms_provider": ("sns", "aliyun"), "face_provider": ("rekognition", "tencent", "simulated"),
               "realname_provider": ("people",)}  # province: see estate/adapters/realname.py

# (setting, provider) → the fields its Secrets Manager secret must hold. Providers not listed use the
# function's IAM role (AWS services) and need no secret.
SECRET_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("sms_provider", "aliyun"): ("access_key_id", "access_key_secret", "sign_name", "template_codes"),
}
# The short names template.yaml's USES_PROVIDERS lists (a function that never sends an SMS does not
# read the SMS secret, and its role may not).
KINDS = {"sms": "sms_provider", "face": "face_provider", "realname": "realname_provider"}


class ProviderNotImplemented(RuntimeError):
    """The stack selects a provider this code base has no adapter for."""


class ProviderSecretMissing(RuntimeError):
    """The selected provider's secret is not configured, cannot be read, or lacks a field."""


class ProviderCallFailed(Exception):
    """No answer from the provider: unreachable, or no answer within the timeout."""


class ProviderTimeout(ProviderCallFailed):
    """The provider did not answer within the timeout."""


def check_selected_providers(selection: dict[str, str] | None = None, uses: frozenset[str] | None = None) -> None:
    """Cold start: refuse an unimplemented provider, and a missing secret of one this function calls."""
    selection = selected_providers() if selection is None else selection
    for setting, value in selection.items():
        if value not in IMPLEMENTED[setting]:
            raise ProviderNotImplemented(
                f"{setting.upper()}={value!r} has no adapter in this build; implemented: "
                f"{', '.join(IMPLEMENTED[setting])}. Deploy with a supported value or add the adapter.")
    for kind in get_settings().uses_providers if uses is None else uses:
        setting = KINDS[kind]
        if (setting, selection.get(setting)) in SECRET_FIELDS:
            _read_secret(setting, selection[setting])
    if selection.get("face_provider") == "tencent" and not provider_secret_arns().get("face_provider"):
        raise ProviderNotImplemented("FACE_PROVIDER='tencent' needs FACE_PROVIDER_SECRET_ARN (template parameter "
                                     "FaceProviderSecretArn): the Secrets Manager secret of the FaceID keys.")


# --- secrets ------------------------------------------------------------------------------------------

_secrets: dict[str, dict] = {}
_secrets_lock = threading.Lock()


def _secret_arn(setting: str) -> str:
    return {"sms_provider": get_settings().sms_secret_arn}.get(setting, "")


def _read_secret(setting: str, provider: str) -> dict:
    with _secrets_lock:
        if setting in _secrets:
            return _secrets[setting]
        arn = _secret_arn(setting)
        where = f"{setting.upper()}={provider!r} needs its Secrets Manager secret"
        if not arn:
            raise ProviderSecretMissing(f"{where}, but {setting.upper().replace('_PROVIDER', '')}_SECRET_ARN is not set")
        from estate.adapters.aws import client

        try:
            text = client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"]
            secret = json.loads(text)
        except Exception as error:  # noqa: BLE001 - not found, access denied, not JSON: all the same to ops
            raise ProviderSecretMissing(f"{where} {arn}, which could not be read ({type(error).__name__})") from None
        if not isinstance(secret, dict):
            raise ProviderSecretMissing(f"{where} {arn} to hold a JSON object")
        missing = [name for name in SECRET_FIELDS[(setting, provider)] if not secret.get(name)]
        if missing:
            raise ProviderSecretMissing(f"{where} {arn} to hold {', '.join(missing)} (ops fill these in)")
        _secrets[setting] = secret
        return secret


def provider_secret(kind: str) -> dict:
    """The selected provider's secret (kind: 'sms', 'face'), read on first use and kept."""
    setting = KINDS[kind]
    return _read_secret(setting, selected_providers()[setting])


def forget_secret(kind: str) -> None:
    with _secrets_lock:
        _secrets.pop(KINDS[kind], None)


# --- HTTP ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: bytes

    def json(self) -> dict:
        """The body as a JSON object; {} when it is not one (an HTML error page from a proxy)."""
        try:
            value = json.loads(self.body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


def http_call(method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
              timeout_s: float = 5.0) -> HttpAnswer:
    """One request, no retries (the caller's outbox or the person retries). Lambda's own timeout is
    10 s for API functions: a provider gets at most half of it."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return HttpAnswer(response.status, response.read())
    except urllib.error.HTTPError as error:  # the provider answered, with an error status: its body says why
        return HttpAnswer(error.code, error.read())
    except (TimeoutError, socket.timeout) as error:
        raise ProviderTimeout(f"no answer within {timeout_s:g} s") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, (TimeoutError, socket.timeout)):
            raise ProviderTimeout(f"no answer within {timeout_s:g} s") from error
        raise ProviderCallFailed(f"unreachable ({type(error.reason).__name__})") from error
    except (ConnectionError, OSError) as error:
        raise ProviderCallFailed(f"connection failed ({type(error).__name__})") from error
