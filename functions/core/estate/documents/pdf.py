"""ChineseDocument: a small A4 page builder on fpdf2 for the service's documents.

Import this module only inside the code that renders (fpdf2 costs ≈ 250 ms to import): API
handlers reach it through estate.documents.issue, which imports it lazily.

Every document gets the same frame: issuer line, title, body, and, when it is registered, a
footer with the verification code and a QR code of the public verify URL on every page.
"""

from __future__ import annotations

import contextlib
import copy
import functools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont

from estate.documents.fonts import font_files, subset_codepoints

FAMILY = "estate-sans"
FALLBACK_FAMILY = "estate-sans-full"
ISSUER = "阳泉市不动产登记中心 · 互联网+不动产登记"
MARGIN_MM = 18
QR_SIZE_MM = 24
WATERMARK_PT = 120   # 草稿 across the page, about 4 cm high
BODY_SIZE = 10.5
LINE_MM = 7                  # a line in a grid cell
HEADING_LINE = 8
KEEP_WITH_HEADING_MM = 22    # a heading needs this much of its section below it on the same page


@dataclass(frozen=True)
class Verification:
    code: str          # as printed, e.g. 7KQ2-M9XD-…
    url: str           # the public verify URL the QR code holds


def qr_modules(text: str) -> list[list[bool]]:
    import segno

    qr = segno.make(text, error="m", micro=False)
    return [[bool(cell) for cell in row] for row in qr.matrix]


def qr_path(matrix: list[list[bool]], x: float, y: float, size: float, page_h: float, k: float) -> str:
    """PDF path operators filling the dark modules of `matrix` in a square of `size` mm at (x, y) mm
    from the top left, with a quiet zone of two modules; one rectangle per horizontal run."""
    quiet = 2
    module = size / (len(matrix) + 2 * quiet)
    ops = ["q 0 g"]
    for r, row in enumerate(matrix):
        top = y + (r + quiet) * module
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            left = x + (start + quiet) * module
            ops.append(f"{left * k:.2f} {(page_h - top) * k:.2f} {(c - start) * module * k:.2f} {-module * k:.2f} re")
    ops.append("f Q")
    return "\n".join(ops)


class ChineseDocument:
    def __init__(self, title: str, *, verification: Verification | None = None, subtitle: str = "",
                 author: str = ISSUER, created_at: datetime | None = None, issuer: str = ISSUER,
                 watermark: str = ""):
        self.title = title
        self.watermark = watermark  # printed large and pale across every page, under the text (草稿)
        self.issuer = issuer  # the line above the title: who issues the document
        self.verification = verification
        files = font_files()
        pdf = _Pdf(self)
        pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        pdf.set_auto_page_break(True, margin=MARGIN_MM + (QR_SIZE_MM + 4 if verification else 8))
        add_parsed_font(pdf, FAMILY, files.primary)
        self._fallback_file = files.fallback
        self._fallback_loaded = False
        self._qr_path: str | None = None
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

    def _title_block(self, subtitle: str, title: str | None = None, issuer: str | None = None) -> None:
        pdf = self.pdf
        title, issuer = title or self.title, issuer or self.issuer
        self._font(9, issuer)
        pdf.set_text_color(90)
        pdf.cell(0, 5, issuer, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0)
        self._font(18, title)
        pdf.cell(0, 12, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self._font(9.5, subtitle)
            pdf.cell(0, 6, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    def titled_page(self, title: str, subtitle: str = "", issuer: str | None = None) -> "ChineseDocument":
        """A new page that opens its own part of the file under its own title (a second receipt)."""
        self.pdf.add_page()
        self._title_block(subtitle, title, issuer)
        return self

    def heading(self, text: str, keep_with_next: float = KEEP_WITH_HEADING_MM) -> "ChineseDocument":
        """A section heading; it starts a new page rather than stand alone at a page's foot: the room
        left must hold it and `keep_with_next` mm of what follows."""
        pdf = self.pdf
        if pdf.will_page_break(2 + HEADING_LINE + keep_with_next):
            pdf.add_page()
        else:
            pdf.ln(2)
        self._font(12, text)
        pdf.cell(0, HEADING_LINE, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return self

    def paragraph(self, text: str, size: float = BODY_SIZE) -> "ChineseDocument":
        # Left-aligned, never justified: justification stretches only the spaces, which in Chinese text
        # pulls a line with one or two spaces apart. Wrapped at any character, as Chinese is set: breaking
        # only at spaces left "1." alone on a line and cut lines short before a name with a space.
        self._font(size, text)
        self.pdf.multi_cell(0, size * 0.55, text, align="L", wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)
        self.pdf.ln(1)
        return self

    def key_values(self, pairs: list[tuple[str, str]], label_width: float = 32) -> "ChineseDocument":
        """Two-column label/value rows in a grid (the top block of a receipt or certificate)."""
        widths = [label_width, self.pdf.epw - label_width]
        for label, value in pairs:
            self._font(BODY_SIZE, label, value)
            self._row(widths, [label, value], ["L", "L"], fills=[242, None])
        self.pdf.ln(2)
        return self

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float],
              align: list[str] | None = None, total: list[str] | None = None) -> "ChineseDocument":
        """A bordered table; widths in mm (scaled to the page), align per column ("L", "C", "R"). Each row
        is as tall as its tallest cell, never split across pages; the header row repeats on a new page."""
        scale = self.pdf.epw / sum(widths)
        widths = [w * scale for w in widths]
        align = align or ["L"] * len(headers)
        self._font(BODY_SIZE, *headers, *(c for r in rows for c in r), *(total or []))
        header_fills = [235] * len(headers)
        self._row(widths, headers, ["C"] * len(headers), fills=header_fills)
        for row in [*rows, *([total] if total else [])]:
            if self._row(widths, row, align, fills=[None] * len(row)):
                self._row(widths, headers, ["C"] * len(headers), fills=header_fills)  # (it broke before the row)
        self.pdf.ln(2)
        return self

    def _row(self, widths: list[float], texts: list[str], align: list[str], fills: list[int | None]) -> bool:
        """One bordered row of `LINE_MM` lines, as tall as its tallest cell; on the next page if it does not
        fit (then the caller may repeat a header row above it: True, and the row is drawn after it)."""
        pdf = self.pdf
        texts = [str(t) for t in texts]
        with self._no_auto_break():
            heights = [self._text_height(w, t) for w, t in zip(widths, texts, strict=True)]
        height = max(heights)
        broke = pdf.will_page_break(height)
        if broke:  # a row is never split across pages (nor drawn over the footer)
            pdf.add_page()
            if fills and fills[0] is None:
                return True
        y, x = pdf.get_y(), pdf.l_margin
        with self._no_auto_break():
            for w, text, how, fill, own in zip(widths, texts, align, fills, heights, strict=True):
                if fill is not None:
                    pdf.set_fill_color(fill)
                pdf.rect(x, y, w, height, style="DF" if fill is not None else "D")
                pdf.set_xy(x, y)
                if own <= LINE_MM:
                    pdf.cell(w, LINE_MM, text, align=how)
                else:
                    pdf.multi_cell(w, LINE_MM, text, align=how, max_line_height=LINE_MM)
                x += w
        pdf.set_xy(pdf.l_margin, y + height)
        return False

    def _text_height(self, width: float, text: str) -> float:
        """Height of `text` in `LINE_MM` lines within a cell of `width`; one line without fpdf2's line
        breaker when it fits (measuring a whole string is a fraction of a dry-run multi_cell)."""
        pdf = self.pdf
        if not self._fallback_loaded and "\n" not in text and pdf.get_string_width(text) <= width - 2 * pdf.c_margin:
            return LINE_MM
        return pdf.multi_cell(width, LINE_MM, text, dry_run=True, output="HEIGHT", max_line_height=LINE_MM)

    @contextlib.contextmanager
    def _no_auto_break(self):
        """Automatic page breaks off (a measured row never breaks while drawn; near the bottom a dry-run
        multi_cell would otherwise really add the next page, footer included)."""
        pdf = self.pdf
        auto, margin = pdf.auto_page_break, pdf.b_margin
        pdf.set_auto_page_break(False)
        try:
            yield
        finally:
            pdf.set_auto_page_break(auto, margin=margin)

    def note(self, text: str) -> "ChineseDocument":
        self.pdf.set_text_color(80)
        self.paragraph(text, size=8.5)
        self.pdf.set_text_color(0)
        return self

    def e_seal(self, name: str, size: float = 32, label: str = "电子印章", caption: str = "") -> "ChineseDocument":
        """An organisation's e-seal as printed: a red ring with its name, a star and what seal it is; with a
        `caption` (税务机关（盖章）) the seal sits in a bordered seal area at the right, the caption beside it."""
        pdf = self.pdf
        if pdf.will_page_break(size + 4):  # never cut by the page's foot
            pdf.add_page()
        top = pdf.get_y()
        if caption:
            pdf.set_draw_color(0)
            pdf.rect(pdf.l_margin, top, pdf.epw, size + 4)
            self._font(BODY_SIZE, caption)
            pdf.set_xy(pdf.l_margin + 2, top + 2)
            pdf.cell(pdf.epw / 2, LINE_MM, caption)
            x = pdf.l_margin + pdf.epw - size - 8
        else:
            x = pdf.l_margin + 4
        y = top + 2 if caption else top
        pdf.set_draw_color(200, 16, 16)
        pdf.set_text_color(200, 16, 16)
        pdf.set_line_width(0.8)
        pdf.ellipse(x, y, size, size)
        seal_text = f"★ {label}"
        self._font(7, name, seal_text)
        pdf.set_xy(x + 3, y + size / 2 - 8)
        pdf.multi_cell(size - 6, 3.5, name, align="C")
        pdf.set_xy(x, y + size / 2 + 3)
        pdf.cell(size, 4, seal_text, align="C")
        pdf.set_draw_color(0)
        pdf.set_text_color(0)
        pdf.set_line_width(0.2)
        pdf.set_xy(pdf.l_margin, top + size + (6 if caption else 2))
        return self

    # --- output ----------------------------------------------------------------------------------
    def output(self) -> bytes:
        return bytes(self.pdf.output())

    def _watermark(self) -> None:
        pdf, text = self.pdf, self.watermark
        self._font(WATERMARK_PT, text)
        pdf.set_text_color(228)
        width = pdf.get_string_width(text)
        with pdf.rotation(35, pdf.w / 2, pdf.h / 2):
            pdf.text(pdf.w / 2 - width / 2, pdf.h / 2 + WATERMARK_PT * 0.35 / 2, text)
        pdf.set_text_color(0)

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
            pdf.multi_cell(text_width, 5, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _draw_qr(self, x: float, y: float, size: float) -> None:
        """Vector modules, one rectangle per dark run: sharp at any zoom, no image library. The footer
        repeats on every page at the same place, so the path is built once per document and written as
        one fill (fpdf2's rect() per run cost ≈ 15 ms a page)."""
        if self._qr_path is None:
            self._qr_path = qr_path(qr_modules(self.verification.url), x, y, size, self.pdf.h, self.pdf.k)
        self.pdf.raw_content(self._qr_path)


@functools.cache
def _parsed_font(path: Path) -> TTFFont:
    scratch = FPDF()
    scratch.add_font("parsed", fname=str(path), collection_font_number=0)
    return scratch.fonts["parsed"]


class _GlyphsCopiedOnRead(dict):
    """A document's view of the process's decompiled glyphs: every glyph read through it is a shallow copy,
    so what the subsetter changes in a kept glyph (component ids renumbered, padding trimmed; both assign
    a new `data`) stays in this document. Containment and the key list are the shared dict's."""

    def __getitem__(self, name: str):
        return copy.copy(dict.__getitem__(self, name))


@functools.cache
def _decompiled_font(path: Path, glyph_order: tuple[str, ...]) -> ttLib.TTFont:
    """The font's tables decompiled once per process (glyf, hmtx, cmap: ≈ 100 ms of every render when
    read from the file again); glyphs stay compact (never read through the glyf table, which expands)."""
    font = ttLib.TTFont(str(path), recalcTimestamp=False, recalcBBoxes=False, fontNumber=0, lazy=True)
    font.setGlyphOrder(list(glyph_order))
    for tag in font.keys():
        if tag != "GlyphOrder":
            font[tag]  # decompiles the table into font.tables
    # cmap subtables decompile lazily on first read: do it now, or each document's copy would decompile
    # its own (and a shared subtable would change under a concurrent reader).
    font["cmap"].ensureDecompiled()
    return font


def _fresh_ttfont(path: Path, glyph_order: list[str]) -> ttLib.TTFont:
    """A TTFont for one document: its own shallow copy of every decompiled table (the subsetter and the
    compiler reassign their attributes: glyphs, metrics, cmap subtables, names, loca…), sharing the data
    they hold. recalcBBoxes=False: the subset glyphs are written back as read, not decoded and
    re-encoded to recompute bounds that do not change; the PDF descriptor carries the bbox."""
    shared = _decompiled_font(path, tuple(glyph_order))
    font = ttLib.TTFont(recalcTimestamp=False, recalcBBoxes=False)
    font.sfntVersion = shared.sfntVersion
    font.setGlyphOrder(list(glyph_order))
    for tag, table in shared.tables.items():
        if tag == "GlyphOrder":
            continue
        own = copy.copy(table)
        if tag == "glyf":
            own.glyphs = _GlyphsCopiedOnRead(table.glyphs)
            own.glyphOrder = list(table.glyphOrder)
        elif tag == "cmap":
            own.tables = [copy.copy(subtable) for subtable in table.tables]
        font.tables[tag] = own
    return font


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
    font.ttfont = _fresh_ttfont(path, parsed.ttfont.getGlyphOrder())
    font.desc = copy.copy(parsed.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font


class _Pdf(FPDF):
    def __init__(self, document: ChineseDocument):
        super().__init__(orientation="P", unit="mm", format="A4")
        self._document = document

    def raw_content(self, operators: str) -> None:
        """Append ready-made content-stream operators to the current page (the QR code's path)."""
        self._out(operators)

    def header(self) -> None:  # fpdf2 calls this as each page starts: the watermark lies under the text
        if self._document.watermark:
            self._document._watermark()  # noqa: SLF001 - the document owns its frame

    def footer(self) -> None:  # fpdf2 calls this on every page
        # set_auto_page_break(False) zeroes the bottom margin: keep it, or every later page would run
        # its content down over the footer.
        auto_break, margin = self.auto_page_break, self.b_margin
        self.set_auto_page_break(False)
        self._document._footer()  # noqa: SLF001 - the document owns its frame
        self.set_auto_page_break(auto_break, margin)
