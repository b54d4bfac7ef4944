"""tools/package.py on a small scale (no pip download): layout, packaged template, limits; and the
per-environment parameter files."""

from __future__ import annotations

import json
import zipfile

import pytest

from local.template import ROOT, load_template
from tools.package import package
from tools.params import overrides

TEMPLATE = load_template()


@pytest.fixture(scope="module")
def packaged(tmp_path_factory):
    if not (ROOT / "build/fonts-layer").is_dir():
        pytest.skip("make fonts has not run")
    out = tmp_path_factory.mktemp("package")
    return out, package(out, with_dependencies=False)


def test_every_local_path_in_the_packaged_template_is_a_built_artifact(packaged):
    out, _report = packaged
    template = json.loads((out / "template.json").read_text())
    for logical_id, res in template["Resources"].items():
        props = res.get("Properties") or {}
        for key in ("CodeUri", "ContentUri", "DefinitionUri"):
            if isinstance(props.get(key), str):
                assert (out / props[key]).is_file(), (logical_id, key, props[key])
        if res["Type"] == "AWS::Serverless::LayerVersion":
            assert "Metadata" not in res  # sam build must not rebuild what we built


def test_function_zips_hold_the_handler_and_the_core_layer_the_estate_package(packaged):
    out, _report = packaged
    for spec in TEMPLATE.functions():
        with zipfile.ZipFile(out / "artifacts" / f"{spec.code_dir.name}.zip") as archive:
            assert spec.module_file.name in archive.namelist()
    with zipfile.ZipFile(out / "artifacts/sign.zip") as archive:   # the signing page's static files
        assert {"assets/signing.js", "assets/signing.css", "assets/pdf.min.mjs",
                "assets/pdf.worker.min.mjs"} <= set(archive.namelist())
    with zipfile.ZipFile(out / "artifacts/CoreLayer.zip") as archive:
        names = archive.namelist()
    assert "python/estate/http.py" in names
    # bytecode for the runtime goes in beside every module, and nothing else from a __pycache__
    compiled = {n for n in names if n.endswith(".pyc")}
    sources = {n for n in names if n.endswith(".py")}
    assert "python/estate/__pycache__/http.cpython-311.pyc" in compiled
    assert {n.replace("__pycache__/", "").replace(".cpython-311.pyc", ".py") for n in compiled} == sources


def test_the_packaged_bytecode_is_used_as_is_from_read_only_code(packaged, tmp_path):
    """Unchecked-hash .pyc files: Python loads them without comparing timestamps (the zip's are fixed)
    and without writing anything, as on Lambda's read-only /opt and /var/task."""
    import subprocess
    import sys

    out, _report = packaged
    with zipfile.ZipFile(out / "artifacts/CoreLayer.zip") as archive:
        archive.extractall(tmp_path)
        header = archive.read("python/estate/__pycache__/http.cpython-311.pyc")[:8]
    assert int.from_bytes(header[4:8], "little") == 0b01   # hash-based, not checked against the source
    result = subprocess.run([sys.executable, "-v", "-c", "import estate.errors"], capture_output=True, text=True,
                            env={"PYTHONPATH": str(tmp_path / "python"), "PYTHONDONTWRITEBYTECODE": "1",
                                 "PATH": "/usr/bin:/bin"}, check=True)
    assert f"code object from '{tmp_path}/python/estate/__pycache__/errors.cpython-311.pyc'" in result.stderr


def test_every_function_and_artifact_is_measured(packaged):
    _out, report = packaged
    assert set(report.function_totals) == {spec.logical_id for spec in TEMPLATE.functions()}
    assert report.problems == []
    assert any(line.startswith("package.CoreLayer.zipped_mb ") for line in report.lines())


def test_zips_are_reproducible(packaged, tmp_path):
    out, _report = packaged
    package(tmp_path, with_dependencies=False)
    assert (tmp_path / "artifacts/info.zip").read_bytes() == (out / "artifacts/info.zip").read_bytes()


def test_an_artifact_over_a_limit_is_reported(tmp_path):
    if not (ROOT / "build/fonts-layer").is_dir():
        pytest.skip("make fonts has not run")
    report = package(tmp_path, with_dependencies=False, unzipped_limit=1024, zipped_limit=1024)
    assert any("TaxFunction" in problem and "unzipped" in problem for problem in report.problems)
    assert any("FontsLayer.zip" in problem and "zipped" in problem for problem in report.problems)


@pytest.mark.parametrize("path", sorted((ROOT / "infra/params").rglob("*.json")),
                         ids=lambda p: str(p.relative_to(ROOT / "infra/params")))
def test_parameter_files_name_real_parameters_with_allowed_values(path):
    declared = TEMPLATE.data["Parameters"]
    values = json.loads(path.read_text())
    assert values["Stage"] == path.stem
    for key, value in values.items():
        assert key in declared, key
        assert not any(c.isspace() for c in str(value)), key   # passed through the shell unquoted
        if "AllowedValues" in declared[key]:
            assert str(value) in [str(v) for v in declared[key]["AllowedValues"]], key
    assert overrides(path)[0] == f"Stage={path.stem}"


def test_the_packaged_template_still_translates_with_the_same_api(packaged):
    from tools.sam_offline import prepare_for_translation, rest_api_body, translate, translated

    out, _report = packaged
    template = prepare_for_translation(json.loads((out / "template.json").read_text()), root=out)
    assert rest_api_body(translate(template))["paths"] == rest_api_body(translated())["paths"]
