"""Issuing a registered PDF, and checking one.

    record = issue("tax_receipt", "完税凭证", render, subject=receipt_id, key_prefix="tax/receipts")

`render(verification)` builds the PDF with the code and the verify URL printed on it (see
ChineseDocument); issue() then stores it privately in S3, writes the registry item (a conditional
put: a code is never reused) and returns it. Downloads are short-lived presigned GET URLs.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import TYPE_CHECKING, Callable
from urllib.parse import quote

from estate import clock
from estate.adapters.uploads import presigned_get, read_object, write_object
from estate.config import get_settings
from estate.errors import NotFound
from estate.observability import count_event, logger
from estate.results import Content, redirect
from estate.store.documents import REVOKED, VALID, IssuedDocument, get_document

if TYPE_CHECKING:  # the PDF module loads fpdf2: only for the type, never at import
    from estate.documents.pdf import Verification

DOCUMENT_TYPES = {
    "tax_receipt": "完税凭证",
    "application_form": "不动产登记申请书",
    "sale_contract": "存量房买卖合同",
    "inquiry_record": "不动产登记询问笔录",
    "mortgage_contract": "不动产抵押合同",
    "signed_packet": "电子签名文件",
    "query_certificate": "不动产登记信息查询结果",
    "booking_proof": "预约凭证",
}

# No 0/O, 1/I/L, U: read aloud over the phone and typed from paper without confusion.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
_CODE_SHAPE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
DOWNLOAD_TTL_S = 300

Render = Callable[["Verification"], bytes]


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def printed_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalize_code(raw: str) -> str | None:
    """What a person types (dashes, spaces, lower case) → the stored code, or None if malformed."""
    code = re.sub(r"[\s\-]", "", raw or "").upper()
    return code if _CODE_SHAPE.match(code) else None


def verify_url(code: str) -> str:
    return f"{get_settings().public_base_url.rstrip('/')}/verify/{code}"


def issue(doc_type: str, title: str, render: Render, *, subject: str | None = None,
          key_prefix: str = "documents") -> IssuedDocument:
    from estate.documents.pdf import Verification  # fpdf2 only now, never at cold start

    if doc_type not in DOCUMENT_TYPES:
        raise ValueError(f"unknown document type {doc_type!r}")
    code = new_code()
    pdf = render(Verification(printed_code(code), verify_url(code)))
    digest = hashlib.sha256(pdf).hexdigest()
    key = f"{key_prefix.strip('/')}/{code}.pdf"
    write_object(get_settings().documents_bucket, key, pdf, "application/pdf",
                 {"sha256": digest, "verification-code": code})
    record = IssuedDocument(code, doc_type=doc_type, title=title, sha256=digest, size=len(pdf), object_key=key,
                            issued_at=clock.now().isoformat(), subject=subject, status=VALID)
    record.save(condition=IssuedDocument.code.does_not_exist())
    count_event("DocumentIssued")
    logger.info("document issued", doc_type=doc_type, code=code, size=len(pdf))
    return record


def download_url(record: IssuedDocument, filename: str | None = None) -> str:
    name = filename or f"{record.title}-{record.code}.pdf"
    return presigned_get(get_settings().documents_bucket, record.object_key, DOWNLOAD_TTL_S, name)


def pdf_bytes(record: IssuedDocument) -> bytes:
    return read_object(get_settings().documents_bucket, record.object_key)


def revoke(code: str, reason: str) -> IssuedDocument:
    record = get_document(code)
    if record is None:
        raise NotFound("文件不存在", code="DOCUMENT_NOT_FOUND")
    record.update(actions=[IssuedDocument.status.set(REVOKED), IssuedDocument.revoked_at.set(clock.now().isoformat()),
                           IssuedDocument.revoked_reason.set(reason[:200])])
    logger.info("document revoked", code=code, doc_type=record.doc_type)
    return record


def verification_view(record: IssuedDocument) -> dict:
    return {
        "code": printed_code(record.code), "valid": record.status == VALID, "status": record.status,
        "document_type": record.doc_type, "document_type_label": DOCUMENT_TYPES.get(record.doc_type, record.doc_type),
        "title": record.title, "sha256": record.sha256, "size": record.size, "issued_at": record.issued_at,
        "revoked_at": record.revoked_at, "revoked_reason": record.revoked_reason,
    }


def verify(raw_code: str, query: dict[str, str] | None = None, browser: bool = False) -> dict | Content:
    """GET /verify/{code}: what was issued under this code and whether it still stands.

    `?sha256=<hex>` also answers whether a copy in hand is byte for byte the issued file. A phone's
    browser opening the printed QR code (`browser`: it asks for HTML) is sent to the app's verify
    screen, which reads this same answer as JSON."""
    if browser:
        claimed = (query or {}).get("sha256")
        return redirect(f"{get_settings().app_base_url}/verify/{quote(raw_code, safe='')}"
                        + (f"?sha256={quote(claimed, safe='')}" if claimed else ""))
    code = normalize_code(raw_code)
    record = get_document(code) if code else None
    if record is None:
        raise NotFound("未找到该验证码对应的文件，请核对后重新输入", code="DOCUMENT_NOT_FOUND")
    view = verification_view(record)
    claimed = (query or {}).get("sha256")
    if claimed:
        view["sha256_matches"] = claimed.strip().lower() == record.sha256
    return view
