"""Download names: readable by every client, whatever the language (RFC 6266 with RFC 5987)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from estate.adapters.uploads import content_disposition


def test_a_chinese_name_is_percent_encoded_after_an_ascii_fallback():
    value = content_disposition("存量房买卖合同.pdf")
    assert value == "inline; filename=\"document.pdf\"; filename*=UTF-8''" \
                    "%E5%AD%98%E9%87%8F%E6%88%BF%E4%B9%B0%E5%8D%96%E5%90%88%E5%90%8C.pdf"
    value.encode("latin-1")  # what http.server and S3 can put in a header


def test_the_fallback_keeps_the_ascii_part_and_the_encoded_name_round_trips():
    value = content_disposition("完税凭证-TX20250101.pdf", "attachment")
    assert value.startswith('attachment; filename="TX20250101.pdf"; ')
    assert unquote(value.split("filename*=UTF-8''")[1]) == "完税凭证-TX20250101.pdf"


@pytest.mark.parametrize("name", ['a"b\\c.pdf', "x\r\nSet-Cookie: a=b.pdf", "报告", ";.pdf"])
def test_quotes_line_breaks_and_separators_never_leak_into_the_header(name):
    value = content_disposition(name)
    fallback = value.split('filename="')[1].split('"')[0]
    assert fallback and all(c.isalnum() or c in "._-" for c in fallback)
    assert "\r" not in value and "\n" not in value and value.count('"') == 2
    assert unquote(value.split("filename*=UTF-8''")[1]) == name
