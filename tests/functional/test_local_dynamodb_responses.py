"""The local stack writes DynamoDB's data answers with json.dumps instead of moto's shape serializer
(local/aws.py encode_dynamodb_data_responses_directly): what boto3 reads must be the same, for every
attribute type and every data operation the service uses."""

from __future__ import annotations

import uuid

import boto3
import pytest

from local.aws import REGION

ITEM = {
    "pk": {"S": "P#1"}, "sk": {"S": "S#1"}, "text": {"S": "阳泉市城区"}, "number": {"N": "12.50"},
    "blob": {"B": b"\x00\x01binary\xff"}, "strings": {"SS": ["a", "b"]}, "numbers": {"NS": ["1", "2.5"]},
    "blobs": {"BS": [b"x", b"\xfe"]}, "flag": {"BOOL": True}, "nothing": {"NULL": True},
    "list": {"L": [{"S": "one"}, {"N": "2"}, {"B": b"\x03"}, {"M": {"deep": {"BOOL": False}}}]},
    "map": {"M": {"inner": {"S": "值"}, "bytes": {"B": b"\x04"}, "empty": {"M": {}}}},
}


def _conversation(client, table: str) -> list:
    """Every data operation once, with the item above; writes change the table, so each side gets its own."""
    key = {"pk": {"S": "P#1"}, "sk": {"S": "S#1"}}
    other = {**ITEM, "sk": {"S": "S#2"}}
    answers = [
        client.put_item(TableName=table, Item=ITEM),
        client.put_item(TableName=table, Item=ITEM, ReturnValues="ALL_OLD", ReturnConsumedCapacity="TOTAL"),
        client.get_item(TableName=table, Key=key),
        client.get_item(TableName=table, Key={"pk": {"S": "none"}, "sk": {"S": "none"}}),
        client.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": other}}]}),
        client.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "P#1"}}),
        client.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "P#1"}},
                     Limit=1),
        client.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "P#1"}},
                     Select="COUNT"),
        client.scan(TableName=table, ReturnConsumedCapacity="INDEXES"),
        client.batch_get_item(RequestItems={table: {"Keys": [key, {"pk": {"S": "P#1"}, "sk": {"S": "S#2"}}]}}),
        client.update_item(TableName=table, Key=key, UpdateExpression="SET #n = :n ADD numbers :ns",
                           ExpressionAttributeNames={"#n": "number"},
                           ExpressionAttributeValues={":n": {"N": "7"}, ":ns": {"NS": ["9"]}}, ReturnValues="ALL_NEW"),
        client.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": key}}]),
        client.transact_write_items(TransactItems=[{"Update": {"TableName": table, "Key": key,
                                                                "UpdateExpression": "SET flag = :f",
                                                                "ExpressionAttributeValues": {":f": {"BOOL": False}}}}]),
        client.delete_item(TableName=table, Key=key, ReturnValues="ALL_OLD"),
    ]
    for answer in answers:
        answer.pop("ResponseMetadata", None)
    return answers


def _table(client, name: str | None = None) -> str:
    name = name or f"probe-{uuid.uuid4().hex[:8]}"
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                              {"AttributeName": "sk", "AttributeType": "S"}])
    return name


def test_direct_json_answers_read_the_same_as_the_shape_serializer(stack, monkeypatch):
    from moto.dynamodb.responses import DynamoResult

    assert getattr(DynamoResult.execute_result, "encodes_directly", False), "the local stack installs the fast path"
    client = boto3.client("dynamodb", region_name=REGION)
    table = _table(client)
    direct = _conversation(client, table)
    client.delete_table(TableName=table)  # the same name again: capacity answers name the table
    monkeypatch.setattr(DynamoResult, "execute_result", DynamoResult.execute_result.by_shape)
    by_shape = _conversation(client, _table(client, table))
    assert direct == by_shape
    assert direct[2]["Item"]["blob"]["B"] == b"\x00\x01binary\xff"  # binary survives the round trip


@pytest.mark.parametrize("operation", ["describe_table", "list_tables"])
def test_control_plane_answers_still_use_the_shape_serializer(stack, operation):
    client = boto3.client("dynamodb", region_name=REGION)
    answer = client.describe_table(TableName=_table(client)) if operation == "describe_table" else client.list_tables()
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
