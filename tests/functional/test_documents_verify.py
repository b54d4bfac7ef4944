"""Issued documents: stored privately in S3, registered, and checkable by anyone at GET /verify/{code}."""

import hashlib
from urllib.parse import urlsplit

import pytest


def render_sample(verification):
    from estate.documents.pdf import ChineseDocument

    doc = ChineseDocument("不动产登记信息查询结果", verification=verification)
    doc.paragraph("测试文件：用于核验接口。")
    return doc.output()


@pytest.fixture(scope="module")
def issued(stack):
    from estate.documents.issue import issue

    return issue("query_certificate", "不动产登记信息查询结果", render_sample, subject="TEST-VERIFY", key_prefix="test")


def download(api, url: str) -> tuple[int, bytes, dict]:
    parts = urlsplit(url)
    response = api.as_token(None).request("GET", f"{parts.path}?{parts.query}", headers={"Content-Type": ""})
    return response.status, response.body, response.headers


def test_verify_answers_type_hash_time_and_validity_without_login(api, issued):
    response = api.as_token(None).get(f"/verify/{issued.code}")
    assert response.status == 200, response.text
    body = response.json()
    assert body["valid"] is True and body["status"] == "valid"
    assert body["document_type"] == "query_certificate" and body["document_type_label"] == "不动产登记信息查询结果"
    assert body["sha256"] == issued.sha256 and body["issued_at"] == issued.issued_at
    assert body["code"].replace("-", "") == issued.code


def test_the_stored_pdf_has_the_registered_hash_and_a_short_lived_private_url(api, issued):
    from estate.documents.issue import DOWNLOAD_TTL_S, download_url

    url = download_url(issued)
    assert f"X-Amz-Expires={DOWNLOAD_TTL_S}" in url and DOWNLOAD_TTL_S <= 900
    status, pdf, headers = download(api, url)
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf).hexdigest() == issued.sha256
    # Without a signature the private bucket answers nothing.
    status, _, _ = download(api, url.split("?")[0] + "?x=1")
    assert status == 403


def test_the_code_can_be_typed_with_dashes_and_lower_case(api, issued):
    typed = "-".join(issued.code[i:i + 4] for i in range(0, 16, 4)).lower()
    assert api.as_token(None).get(f"/verify/{typed}").json()["sha256"] == issued.sha256


def test_a_copy_can_be_checked_byte_for_byte(api, issued):
    good = api.as_token(None).get(f"/verify/{issued.code}?sha256={issued.sha256.upper()}").json()
    bad = api.as_token(None).get(f"/verify/{issued.code}?sha256={'0' * 64}").json()
    assert good["sha256_matches"] is True and bad["sha256_matches"] is False
    from estate.queries.models import DocumentVerification
    from tests.support.contract import assert_answers

    assert_answers(DocumentVerification, good)


@pytest.mark.parametrize("code", ["2222222222222222", "short", "OOOO0000IIII1111"])
def test_unknown_or_malformed_codes_are_404(api, code):
    response = api.as_token(None).get(f"/verify/{code}")
    assert response.status == 404 and response.json()["code"] == "DOCUMENT_NOT_FOUND"


def test_a_revoked_document_is_reported_as_no_longer_valid(api, stack):
    from estate.documents.issue import issue, revoke

    record = issue("query_certificate", "不动产登记信息查询结果", render_sample, subject="TEST-REVOKE", key_prefix="test")
    revoke(record.code, "重新出具")
    body = api.as_token(None).get(f"/verify/{record.code}").json()
    assert body["valid"] is False and body["status"] == "revoked" and body["revoked_reason"] == "重新出具"
    from estate.queries.models import DocumentVerification
    from tests.support.contract import assert_answers

    assert_answers(DocumentVerification, body)


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("query", ["", f"?sha256={'a' * 64}"])
def test_a_scanned_verify_qr_code_opens_the_apps_verify_screen_and_the_app_reads_json(api, stack, issued, query):
    """The printed QR code is opened by a phone's browser (it asks for HTML): it is sent to the app's
    page, the hash to compare going along; anything asking for JSON (the app itself, a client) gets the answer."""
    opened = stack.gateway.handle("GET", f"/verify/{issued.code}{query}", {"Accept": BROWSER_ACCEPT}, b"")
    assert opened.status == 303, opened.body
    assert opened.headers["Location"].endswith(f"/app/verify/{issued.code}{query}")
    assert opened.headers["Cache-Control"] == "no-store"
    for accept in ("application/json", "*/*"):
        fetched = stack.gateway.handle("GET", f"/verify/{issued.code}{query}", {"Accept": accept}, b"")
        assert fetched.status == 200 and fetched.json()["sha256"] == issued.sha256


def test_a_browser_is_sent_to_the_app_even_for_an_unknown_code_and_the_page_says_so(stack):
    opened = stack.gateway.handle("GET", "/verify/2222222222222222", {"Accept": BROWSER_ACCEPT}, b"")
    assert opened.status == 303 and opened.headers["Location"].endswith("/app/verify/2222222222222222")
    fetched = stack.gateway.handle("GET", "/verify/2222222222222222", {"Accept": "application/json"}, b"")
    assert fetched.status == 404 and fetched.json()["code"] == "DOCUMENT_NOT_FOUND"
