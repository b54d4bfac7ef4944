"""template.yaml, the Chalice apps and the ASL files must describe the same system."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from chalice import Chalice

from local.functions import load_module
from local.template import ROOT, load_template

TEMPLATE = load_template()
LOCAL_ONLY_PREFIXES = ("/_dev",)


def chalice_apps() -> dict[str, Chalice]:
    apps = {}
    for spec in TEMPLATE.functions():
        target = getattr(load_module(spec), "app", None)
        if isinstance(target, Chalice) and spec.attribute == "app":
            apps[spec.logical_id] = target
    return apps


def chalice_routes() -> set[tuple[str, str, str]]:
    return {(fn, path, method) for fn, app in chalice_apps().items()
            for path, methods in app.routes.items() for method in methods}


def template_routes() -> set[tuple[str, str, str]]:
    return {(r.function, r.path, r.method) for r in TEMPLATE.routes()}


def test_every_chalice_route_is_a_template_event_and_vice_versa():
    assert chalice_routes() == template_routes()


def test_path_parameter_names_match():
    # Implied by equality above, but worth a readable failure: {appId} vs {id} gives a 405 in AWS.
    for fn, path, method in template_routes():
        view = chalice_apps()[fn].routes[path][method]
        assert set(view.view_args) == set(re.findall(r"{(\w+)}", path)), (fn, path)


def test_no_greedy_or_proxy_paths():
    assert not [r for r in TEMPLATE.routes() if "+" in r.path or r.method == "ANY"]


def test_public_routes_are_exactly_the_views_marked_public():
    for fn, app in chalice_apps().items():
        for path, methods in app.routes.items():
            for method, entry in methods.items():
                public_in_code = getattr(entry.view_function, "estate_public", None)
                assert public_in_code is not None, f"{fn} {method} {path} is not registered with estate.http.route"
                route = next(r for r in TEMPLATE.routes() if (r.function, r.path, r.method) == (fn, path, method))
                assert route.public == public_in_code, f"{method} {path}: template public={route.public}"


def test_the_api_has_a_default_authorizer():
    api = next(iter(TEMPLATE.of_type("AWS::Serverless::Api").values()))["Properties"]
    assert api["Auth"]["DefaultAuthorizer"] in api["Auth"]["Authorizers"]


def test_no_local_only_route_is_deployed():
    assert not [r for r in TEMPLATE.routes() if r.path.startswith(LOCAL_ONLY_PREFIXES)]


def test_every_handler_in_the_template_imports():
    for spec in TEMPLATE.functions():
        assert spec.module_file.exists(), spec
        assert callable(getattr(load_module(spec), spec.attribute)), spec


def test_every_function_folder_is_in_the_template():
    code_dirs = {spec.code_dir.resolve() for spec in TEMPLATE.functions()}
    folders = {p.parent.resolve() for p in (ROOT / "functions").glob("*/app.py")}
    assert folders <= code_dirs


def test_functions_agree_on_environment_values():
    from local.aws import Resolver
    Resolver(TEMPLATE).function_environment()  # raises on a conflict


def test_every_environment_variable_the_code_reads_is_set_by_the_template():
    config = (ROOT / "functions/core/estate/config.py").read_text()
    local_only = {"AWS_REGION", "AWS_DEFAULT_REGION", "JWKS_JSON", "S3_PUBLIC_ENDPOINT", "PAYMENT_KEYS_JSON",
                  "IDP_SECRETS_JSON"}
    read = set(re.findall(r'_env\("([A-Z_]+)"', config)) - local_only
    set_by_template = set(TEMPLATE.global_environment())
    for spec in TEMPLATE.functions():
        set_by_template |= set(TEMPLATE.function_environment(spec.logical_id))
    assert read <= set_by_template


def test_arns_are_partition_aware():
    text = (ROOT / "template.yaml").read_text()
    assert "arn:aws:" not in text


def state_machines() -> dict[str, dict]:
    return TEMPLATE.of_type("AWS::Serverless::StateMachine")


def test_state_machine_files_and_template_agree():
    referenced = {(ROOT / res["Properties"]["DefinitionUri"]).resolve() for res in state_machines().values()}
    on_disk = {p.resolve() for p in (ROOT / "statemachine").glob("*.asl.json")}
    assert referenced == on_disk


@pytest.mark.parametrize("logical_id", sorted(state_machines()) or ["<none>"])
def test_every_asl_placeholder_has_a_substitution(logical_id):
    if logical_id == "<none>":
        pytest.skip("no state machine yet")
    props = state_machines()[logical_id]["Properties"]
    text = (ROOT / props["DefinitionUri"]).read_text()
    json.loads(text)
    placeholders = set(re.findall(r"\$\{(\w+)\}", text))
    assert placeholders == set(props.get("DefinitionSubstitutions") or {})


@pytest.mark.parametrize("path", sorted((ROOT / "infra/params").rglob("*.json")),
                         ids=lambda p: str(p.relative_to(ROOT / "infra/params")))
def test_cfn_lint_is_clean_for_every_parameter_file_in_its_partition(path):
    # --regions makes cfn-lint refuse a resource type the region lacks (E3006) unless a condition
    # keeps it out of that region (template.yaml Conditions: InChina).
    from tools.params import overrides

    regions = ["cn-north-1", "cn-northwest-1"] if path.parent.name == "aws-cn" else ["us-east-1"]
    result = subprocess.run([str(Path(sys.executable).parent / "cfn-lint"), "--regions", *regions,
                             "--parameters", *overrides(path), "--", str(ROOT / "template.yaml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_runtime_requirements_are_pinned():
    lines = [line.strip() for line in (ROOT / "functions/core/requirements.txt").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines and all(re.match(r"^[A-Za-z0-9_.\-\[\]]+==[\w.]+$", line) for line in lines), lines
