"""botocore clients, built on first use and cached per process (nothing touches AWS at import).

Every client, PynamoDB's included (estate.store.base), comes from one botocore session: a session
loads the service models and endpoint data once, and a fresh session per client re-reads them —
measured at 0.2–0.6 s per client on the first request that touched each table or service.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from estate.config import get_settings
from estate.errors import TransientError

# botocore sessions are not thread-safe while they build clients (pynamodb#153, botocore docs).
_building = threading.Lock()


@functools.cache
def botocore_session():
    import botocore.session

    return botocore.session.get_session()


def _config(service: str):
    from botocore.config import Config

    if service == "s3":
        # SigV4 everywhere: the China regions accept nothing else, and presigned URLs then carry an expiry.
        return Config(signature_version="s3v4", s3={"addressing_style": "path"})
    if service == "dynamodb":
        # PynamoDB's own client settings: no client-side validation (PynamoDB builds the requests),
        # standard retries with 3 retries as every model's Meta says, PynamoDB's timeouts.
        return Config(parameter_validation=False, retries={"total_max_attempts": 4, "mode": "standard"},
                      connect_timeout=15, read_timeout=30, max_pool_connections=10)
    return None


@functools.cache
def client(service: str, endpoint_url: str | None = None):
    with _building:
        return botocore_session().create_client(service, region_name=get_settings().region,
                                                endpoint_url=endpoint_url, config=_config(service))


# AWS error codes that mean "busy or briefly down: the same call later may well succeed" (DynamoDB,
# S3, SNS, Step Functions, Lambda). botocore has already retried these within the call.
TRANSIENT_CODES = frozenset({
    "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException",
    "ProvisionedThroughputExceededException", "RequestLimitExceeded", "RequestThrottled",
    "RequestThrottledException", "SlowDown", "ServiceUnavailable", "ServiceUnavailableException",
    "InternalServerError", "InternalFailure",
})
# A cancelled DynamoDB transaction is transient when an item was throttled or in another transaction.
_TRANSIENT_CANCELLATIONS = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded", "TransactionConflict"})


def is_transient(error: BaseException) -> bool:
    """True when `error`, or the botocore error PynamoDB wrapped in it (`cause`), is throttling, a
    timeout or a brief outage: a retry helps. A refusal (condition failed, not found, access denied,
    bad request) is not. An error our own code re-raised as its own kind (`raise SmsError(...) from
    error`) is not looked through: that code decided what the failure means (an invitation SMS that
    failed is "could not be invited"; retrying the task would find the party already marked invited)."""
    from botocore.exceptions import ClientError, ConnectionClosedError, ConnectTimeoutError, ReadTimeoutError

    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (ConnectTimeoutError, ReadTimeoutError, ConnectionClosedError, TimeoutError)):
            return True
        if isinstance(current, ClientError):
            code = current.response.get("Error", {}).get("Code", "")
            if code in TRANSIENT_CODES:
                return True
            reasons = current.response.get("CancellationReasons") or []
            if code == "TransactionCanceledException" and any(
                    reason.get("Code") in _TRANSIENT_CANCELLATIONS for reason in reasons):
                return True
        current = getattr(current, "cause", None)
    return False


@contextmanager
def reraise_transient() -> Iterator[None]:
    """Turn a transient AWS failure into TransientError (the name the state machine retries on);
    every other error passes through unchanged."""
    try:
        yield
    except TransientError:
        raise
    except Exception as error:  # classified below; anything not transient is re-raised as it was
        if is_transient(error):
            raise TransientError(type(error).__name__) from error
        raise
