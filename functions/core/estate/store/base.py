"""What every PynamoDB model shares: table names and region from the settings, read once; and the one
place that opens a DynamoDB transaction (`write_together`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Iterable

from pynamodb.connection import Connection, TableConnection
from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from estate.adapters.aws import client
from estate.config import get_settings


def meta(table_name: str) -> Any:  # a class PynamoDB reads by attribute; typed as such nowhere
    settings = get_settings()
    name = table_name

    class Meta:
        table_name = name
        region = settings.region
        # host stays None: botocore honours AWS_ENDPOINT_URL(_DYNAMODB), so the local stack and
        # tests point every client, PynamoDB's included, at the embedded AWS the same way.
        max_retry_attempts = 3

    return Meta


class BaseModel(Model):
    class Meta:  # replaced in every subclass
        table_name = "unset"

    @classmethod
    def _get_connection(cls) -> TableConnection:
        # PynamoDB builds a botocore session and client per model class (per table) on first use;
        # every table shares the process's one DynamoDB client instead (estate.adapters.aws).
        table_connection = super()._get_connection()
        _use_shared_client(table_connection.connection)
        return table_connection


def _use_shared_client(connection: Connection) -> Connection:
    # `_client` is PynamoDB's lazily built client (pinned version; tests/functional/test_store_base.py).
    if connection._client is None:  # noqa: SLF001
        connection._client = client("dynamodb")  # noqa: SLF001
    return connection


@functools.cache
def transaction_connection() -> Connection:
    """The low-level connection TransactWrite needs, on the shared client (botocore clients are
    safe to share between threads)."""
    return _use_shared_client(Connection(region=get_settings().region))


# --- writes that succeed or fail together ----------------------------------------------------------
# Use cases describe what must change together; only store/ opens the transaction (one TransactWrite
# per call). A failed condition raises TransactionConflict (pynamodb's TransactWriteError).

TransactionConflict = TransactWriteError


@dataclass(frozen=True)
class Put:
    item: Model
    condition: Any = None


@dataclass(frozen=True)
class Update:
    item: Model
    actions: list[Any]
    condition: Any = None


@dataclass(frozen=True)
class Delete:
    item: Model
    condition: Any = None


Write = Put | Update | Delete


def write_together(writes: Iterable[Write]) -> None:
    """One DynamoDB transaction: every write, each on its condition, or none (TransactionConflict)."""
    with TransactWrite(connection=transaction_connection()) as tx:
        for write in writes:
            if isinstance(write, Put):
                tx.save(write.item, condition=write.condition)
            elif isinstance(write, Update):
                tx.update(write.item, actions=write.actions, condition=write.condition)
            else:
                tx.delete(write.item, condition=write.condition)
