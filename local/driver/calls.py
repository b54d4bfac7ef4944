"""Record the AWS API calls the code makes (every botocore client): for behaviour moto cannot show
(tests) and for request counts (bench)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def recorded_calls(service_prefix: str):
    from botocore.client import BaseClient

    calls: list[tuple[str, dict]] = []
    original = BaseClient._make_api_call

    def recording(self, operation_name, api_params):
        if self.meta.service_model.endpoint_prefix == service_prefix:
            calls.append((operation_name, dict(api_params)))
        return original(self, operation_name, api_params)

    BaseClient._make_api_call = recording
    try:
        yield calls
    finally:
        BaseClient._make_api_call = original


@contextmanager
def counting_requests(service_prefix: str) -> Iterator[dict]:
    """How many requests of one service the block made and which, as {"n": count, "operations": [names]}
    (filled when the block ends)."""
    counts: dict = {"n": 0, "operations": []}
    with recorded_calls(service_prefix) as calls:
        try:
            yield counts
        finally:
            counts["n"] = len(calls)
            counts["operations"] = [operation for operation, _ in calls]
