"""A stack that selects an SMS or face provider without an adapter fails at cold start, clearly."""

import os
import subprocess
import sys

import pytest

from estate.adapters.providers import ProviderNotImplemented, check_selected_providers
from local.template import ROOT


def test_the_implemented_providers_pass(monkeypatch):
    check_selected_providers({"sms_provider": "sns", "face_provider": "rekognition"})
    monkeypatch.setenv("FACE_PROVIDER_SECRET_ARN", "arn:aws-cn:secretsmanager:cn-north-1:1:secret:faceid")
    check_selected_providers({"sms_provider": "sns", "face_provider": "tencent"})  # FaceID liveness (issue 18)


def test_tencent_without_its_secret_is_refused_with_the_parameter_named(monkeypatch):
    monkeypatch.delenv("FACE_PROVIDER_SECRET_ARN", raising=False)
    with pytest.raises(ProviderNotImplemented, match="FaceProviderSecretArn"):
        check_selected_providers({"sms_provider": "sns", "face_provider": "tencent"})


@pytest.mark.parametrize("selection, named", [
    ({"sms_provider": "aliyun", "face_provider": "rekognition"}, "SMS_PROVIDER='aliyun'"),
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
    result = _import_handler("booking", SMS_PROVIDER="aliyun")
    assert result.returncode != 0
    assert "ProviderNotImplemented" in result.stderr and "SMS_PROVIDER='aliyun'" in result.stderr


def test_a_handler_refuses_to_start_with_tencent_faces_and_no_secret():
    result = _import_handler("apply", FACE_PROVIDER="tencent")
    assert result.returncode != 0 and "FACE_PROVIDER_SECRET_ARN" in result.stderr


def test_a_handler_starts_with_the_default_providers():
    result = _import_handler("booking")
    assert result.returncode == 0, result.stderr
