"""Deployable artifacts without Docker: function zips, the dependency layer, the fonts layer and a
packaged template ready for `aws cloudformation package` / `sam deploy`.

    python tools/package.py [--out build/package] [--no-dependencies]

The dependency layer is built for the Lambda runtime's platform, not this machine's: pip picks
manylinux wheels for the template's architecture and Python version (`--platform --only-binary`),
so a C extension (cryptography, Pillow) built for x86_64 or for another Python never ships.
Downloads are cached in build/.pip-cache. Prints `package.<artifact>.<measure> value unit` lines
and exits non-zero when an artifact is over a Lambda limit.

Layout of --out:
  artifacts/<CodeUri folder>.zip    one zip per distinct CodeUri (two functions may share one)
  artifacts/<LayerLogicalId>.zip    CoreLayer (functions/core + pinned dependencies), FontsLayer
  statemachine/*.asl.json           copied, so DefinitionUri stays relative
  layers/CoreLayer/python/          the layer's staging folder (pip's install is reused while the
                                    requirements are unchanged)
  template.json                     template.yaml with every local path pointing at the above
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import py_compile
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.sam_offline import load_plain  # noqa: E402

MB = 1024 * 1024
# https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
UNZIPPED_LIMIT = 250 * MB        # a function's code plus all its layers, extracted
DIRECT_UPLOAD_LIMIT = 50 * MB    # one zip
PLATFORMS = {"arm64": "manylinux2014_aarch64", "x86_64": "manylinux2014_x86_64"}
FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)   # reproducible zips: same input, same bytes
SKIPPED = {"__pycache__", ".pytest_cache"}
# Installed without their dependencies: chalice's serve its CLI (pip, setuptools, click, inquirer,
# about 35 MB); the runtime module chalice.app needs only the standard library.
WITHOUT_DEPENDENCIES = {"chalice"}


@dataclass
class Artifact:
    name: str
    path: Path
    unzipped: int
    zipped: int


@dataclass
class Report:
    artifacts: dict[str, Artifact] = field(default_factory=dict)
    function_totals: dict[str, int] = field(default_factory=dict)   # logical id -> unzipped incl. layers
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        for artifact in self.artifacts.values():
            out.append(f"package.{artifact.name}.zipped_mb {artifact.zipped / MB:.3f} MB")
            out.append(f"package.{artifact.name}.unzipped_mb {artifact.unzipped / MB:.3f} MB")
        for logical_id, total in self.function_totals.items():
            out.append(f"package.{logical_id}.unzipped_with_layers_mb {total / MB:.2f} MB")
        return out


def bytecode(path: Path, shown_as: str) -> bytes:
    """The module compiled as an unchecked-hash .pyc: Lambda's code is read-only, so without bytecode
    in the zip every cold start compiles every module it imports (botocore included) from source; a
    hash-based .pyc is used as is (a timestamp one would not match the zip's fixed times) and is
    reproducible."""
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "module.pyc"
        py_compile.compile(str(path), cfile=str(target), dfile=shown_as, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        return target.read_bytes()


def zip_tree(source: Path, destination: Path, prefix: str = "", with_bytecode: bool = False) -> Artifact:
    """Zip a folder deterministically (sorted entries, fixed timestamps); `with_bytecode` adds each
    module's .pyc compiled by this interpreter (only right when it is the runtime's version)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    unzipped = 0
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        def add(name: str, data: bytes, mode: int) -> None:
            nonlocal unzipped
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            unzipped += len(data)
            archive.writestr(info, data)

        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source)
            if path.is_dir() or SKIPPED & set(relative.parts) or path.suffix == ".pyc":
                continue
            name = str(Path(prefix) / relative)
            add(name, path.read_bytes(), 0o755 if os.access(path, os.X_OK) else 0o644)
            if with_bytecode and path.suffix == ".py":
                add(importlib.util.cache_from_source(name), bytecode(path, name), 0o644)
    return Artifact(destination.stem, destination, unzipped, destination.stat().st_size)


def install_dependencies(requirements: Path, target: Path, architecture: str, python_version: str,
                         cache_dir: Path) -> None:
    """pip install for Lambda's platform into target (a layer's python/ folder)."""
    base = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--platform", PLATFORMS[architecture], "--only-binary=:all:", "--python-version", python_version,
            "--implementation", "cp", "--cache-dir", str(cache_dir), "--upgrade", "-t", str(target)]
    pins = [line.strip() for line in requirements.read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    alone = [pin for pin in pins if pin.split("==")[0].lower() in WITHOUT_DEPENDENCIES]
    subprocess.run(base + [pin for pin in pins if pin not in alone], check=True)
    if alone:
        subprocess.run(base + ["--no-deps"] + alone, check=True)


def build_core_layer(staging: Path, architecture: str, python_version: str, with_dependencies: bool) -> Path:
    """functions/core's estate package plus its requirements, laid out as a layer (python/...).

    The dependency install is reused while functions/core/requirements.txt is unchanged."""
    requirements = ROOT / "functions/core/requirements.txt"
    layer = staging / "CoreLayer"
    site = layer / "python"
    stamp = layer / ".requirements"
    recipe = f"{architecture} {python_version} without-deps={sorted(WITHOUT_DEPENDENCIES)}"
    wanted = f"{recipe}\n{requirements.read_text()}" if with_dependencies else "none"
    if not stamp.exists() or stamp.read_text() != wanted:
        shutil.rmtree(layer, ignore_errors=True)
        site.mkdir(parents=True)
        if with_dependencies:
            install_dependencies(requirements, site, architecture, python_version, ROOT / "build/.pip-cache")
        stamp.write_text(wanted)
    shutil.rmtree(site / "estate", ignore_errors=True)
    shutil.copytree(ROOT / "functions/core/estate", site / "estate",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return layer


def _runtime(template: dict) -> tuple[str, str]:
    function_globals = template.get("Globals", {}).get("Function", {})
    runtime = function_globals.get("Runtime", "python3.11")
    architecture = (function_globals.get("Architectures") or ["x86_64"])[0]
    return architecture, runtime.removeprefix("python")


def _layer_ids(template: dict, properties: dict) -> list[str]:
    """SAM appends a function's Layers to the Globals ones."""
    layers = list(template.get("Globals", {}).get("Function", {}).get("Layers") or [])
    layers += properties.get("Layers") or []
    return [layer["Ref"] for layer in layers if isinstance(layer, dict) and "Ref" in layer]


def package(out: Path, with_dependencies: bool = True, unzipped_limit: int = UNZIPPED_LIMIT,
            zipped_limit: int = DIRECT_UPLOAD_LIMIT, template: dict | None = None) -> Report:
    template = template if template is not None else load_plain()
    architecture, python_version = _runtime(template)
    with_bytecode = python_version == f"{sys.version_info.major}.{sys.version_info.minor}"
    if not with_bytecode:
        print(f"warning: packaging with Python {sys.version_info.major}.{sys.version_info.minor} for the "
              f"python{python_version} runtime: the zips carry no bytecode, so cold starts compile from source "
              f"(run make package with Python {python_version})", file=sys.stderr)
    artifacts_dir = out / "artifacts"
    shutil.rmtree(artifacts_dir, ignore_errors=True)
    report = Report()
    packaged = json.loads(json.dumps(template))

    layer_sources = {}
    for logical_id, res in template["Resources"].items():
        if res["Type"] != "AWS::Serverless::LayerVersion":
            continue
        content = res["Properties"]["ContentUri"]
        if logical_id == "CoreLayer":
            layer_sources[logical_id] = build_core_layer(out / "layers", architecture, python_version,
                                                         with_dependencies)
        else:
            layer_sources[logical_id] = ROOT / content
        if not layer_sources[logical_id].is_dir():
            raise SystemExit(f"{logical_id}: {layer_sources[logical_id]} is missing (make fonts builds the fonts layer)")
    for logical_id, source in layer_sources.items():
        artifact = zip_tree(source, artifacts_dir / f"{logical_id}.zip", with_bytecode=with_bytecode)
        report.artifacts[logical_id] = artifact
        props = packaged["Resources"][logical_id]
        props["Properties"]["ContentUri"] = f"artifacts/{artifact.path.name}"
        props.pop("Metadata", None)   # nothing left for `sam build` to build

    for logical_id, res in template["Resources"].items():
        props = res.get("Properties") or {}
        if res["Type"] == "AWS::Serverless::Function":
            code_dir = ROOT / props["CodeUri"]
            name = code_dir.name
            if name not in report.artifacts:
                report.artifacts[name] = zip_tree(code_dir, artifacts_dir / f"{name}.zip",
                                                  with_bytecode=with_bytecode)
            packaged["Resources"][logical_id]["Properties"]["CodeUri"] = f"artifacts/{name}.zip"
            total = report.artifacts[name].unzipped + sum(report.artifacts[layer].unzipped
                                                          for layer in _layer_ids(template, props))
            report.function_totals[logical_id] = total
            if total > unzipped_limit:
                report.problems.append(f"{logical_id}: {total / MB:.1f} MB unzipped with its layers "
                                       f"(limit {unzipped_limit / MB:.0f} MB)")
        if res["Type"] == "AWS::Serverless::StateMachine" and isinstance(props.get("DefinitionUri"), str):
            target = out / props["DefinitionUri"]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / props["DefinitionUri"], target)

    for artifact in report.artifacts.values():
        if artifact.zipped > zipped_limit:
            report.problems.append(f"{artifact.path.name}: {artifact.zipped / MB:.1f} MB zipped "
                                   f"(direct upload limit {zipped_limit / MB:.0f} MB)")
    (out / "template.json").write_text(json.dumps(packaged, ensure_ascii=False, indent=1))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build/package")
    parser.add_argument("--no-dependencies", action="store_true", help="skip pip (layout checks only)")
    args = parser.parse_args(argv)
    report = package(args.out, with_dependencies=not args.no_dependencies)
    for line in report.lines():
        print(line)
    for problem in report.problems:
        print(f"OVER LIMIT {problem}", file=sys.stderr)
    if report.problems:
        return 1
    print(f"packaged template: {args.out / 'template.json'} - deploy with:\n"
          f"  aws cloudformation package --template-file {args.out / 'template.json'} --s3-bucket <bucket> "
          f"--output-template-file {args.out / 'packaged.json'}\n"
          f"  aws cloudformation deploy --template-file {args.out / 'packaged.json'} --stack-name estate-<stage> "
          f"--capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND "
          f"--parameter-overrides $(python tools/params.py infra/params/<stage>.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
