"""botocore clients, built on first use and cached per process (nothing touches AWS at import)."""

from __future__ import annotations

import functools

from estate.config import get_settings


@functools.cache
def client(service: str, endpoint_url: str | None = None):
    import boto3  # lazily: most routes only need PynamoDB's own client

    return boto3.session.Session().client(service, region_name=get_settings().region, endpoint_url=endpoint_url)
