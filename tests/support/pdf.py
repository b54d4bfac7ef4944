"""Reading back the PDFs the service issues, as a person (or a court) would: text via pdftotext."""

from __future__ import annotations

import subprocess
import tempfile
import time

DOCS = ("application_form", "sale_contract", "inquiry_record")


def pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(["pdftotext", "-layout", handle.name, "-"], capture_output=True, text=True,
                              check=True).stdout


def fetch(stack, url: str) -> bytes:
    response = stack.gateway.handle("GET", url[url.index("/_s3/"):], {})
    assert response.status == 200, response.body[:200]
    return response.body


def wait_for_documents(stack, citizen, application_id: str, signed: bool = False, timeout_s: float = 30,
                       docs: tuple[str, ...] = DOCS) -> dict:
    """The documents' text once the signing workflow has rendered them."""
    deadline = time.monotonic() + timeout_s
    texts: dict[str, str] = {}
    while time.monotonic() < deadline and len(texts) < len(docs):
        for doc in docs:
            if doc in texts:
                continue
            status, body = citizen.call("GET", f"/applications/{application_id}/documents/{doc}")
            if status == 200 and body["signed"] == signed:
                texts[doc] = pdf_text(fetch(stack, body["url"]))
        if len(texts) < len(docs):
            time.sleep(0.2)
    assert len(texts) == len(docs), f"documents not ready: {sorted(texts)}"
    return texts
