"""Uploads straight from the phone to S3 with a presigned POST, and the server-side check after.

The POST policy limits size and type, but S3-compatible emulators do not enforce it, and a
client can lie about Content-Type: the check after upload (size, magic bytes, an image whole and
of sane dimensions, judged from its header before decoding: estate.images) is the real guard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from botocore.exceptions import ClientError

from estate.adapters.aws import client
from estate.config import get_settings
from estate.images import CONTENT_TYPES, REFUSALS, ImageRejected, inspect_image, sniff_content_type

IMAGE_TYPES = tuple(CONTENT_TYPES.values())
MIN_SIDE, MAX_SIDE = 200, 12000


@dataclass(frozen=True)
class CheckResult:
    accepted: bool
    reason: str | None
    size: int | None = None
    content_type: str | None = None
    width: int | None = None
    height: int | None = None


REJECTION_MESSAGES = {
    "MISSING": "未收到上传的图片，请重新上传",
    "TOO_LARGE": "单张图片不能大于10M",
    "EMPTY": "图片内容为空",
    **{reason: message for reason, (_, message) in REFUSALS.items()},  # NOT_AN_IMAGE, CORRUPT, TOO_MANY_PIXELS
    "DIMENSIONS": f"图片尺寸不合适（边长应在{MIN_SIDE}到{MAX_SIDE}像素之间），请拍清晰后重新上传",
}


def presigned_image_post(bucket: str, key: str, max_bytes: int, expires_s: int) -> dict:
    settings = get_settings()
    s3 = client("s3", settings.s3_public_endpoint or None)
    return s3.generate_presigned_post(
        Bucket=bucket, Key=key,
        Conditions=[["content-length-range", 1, max_bytes], ["starts-with", "$Content-Type", "image/"]],
        ExpiresIn=expires_s,
    )


def check_uploaded_image(bucket: str, key: str, max_bytes: int) -> CheckResult:
    s3 = client("s3")
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except ClientError:
        return CheckResult(False, "MISSING")
    size = int(head["ContentLength"])
    if size == 0:
        return CheckResult(False, "EMPTY", size)
    if size > max_bytes:
        return CheckResult(False, "TOO_LARGE", size)
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except ClientError:  # a concurrent check rejected and removed it between the two reads
        return CheckResult(False, "MISSING")
    try:
        info = inspect_image(body)
    except ImageRejected as rejected:
        return CheckResult(False, rejected.reason, size, sniff_content_type(body))
    detected, width, height = info.content_type, info.width, info.height
    if not (MIN_SIDE <= min(width, height) and max(width, height) <= MAX_SIDE):
        return CheckResult(False, "DIMENSIONS", size, detected, width, height)
    return CheckResult(True, None, size, detected, width, height)


def delete_object(bucket: str, key: str) -> None:
    client("s3").delete_object(Bucket=bucket, Key=key)


def content_disposition(filename: str, disposition: str = "inline") -> str:
    """A Content-Disposition header value any client can read (RFC 6266 with RFC 5987 encoding).

    Header values travel as ISO-8859-1, so a Chinese name goes in `filename*` percent-encoded as
    UTF-8, after an ASCII `filename` for old clients: its ASCII characters, else `document`."""
    stem, dot, extension = filename.rpartition(".") if "." in filename else (filename, "", "")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "", stem).strip("._-") or "document"
    ascii_extension = re.sub(r"[^A-Za-z0-9]+", "", extension)
    fallback = ascii_stem + (dot + ascii_extension if ascii_extension else "")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def presigned_get(bucket: str, key: str, expires_s: int, filename: str | None = None) -> str:
    """A short-lived download URL; `filename` (plain text, any language) is what the browser saves it as."""
    settings = get_settings()
    params = {"Bucket": bucket, "Key": key}
    if filename:
        params["ResponseContentDisposition"] = content_disposition(filename)
    return client("s3", settings.s3_public_endpoint or None).generate_presigned_url(
        "get_object", Params=params, ExpiresIn=expires_s)


def read_object(bucket: str, key: str) -> bytes:
    return client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()


def write_object(bucket: str, key: str, body: bytes, content_type: str, metadata: dict | None = None) -> None:
    client("s3").put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type,
                            **({"Metadata": metadata} if metadata else {}))
