"""botocore clients, built on first use and cached per process (nothing touches AWS at import).

Every client, PynamoDB's included (estate.store.base), comes from one botocore session: a session
loads the service models and endpoint data once, and a fresh session per client re-reads them —
measured at 0.2–0.6 s per client on the first request that touched each table or service.
"""

from __future__ import annotations

import functools
import threading

from estate.config import get_settings

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
