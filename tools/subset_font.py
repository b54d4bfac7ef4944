"""Build the PDF fonts: a GB 2312 subset of WenQuanYi Micro Hei, plus the full font as fallback.

    python tools/subset_font.py [--source PATH] [--out DIR]

Output (default build/fonts-layer/fonts/, a Lambda layer's content: it lands in /opt/fonts/):
  estate-sans-gb2312.ttf   GB 2312 (6 763 hanzi + symbols) + ASCII + CJK/full-width punctuation,
                           about 1.2 MB; fpdf2 parses it in a fraction of the full TTC's time
  wqy-microhei.ttc         the full font (≈ 21 000 hanzi), used only for characters outside the
                           subset (rare characters in names, 生僻字)

The font comes from Debian's fonts-wqy-microhei (tools/system-packages.txt). Deterministic: the
same source gives the same bytes, so `make` rebuilds only when this script or the source changes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DEFAULT_OUT = ROOT / "build" / "fonts-layer" / "fonts"
SUBSET_NAME = "estate-sans-gb2312.ttf"
FULL_NAME = "wqy-microhei.ttc"

# Beyond GB 2312: punctuation and symbols that receipts, contracts and certificates print.
EXTRA_RANGES = [
    (0x0020, 0x007E),   # ASCII
    (0x00A0, 0x00FF),   # Latin-1: ¥ × · ° ±
    (0x2010, 0x206F),   # general punctuation: – — ‘ ’ “ ” … ‰
    (0x2100, 0x215F),   # letterlike and number forms: № ℃ Ⅰ–Ⅻ
    (0x2460, 0x24FF),   # ① ② …
    (0x2500, 0x257F),   # box drawing
    (0x25A0, 0x25FF),   # □ ■ ○ ●
    (0x2610, 0x2613),   # ☐ ☑ ☒ (check boxes on forms)
    (0x3000, 0x303F),   # CJK symbols and punctuation: 、。〈〉《》「」【】〔〕
    (0x3200, 0x33FF),   # enclosed CJK, ㎡
    (0xFE30, 0xFE4F),   # CJK compatibility forms
    (0xFF00, 0xFFEF),   # full-width forms: （），：；！？％
]


def gb2312_characters() -> set[int]:
    found = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def wanted_codepoints() -> set[int]:
    wanted = gb2312_characters()
    for start, end in EXTRA_RANGES:
        wanted.update(range(start, end + 1))
    return wanted


def build(source: Path, out: Path) -> tuple[Path, Path]:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    out.mkdir(parents=True, exist_ok=True)
    collection = TTCollection(str(source))
    font = collection.fonts[0]  # face 0: WenQuanYi Micro Hei (face 1 is the monospaced variant)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False   # PDF viewers do not use TrueType hinting; it is a third of the size
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted_codepoints()))
    subsetter.subset(font)
    subset_path = out / SUBSET_NAME
    font.save(str(subset_path))
    full_path = out / FULL_NAME
    shutil.copyfile(source, full_path)
    return subset_path, full_path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(f"font source {args.source} is missing: install fonts-wqy-microhei (tools/system-packages.txt)",
              file=sys.stderr)
        return 1
    subset_path, full_path = build(args.source, args.out)
    print(f"{subset_path.relative_to(ROOT) if subset_path.is_relative_to(ROOT) else subset_path} "
          f"{subset_path.stat().st_size // 1024} KB; fallback {full_path.name} {full_path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
