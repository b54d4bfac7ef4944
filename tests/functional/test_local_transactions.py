"""The local stack's DynamoDB transactions stay all-or-nothing with the cheaper rollback backup
(local.aws.back_up_only_touched_items): a cancelled transaction leaves every row as it was."""

import uuid

import pytest
from botocore.exceptions import ClientError

from estate.adapters.aws import client


@pytest.fixture(scope="module")
def tables(stack):
    dynamodb = client("dynamodb")
    names = {"pair": f"txn-pair-{uuid.uuid4().hex[:8]}", "single": f"txn-single-{uuid.uuid4().hex[:8]}"}
    dynamodb.create_table(TableName=names["pair"], BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                     {"AttributeName": "sk", "KeyType": "RANGE"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                {"AttributeName": "sk", "AttributeType": "S"}])
    dynamodb.create_table(TableName=names["single"], BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    for sk in ("a", "b", "c"):
        dynamodb.put_item(TableName=names["pair"], Item={
            "pk": {"S": "case"}, "sk": {"S": sk}, "n": {"N": "1"},
            "nested": {"M": {"list": {"L": [{"S": "x"}]}, "count": {"N": "1"}}}})
    dynamodb.put_item(TableName=names["single"], Item={"pk": {"S": "counter"}, "n": {"N": "7"}})
    yield names
    for name in names.values():
        dynamodb.delete_table(TableName=name)


def _row(table, **key):
    return client("dynamodb").get_item(TableName=table, Key={k: {"S": v} for k, v in key.items()}).get("Item")


def _update(table, key, expression, values, condition=None):
    update = {"TableName": table, "Key": {k: {"S": v} for k, v in key.items()}, "UpdateExpression": expression,
              "ExpressionAttributeValues": values}
    if condition:
        update["ConditionExpression"] = condition
    return {"Update": update}


def test_a_cancelled_transaction_restores_updated_nested_and_new_rows(tables):
    before = {sk: _row(tables["pair"], pk="case", sk=sk) for sk in ("a", "b", "c")}
    counter = _row(tables["single"], pk="counter")
    items = [
        _update(tables["pair"], {"pk": "case", "sk": "a"},
                "SET nested.#c = nested.#c + :one, nested.#l = list_append(nested.#l, :more), n = :two",
                {":one": {"N": "1"}, ":more": {"L": [{"S": "y"}]}, ":two": {"N": "2"}}),
        {"Put": {"TableName": tables["pair"], "Item": {"pk": {"S": "case"}, "sk": {"S": "new"}}}},
        {"Delete": {"TableName": tables["pair"], "Key": {"pk": {"S": "case"}, "sk": {"S": "c"}}}},
        _update(tables["single"], {"pk": "counter"}, "SET n = n + :one", {":one": {"N": "1"}}),
        _update(tables["pair"], {"pk": "case", "sk": "b"}, "SET n = :two", {":two": {"N": "2"}},
                condition="n = :two"),  # fails: n is 1
    ]
    items[0]["Update"]["ExpressionAttributeNames"] = {"#c": "count", "#l": "list"}
    with pytest.raises(ClientError) as error:
        client("dynamodb").transact_write_items(TransactItems=items)
    assert error.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert {sk: _row(tables["pair"], pk="case", sk=sk) for sk in ("a", "b", "c")} == before
    assert _row(tables["pair"], pk="case", sk="new") is None
    assert _row(tables["single"], pk="counter") == counter


def test_a_transaction_that_passes_applies_every_write(tables):
    counter = _update(tables["single"], {"pk": "counter"}, "SET n = n + :one",
                      {":one": {"N": "1"}, ":seven": {"N": "7"}}, condition="n = :seven")
    client("dynamodb").transact_write_items(TransactItems=[
        _update(tables["pair"], {"pk": "case", "sk": "a"}, "SET n = :five", {":five": {"N": "5"}}), counter])
    assert _row(tables["pair"], pk="case", sk="a")["n"] == {"N": "5"}
    assert _row(tables["single"], pk="counter")["n"] == {"N": "8"}
