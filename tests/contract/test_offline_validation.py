"""What `sam deploy` would do to template.yaml, checked offline: translation, routes, IAM, ASL.

cfn-lint alone misses typos in API events and never reads ASL in a DefinitionUri (STACK.md §7), so
the template is also translated with aws-sam-translator and the state machines linted three ways.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from local.template import ROOT, load_template
from tests.contract.test_template_contract import chalice_routes
from tools.sam_offline import iam_statements, rest_api_body, translated, translated_with

TEMPLATE = load_template()
# Every environment's parameters; those under infra/params/aws-cn/ deploy to the China regions.
PARAMETER_FILES = sorted((ROOT / "infra/params").rglob("*.json"))
ASL_FILES = sorted((ROOT / "statemachine").glob("*.asl.json"))
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


# ------------------------------------------------------------------ translation and routes

def test_the_template_translates_offline_to_plain_cloudformation():
    cfn = translated()
    assert "Transform" not in cfn
    assert not [k for k, r in cfn["Resources"].items() if r["Type"].startswith("AWS::Serverless::")]


@pytest.mark.parametrize("path", PARAMETER_FILES, ids=lambda p: str(p.relative_to(ROOT / "infra/params")))
def test_every_parameter_file_translates_with_the_same_api_and_no_iam_finding(path):
    cfn = translated_with(path)
    assert not [k for k, r in cfn["Resources"].items() if r["Type"].startswith("AWS::Serverless::")]
    routes = {(path, method) for path, item in rest_api_body(cfn)["paths"].items() for method in item}
    assert routes == {(path, method) for path, item in rest_api_body(translated())["paths"].items() for method in item}
    assert iam_findings(cfn) == []


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def test_the_china_stack_names_no_arn_of_the_aws_partition():
    china = [p for p in PARAMETER_FILES if p.parent.name == "aws-cn"]
    assert china, "no parameter file under infra/params/aws-cn/"
    for path in china:
        cfn = translated_with(path)
        assert not [s for s in _strings(cfn["Resources"]) if "arn:aws:" in s], path
        # SAM's own ARNs (managed policies) follow the region's partition
        assert any(s.startswith("arn:aws-cn:iam::aws:policy/") for s in _strings(cfn["Resources"]))


def test_the_china_parameter_file_selects_the_mainland_providers_and_a_domain():
    for path in [p for p in PARAMETER_FILES if p.parent.name == "aws-cn"]:
        values = json.loads(path.read_text())
        assert values["SmsProvider"] == "aliyun" and values["FaceProvider"] == "tencent"
        assert values["AppDomainName"] and values["AppCertificateIamId"]  # *.cloudfront.cn serves nothing


# CloudFormation types the China regions do not have (cfn-lint E3006 for cn-north-1, tests/contract/
# test_template_contract.py) and what SNS SMS alone needs: deployed only where they exist.
CONDITIONAL = {"AWS::CloudFront::OriginAccessControl": "OutsideChina", "AWS::CloudFront::Function": "OutsideChina",
               "AWS::CloudFront::CloudFrontOriginAccessIdentity": "InChina"}


def test_resources_the_china_regions_lack_are_conditional():
    resources = translated()["Resources"]
    for logical_id, res in resources.items():
        if res["Type"] in CONDITIONAL:
            assert res.get("Condition") == CONDITIONAL[res["Type"]], logical_id
    assert {resources[k].get("Condition") for k in ("SmsDeliveryLogGroup", "SmsFailureLogGroup")} == {"UsesSnsSms"}
    assert resources["SmsReceiptsFunction"].get("Condition") == "UsesSnsSms"


def test_exactly_the_functions_that_send_sms_read_the_sms_secret_and_check_it_at_cold_start():
    cfn = translated()
    functions = _resources("AWS::Lambda::Function")
    declared = {k for k, fn in functions.items()
                if "sms" in str(fn["Properties"].get("Environment", {}).get("Variables", {}).get("USES_PROVIDERS", ""))}
    reading, publishing = set(), set()
    for role, _policy, st in iam_statements(cfn):
        function = role.removesuffix("Role")
        if "secretsmanager:GetSecretValue" in _as_list(st["Action"]) and "SmsProviderSecret" in json.dumps(st["Resource"]):
            reading.add(function)
        if "sns:Publish" in _as_list(st["Action"]):
            publishing.add(function)
    assert declared and declared == reading == publishing


def test_translated_rest_api_paths_and_methods_equal_the_chalice_routes():
    body = rest_api_body(translated())
    deployed = {(path, method.upper()) for path, item in body["paths"].items() for method in item
                if method in HTTP_METHODS}
    in_code = {(path, method) for _fn, path, method in chalice_routes()}
    assert deployed == in_code


def test_translated_routes_are_authorized_exactly_where_the_code_is_not_public():
    body = rest_api_body(translated())
    public = {(r.path, r.method) for r in TEMPLATE.routes() if r.public}
    for path, item in body["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            guarded = any("TokenAuthorizer" in s for s in operation.get("security") or [])
            assert guarded != ((path, method.upper()) in public), (method, path)


# ------------------------------------------------------------------ IAM

# Services whose resources hold citizens' data: a wildcard action or resource there is a finding.
DATA_SERVICES = ("dynamodb", "s3", "kms", "secretsmanager", "sqs", "states", "lambda", "ssm")
# Actions AWS cannot scope to a resource (direct-to-phone SMS, face comparison and liveness, tracing, metrics).
UNSCOPABLE_ACTIONS = {"sns:Publish", "rekognition:CompareFaces", "rekognition:CreateFaceLivenessSession",
                      "rekognition:GetFaceLivenessSessionResults", "xray:PutTraceSegments", "xray:PutTelemetryRecords",
                      "cloudwatch:PutMetricData"}


def _as_list(value):
    return value if isinstance(value, list) else [value]


def iam_findings(cfn: dict) -> list[tuple[str, str, str]]:
    """(role, action, why) for every Allow that grants a wildcard action or a data action on `*`."""
    findings = []
    for role, _policy, st in iam_statements(cfn):
        if st["Effect"] != "Allow":
            continue
        on_everything = "*" in _as_list(st["Resource"])
        for action in _as_list(st["Action"]):
            if "*" in action:
                findings.append((role, action, "wildcard action"))
            elif on_everything and (action.split(":")[0] in DATA_SERVICES or action not in UNSCOPABLE_ACTIONS):
                findings.append((role, action, "on every resource"))
    return findings


def test_no_function_policy_grants_a_wildcard_action_or_data_access_on_every_resource():
    assert iam_findings(translated()) == []


@pytest.mark.parametrize("statement", [
    {"Effect": "Allow", "Action": "dynamodb:*", "Resource": {"Fn::GetAtt": ["ContentTable", "Arn"]}},
    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"},
])
def test_the_iam_check_catches_wildcards(statement):
    from tools.sam_offline import load_plain, translate
    template = load_plain()
    template["Resources"]["InfoFunction"]["Properties"]["Policies"].append({"Statement": [statement]})
    assert [f for f in iam_findings(translate(template)) if f[0] == "InfoFunctionRole"]


# ------------------------------------------------------------------ security posture

def _resources(type_name: str) -> dict:
    return {k: r for k, r in translated()["Resources"].items() if r["Type"] == type_name}


# Buckets that hold only the built citizen app (public JS/CSS, no personal data): SSE-S3, because
# CloudFront's origin access control would otherwise need our KMS key's policy to let the CloudFront
# service decrypt, and every asset fetch would be a KMS call. Every other bucket uses the KMS key.
STATIC_SITE_BUCKETS = {"AppBucket"}


def test_buckets_block_public_access_and_encrypt_with_the_kms_key():
    buckets = _resources("AWS::S3::Bucket")
    assert STATIC_SITE_BUCKETS <= set(buckets)
    for logical_id, bucket in buckets.items():
        props = bucket["Properties"]
        assert all(props["PublicAccessBlockConfiguration"].values()), logical_id
        rule = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
        if logical_id in STATIC_SITE_BUCKETS:
            assert rule["SSEAlgorithm"] == "AES256", logical_id
            continue
        assert rule["SSEAlgorithm"] == "aws:kms" and rule["KMSMasterKeyID"], logical_id


def test_buckets_refuse_plain_http():
    policies = {json.dumps(p["Properties"]["Bucket"]): p["Properties"]["PolicyDocument"]
                for p in _resources("AWS::S3::BucketPolicy").values()}
    for logical_id in _resources("AWS::S3::Bucket"):
        document = policies[json.dumps({"Ref": logical_id})]
        assert any(st.get("Effect") == "Deny" and st["Condition"]["Bool"]["aws:SecureTransport"] == "false"
                   for st in document["Statement"]), logical_id  # (a statement may be an Fn::If: no Effect key)


def test_the_desks_origin_may_post_materials_to_the_uploads_bucket_and_nothing_else():
    """The bank desk uploads the bank's materials from the browser to a presigned POST: without a CORS
    rule for the desks' origin S3 answers the preflight with 403 and the upload never starts."""
    [rule] = _resources("AWS::S3::Bucket")["UploadsBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedMethods"] == ["POST"]
    assert rule["AllowedOrigins"] == [{"Ref": "PublicBaseUrl"}]   # the desks' origin, no wildcard
    assert "*" not in rule["AllowedOrigins"]


def test_tables_have_point_in_time_recovery_and_kms_encryption():
    for logical_id, table in _resources("AWS::DynamoDB::Table").items():
        props = table["Properties"]
        assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True, logical_id
        sse = props["SSESpecification"]
        assert sse["SSEEnabled"] is True and sse["SSEType"] == "KMS" and sse["KMSMasterKeyId"], logical_id
        assert table.get("DeletionPolicy") == "Retain", logical_id


def test_the_data_key_rotates():
    """Encryption keys rotate automatically. KMS cannot rotate an asymmetric key (the token signing key,
    SIGN_VERIFY): it is rotated by a new key — every token names its key id (`kid`), decision log."""
    keys = _resources("AWS::KMS::Key")
    encryption = {k: v for k, v in keys.items() if v["Properties"].get("KeyUsage", "ENCRYPT_DECRYPT") == "ENCRYPT_DECRYPT"}
    assert encryption and all(k["Properties"]["EnableKeyRotation"] is True for k in encryption.values())
    signing = {k: v for k, v in keys.items() if k not in encryption}
    assert all(v["Properties"]["KeySpec"].startswith("RSA_") and "EnableKeyRotation" not in v["Properties"]
               for v in signing.values())


def test_the_api_stage_throttles_traces_and_logs_access_to_a_retained_log_group():
    stage = next(iter(_resources("AWS::ApiGateway::Stage").values()))["Properties"]
    assert stage["TracingEnabled"] is True
    assert all(s["ThrottlingRateLimit"] and s["ThrottlingBurstLimit"] for s in stage["MethodSettings"])
    destination = stage["AccessLogSetting"]["DestinationArn"]
    log_group_id = destination["Fn::GetAtt"][0]
    assert translated()["Resources"][log_group_id]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_every_function_is_traced_and_logs_to_a_group_with_retention():
    # One group for the stack (Globals LoggingConfig), so a new function is covered without a new resource.
    groups = _resources("AWS::Logs::LogGroup")
    for logical_id, fn in _resources("AWS::Lambda::Function").items():
        # Lambda's X-Ray integration is not offered in the China regions
        assert fn["Properties"]["TracingConfig"]["Mode"] in ("Active", {"Fn::If": ["InChina", "PassThrough", "Active"]}), \
            logical_id
        group_id = fn["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert groups[group_id]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}, logical_id


def test_waf_is_optional_and_attached_to_the_stage_when_enabled():
    cfn = translated()
    associations = _resources("AWS::WAFv2::WebACLAssociation")
    assert associations and all(a.get("Condition") == "WafEnabled" for a in associations.values())
    assert "WafEnabled" in cfn["Conditions"]


def test_providers_are_selectable_by_parameter():
    params = TEMPLATE.data["Parameters"]
    assert set(params["SmsProvider"]["AllowedValues"]) >= {"sns", "aliyun"}
    assert set(params["FaceProvider"]["AllowedValues"]) >= {"rekognition", "tencent"}
    env = TEMPLATE.global_environment()
    assert env["SMS_PROVIDER"] == {"Ref": "SmsProvider"} and env["FACE_PROVIDER"] == {"Ref": "FaceProvider"}


# ------------------------------------------------------------------ observability

def test_asynchronously_invoked_functions_have_a_dead_letter_queue():
    cfn = translated()
    asynchronous = {"MaterialCheckFunction", "BookingReminderFunction", "SigningTaskFunction"}
    configured = {}
    for res in _resources("AWS::Lambda::EventInvokeConfig").values():
        configured[res["Properties"]["FunctionName"]["Ref"]] = res["Properties"]
    for logical_id in asynchronous:
        config = configured.get(logical_id)
        assert config, f"{logical_id} has no EventInvokeConfig"
        target = config["DestinationConfig"]["OnFailure"]["Destination"]
        queue_id = target["Fn::GetAtt"][0]
        assert cfn["Resources"][queue_id]["Type"] == "AWS::SQS::Queue"


def test_alarms_cover_5xx_throttles_state_machine_failures_and_dead_letters():
    metrics = {(a["Properties"]["Namespace"], a["Properties"]["MetricName"])
               for a in _resources("AWS::CloudWatch::Alarm").values() if "MetricName" in a["Properties"]}
    assert ("AWS/ApiGateway", "5XXError") in metrics
    assert ("AWS/Lambda", "Throttles") in metrics
    assert ("AWS/States", "ExecutionsFailed") in metrics
    assert ("AWS/SQS", "ApproximateNumberOfMessagesVisible") in metrics


def test_every_dead_letter_queue_has_a_depth_alarm():
    queues = set(_resources("AWS::SQS::Queue"))
    alarmed = set()
    for alarm in _resources("AWS::CloudWatch::Alarm").values():
        for dimension in alarm["Properties"].get("Dimensions") or []:
            value = dimension["Value"]
            if isinstance(value, dict) and "Fn::GetAtt" in value:
                alarmed.add(value["Fn::GetAtt"][0])
    assert queues and queues <= alarmed


# ------------------------------------------------------------------ state machines

def _states(definition: dict):
    """Every state, including those nested in Map and Parallel states."""
    for name, state in definition.get("States", {}).items():
        yield name, state
        for nested in [state.get("ItemProcessor") or state.get("Iterator")] + list(state.get("Branches") or []):
            if nested:
                yield from _states(nested)


def _definition(path: Path) -> dict:
    return json.loads(path.read_text())


def _exception_classes() -> set[str]:
    names = set()
    for source in (ROOT / "functions/core/estate").rglob("*.py"):
        names |= set(re.findall(r"^class (\w+)\(", source.read_text(), flags=re.M))
    return names


@pytest.mark.parametrize("path", ASL_FILES, ids=lambda p: p.name)
def test_statelint_accepts_the_state_machine(path):
    statelint = Path(sys.executable).parent / "statelint"
    result = subprocess.run([str(statelint), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", ASL_FILES, ids=lambda p: p.name)
def test_moto_parses_the_state_machine(path):
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    # The parser wants ARNs, not ${...} placeholders; substitute plausible values.
    text = re.sub(r"\$\{Partition\}", "aws", path.read_text())
    text = re.sub(r"\$\{(\w+)\}", r"arn:aws:lambda:us-east-1:123456789012:function:\1", text)
    program, _ = AmazonStateLanguageParser.parse(text)
    assert program is not None


@pytest.mark.parametrize("path", ASL_FILES, ids=lambda p: p.name)
def test_every_callback_task_passes_its_task_token(path):
    for name, state in _states(_definition(path)):
        if state.get("Type") == "Task" and state.get("Resource", "").endswith(".waitForTaskToken"):
            assert "$$.Task.Token" in json.dumps(state.get("Parameters") or state.get("Arguments")), name


@pytest.mark.parametrize("path", ASL_FILES, ids=lambda p: p.name)
def test_every_task_has_a_timeout(path):
    for name, state in _states(_definition(path)):
        if state.get("Type") == "Task":
            assert "TimeoutSeconds" in state or "TimeoutSecondsPath" in state, name


@pytest.mark.parametrize("path", ASL_FILES, ids=lambda p: p.name)
def test_timeouts_are_caught_as_states_timeout(path):
    # moto and AWS both raise States.Timeout for an expired heartbeat (STACK.md §3).
    for name, state in _states(_definition(path)):
        for clause in (state.get("Catch") or []) + (state.get("Retry") or []):
            assert "States.HeartbeatTimeout" not in clause["ErrorEquals"], name


@pytest.mark.parametrize("path", ASL_FILES, ids=lambda p: p.name)
def test_every_custom_error_name_is_an_exception_our_code_raises(path):
    known = _exception_classes()
    for name, state in _states(_definition(path)):
        for clause in (state.get("Catch") or []) + (state.get("Retry") or []):
            for error in clause["ErrorEquals"]:
                if not error.startswith(("States.", "Lambda.")):
                    assert error in known, f"{name}: {error} is not an exception class in estate"
