"""预览 on the 合同 step: GET /applications/{id}/contract/draft draws the saved contract as the PDF it
will become, marked 草稿, before the inquiry starts signing — for the case's parties only, and only
once a contract is saved. Nothing is issued: no verification code, no document on the case."""

from __future__ import annotations

import base64
import re

import pytest

from estate.apply.models import ContractDraft
from local.driver.flows import contract_body, party
from tests.support.contract import assert_answers
from tests.support.pdf import pdf_text


@pytest.fixture(scope="module")
def sale(pool, as_citizen):
    unit = pool.unit("single")
    [seller_person], buyer_person = pool.owners(unit), pool.citizen()
    seller = as_citizen(seller_person)
    app_id = seller.start(unit, "seller")["id"]
    status, body = seller.call("PUT", f"/applications/{app_id}/parties", {
        "sellers": [party(seller_person, "single")], "buyers": [party(buyer_person, "single")],
        "holding": {"mode": "single"}})
    assert status == 200, body
    return {"id": app_id, "seller": seller, "buyer": as_citizen(buyer_person), "unit": unit}


def test_before_a_contract_is_saved_the_draft_is_refused(sale):
    status, body = sale["seller"].call("GET", f"/applications/{sale['id']}/contract/draft")
    assert status == 409 and body["code"] == "CONTRACT_NOT_SAVED" and body["message"]


def test_the_saved_contract_is_drawn_as_a_draft_pdf_for_every_party(sale):
    status, body = sale["seller"].call("PUT", f"/applications/{sale['id']}/contract", contract_body())
    assert status == 200, body
    for client in (sale["seller"], sale["buyer"]):
        status, draft = client.call("GET", f"/applications/{sale['id']}/contract/draft")
        assert status == 200, draft
        assert_answers(ContractDraft, draft)
        pdf = base64.b64decode(draft["pdf"])
        assert pdf.startswith(b"%PDF-") and draft["pages"] >= 1
        text = re.sub(r"\s+", "", pdf_text(pdf))
        assert "存量房买卖合同" in text and "草稿" in text and sale["id"] in text
    # nothing issued: the case has no signing documents yet
    status, case = sale["seller"].call("GET", f"/applications/{sale['id']}")
    assert not (case.get("documents") or {}).get("sale_contract")


def test_a_stranger_gets_404(sale, pool, as_citizen):
    stranger = as_citizen(pool.citizen())
    status, body = stranger.call("GET", f"/applications/{sale['id']}/contract/draft")
    assert status == 404 and body["code"] == "APPLICATION_NOT_FOUND"
