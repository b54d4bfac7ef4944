"""The pure rules of the bank desk: who continues an application, which steps the bank may do and in
which state, what each signer signs, the loan in the contract, and the move to TAX_PAID."""

from __future__ import annotations

from datetime import date

import pytest

from estate.domain import application as lifecycle
from estate.apply.models import ContractForm
from estate.domain.contract import validate_contract, with_loan
from estate.schema import parse
from estate.domain.signing import bank_signer_id, documents_for, documents_of, signs
from estate.errors import Conflict, ValidationError
from local.driver.flows import contract_body

BANK = {"bank": "ICBC", "bank_name": "中国工商银行", "branch": "ICBC-YQ-KQ", "branch_name": "中国工商银行阳泉矿区支行"}
LOAN = {"amount": "400000.00", "term_months": 240, "loan_type": "provident_fund"}
UNIT = {"location": "阳泉市矿区测试路1号", "unit_number": "140303001001GB00001F00010001",
        "certificate_number": "晋(2019)阳泉市不动产权第0000001号", "area_m2": "88.00", "purpose": "住宅"}


@pytest.mark.parametrize("business, pushed, editor", [
    ("sale", False, lifecycle.INITIATOR), ("sale", True, lifecycle.INITIATOR),
    ("loan-sale", False, lifecycle.INITIATOR), ("loan-sale", True, lifecycle.BANK)])
def test_the_bank_continues_only_a_pushed_loan_sale(business, pushed, editor):
    assert lifecycle.editor_of(business, pushed) == editor


def test_the_bank_fills_contract_declaration_and_inquiry_in_order_from_the_push():
    status = lifecycle.edit_step(lifecycle.PUSHED_TO_BANK, "contract", "loan-sale", by_bank=True)
    assert status == lifecycle.CONTRACT_SAVED
    status = lifecycle.edit_step(status, "tax-declaration", "loan-sale", by_bank=True)
    assert status == lifecycle.TAX_DECLARED
    assert lifecycle.edit_step(status, "inquiry", "loan-sale", by_bank=True) == lifecycle.INQUIRY_SAVED
    with pytest.raises(Conflict) as early:
        lifecycle.edit_step(lifecycle.PUSHED_TO_BANK, "inquiry", "loan-sale", by_bank=True)
    assert early.value.code == "STEP_OUT_OF_ORDER"


def test_the_citizen_cannot_do_the_bank_steps_nor_the_bank_the_citizen_steps():
    with pytest.raises(Conflict) as citizen:
        lifecycle.edit_step(lifecycle.PARTIES_SET, "contract", "loan-sale")
    assert citizen.value.code == "BANK_CONTINUES"
    with pytest.raises(Conflict) as bank:
        lifecycle.edit_step(lifecycle.PUSHED_TO_BANK, "parties", "loan-sale", by_bank=True)
    assert bank.value.code == "NOT_A_BANK_STEP"
    with pytest.raises(Conflict) as cash:  # PUSHED_TO_BANK is editable for the bank only
        lifecycle.edit_step(lifecycle.PUSHED_TO_BANK, "contract", "sale")
    assert cash.value.code == "WRONG_STATE"


def test_taxes_paid_moves_only_an_accepted_application():
    assert lifecycle.after_taxes_paid(lifecycle.ACCEPTED) == lifecycle.TAX_PAID
    for status in (lifecycle.SUBMITTED, lifecycle.TAX_PAID, lifecycle.APPROVED, lifecycle.RETURNED,
                   lifecycle.COMPLETED):
        assert lifecycle.after_taxes_paid(status) is None


def test_a_loan_sale_adds_the_mortgage_contract_signed_by_the_buyers_and_sealed_by_the_bank():
    assert documents_of("sale") == ["application_form", "sale_contract", "inquiry_record"]
    assert documents_of("loan-sale")[-1] == "mortgage_contract"
    assert list(documents_for("loan-sale", "buyer")) == documents_of("loan-sale")
    assert "mortgage_contract" not in documents_for("loan-sale", "seller")
    assert list(documents_for("loan-sale", "bank")) == ["application_form", "mortgage_contract"]
    assert not signs("sale_contract", "bank") and signs("application_form", "bank")
    assert bank_signer_id("ICBC-YQ-KQ") == "BANK:ICBC-YQ-KQ"


def contract(price: str = "600000.00", method: str = "loan") -> dict:
    today = date(2026, 11, 2)
    form = parse(ContractForm, {**contract_body(price, today), "payment_method": method})
    return validate_contract(form, today=today, outlet={},
                             unit=UNIT)


def test_the_loan_goes_into_the_contracts_price_and_payment_part():
    loan = with_loan(contract(), LOAN, BANK)["loan"]
    assert loan == {"bank_name": "中国工商银行", "branch_name": "中国工商银行阳泉矿区支行", "loan_type": "provident_fund",
                    "loan_type_label": "住房公积金贷款", "amount": "400000.00", "amount_in_words": "人民币肆拾万元整",
                    "term_months": 240, "down_payment": "200000.00"}


def test_a_loan_sale_pays_by_loan_and_the_loan_fits_in_the_price_less_the_deposit():
    with pytest.raises(ValidationError) as cash:
        with_loan(contract(method="lump_sum"), LOAN, BANK)
    assert [d.code for d in cash.value.details] == ["LOAN_SALE_PAYS_BY_LOAN"]
    with pytest.raises(ValidationError) as over:  # deposit 20000: at most 580000 can be lent
        with_loan(contract(), {**LOAN, "amount": "580000.01"}, BANK)
    assert [d.code for d in over.value.details] == ["LOAN_OVER_PRICE"]
    assert with_loan(contract(), {**LOAN, "amount": "580000.00"}, BANK)["loan"]["down_payment"] == "20000.00"
