"""Embedded AWS: moto in-process, with Step Functions really executing ASL and Lambda
invocations dispatched to our Python handlers (no Docker).

Resources come from template.yaml: a resource's local physical name is its logical id, and
`!Ref`/`!GetAtt`/`!Sub` in the template resolve to those names and to moto-style ARNs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from local.template import ROOT, Template

REGION = "us-east-1"
ACCOUNT = "123456789012"
PARTITION = "aws"

MOTO_CONFIG = {
    "stepfunctions": {"execute_state_machine": True},
    "lambda": {"use_docker": False},
    "core": {"mock_credentials": True, "passthrough": {"urls": [], "services": []}},
}

LOCAL_PARAMETER_VALUES = {"Stage": "local", "JwtIssuer": "https://login.local.estate", "JwtAudience": "estate-api"}


def base_environment() -> dict[str, str]:
    return {
        "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
        "POWERTOOLS_TRACE_DISABLED": "1", "POWERTOOLS_METRICS_NAMESPACE": "estate-local",
        "AWS_LAMBDA_FUNCTION_NAME": "estate-local",
    }


class Resolver:
    """Resolves the intrinsic functions template.yaml uses in environment variables and ASL substitutions."""

    def __init__(self, template: Template, parameters: dict | None = None):
        self.template = template
        self.parameters = {**template.parameter_defaults(), **LOCAL_PARAMETER_VALUES, **(parameters or {})}

    def physical_name(self, logical_id: str) -> str:
        return logical_id

    def arn(self, logical_id: str) -> str:
        res_type = self.template.resources[logical_id]["Type"]
        name = self.physical_name(logical_id)
        if res_type == "AWS::DynamoDB::Table":
            return f"arn:{PARTITION}:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
        if res_type == "AWS::S3::Bucket":
            return f"arn:{PARTITION}:s3:::{self.ref(logical_id)}"
        if res_type == "AWS::Serverless::Function":
            return f"arn:{PARTITION}:lambda:{REGION}:{ACCOUNT}:function:{name}"
        if res_type == "AWS::Serverless::StateMachine":
            return f"arn:{PARTITION}:states:{REGION}:{ACCOUNT}:stateMachine:{name}"
        if res_type == "AWS::SNS::Topic":
            return f"arn:{PARTITION}:sns:{REGION}:{ACCOUNT}:{name}"
        if res_type == "AWS::SQS::Queue":
            return f"arn:{PARTITION}:sqs:{REGION}:{ACCOUNT}:{name}"
        return f"arn:{PARTITION}:local:{REGION}:{ACCOUNT}:{name}"

    def ref(self, name: str) -> str:
        pseudo = {"AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::Partition": PARTITION,
                  "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": "estate-local"}
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return str(self.parameters[name])
        resource = self.template.resources[name]
        res_type = resource["Type"]
        if res_type == "AWS::S3::Bucket":
            explicit = (resource.get("Properties") or {}).get("BucketName")
            return str(self.resolve(explicit)) if explicit else self.physical_name(name).lower()
        if res_type in ("AWS::Serverless::StateMachine", "AWS::SNS::Topic"):
            return self.arn(name)
        if res_type == "AWS::KMS::Key":
            return kms_alias(name)  # moto names keys at random; provision() gives each this alias
        return self.physical_name(name)

    def resolve(self, value):
        if isinstance(value, dict) and len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref":
                return self.ref(str(arg))
            if key == "Fn::GetAtt":
                logical_id, attribute = (arg if isinstance(arg, list) else str(arg).split(".", 1))
                if attribute in ("Arn", "StreamArn"):
                    return self.arn(str(logical_id))
                if attribute == "Name":
                    return self.physical_name(str(logical_id))
                raise ValueError(f"unsupported GetAtt {logical_id}.{attribute}")
            if key == "Fn::Sub":
                return self._sub(arg)
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        return value

    def _sub(self, arg) -> str:
        text, variables = (arg[0], arg[1]) if isinstance(arg, list) else (arg, {})
        out, i = [], 0
        text = str(text)
        while i < len(text):
            start = text.find("${", i)
            if start < 0:
                out.append(text[i:])
                break
            end = text.index("}", start)
            out.append(text[i:start])
            name = text[start + 2:end]
            if name in variables:
                out.append(str(self.resolve(variables[name])))
            elif "." in name:
                out.append(str(self.resolve({"Fn::GetAtt": name.split(".", 1)})))
            else:
                out.append(self.ref(name))
            i = end + 1
        return "".join(out)

    def function_environment(self) -> dict[str, str]:
        """One process has one environment: Globals plus every function's own variables.

        Functions must agree on a variable's value; a conflict is a template bug caught here.
        """
        env = {k: str(self.resolve(v)) for k, v in self.template.global_environment().items()}
        for spec in self.template.functions():
            for key, value in self.template.function_environment(spec.logical_id).items():
                resolved = str(self.resolve(value))
                if key in env and env[key] != resolved:
                    raise ValueError(f"{spec.logical_id} sets {key}={resolved!r}, another function {env[key]!r}")
                env[key] = resolved
        return env


def kms_alias(logical_id: str) -> str:
    return f"alias/{logical_id}"


def provision(template: Template, resolver: Resolver) -> None:
    """Create the template's tables, buckets, topics and state machines in moto."""
    import boto3

    dynamodb = boto3.client("dynamodb", region_name=REGION)
    for logical_id, res in template.of_type("AWS::DynamoDB::Table").items():
        props = res["Properties"]
        kwargs = {
            "TableName": resolver.physical_name(logical_id),
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            kwargs["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        if props.get("StreamSpecification"):
            kwargs["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        dynamodb.create_table(**kwargs)
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            dynamodb.update_time_to_live(TableName=kwargs["TableName"], TimeToLiveSpecification=ttl)

    s3 = boto3.client("s3", region_name=REGION)
    for logical_id in template.of_type("AWS::S3::Bucket"):
        s3.create_bucket(Bucket=resolver.ref(logical_id))

    sns = boto3.client("sns", region_name=REGION)
    for logical_id in template.of_type("AWS::SNS::Topic"):
        sns.create_topic(Name=resolver.physical_name(logical_id))

    sqs = boto3.client("sqs", region_name=REGION)
    for logical_id in template.of_type("AWS::SQS::Queue"):
        sqs.create_queue(QueueName=resolver.physical_name(logical_id))

    kms = boto3.client("kms", region_name=REGION)
    for logical_id, res in template.of_type("AWS::KMS::Key").items():
        props = res.get("Properties") or {}
        key = kms.create_key(KeySpec=props.get("KeySpec", "SYMMETRIC_DEFAULT"),
                             KeyUsage=props.get("KeyUsage", "ENCRYPT_DECRYPT"))["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName=kms_alias(logical_id), TargetKeyId=key)

    _provision_functions(template, resolver)
    _provision_state_machines(template, resolver)


def _provision_functions(template: Template, resolver: Resolver) -> None:
    """Register every function with moto's Lambda so Step Functions and boto3 can invoke it;
    the code itself runs in-process (see local.functions)."""
    import io
    import zipfile

    import boto3

    iam = boto3.client("iam", region_name=REGION)
    role = iam.create_role(RoleName="estate-local-functions", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("placeholder.txt", "code runs in-process")
    lambda_client = boto3.client("lambda", region_name=REGION)
    for spec in template.functions():
        lambda_client.create_function(FunctionName=resolver.physical_name(spec.logical_id), Runtime="python3.11",
                                      Role=role, Handler=spec.handler, Code={"ZipFile": buffer.getvalue()})


def state_machine_definition(template: Template, resolver: Resolver, logical_id: str) -> str:
    props = template.resources[logical_id]["Properties"]
    definition = (ROOT / props["DefinitionUri"]).read_text(encoding="utf-8")
    for name, value in (props.get("DefinitionSubstitutions") or {}).items():
        definition = definition.replace("${" + name + "}", str(resolver.resolve(value)))
    return definition


def _provision_state_machines(template: Template, resolver: Resolver) -> None:
    """Created through the API (moto's CloudFormation ones are invisible to its ASL interpreter)."""
    import boto3

    machines = template.of_type("AWS::Serverless::StateMachine")
    if not machines:
        return
    sfn = boto3.client("stepfunctions", region_name=REGION)
    for logical_id, res in machines.items():
        sfn.create_state_machine(name=resolver.physical_name(logical_id),
                                 definition=state_machine_definition(template, resolver, logical_id),
                                 roleArn=f"arn:{PARTITION}:iam::{ACCOUNT}:role/estate-local-functions",
                                 type=res["Properties"].get("Type", "STANDARD"))


def make_face_comparison_consistent() -> None:
    """moto's CompareFaces always answers one match *and* one unmatched face, i.e. two people in
    the selfie, which our adapter rightly refuses. Locally a selfie shows one person who matches;
    mismatch, no face, several faces and throttling are tested against the real response format
    with botocore's Stubber (tests/unit/test_faces.py)."""
    from moto.rekognition.models import RekognitionBackend

    original = RekognitionBackend.compare_faces

    def compare_faces(self, *args, **kwargs):
        matches, source_rotation, target_rotation, _unmatched, source_face = original(self, *args, **kwargs)
        return matches[:1], source_rotation, target_rotation, [], source_face

    RekognitionBackend.compare_faces = compare_faces


def serialize_dynamodb() -> None:
    """DynamoDB applies each request atomically; moto's in-memory tables do not (a transaction
    deep-copies a table another thread is writing). One lock around moto's DynamoDB handler gives
    the local stack DynamoDB's per-request atomicity, so conditional writes and transactions
    behave under concurrent HTTP requests as they do in AWS. The application code is unchanged."""
    import threading

    from moto.dynamodb.responses import DynamoHandler

    if getattr(DynamoHandler.call_action, "serialized", False):
        return
    lock = threading.RLock()
    original = DynamoHandler.call_action

    def call_action(self, *args, **kwargs):
        with lock:
            return original(self, *args, **kwargs)

    call_action.serialized = True
    DynamoHandler.call_action = call_action


# DynamoDB's data operations: their answers are AttributeValue maps, counts and capacity only.
DYNAMODB_DATA_OPERATIONS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "PutItem", "UpdateItem",
                                      "DeleteItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems"})


def encode_dynamodb_data_responses_directly() -> None:
    """moto walks botocore's output shape for every attribute of every item it answers (≈ 40 ms for
    a query of one application's partition, most of a status poll), where DynamoDB's JSON is the result
    dict itself. For the data operations the body is written with json.dumps, binary values base64 as
    on the wire — what moto did before its shape serializer — and the status and headers still come
    from moto's serializer. tests/functional/test_local_dynamodb_responses.py compares both bodies for
    every attribute type and operation."""
    import base64

    from moto.core.responses import ActionResult
    from moto.dynamodb.responses import DynamoResult

    if getattr(DynamoResult.execute_result, "encodes_directly", False):
        return
    by_shape = DynamoResult.execute_result

    def wire(value):
        if isinstance(value, (bytes, bytearray)):
            return base64.b64encode(value).decode("ascii")
        if isinstance(value, (set, frozenset, tuple)):
            return list(value)
        raise TypeError(f"not a DynamoDB wire value: {type(value).__name__}")

    def execute_result(self, context):
        if context.operation_model.name not in DYNAMODB_DATA_OPERATIONS:
            return by_shape(self, context)
        status, headers, _ = ActionResult({}).execute_result(context)
        return status, headers, json.dumps(_without_none(self.result), default=wire, separators=(",", ":"))

    execute_result.encodes_directly = True
    execute_result.by_shape = by_shape  # the reference the equivalence test answers with
    DynamoResult.execute_result = execute_result


def _without_none(value):
    """The shape serializer leaves out members whose value is None (DynamoDB never sends null)."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def back_up_only_touched_items() -> None:
    """moto backs a transaction up by deep-copying every table it writes, once per item of the
    transaction, so each transaction costs O(rows in the table) and the local stack slows down as
    it fills (an approval took 0.4 s after a test run). A rollback only needs the rows the
    transaction writes: the backup copies the table's row index and deep-copies those rows alone.
    Requests are serialised (serialize_dynamodb), so nothing else writes the table meanwhile."""
    import copy as copy_module
    import threading
    from collections import defaultdict

    from moto.dynamodb import models
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table

    original = models.DynamoDBBackend.transact_write_items
    if getattr(original, "backs_up_touched_items", False):
        return
    pending = threading.local()

    def touched_keys(backend, transact_items) -> dict[str, set]:
        keys: dict[str, set] = {}
        for entry in transact_items:
            op_type, op = next(iter(entry.items()))
            table = backend.tables.get(op.get("TableName"))
            if table is None:
                continue
            key = op["Item"] if op_type == "Put" else op.get("Key", {})
            if table.hash_key_attr not in key or (table.has_range_key and table.range_key_attr not in key):
                continue  # moto itself answers the malformed request
            range_value = DynamoType(key[table.range_key_attr]) if table.has_range_key else None
            keys.setdefault(table.name, set()).add((DynamoType(key[table.hash_key_attr]), range_value))
        return keys

    def backup(table: Table) -> Table:
        clone = copy_module.copy(table)
        clone.items = defaultdict(dict)
        for hash_value, rows in table.items.items():
            clone.items[hash_value] = dict(rows) if table.has_range_key else rows
        for hash_value, range_value in pending.keys.get(table.name, ()):
            if table.has_range_key:
                row = table.items.get(hash_value, {}).get(range_value)
                if row is not None:
                    clone.items[hash_value][range_value] = copy_module.deepcopy(row)
            elif (row := table.items.get(hash_value)) is not None:
                clone.items[hash_value] = copy_module.deepcopy(row)
        return clone

    class CopyForTransactions:
        copy = staticmethod(copy_module.copy)

        @staticmethod
        def deepcopy(value, memo=None):
            if isinstance(value, Table) and getattr(pending, "keys", None) is not None:
                return backup(value)
            return copy_module.deepcopy(value, memo)

    def transact_write_items(self, transact_items):
        pending.keys = touched_keys(self, transact_items)
        try:
            return original(self, transact_items)
        finally:
            pending.keys = None

    transact_write_items.backs_up_touched_items = True
    models.copy = CopyForTransactions
    models.DynamoDBBackend.transact_write_items = transact_write_items


def state_files() -> list[Path]:
    return sorted((ROOT / "statemachine").glob("*.asl.json"))


def set_environment(env: dict[str, str]) -> None:
    os.environ.update(env)
