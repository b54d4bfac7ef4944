import pytest

from estate.domain.materials import CaseFacts, evaluate_checklist

ITEMS = [
    {"code": "original_certificate", "name": "原不动产权证书", "required_when": "always"},
    {"code": "marriage_certificate", "name": "结婚证", "required_when": "any_married"},
    {"code": "divorce_certificate", "name": "离婚证", "required_when": "seller_divorced"},
    {"code": "loan_contract", "name": "借款合同", "required_when": "loan"},
]


def by_code(evaluated):
    return {item["code"]: item for item in evaluated}


def test_unknown_facts_leave_conditional_items_flagged_not_required():
    items = by_code(evaluate_checklist(ITEMS, CaseFacts()))
    assert items["original_certificate"]["required"] is True
    assert items["marriage_certificate"] == {**ITEMS[1], "required": False, "conditional": True,
                                             "condition": "买方或卖方已婚时必传"}


def test_a_married_seller_needs_the_marriage_certificate():
    items = by_code(evaluate_checklist(ITEMS, CaseFacts(seller_marital_status="married")))
    assert items["marriage_certificate"]["required"] and not items["marriage_certificate"]["conditional"]


def test_single_parties_do_not_need_marital_documents():
    items = by_code(evaluate_checklist(ITEMS, CaseFacts(seller_marital_status="single", buyer_marital_status="single",
                                                         loan=False)))
    assert not items["marriage_certificate"]["required"]
    assert not items["divorce_certificate"]["required"]
    assert not items["loan_contract"]["required"] and not items["loan_contract"]["conditional"]


def test_divorced_seller_and_loan_cases():
    items = by_code(evaluate_checklist(ITEMS, CaseFacts(seller_marital_status="divorced", loan=True)))
    assert items["divorce_certificate"]["required"]
    assert items["loan_contract"]["required"]


def test_unknown_condition_is_a_content_error():
    with pytest.raises(ValueError):
        evaluate_checklist([{"code": "x", "required_when": "sometimes"}], CaseFacts())


def test_a_pending_upload_fails_once_its_post_expired_plus_the_grace():
    from datetime import datetime, timedelta, timezone

    from estate.domain.materials import UPLOAD_GRACE_S, material_status

    created = datetime(2025, 3, 1, 8, 0, tzinfo=timezone.utc)
    deadline = created + timedelta(seconds=300 + UPLOAD_GRACE_S)
    assert material_status("pending", created.isoformat(), deadline - timedelta(seconds=1), 300) == "pending"
    assert material_status("pending", created.isoformat(), deadline, 300) == "expired"
    # A decided material keeps its verdict however late it is read.
    assert material_status("accepted", created.isoformat(), deadline + timedelta(days=9), 300) == "accepted"
    assert material_status("rejected", created.isoformat(), deadline + timedelta(days=9), 300) == "rejected"
