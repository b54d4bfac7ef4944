"""A stack that selects an SMS or face provider without an adapter, or without the secret a function
needs to call it, fails at cold start, clearly (the secret read itself, on moto: tests/functional/test_aliyun_sms.py)."""

import os
import subprocess
import sys

import pytest

from estate.adapters.providers import ProviderNotImplemented, ProviderSecretMissing, check_selected_providers
from local.template import ROOT


def test_the_implemented_providers_pass(monkeypatch):
    check_selected_providers({"sms_provider": "sns", "face_provider": "rekognition"})
    check_selected_providers({"sms_provider": "aliyun", "face_provider": "rekognition"}, uses=frozenset())
    monkeypatch.setenv("FACE_PROVIDER_SECRET_ARN", "arn:aws-cn:secretsmanager:cn-north-1:1:secret:faceid")
    check_selected_providers({"sms_provider": "sns", "face_provider": "tencent"})  # FaceID liveness (issue 18)


def test_a_function_calling_aliyun_without_its_secret_arn_is_refused(monkeypatch):
    from dataclasses import replace

    from estate.adapters import providers

    settings = replace(providers.get_settings(), sms_secret_arn="")
    monkeypatch.setattr(providers, "get_settings", lambda: settings)
    with pytest.raises(ProviderSecretMissing, match="SMS_PROVIDER='aliyun' needs its Secrets Manager secret"):
        check_selected_providers({"sms_provider": "aliyun", "face_provider": "rekognition"}, uses=frozenset({"sms"}))


def test_tencent_without_its_secret_is_refused_with_the_parameter_named(monkeypatch):
    monkeypatch.delenv("FACE_PROVIDER_SECRET_ARN", raising=False)
    with pytest.raises(ProviderNotImplemented, match="FaceProviderSecretArn"):
        check_selected_providers({"sms_provider": "sns", "face_provider": "tencent"})


@pytest.mark.parametrize("selection, named", [
    ({"sms_provider": "yunpian", "face_provider": "rekognition"}, "SMS_PROVIDER='yunpian'"),
    ({"sms_provider": "sns", "face_provider": "faceplusplus"}, "FACE_PROVIDER='faceplusplus'"),
])
def test_an_unimplemented_provider_is_refused_by_name(selection, named):
    with pytest.raises(ProviderNotImplemented, match=named):
        check_selected_providers(selection)


def _import_handler(app_dir: str, **env) -> subprocess.CompletedProcess:
    code = ("import sys, importlib.util as u; sys.path.insert(0, %r); "
            "s = u.spec_from_file_location('h', %r); m = u.module_from_spec(s); s.loader.exec_module(m)"
            % (str(ROOT / "functions/core"), str(ROOT / "functions" / app_dir / "app.py")))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AWS_DEFAULT_REGION": "cn-north-1",
                               **env})


def test_a_handler_refuses_to_start_with_an_unimplemented_sms_provider():
    result = _import_handler("booking", SMS_PROVIDER="yunpian")
    assert result.returncode != 0
    assert "ProviderNotImplemented" in result.stderr and "SMS_PROVIDER='yunpian'" in result.stderr


def test_a_handler_that_sends_sms_refuses_to_start_without_the_aliyun_secret():
    result = _import_handler("booking", SMS_PROVIDER="aliyun", USES_PROVIDERS="sms")
    assert result.returncode != 0
    assert "ProviderSecretMissing" in result.stderr and "SMS_SECRET_ARN is not set" in result.stderr


def test_a_handler_that_sends_sms_refuses_to_start_when_the_secret_cannot_be_read():
    # no credentials in the subprocess: botocore gives up before any network call
    arn = "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:estate/sms-AbCdEf"
    result = _import_handler("notify", SMS_PROVIDER="aliyun", USES_PROVIDERS="sms", SMS_SECRET_ARN=arn,
                             AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE="/nonexistent",
                             AWS_SHARED_CREDENTIALS_FILE="/nonexistent")
    assert result.returncode != 0
    assert "ProviderSecretMissing" in result.stderr and f"{arn}, which could not be read" in result.stderr


def test_a_handler_that_sends_no_sms_starts_with_aliyun_selected():
    result = _import_handler("info", SMS_PROVIDER="aliyun")
    assert result.returncode == 0, result.stderr


def test_a_handler_refuses_to_start_with_tencent_faces_and_no_secret():
    result = _import_handler("apply", FACE_PROVIDER="tencent")
    assert result.returncode != 0 and "FACE_PROVIDER_SECRET_ARN" in result.stderr


def test_a_handler_starts_with_the_default_providers():
    result = _import_handler("booking")
    assert result.returncode == 0, result.stderr
