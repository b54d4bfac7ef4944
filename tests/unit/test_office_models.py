"""The back office's and the bank desk's body models: every field problem at once, in our codes."""

from __future__ import annotations

import pytest

from estate.errors import ValidationError
from estate.office.models import EditForm, LoanForm, PublishForm, RefusalForm, WithdrawForm
from estate.schema import parse

MORTGAGE = {"contract_number": "ICBC-DY-2026-001", "ends_on": "2046-11-30"}
LOAN = {"amount": "400000", "term_months": 240, "mortgage": MORTGAGE}


def refusals(model, body) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as refused:
        parse(model, body, getattr(model, "form_message", "x"))
    return [(d.field, d.code) for d in refused.value.details]


def test_a_loan_defaults_to_commercial_and_keeps_the_amount_as_sent():
    loan = parse(LoanForm, LOAN)
    assert (loan.amount, loan.loan_type, loan.mortgage.transfer_banned) == ("400000", "commercial", False)
    assert parse(LoanForm, {**LOAN, "amount": 400000.5}).amount == 400000.5  # older clients send a number


def test_every_loan_field_is_reported_in_one_answer():
    assert refusals(LoanForm, {"amount": "-1", "term_months": 0, "mortgage": {"ends_on": "soon"}}) == [
        ("amount", "INVALID_AMOUNT"), ("term_months", "INVALID_TERM"), ("mortgage.contract_number", "REQUIRED"),
        ("mortgage.ends_on", "INVALID_DATE")]


@pytest.mark.parametrize("change, field, code", [
    ({"amount": None}, "amount", "REQUIRED"), ({"amount": True}, "amount", "INVALID_AMOUNT"),
    ({"amount": "1.234"}, "amount", "INVALID_AMOUNT"), ({"amount": 0}, "amount", "INVALID_AMOUNT"),
    ({"term_months": 361}, "term_months", "INVALID_TERM"), ({"term_months": "12"}, "term_months", "INVALID_TERM"),
    ({"term_months": 12.5}, "term_months", "INVALID_TERM"), ({"loan_type": "friends"}, "loan_type", "INVALID_CHOICE"),
    ({"loan_type": []}, "loan_type", "INVALID_CHOICE"), ({"mortgage": None}, "mortgage", "REQUIRED"),
    ({"mortgage": "DY1"}, "mortgage", "NOT_OBJECT"),
    ({"mortgage": {**MORTGAGE, "transfer_banned": "no"}}, "mortgage.transfer_banned", "NOT_BOOLEAN"),
    ({"mortgage": {**MORTGAGE, "ends_on": 20461130}}, "mortgage.ends_on", "INVALID_DATE"),
    ({"mortgage": {**MORTGAGE, "contract_number": "  "}}, "mortgage.contract_number", "REQUIRED"),
])
def test_a_bad_loan_field_names_itself(change, field, code):
    assert refusals(LoanForm, {**LOAN, **change}) == [(field, code)]


@pytest.mark.parametrize("body, expected", [
    ({"id": "Bad Id!", "data": {"title": "x"}}, [("id", "INVALID_ID")]),
    ({"id": "x", "data": {"title": "x"}}, [("id", "INVALID_ID")]),  # at least two characters
    ({"id": "a" * 64, "data": {"title": "x"}}, [("id", "INVALID_ID")]),
    ({"data": []}, [("id", "REQUIRED"), ("data", "NOT_OBJECT")]),
])
def test_a_publication_needs_a_sound_id_and_an_object_of_data(body, expected):
    assert refusals(PublishForm, body) == expected


def test_an_edit_or_withdrawal_names_a_whole_version_number():
    assert parse(EditForm, {"version": 2, "data": {"answer": "是"}}).version == 2
    assert parse(WithdrawForm, {}).version is None
    assert refusals(EditForm, {"version": "2", "data": {"a": 1}}) == [("version", "NOT_A_NUMBER")]
    assert refusals(WithdrawForm, {"version": 0}) == [("version", "OUT_OF_RANGE")]


def test_a_refusal_takes_a_ground_from_the_list_and_a_text():
    form = parse(RefusalForm, {"reason": "OWNERSHIP_DISPUTE", "text": "该房屋存在继承纠纷，尚在诉讼中"})
    assert (form.reason, form.text) == ("OWNERSHIP_DISPUTE", "该房屋存在继承纠纷，尚在诉讼中")
    assert refusals(RefusalForm, {}) == [("reason", "REQUIRED"), ("text", "REQUIRED")]
    assert refusals(RefusalForm, {"reason": "MOOD", "text": "x" * 501}) == [("reason", "UNKNOWN_REASON"),
                                                                          ("text", "TOO_LONG")]
