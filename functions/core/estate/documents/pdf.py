"""ChineseDocument: a small A4 page builder on fpdf2 for the service's documents.

Import this module only inside the code that renders (fpdf2 costs ≈ 250 ms to import): API
handlers reach it through estate.documents.issue, which imports it lazily.

Every document gets the same frame: issuer line, title, body, and, when it is registered, a
footer with the verification code and a QR code of the public verify URL on every page.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont

from estate.documents.fonts import font_files, subset_codepoints

FAMILY = "estate-sans"
FALLBACK_FAMILY = "estate-sans-full"
ISSUER = "阳泉市不动产登记中心 · 互联网+不动产登记"
MARGIN_MM = 18
QR_SIZE_MM = 24
BODY_SIZE = 10.5


@dataclass(frozen=True)
class Verification:
    code: str          # as printed, e.g. 7KQ2-M9XD-…
    url: str           # the public verify URL the QR code holds


def qr_modules(text: str) -> list[list[bool]]:
    import segno

    qr = segno.make(text, error="m", micro=False)
    return [[bool(cell) for cell in row] for row in qr.matrix]


class ChineseDocument:
    def __init__(self, title: str, *, verification: Verification | None = None, subtitle: str = "",
                 author: str = ISSUER, created_at: datetime | None = None):
        self.title = title
        self.verification = verification
        files = font_files()
        pdf = _Pdf(self)
        pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        pdf.set_auto_page_break(True, margin=MARGIN_MM + (QR_SIZE_MM + 4 if verification else 8))
        add_parsed_font(pdf, FAMILY, files.primary)
        self._fallback_file = files.fallback
        self._fallback_loaded = False
        self._qr_fragment: str | None = None  # the footer's QR code, as PDF operators (_draw_qr)
        pdf.set_title(title)
        pdf.set_author(author)
        pdf.set_creator("estate")
        if created_at is not None:
            pdf.set_creation_date(created_at)
        self.pdf = pdf
        pdf.add_page()
        self._title_block(subtitle)

    # --- text ------------------------------------------------------------------------------------
    def _font(self, size: float, *text: str) -> None:
        self._ensure_glyphs(*text)
        self.pdf.set_font(FAMILY, size=size)

    def _ensure_glyphs(self, *texts: str) -> None:
        """Load the full font only when a character is outside the subset (≈ 150 ms, rare)."""
        if self._fallback_loaded or self._fallback_file is None:
            return
        covered = subset_codepoints()
        if all(ord(ch) in covered or ch in "\n\r\t" for text in texts for ch in text):
            return
        add_parsed_font(self.pdf, FALLBACK_FAMILY, self._fallback_file)
        self.pdf.set_fallback_fonts([FALLBACK_FAMILY])
        self._fallback_loaded = True

    def _title_block(self, subtitle: str) -> None:
        pdf = self.pdf
        self._font(9, ISSUER)
        pdf.set_text_color(90)
        pdf.cell(0, 5, ISSUER, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0)
        self._font(18, self.title)
        pdf.cell(0, 12, self.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self._font(9.5, subtitle)
            pdf.cell(0, 6, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    def heading(self, text: str) -> "ChineseDocument":
        self.pdf.ln(2)
        self._font(12, text)
        self.pdf.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return self

    def paragraph(self, text: str, size: float = BODY_SIZE) -> "ChineseDocument":
        self._font(size, text)
        self.pdf.multi_cell(0, size * 0.55, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(1)
        return self

    def key_values(self, pairs: list[tuple[str, str]], label_width: float = 32) -> "ChineseDocument":
        """Two-column label/value rows in a grid (the top block of a receipt or certificate)."""
        pdf = self.pdf
        width = pdf.epw - label_width
        for label, value in pairs:
            self._font(BODY_SIZE, label, value)
            height = self._row_height([(label_width, label), (width, value)])
            if pdf.will_page_break(height):  # a row is never split across pages (nor drawn over the footer)
                pdf.add_page()
            y = pdf.get_y()
            pdf.set_fill_color(242)
            pdf.multi_cell(label_width, 7, label, border=1, fill=True, new_x=XPos.RIGHT, new_y=YPos.TOP,
                           max_line_height=7)
            pdf.multi_cell(width, 7, value, border=1, new_x=XPos.LMARGIN, new_y=YPos.NEXT, max_line_height=7)
            pdf.set_y(max(pdf.get_y(), y + height))
        pdf.ln(2)
        return self

    def _row_height(self, cells: list[tuple[float, str]]) -> float:
        """The height of a row of 7 mm lines. Measured with automatic page breaks off: near the bottom
        a dry-run multi_cell would otherwise really add the next page (footer included). A row whose
        every cell clearly fits on one line is one line tall: measured by its string widths, without
        laying it out twice (most rows; the layout is most of a render)."""
        if all(self._fits_one_line(width, text) for width, text in cells):
            return 7
        pdf = self.pdf
        margin = pdf.b_margin
        pdf.set_auto_page_break(False)
        try:
            return max(pdf.multi_cell(w, 7, text, dry_run=True, output="HEIGHT", max_line_height=7)
                       for w, text in cells)
        finally:
            pdf.set_auto_page_break(True, margin=margin)

    ONE_LINE_SLACK_MM = 0.5  # closer to the cell's edge than this, the real line breaker decides

    def _fits_one_line(self, width: float, text: str) -> bool:
        if not text or "\n" in text or self._fallback_loaded:  # the line breaker decides these
            return False
        pdf = self.pdf
        return pdf.get_string_width(text) < width - 2 * pdf.c_margin - self.ONE_LINE_SLACK_MM

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float],
              align: list[str] | None = None, total: list[str] | None = None) -> "ChineseDocument":
        """A bordered table; widths in mm (scaled to the page), align per column ("L", "C", "R")."""
        scale = self.pdf.epw / sum(widths)
        widths = [w * scale for w in widths]
        align = align or ["L"] * len(headers)
        self._font(BODY_SIZE, *headers, *(c for r in rows for c in r), *(total or []))
        with self.pdf.table(col_widths=widths, text_align=align, line_height=7, first_row_as_headings=True,
                            headings_style=_headings_style()) as table:
            for row in [headers, *rows, *([total] if total else [])]:
                table.row(row)
        self.pdf.ln(2)
        return self

    def note(self, text: str) -> "ChineseDocument":
        self.pdf.set_text_color(80)
        self.paragraph(text, size=8.5)
        self.pdf.set_text_color(0)
        return self

    def e_seal(self, name: str, size: float = 32) -> "ChineseDocument":
        """An organisation's e-seal as printed: a red ring with its name and a star."""
        pdf = self.pdf
        x, y = pdf.l_margin + 4, pdf.get_y()
        pdf.set_draw_color(200, 16, 16)
        pdf.set_text_color(200, 16, 16)
        pdf.set_line_width(0.8)
        pdf.ellipse(x, y, size, size)
        self._font(7, name, "★ 电子印章")
        pdf.set_xy(x + 3, y + size / 2 - 8)
        pdf.multi_cell(size - 6, 3.5, name, align="C")
        pdf.set_xy(x, y + size / 2 + 3)
        pdf.cell(size, 4, "★ 电子印章", align="C")
        pdf.set_draw_color(0)
        pdf.set_text_color(0)
        pdf.set_line_width(0.2)
        pdf.set_xy(pdf.l_margin, y + size + 2)
        return self

    # --- output ----------------------------------------------------------------------------------
    def output(self) -> bytes:
        return bytes(self.pdf.output())

    def _footer(self) -> None:
        pdf = self.pdf
        bottom = pdf.h - MARGIN_MM
        if self.verification is None:
            self._font(8)
            pdf.set_xy(MARGIN_MM, bottom - 4)
            pdf.cell(0, 4, f"第 {pdf.page_no()} 页", align="C")
            return
        top = bottom - QR_SIZE_MM
        pdf.set_draw_color(180)
        pdf.line(MARGIN_MM, top - 2, pdf.w - MARGIN_MM, top - 2)
        pdf.set_draw_color(0)
        self._draw_qr(pdf.w - MARGIN_MM - QR_SIZE_MM, top, QR_SIZE_MM)
        text_width = pdf.epw - QR_SIZE_MM - 4
        lines = [f"验证码：{self.verification.code}",
                 "扫描右侧二维码或访问以下地址，核验本文件的真实性与有效性：",
                 self.verification.url,
                 f"第 {pdf.page_no()} 页"]
        pdf.set_xy(MARGIN_MM, top + 1)
        for index, line in enumerate(lines):
            self._font(10 if index == 0 else 8, line)
            pdf.set_x(MARGIN_MM)
            pdf.multi_cell(text_width, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _draw_qr(self, x: float, y: float, size: float) -> None:
        """Vector modules, one rectangle per dark run: sharp at any zoom, no image library. The footer
        repeats on every page, so the rectangles are encoded and formatted once per document and the
        same content-stream fragment is written on each page (what FPDF.rect would write, rectangle
        by rectangle, at a fraction of the cost)."""
        if self._qr_fragment is None:
            self._qr_fragment = self._qr_rectangles(x, y, size)
        self.pdf.set_fill_color(0)
        self.pdf._out(self._qr_fragment)  # noqa: SLF001 - raw operators, as FPDF.rect writes them

    def _qr_rectangles(self, x: float, y: float, size: float) -> str:
        assert self.verification is not None
        matrix = qr_modules(self.verification.url)
        quiet = 2
        module = size / (len(matrix) + 2 * quiet)
        k, page_height = self.pdf.k, self.pdf.h
        operators = []
        for r, row in enumerate(matrix):
            c = 0
            while c < len(row):
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                left, top, width = x + (start + quiet) * module, y + (r + quiet) * module, (c - start) * module
                operators.append(f"{left * k:.2f} {(page_height - top) * k:.2f} {width * k:.2f} {-module * k:.2f} re f")
        return "\n".join(operators)


@functools.cache
def _parsed_font(path: Path) -> TTFFont:
    scratch = FPDF()
    scratch.add_font("parsed", fname=str(path), collection_font_number=0)
    return scratch.fonts["parsed"]


def add_parsed_font(pdf: FPDF, family: str, path: Path) -> None:
    """`FPDF.add_font` re-reads the font's cmap and metrics (≈ 60 ms for the GB 2312 subset) for every
    document, because output subsets the font's TTFont in place. The metrics never change, so a warm
    process parses them once and gives each document its own copy with a fresh, lazily read TTFont
    (what the subsetter mutates), subset map and descriptor (what output mutates). Tied to fpdf2's
    TTFFont fields (pinned version); tests compare the bytes with a plain add_font."""
    parsed = _parsed_font(path)
    font = copy.copy(parsed)
    font.i = len(pdf.fonts) + 1
    font.fontkey = family.lower()
    # recalcBBoxes=False: the subset glyphs are written back as read, not decoded and re-encoded to
    # recompute bounds that do not change (≈ 40 % of a render); the PDF descriptor carries the bbox.
    font.ttfont = ttLib.TTFont(str(path), recalcTimestamp=False, recalcBBoxes=False, fontNumber=0, lazy=True)
    # Without glyph names in `post` fontTools derives the glyph order from cmap (≈ 30 ms); reuse it.
    font.ttfont.setGlyphOrder(list(parsed.ttfont.getGlyphOrder()))
    _decompiled_tables(path).install(font.ttfont)
    font.desc = copy.copy(parsed.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font


class _GlyphsOnDemand(dict):
    """A `glyf` table's glyphs for one document: every glyph's bytes as read once per process, made a
    fresh fontTools Glyph only when the subsetter takes it (it trims and renumbers the glyphs it keeps
    in place, so documents never share a Glyph)."""

    def __getitem__(self, name: str):
        glyph = dict.__getitem__(self, name)
        if isinstance(glyph, bytes):
            from fontTools.ttLib.tables._g_l_y_f import Glyph

            glyph = Glyph(glyph)
            dict.__setitem__(self, name, glyph)
        return glyph

    def values(self):  # every value a Glyph, as in the dict glyf.decompile builds
        return [self[name] for name in self]  # type: ignore[return-value]

    def items(self):
        return [(name, self[name]) for name in self]  # type: ignore[return-value]


@dataclass(frozen=True)
class _FontTables:
    """The tables the subsetter reads in full (glyf, hmtx/vmtx, cmap), decompiled once per process. Output
    subsets each document's TTFont in place; giving it these (fresh containers over shared, unmutated
    contents) spares it decompiling ≈ 7,000 glyphs, their metrics and the cmap again (≈ 30 % of a
    render). The subsetter replaces these containers (dicts, lists) rather than editing them, and
    glyphs are made per document (_GlyphsOnDemand); tests compare the bytes with fpdf2's own path."""
    glyph_order: tuple[str, ...]
    glyph_bytes: dict[str, bytes]
    metrics: dict[str, dict]  # hmtx, and vmtx when the font has one
    cmap_version: int
    cmap_subtables: tuple

    def install(self, ttfont: ttLib.TTFont) -> None:
        glyf = ttLib.newTable("glyf")
        glyf.glyphOrder = list(self.glyph_order)
        glyf._reverseGlyphOrder = {}  # noqa: SLF001 - what glyf.decompile starts with
        glyf.glyphs = _GlyphsOnDemand(self.glyph_bytes)
        metrics = []
        for tag, rows in self.metrics.items():
            metrics.append(ttLib.newTable(tag))
            metrics[-1].metrics = dict(rows)
        cmap = ttLib.newTable("cmap")
        cmap.tableVersion = self.cmap_version
        cmap.tables = [copy.copy(subtable) for subtable in self.cmap_subtables]
        for table in (glyf, cmap, *metrics):
            ttfont[table.tableTag] = table


@functools.cache
def _decompiled_tables(path: Path) -> _FontTables:
    source = ttLib.TTFont(str(path), recalcTimestamp=False, recalcBBoxes=False, fontNumber=0, lazy=True)
    source.setGlyphOrder(list(_parsed_font(path).ttfont.getGlyphOrder()))
    glyf = source["glyf"]
    glyph_bytes = {name: (glyph.data if hasattr(glyph, "data") else glyph.compile(glyf, False))
                   for name, glyph in glyf.glyphs.items()}
    cmap = source["cmap"]
    for subtable in cmap.tables:
        subtable.ensureDecompiled()
    metrics = {tag: dict(source[tag].metrics) for tag in ("hmtx", "vmtx") if tag in source}
    return _FontTables(tuple(glyf.glyphOrder), glyph_bytes, metrics, cmap.tableVersion, tuple(cmap.tables))


def _headings_style():
    from fpdf.fonts import FontFace

    return FontFace(fill_color=(235, 235, 235))


class _Pdf(FPDF):
    def __init__(self, document: ChineseDocument):
        super().__init__(orientation="P", unit="mm", format="A4")
        self._document = document

    def footer(self) -> None:  # fpdf2 calls this on every page
        # set_auto_page_break(False) zeroes the bottom margin: keep it, or every later page would run
        # its content down over the footer.
        auto_break, margin = self.auto_page_break, self.b_margin
        self.set_auto_page_break(False)
        self._document._footer()  # noqa: SLF001 - the document owns its frame
        self.set_auto_page_break(auto_break, margin)
