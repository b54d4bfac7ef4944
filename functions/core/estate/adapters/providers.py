"""The SMS and face-comparison providers a deployment may select (template parameters SmsProvider,
FaceProvider). Amazon SNS SMS and Rekognition are not offered in every region, so an aws-cn stack
names a domestic provider instead. Only the implemented ones may be selected: a stack configured
with one that is not fails at cold start with a clear message, not on the first citizen's SMS.
"""

from __future__ import annotations

from estate.config import provider_secret_arns, selected_providers

# Implemented adapters. Declared in template.yaml AllowedValues too (aliyun, tencent): adding one
# means writing its adapter in estate/adapters/ and listing it here.
# face_provider "simulated" is the local stack's liveness page: template.yaml does not allow it.
IMPLEMENTED = {"sms_provider": ("sns",), "face_provider": ("rekognition", "tencent", "simulated"),
               "realname_provider": ("people",)}  # province: see estate/adapters/realname.py


class ProviderNotImplemented(RuntimeError):
    """The stack selects a provider this code base has no adapter for."""


def check_selected_providers(selection: dict[str, str] | None = None) -> None:
    selection = selected_providers() if selection is None else selection
    for setting, value in selection.items():
        if value not in IMPLEMENTED[setting]:
            raise ProviderNotImplemented(
                f"{setting.upper()}={value!r} has no adapter in this build; implemented: "
                f"{', '.join(IMPLEMENTED[setting])}. Deploy with a supported value or add the adapter.")
    if selection.get("face_provider") == "tencent" and not provider_secret_arns().get("face_provider"):
        raise ProviderNotImplemented("FACE_PROVIDER='tencent' needs FACE_PROVIDER_SECRET_ARN (template parameter "
                                     "FaceProviderSecretArn): the Secrets Manager secret of the FaceID keys.")
