"""Hostile images, built in code: decompression bombs, truncated and corrupt files."""

from __future__ import annotations

import functools
import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of all-black pixels, compressed row by row with zlib: the pixels
    are never allocated, so a 30000x30000 bomb (900 MP) takes a second and ~110 KB."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte "none", then the packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # bit depth 1, greyscale
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


@functools.cache
def bomb_png() -> bytes:
    return png_declaring(30000, 30000)
