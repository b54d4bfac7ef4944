"""template.yaml translated to plain CloudFormation offline, as `sam deploy` would (aws-sam-translator).

No AWS call: the managed-policy loader is a stub, local DefinitionUri files are inlined and local
CodeUri/ContentUri paths become s3:// placeholders (the translator only accepts those). Used by the
contract tests (routes, IAM), the OpenAPI generator and the packager.
"""

from __future__ import annotations

import copy
import functools
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "template.yaml"
PLACEHOLDER_BUCKET = "estate-offline-artifacts"


def load_plain(path: Path = TEMPLATE_PATH) -> dict:
    """The template as plain dicts (!Ref and friends already in their long form)."""
    from cfnlint.decode import cfn_yaml

    return json.loads(json.dumps(cfn_yaml.load(str(path))))


class _NoManagedPolicies:
    """The translator asks IAM for managed policy ARNs by name; offline we have none to offer."""

    def load(self) -> dict:
        return {}


def prepare_for_translation(template: dict, root: Path = ROOT) -> dict:
    """Inline the ASL files and point code at s3:// placeholders (what `sam package` would have done)."""
    template = copy.deepcopy(template)
    for logical_id, res in template["Resources"].items():
        props = res.get("Properties") or {}
        if res["Type"] == "AWS::Serverless::StateMachine" and isinstance(props.get("DefinitionUri"), str):
            props["Definition"] = json.loads((root / props.pop("DefinitionUri")).read_text())
        for key in ("CodeUri", "ContentUri"):
            if isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                props[key] = f"s3://{PLACEHOLDER_BUCKET}/{logical_id}.zip"
    return template


def translate(template: dict | None = None, parameters: dict | None = None, region: str = "us-east-1") -> dict:
    """`region` decides the partition of the ARNs SAM writes itself (managed policies): cn-north-1 → aws-cn."""
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator
    from samtranslator.utils.py27hash_fix import to_py27_compatible_template, undo_mark_unicode_str_in_template

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    source = prepare_for_translation(template if template is not None else load_plain())
    parameters = dict(parameters or {})
    to_py27_compatible_template(source, parameters)
    translator = Translator(None, Parser(), boto_session=boto3.session.Session(region_name=region))
    return undo_mark_unicode_str_in_template(translator.translate(
        source, parameter_values=parameters, get_managed_policy_map=_NoManagedPolicies().load))


def translated_with(parameter_file: Path) -> dict:
    """The template translated as deployed with one of infra/params/ (infra/params/aws-cn/: in cn-north-1)."""
    values = json.loads(parameter_file.read_text())
    return translate(parameters=values, region="cn-north-1" if parameter_file.parent.name == "aws-cn" else "us-east-1")


@functools.cache
def translated() -> dict:
    """The repository's template, translated once per process."""
    return translate()


def rest_api_body(cfn: dict) -> dict:
    apis = [res for res in cfn["Resources"].values() if res["Type"] == "AWS::ApiGateway::RestApi"]
    assert len(apis) == 1, f"expected one RestApi, found {len(apis)}"
    return apis[0]["Properties"]["Body"]


def iam_statements(cfn: dict):
    """(role logical id, policy name, statement) for every inline policy of every role."""
    for logical_id, res in cfn["Resources"].items():
        if res["Type"] != "AWS::IAM::Role":
            continue
        for policy in res["Properties"].get("Policies") or []:
            statements = policy["PolicyDocument"]["Statement"]
            for statement in statements if isinstance(statements, list) else [statements]:
                yield logical_id, policy["PolicyName"], statement
