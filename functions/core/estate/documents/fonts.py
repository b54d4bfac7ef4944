"""The PDF font: a build-time GB 2312 subset of WenQuanYi Micro Hei (tools/subset_font.py) and
the full font as fallback for characters outside it (生僻字 in names).

Search order: /opt/fonts (the FontsLayer in AWS), build/fonts-layer/fonts (a local build), then
Debian's fonts-wqy-microhei (full font only: correct, just slower to load).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

SUBSET_NAME = "estate-sans-gb2312.ttf"
FULL_NAME = "wqy-microhei.ttc"
_REPO_BUILD = Path(__file__).resolve().parents[4] / "build" / "fonts-layer" / "fonts"
SEARCH_DIRS = (Path("/opt/fonts"), _REPO_BUILD)
SYSTEM_FULL_FONT = Path("/usr/share/fonts/truetype/wqy") / FULL_NAME


class FontMissing(RuntimeError):
    """No Chinese font is installed: run `make` (tools/subset_font.py) or install fonts-wqy-microhei."""


@dataclass(frozen=True)
class FontFiles:
    primary: Path            # the subset when built, else the full font
    fallback: Path | None    # the full font, when the primary is the subset

    @property
    def primary_is_subset(self) -> bool:
        return self.primary.name == SUBSET_NAME


def _first(name: str) -> Path | None:
    return next((d / name for d in SEARCH_DIRS if (d / name).is_file()), None)


@functools.cache
def font_files() -> FontFiles:
    subset = _first(SUBSET_NAME)
    full = _first(FULL_NAME) or (SYSTEM_FULL_FONT if SYSTEM_FULL_FONT.is_file() else None)
    if subset is not None:
        return FontFiles(subset, full)
    if full is not None:
        from estate.observability import logger

        logger.warning("pdf font subset not built; using the full font", font=str(full))
        return FontFiles(full, None)
    raise FontMissing(FontMissing.__doc__)


@functools.cache
def subset_codepoints() -> frozenset[int]:
    """The characters the subset covers (read once per process; fontTools comes with fpdf2)."""
    files = font_files()
    if not files.primary_is_subset:
        return frozenset()
    from fontTools.ttLib import TTFont

    with TTFont(str(files.primary), lazy=True) as font:
        return frozenset(font.getBestCmap())
