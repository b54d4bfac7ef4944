"""botocore clients, built on first use and cached per process (nothing touches AWS at import)."""

from __future__ import annotations

import functools

from estate.config import get_settings


@functools.cache
def client(service: str, endpoint_url: str | None = None):
    import boto3  # lazily: most routes only need PynamoDB's own client
    from botocore.config import Config

    # SigV4 everywhere: the China regions accept nothing else, and presigned URLs then carry an expiry.
    config = Config(signature_version="s3v4", s3={"addressing_style": "path"}) if service == "s3" else None
    return boto3.session.Session().client(service, region_name=get_settings().region, endpoint_url=endpoint_url,
                                          config=config)
