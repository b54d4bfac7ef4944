"""What every PynamoDB model shares: table names and region from the settings, read once."""

from __future__ import annotations

import functools

from pynamodb.connection import Connection
from pynamodb.models import Model

from estate.config import get_settings


def meta(table_name: str) -> type:
    settings = get_settings()

    class Meta:
        region = settings.region
        # host stays None: botocore honours AWS_ENDPOINT_URL(_DYNAMODB), so the local stack and
        # tests point every client, PynamoDB's included, at the embedded AWS the same way.
        max_retry_attempts = 3

    Meta.table_name = table_name
    return Meta


class BaseModel(Model):
    class Meta:  # replaced in every subclass
        table_name = "unset"


@functools.cache
def transaction_connection() -> Connection:
    """One low-level connection per process for TransactWrite (building a botocore client costs
    tens of milliseconds; botocore clients are safe to share between threads)."""
    return Connection(region=get_settings().region)
