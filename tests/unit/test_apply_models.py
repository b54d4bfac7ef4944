"""The application steps' body models (estate.apply.models): every broken field of a form answered
at once, in our codes, before any rule that needs the case runs."""

from __future__ import annotations

from datetime import date

import pytest

from estate.apply.models import (BankPushForm, ContractForm, DeclarationForm, InquiryForm, PartiesForm,
                                 PropertySearchForm, FaceCheckForm, StartForm, UploadForm)
from estate.domain.contract import validate_contract
from estate.domain.declaration import validate_declaration
from estate.domain.inquiry import validate_inquiry
from estate.domain.people import validate_parties
from estate.domain.register import Owner
from estate.errors import ValidationError
from estate.schema import parse
from local.driver.flows import contract_body, declaration_body

TODAY = date(2026, 11, 2)


def _refusals(model, body) -> dict[str, str]:
    with pytest.raises(ValidationError) as raised:
        parse(model, body, getattr(model, "form_message", "x"))
    return {detail.field: detail.code for detail in raised.value.details}


def test_an_empty_contract_lists_every_required_field_at_once():
    assert _refusals(ContractForm, {}) == {
        "price": "REQUIRED", "payment_method": "REQUIRED", "payment_schedule": "REQUIRED", "delivery_date": "REQUIRED",
        "registration_deadline": "REQUIRED", "handover": "REQUIRED", "taxes_borne_by": "REQUIRED",
        "dispute_resolution": "REQUIRED"}


@pytest.mark.parametrize("field, value, code", [
    ("price", [1], "NOT_A_NUMBER"), ("price", True, "NOT_A_NUMBER"), ("deposit", {}, "NOT_A_NUMBER"),
    ("payment_method", "cash", "INVALID_CHOICE"), ("taxes_borne_by", ["buyer"], "INVALID_CHOICE"),
    ("payment_schedule", [], "REQUIRED"), ("payment_schedule", "all at once", "NOT_LIST"),
    ("payment_schedule", ["定金"], "NOT_OBJECT"),
    ("delivery_date", 20261231, "DATE_FORMAT"), ("delivery_date", "2026-12-31T00:00", "DATE_FORMAT"),
    ("handover", "钥" * 1001, "TOO_LONG"), ("handover", 3, "NOT_TEXT"),
    ("dispute_resolution", {"method": "mediation"}, "CHOOSE_ONE"), ("dispute_resolution", "court", "NOT_OBJECT"),
    ("house", {"fixtures": "柜" * 1001}, "TOO_LONG"), ("house", [], "NOT_OBJECT"),
])
def test_a_broken_contract_field_is_refused_with_its_code(field, value, code):
    refusals = _refusals(ContractForm, {**contract_body("600000.00", TODAY), field: value})
    assert len(refusals) == 1 and next(iter(refusals.values())) == code, refusals
    assert next(iter(refusals)).split(".")[0].split("[")[0] == field


def test_a_schedule_stage_reports_its_own_path():
    body = contract_body("600000.00", TODAY)
    body["payment_schedule"][1] = {"stage": "尾款", "amount": "x"}
    with pytest.raises(ValidationError) as raised:
        validate_contract(parse(ContractForm, {**body, "payment_schedule": body["payment_schedule"][:1]}),
                          today=TODAY, outlet={}, unit={})
    assert {d.field: d.code for d in raised.value.details} == {"payment_schedule": "SCHEDULE_NOT_PRICE"}
    assert _refusals(ContractForm, body) == {"payment_schedule[1].due_date": "REQUIRED"}


@pytest.mark.parametrize("price, code", [("abc", "NOT_A_NUMBER"), ("0", "AMOUNT_RANGE"), ("100000000.01", "AMOUNT_RANGE"),
                                         ("600000.001", "TOO_PRECISE")])
def test_the_price_rules_stay_in_the_domain(price, code):
    form = parse(ContractForm, {**contract_body("600000.00", TODAY), "price": price})
    with pytest.raises(ValidationError) as raised:
        validate_contract(form, today=TODAY, outlet={}, unit={})
    assert {d.field: d.code for d in raised.value.details}["price"] == code


def test_arbitration_needs_a_named_commission_and_no_court():
    body = {**contract_body("600000.00", TODAY), "dispute_resolution": {"method": "arbitration", "court": "矿区法院"}}
    with pytest.raises(ValidationError) as raised:
        validate_contract(parse(ContractForm, body), today=TODAY, outlet={}, unit={})
    assert {d.field: d.code for d in raised.value.details} == {"dispute_resolution.commission": "REQUIRED",
                                                              "dispute_resolution.court": "CHOOSE_ONE"}


SELLER = {"name": "王建国", "id_number": "140111200012310666", "phone": "13979287070", "address": "阳泉市",
          "marital_status": "married"}
BUYER = {"name": "李四", "id_number": "140303196602271929", "phone": "13800000000", "address": "阳泉市",
         "marital_status": "single"}
PARTIES = {"sellers": [SELLER], "buyers": [BUYER], "holding": {"mode": "single"}}


def test_empty_parties_list_every_required_part_at_once():
    assert _refusals(PartiesForm, {}) == {"sellers": "REQUIRED", "buyers": "REQUIRED", "holding": "REQUIRED"}


@pytest.mark.parametrize("change, field, code", [
    ({"buyers": []}, "buyers", "REQUIRED"), ({"buyers": [BUYER, BUYER, BUYER]}, "buyers", "TOO_MANY_BUYERS"),
    ({"sellers": "王建国"}, "sellers", "NOT_LIST"), ({"sellers": [SELLER, 3]}, "sellers[1]", "NOT_OBJECT"),
    ({"buyers": [{**BUYER, "name": " "}]}, "buyers[0].name", "REQUIRED"),
    ({"buyers": [{**BUYER, "phone": 13800000000}]}, "buyers[0].phone", "NOT_TEXT"),
    ({"buyers": [{**BUYER, "address": "阳" * 201}]}, "buyers[0].address", "TOO_LONG"),
    ({"buyers": [{**BUYER, "marital_status": ["single"]}]}, "buyers[0].marital_status", "INVALID_CHOICE"),
    ({"holding": {"mode": "alone"}}, "holding.mode", "INVALID_CHOICE"),
    ({"holding": "single"}, "holding", "NOT_OBJECT"),
    ({"holding": {"mode": "joint", "separate_certificates": "yes"}}, "holding.separate_certificates", "NOT_BOOLEAN"),
    ({"holding": {"mode": "shares", "shares": [50, 50]}}, "holding.shares", "NOT_OBJECT"),
    ({"holding": {"mode": "single", "holders": "李四"}}, "holding.holders", "NOT_LIST"),
])
def test_a_broken_parties_field_is_refused_with_its_code(change, field, code):
    assert _refusals(PartiesForm, {**PARTIES, **change}) == {field: code}


def test_parties_the_model_accepts_are_checked_against_the_register_in_the_domain():
    parties = validate_parties(parse(PartiesForm, PARTIES), (Owner("王建国", "140111200012310666"),))
    assert parties["holding"] == {"mode": "single", "separate_certificates": False, "holders": ["李四"]}
    with pytest.raises(ValidationError) as raised:
        validate_parties(parse(PartiesForm, {**PARTIES, "holding": {"mode": "joint"}}),
                         (Owner("王建国", "140111200012310666"),))
    assert {d.field: d.code for d in raised.value.details} == {"holding.mode": "CO_OWNERSHIP_NEEDS_TWO"}


def _declaration() -> dict:
    return declaration_body([{"name": "王建国", "id_number": "140111200012310666"}],
                            [{"name": "李四", "id_number": "140303196602271929"}])


def test_an_empty_declaration_lists_every_required_part_at_once():
    assert _refusals(DeclarationForm, {}) == {"buyer_families": "REQUIRED", "seller_families": "REQUIRED",
                                              "house": "REQUIRED"}
    assert _refusals(DeclarationForm, {**_declaration(), "house": {}}) == {
        "house.acquisition_date": "REQUIRED", "house.seller_family_only_home": "REQUIRED",
        "house.buyer_family_homes_before": "REQUIRED"}


@pytest.mark.parametrize("change, field, code", [
    ({"buyer_families": []}, "buyer_families", "REQUIRED"),
    ({"buyer_families": [{"members": []}]}, "buyer_families[0].members", "REQUIRED"),
    ({"buyer_families": [{"members": [{"name": "李四"}] * 11}]}, "buyer_families[0].members", "TOO_MANY"),
    ({"seller_families": ["王建国"]}, "seller_families[0]", "NOT_OBJECT"),
    ({"seller_families": [{"members": [{"name": "王建国", "id_number": "140111200012310666", "sex": "男",
                                        "relation": "self"}]}]}, "seller_families[0].members[0].sex", "INVALID_CHOICE"),
    ({"house": {"acquisition_date": "2018-05-20", "seller_family_only_home": "否", "buyer_family_homes_before": 0}},
     "house.seller_family_only_home", "NOT_BOOLEAN"),
    ({"house": {"acquisition_date": "2018-05-20", "seller_family_only_home": False, "buyer_family_homes_before": 51}},
     "house.buyer_family_homes_before", "NOT_COUNT"),
    ({"house": {"acquisition_date": "2018-05-20", "seller_family_only_home": False, "buyer_family_homes_before": "1"}},
     "house.buyer_family_homes_before", "NOT_COUNT"),
    ({"house": {"acquisition_date": "2018-05-20", "seller_family_only_home": False, "buyer_family_homes_before": 0,
                "pit_method": "exact"}}, "house.pit_method", "INVALID_CHOICE"),
    ({"house": {"acquisition_date": "2018-05-20", "seller_family_only_home": False, "buyer_family_homes_before": 0,
                "reasonable_fees": ["100"]}}, "house.reasonable_fees", "NOT_A_NUMBER"),
])
def test_a_broken_declaration_field_is_refused_with_its_code(change, field, code):
    assert _refusals(DeclarationForm, {**_declaration(), **change}) == {field: code}


def test_a_declaration_the_model_accepts_is_checked_against_the_parties_in_the_domain():
    form = parse(DeclarationForm, {**_declaration(), "house": {**_declaration()["house"], "pit_method": "actual"}})
    with pytest.raises(ValidationError) as raised:
        validate_declaration(form, buyer_ids=["140303196602271929", "11010519491231002X"],
                             seller_ids=["140111200012310666"], today=TODAY)
    assert {d.field: d.code for d in raised.value.details} == {"buyer_families": "PARTY_NOT_DECLARED",
                                                              "house.original_price": "REQUIRED_FOR_ACTUAL"}


START = {"business": "sale", "role": "seller", "outlet": "140302", "unit": "140302001002GB00001F00010001",
         "face_check": "fc_abc", "notice_accepted": True}


@pytest.mark.parametrize("model, body, expected", [
    (StartForm, {}, {"business": "REQUIRED", "role": "REQUIRED", "outlet": "KEY_REQUIRED", "unit": "REQUIRED",
                     "face_check": "KEY_REQUIRED", "notice_accepted": "NOTICE_NOT_ACCEPTED"}),
    (StartForm, {**START, "business": "gift", "role": ["seller"], "outlet": "../x", "face_check": 7,
                 "notice_accepted": "true"},
     {"business": "INVALID_CHOICE", "role": "INVALID_CHOICE", "outlet": "KEY_FORMAT", "face_check": "KEY_FORMAT",
      "notice_accepted": "NOTICE_NOT_ACCEPTED"}),
    (PropertySearchForm, {"outlet": "140302", "unit_number": 5},
     {"seller_name": "REQUIRED", "seller_id_number": "REQUIRED", "certificate_number": "REQUIRED",
      "unit_number": "NOT_TEXT"}),
    (BankPushForm, {"bank": "", "branch": "a" * 65}, {"bank": "KEY_REQUIRED", "branch": "KEY_FORMAT"}),
    (UploadForm, {"category": {}}, {"category": "UNKNOWN_CATEGORY"}),
    (UploadForm, {}, {"category": "REQUIRED"}),
    (FaceCheckForm, {"session": " "}, {"session": "KEY_REQUIRED"}),
    (InquiryForm, {"respondents": []}, {"respondents": "REQUIRED"}),
    (InquiryForm, {"respondents": [{"answers": {"S1": "yes"}}, {"id_number": "x", "answers": {"S1": True}}, "x"]},
     {"respondents[0].id_number": "REQUIRED", "respondents[1].answers.S1": "NOT_TEXT", "respondents[2]": "NOT_OBJECT"}),
])
def test_every_broken_field_of_a_form_is_listed(model, body, expected):
    assert _refusals(model, body) == expected


def test_a_start_form_the_model_accepts_carries_the_typed_values():
    form = parse(StartForm, START)
    assert (form.business, form.role, form.notice_accepted) == ("sale", "seller", True)


def test_the_inquiry_answers_stay_checked_per_question_in_the_domain():
    roles, names = {"140111200012310666": "seller"}, {"140111200012310666": "王建国"}
    form = parse(InquiryForm, {"respondents": [{"id_number": "140111200012310666",
                                                "answers": {"S1": "no", "S2": " ", "S5": "maybe"}}]})
    with pytest.raises(ValidationError) as raised:
        validate_inquiry(form, roles=roles, names=names)
    codes = {d.field: d.code for d in raised.value.details}
    assert codes["respondents[0].answers.S1"] == "NOT_TRUE_INTENTION"
    assert codes["respondents[0].answers.S2"] == "REQUIRED" and codes["respondents[0].answers.S5"] == "YES_OR_NO"
