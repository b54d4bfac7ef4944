"""Images from citizens: selfies and drawn signatures inside JSON bodies (base64, optionally a data:
URL), and material photos uploaded to S3. The one place that opens them.

Every image is judged from its header before any pixel is decoded: a 110 KB PNG can declare
30000x30000 pixels (a decompression bomb) and would take gigabytes to decode. Pillow's own guard
(MAX_IMAGE_PIXELS) only warns below twice its limit and raises an exception callers do not expect,
so the limit is ours (IMAGE_MAX_PIXELS), checked explicitly, and Pillow's guard is set to the same
limit with its warning turned into an error as a second line.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import io
import struct
import zlib
from dataclasses import dataclass
from typing import Iterator

from estate.config import get_settings
from estate.errors import FieldError, FieldErrors, ValidationError

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CONTENT_TYPES = {JPEG_MAGIC: "image/jpeg", PNG_MAGIC: "image/png"}
_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}

# What Pillow's decoders raise on truncated or corrupt data (there is no common base class).
_CORRUPTION = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, zlib.error)

# Reason -> (code, message): the same words wherever an image is refused.
REFUSALS = {
    "NOT_AN_IMAGE": ("NOT_AN_IMAGE", "只能上传JPG或PNG格式的图片"),
    "TOO_MANY_PIXELS": ("IMAGE_TOO_LARGE", "图片尺寸过大"),
    "CORRUPT": ("IMAGE_CORRUPT", "图片已损坏，无法打开"),
}


class ImageRejected(Exception):
    """Bytes that are not an image we open: reason is NOT_AN_IMAGE, TOO_MANY_PIXELS or CORRUPT."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return REFUSALS[self.reason][1]

    def as_validation_error(self, field: str = "image") -> ValidationError:
        """A 400 whose code names the problem, with the same code on the field."""
        code, message = REFUSALS[self.reason]
        return ValidationError(message, code=code, details=[FieldError(field, code, message)])


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    width: int
    height: int


def sniff_content_type(data: bytes) -> str | None:
    """image/jpeg or image/png from the magic bytes (a client's Content-Type is not evidence)."""
    return next((kind for magic, kind in CONTENT_TYPES.items() if data.startswith(magic)), None)


@functools.cache
def pillow():
    """Pillow's Image module with its bomb guard set to our limit; imported on first use, off the
    API's cold path. The warning filter is process-wide on purpose: no code here should decode a
    bomb, whichever module opens the image."""
    import warnings

    from PIL import Image

    Image.MAX_IMAGE_PIXELS = get_settings().image_max_pixels
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)
    return Image


@contextlib.contextmanager
def open_image(data: bytes, *, max_pixels: int | None = None) -> Iterator:
    """The image opened from its header only (nothing decoded yet), after its pixel count passed.

    Raises ImageRejected, also for decoding errors raised by the caller's block (load(), convert()),
    so a truncated file is CORRUPT wherever it is noticed."""
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ImageRejected("NOT_AN_IMAGE")
    Image = pillow()  # noqa: N806 - the module, under its usual name
    limit = max_pixels or get_settings().image_max_pixels
    try:
        with Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[content_type]]) as image:
            if image.width * image.height > limit:
                raise ImageRejected("TOO_MANY_PIXELS")
            yield image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("TOO_MANY_PIXELS") from None
    except _CORRUPTION:
        raise ImageRejected("CORRUPT") from None


def inspect_image(data: bytes, *, max_pixels: int | None = None) -> ImageInfo:
    """Type and size of a whole, sane image, without decoding it at full size: a JPEG is decoded at
    1/8 scale (every byte is still read, so truncation shows), a PNG has every chunk's checksum
    verified up to its end. Raises ImageRejected."""
    with open_image(data, max_pixels=max_pixels) as image:
        width, height = image.size
        if image.format == "JPEG":
            image.draft(None, (max(1, width // 8), max(1, height // 8)))
            image.load()
        else:
            image.verify()
    return ImageInfo(sniff_content_type(data) or "", width, height)


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
        raise AssertionError("unreachable") from None
