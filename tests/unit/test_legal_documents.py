"""Issue 17 item 6: each document carries what an official one has, read back from the PDF's text
(tests/support/pdf.py), and the layout rules (no stranded heading, rows as tall as their tallest cell,
no stretched lines, no nested brackets in role labels)."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime, timezone

import pytest

from estate.documents.pdf import ChineseDocument, Verification
from estate.domain.documents import (date_in_chinese, role_in_brackets, role_label, share_percent, tax_bureau,
                                     tax_ticket_number)
from local.driver.documents import OUTLET, sample_application, sample_facts
from tests.support.pdf import pdf_text

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
VERIFICATION = Verification("7KQ2-M9XD-ABCD-EFGH", "http://127.0.0.1:8000/verify/7KQ2M9XDABCDEFGH")
NESTED = re.compile(r"（[^（）]*（")


def render(doc_type: str, *, accepted: bool = False) -> str:
    from estate.documents.application import _render

    pdf = _render(doc_type, sample_application(accepted=accepted), 1, {}, sample_facts())(VERIFICATION)
    return pdf_text(pdf)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_dates_are_written_in_chinese():
    assert date_in_chinese(date(2026, 12, 3)) == "二〇二六年十二月三日"
    assert date_in_chinese("2027-01-10") == "二〇二七年一月十日"
    assert date_in_chinese(date(2030, 10, 21)) == "二〇三〇年十月二十一日"
    assert date_in_chinese("2026-05-30T08:00:00+08:00") == "二〇二六年五月三十日"


def test_roles_inside_brackets_take_a_comma_not_a_second_pair():
    assert role_label("buyer") == "买方（登记权利人）"
    assert role_in_brackets("seller") == "（卖方，登记义务人）"


def test_shares_read_as_percentages_and_receipts_name_the_districts_bureau():
    assert [share_percent(s) for s in ("0.6", "0.5", "1", "0.3333")] == ["60%", "50%", "100%", "33.33%"]
    assert tax_bureau("140302") == "国家税务总局阳泉市城区税务局"
    assert tax_bureau("140321") == "国家税务总局平定县税务局"
    assert tax_bureau(None) == "国家税务总局阳泉市税务局"
    number = tax_ticket_number("140302", date(2026, 12, 3), "PO1")
    assert number == tax_ticket_number("140302", date(2026, 12, 3), "PO1") and len(number) == 20
    assert number != tax_ticket_number("140302", date(2026, 12, 3), "PO2")


@needs_poppler
def test_the_contract_has_the_model_chapters_its_filing_number_place_and_chinese_dates():
    text = flat(render("sale_contract"))
    chapters = ["第一章合同当事人", "第二章房屋基本状况", "第三章房屋价款", "第四章房屋转移登记与交付",
                "第五章房屋交易方式及合同网签备案", "第六章违约责任", "第七章争议解决", "第八章其他事项"]
    positions = [text.index(c) for c in chapters]
    assert positions == sorted(positions)
    assert "网签备案编号YQWQ20261203A1B2C3D4E5" in text
    assert "签订地点山西省阳泉市城区" in text and "签订日期二〇二六年十二月三日" in text
    # the schedule, delivery and filing dates in words, never as ISO dates
    assert "二〇二六年十二月四日" in text and "二〇二七年一月二日前将房屋交付" in text
    assert not re.search(r"20\d\d-\d\d-\d\d", text)
    assert "万分之五" in text and "人民币112,000.00元（人民币壹拾壹万贰仟元整）" in text  # 20% of 560 000
    assert "定金" in text and "第五百八十七条" in text


@needs_poppler
def test_the_application_form_names_the_outlet_and_fills_the_intake_block_once_accepted():
    before = flat(render("application_form"))
    assert f"办理网点{OUTLET['name']}" in before and "办理网点140302" not in before
    assert "收件编号（受理时由登记机构填写）" in before
    after = flat(render("application_form", accepted=True))
    assert "收件编号SJ14030220261207C3D4E5" in after and "收件人张收件" in after
    assert "收件时间2026年12月07日09:30（北京时间）" in after  # 01:30 UTC


@needs_poppler
def test_the_inquiry_record_names_who_asked_and_recorded_and_keeps_each_partys_own_answers():
    text = render("inquiry_record")
    compact = flat(text)
    assert f"询问人阳泉市不动产登记中心（{OUTLET['name']}）" in compact
    assert "记录人阳泉市不动产登记中心（网上询问系统记录）" in compact
    assert "询问时间2026年12月03日10:40（北京时间）" in compact
    application = sample_application()
    respondents = application.inquiry["respondents"]
    starts = [compact.index(f"被询问人：{r['name']}{role_in_brackets(r['role'])}") for r in respondents]
    assert starts == sorted(starts)
    # the second seller's own answer sits in her part, not in anyone else's
    own = compact.index("已婚，房屋为夫妻共同财产，本人同意出售")
    assert starts[1] < own < starts[2] and compact.count("本人同意出售") == 1
    assert all(f"以上为{r['name']}本人的回答。" in compact for r in respondents)
    assert not NESTED.search(compact)


@needs_poppler
def test_no_document_nests_brackets_in_a_role_label():
    for doc_type in ("application_form", "sale_contract", "inquiry_record"):
        assert not NESTED.search(flat(render(doc_type))), doc_type


@needs_poppler
def test_the_query_certificate_gives_shares_as_percentages():
    from estate.queries.personal import _render
    from estate.store.queries import PropertyQuery

    row = {"unit_number": "140302003005GB00012F00030051", "location": "阳泉市城区桃北中街1号院3号楼2单元501室",
           "building_area": "89.60", "purpose": "住宅", "right_type": "国有建设用地使用权/房屋所有权",
           "holding_mode": "shares", "holding_mode_label": "按份共有", "share": "0.6", "owners": ["王建国", "李秀英"],
           "certificate_number": "晋(2019)阳泉市不动产权第0012345号", "registered_on": "2019-05-20",
           "restrictions": [{"label": "抵押权登记", "holder": "中国建设银行阳泉分行", "document_number": ""}]}
    record = PropertyQuery("Q20261203ABCDE", id_number="140302198003150239", scope="city", outlet="140302",
                           purpose="办理贷款", created_at="2026-12-03T02:00:00+00:00",
                           result={"units": [row], "name": "王建国", "outlet_name": OUTLET["name"]})
    text = flat(pdf_text(_render(record)(VERIFICATION)))
    assert "按份共有，本人份额60%" in text and "0.6" not in text
    assert "查询时间2026-12-0310:00:00（北京时间）" in text
    assert "抵押权登记（中国建设银行阳泉分行）" in text


# --- layout ----------------------------------------------------------------------------------------

def test_a_heading_never_stands_alone_at_a_page_foot():
    doc = ChineseDocument("版式", verification=VERIFICATION)
    doc.pdf.set_y(doc.pdf.page_break_trigger - 20)  # room for the heading line, not for what follows
    doc.heading("第六章 违约责任")
    assert doc.pdf.page == 2 and doc.pdf.get_y() < doc.pdf.t_margin + 12


def test_a_table_row_is_as_tall_as_its_tallest_cell(monkeypatch):
    doc = ChineseDocument("版式", verification=VERIFICATION)
    boxes = []
    original = doc.pdf.rect
    monkeypatch.setattr(doc.pdf, "rect", lambda x, y, w, h, *a, **k: boxes.append((y, h)) or original(x, y, w, h, *a, **k))
    doc.table(["阶段", "说明"], [["尾款", "很长的说明文字需要在窄列里折成好几行才能完整显示出来，一共四行左右"]], [85, 15])
    header, row = boxes[:2], boxes[2:]
    assert [h for _, h in header] == [7, 7]
    assert len(row) == 2 and row[0] == row[1] and row[0][1] >= 3 * 7  # the short cell's box is the long one's height
    assert row[0][0] == header[0][0] + 7


@needs_poppler
def test_a_numbered_clause_keeps_its_number_on_the_line_of_its_text():
    doc = ChineseDocument("版式", verification=VERIFICATION, created_at=datetime(2026, 12, 3, tzinfo=timezone.utc))
    doc.paragraph("1. 逾期付款：买受人未按约定期限付款的，每逾期一日，按逾期应付款的万分之五向出卖人支付违约金，"
                  "逾期超过三十日的，出卖人有权解除合同。")
    lines = [line.strip() for line in pdf_text(doc.output()).splitlines() if line.strip()]
    clause = next(line for line in lines if line.startswith("1."))
    assert clause.startswith("1. 逾期付款"), lines


def test_paragraphs_are_left_aligned_not_justified(monkeypatch):
    doc = ChineseDocument("版式", verification=VERIFICATION)
    calls = []
    original = doc.pdf.multi_cell
    monkeypatch.setattr(doc.pdf, "multi_cell", lambda *a, **k: calls.append(k) or original(*a, **k))
    doc.paragraph("买卖双方 经平等协商 达成如下协议。" * 6)
    doc.note("本文件由系统生成。")
    assert calls and all(k.get("align") == "L" for k in calls)
