"""estate.documents: the Chinese PDF builder (fonts, fallback for rare characters, QR footer) and codes."""

import shutil
import subprocess

import pytest

from estate.documents import fonts
from estate.documents.issue import CODE_ALPHABET, new_code, normalize_code, printed_code
from estate.documents.pdf import ChineseDocument, Verification, qr_modules

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
VERIFICATION = Verification("7KQ2-M9XD-ABCD-EFGH", "http://127.0.0.1:8000/verify/7KQ2M9XDABCDEFGH")


def sample(name: str = "张三", verification: Verification | None = VERIFICATION) -> ChineseDocument:
    doc = ChineseDocument("完税凭证", verification=verification, subtitle="（测试）")
    doc.key_values([("纳税人", name), ("金额（大写）", "人民币柒仟捌佰捌拾元整")])
    doc.table(["税种", "金额（元）"], [["契税", "7,800.00"], ["登记费", "80.00"]], [60, 40], align=["L", "R"])
    doc.paragraph("本凭证由系统自动生成。")
    return doc


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def fonts_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def test_the_build_provides_the_subset_and_the_full_fallback():
    files = fonts.font_files()
    assert files.primary_is_subset, "run `make fonts` (tools/subset_font.py)"
    assert files.fallback is not None and files.fallback.name == fonts.FULL_NAME
    covered = fonts.subset_codepoints()
    assert {ord(c) for c in "阳泉市不动产登记中心完税凭证人民币壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整（），：。、㎡¥"} <= covered
    assert ord("喆") not in covered  # outside GB 2312: the fallback's job


@needs_poppler
def test_chinese_text_and_the_verification_footer_are_extractable(tmp_path):
    pdf = sample().output()
    assert pdf.startswith(b"%PDF-")
    text = text_of(pdf, tmp_path)
    for expected in ("完税凭证", "纳税人", "张三", "人民币柒仟捌佰捌拾元整", "7,800.00", "验证码：7KQ2-M9XD-ABCD-EFGH",
                     VERIFICATION.url):
        assert expected in text


@needs_poppler
def test_the_font_is_embedded_as_a_subset(tmp_path):
    listing = fonts_of(sample().output(), tmp_path)
    row = next(line for line in listing.splitlines() if "WenQuanYi" in line)
    assert row.split()[-5:-2] == ["yes", "yes", "yes"]  # emb sub uni


@needs_poppler
def test_a_rare_character_in_a_name_loads_the_full_font_only_then(tmp_path):
    common, rare = sample("张三"), sample("王喆")
    common_pdf, rare_pdf = common.output(), rare.output()
    assert not common._fallback_loaded and rare._fallback_loaded
    assert "王喆" in text_of(rare_pdf, tmp_path)
    assert len(common_pdf) < 60_000


def test_a_document_without_verification_has_no_code():
    pdf = sample(verification=None).output()
    assert b"%PDF-" in pdf[:8]


def test_qr_modules_encode_the_url():
    import segno

    matrix = qr_modules(VERIFICATION.url)
    assert len(matrix) == len(matrix[0]) >= 21
    assert matrix == [[bool(c) for c in row] for row in segno.make(VERIFICATION.url, error="m", micro=False).matrix]


def test_codes_are_random_unambiguous_and_typed_back_leniently():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 16 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01ILOU") & set(CODE_ALPHABET)
    code = next(iter(codes))
    assert normalize_code(printed_code(code).lower()) == code
    assert normalize_code(" " + printed_code(code) + " ") == code
    assert normalize_code("0000-0000-0000-0000") is None and normalize_code("") is None
    assert normalize_code(code + "2") is None


def _render_with(add_font, text: str, family: str = "reuse") -> bytes:
    from datetime import datetime, timezone

    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime(2026, 1, 1, tzinfo=timezone.utc))
    add_font(pdf, family)
    pdf.add_page()
    pdf.set_font(family, size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


@pytest.mark.parametrize("which", ["primary", "fallback"])
def test_a_reused_parsed_font_writes_the_same_bytes_as_fpdf2s_add_font(which):
    from estate.documents.pdf import add_parsed_font

    path = getattr(fonts.font_files(), which)

    def fresh(pdf, family):  # fpdf2's own path, writing glyphs back as read like the reused font does
        pdf.add_font(family, fname=str(path))
        pdf.fonts[family].ttfont.recalcBBoxes = False

    reused = lambda pdf, family: add_parsed_font(pdf, family, path)  # noqa: E731
    first, second = "阳泉市城区南大街一号院，买卖双方经平等协商达成协议。", "另一份文件：完税凭证"
    assert _render_with(reused, first) == _render_with(fresh, first)
    # the next document starts from a clean subset: nothing of the first one leaks into it
    assert _render_with(reused, second) == _render_with(fresh, second)
    assert _render_with(reused, first) == _render_with(fresh, first)


@needs_poppler
def test_every_page_carries_the_same_qr_footer(tmp_path):
    doc = ChineseDocument("多页文件", verification=VERIFICATION)
    for index in range(60):
        doc.paragraph(f"第{index + 1}段：本段用于测试分页后每一页的验证页脚。")
    text = text_of(doc.output(), tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    assert all("验证码：7KQ2-M9XD-ABCD-EFGH" in page for page in pages)


@needs_poppler
def test_later_pages_keep_their_bottom_margin_so_rows_never_run_over_the_footer(tmp_path):
    doc = ChineseDocument("多页键值", verification=VERIFICATION)
    doc.key_values([(f"标签{i}" + ("（很长的标签需要折成两行显示）" if i % 7 == 0 else ""), f"值{i}") for i in range(60)])
    path = tmp_path / "doc.pdf"
    path.write_bytes(doc.output())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    seen = []
    for page in pages:
        body, _, footer = page.partition("验证码：")
        assert "标签" not in footer and "值" not in footer  # nothing drawn in the footer's band
        seen += [int(n) for n in re_findall(r"值(\d+)", body)]
    assert seen == list(range(60))  # every row once, in order


def re_findall(pattern: str, text: str) -> list[str]:
    import re

    return re.findall(pattern, text)


def test_a_key_value_row_is_as_tall_as_its_longest_cell_and_moves_whole_to_the_next_page():
    doc = ChineseDocument("键值行高", verification=VERIFICATION)
    start = doc.pdf.get_y()
    doc.key_values([("很长的标签需要折成好几行才能显示完整", "值")])
    assert doc.pdf.get_y() - start >= 21 + 2   # three 7 mm lines and the gap after the block
    doc.pdf.set_y(doc.pdf.page_break_trigger - 10)
    doc.key_values([("很长的标签需要折成好几行才能显示完整", "值")])
    assert doc.pdf.page == 2 and doc.pdf.get_y() <= doc.pdf.t_margin + 21 + 2


def _whole_document(doc_type: str, name: str = "") -> bytes:
    from datetime import datetime, timezone

    from estate.documents.application import BUILDERS
    from local.driver.documents import sample_application, sample_facts

    application = sample_application()
    if name:
        application.parties["buyers"][0]["name"] = name
    doc = ChineseDocument("文件", verification=VERIFICATION, created_at=datetime(2026, 12, 3, tzinfo=timezone.utc))
    BUILDERS[doc_type](application, doc, sample_facts())
    return doc.output()


def test_whole_documents_from_the_shared_decompiled_font_match_fpdf2s_stock_path_byte_for_byte():
    """The per-process decompiled tables are shared between documents: a glyph or table one document's
    subsetting changed would show up in the next one (composite glyphs are renumbered per subset)."""
    from local.driver.documents import stock_fpdf2_fonts

    ours = [_whole_document(d) for d in ("sale_contract", "inquiry_record", "sale_contract")]
    ours.append(_whole_document("application_form", name="王喆"))  # the fallback font too
    with stock_fpdf2_fonts(recalc_bboxes=False):
        stock = [_whole_document(d) for d in ("sale_contract", "inquiry_record", "sale_contract")]
        stock.append(_whole_document("application_form", name="王喆"))
    assert ours[0] == ours[2]
    assert ours == stock
