"""Images sent inside JSON bodies (selfies, drawn signatures): base64, optionally as a data: URL."""

from __future__ import annotations

import base64
import binascii

from estate.errors import FieldErrors

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def decode_image_field(body: dict, *, missing: str, malformed: str, field: str = "image") -> bytes:
    """The decoded bytes, or a 400 naming the field (`missing` / `malformed` are the Chinese messages)."""
    errors = FieldErrors()
    raw = body.get(field)
    if not isinstance(raw, str) or not raw:
        errors.add(field, "REQUIRED", missing)
        errors.raise_if_any()
    if raw.startswith("data:"):
        raw = raw.split(",", 1)[-1]
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        errors.add(field, "NOT_BASE64", malformed)
        errors.raise_if_any()
        raise AssertionError("unreachable")
