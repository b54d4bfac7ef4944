"""Every table and the transaction connection use the process's one DynamoDB client."""

import importlib
import pkgutil

import estate.store
from estate.adapters.aws import botocore_session, client
from estate.store.base import BaseModel, transaction_connection


def _models() -> list[type]:
    for module in pkgutil.iter_modules(estate.store.__path__):
        importlib.import_module(f"estate.store.{module.name}")
    found, pending = [], list(BaseModel.__subclasses__())
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if getattr(model.Meta, "table_name", "unset") != "unset":
            found.append(model)
    return found


def test_every_model_and_transactions_share_one_dynamodb_client(stack):
    models = _models()
    assert len(models) >= 10
    shared = client("dynamodb")
    assert {id(m._get_connection().connection.client) for m in models} == {id(shared)}
    assert transaction_connection().client is shared


def test_clients_come_from_one_botocore_session(stack):
    assert client("s3")._endpoint is not None
    assert client("dynamodb").meta.region_name == client("s3").meta.region_name
    assert botocore_session() is botocore_session()
    # PynamoDB builds valid requests itself: its client skips botocore's parameter validation
    assert type(client("dynamodb")._serializer).__name__ == "JSONSerializer"
    assert client("dynamodb").meta.config.retries == {"total_max_attempts": 4, "mode": "standard"}
    assert client("s3").meta.config.signature_version == "s3v4"
