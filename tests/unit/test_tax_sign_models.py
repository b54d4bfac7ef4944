"""The tax and signing models: their field errors in our vocabulary, and the answer check itself."""

from __future__ import annotations

import pytest

from estate.errors import ValidationError
from estate.schema import parse
from estate.signing.models import SigningDeclineForm, SigningFaceView, SigningSessionView, SigningViewedForm
from estate.tax.models import TaxEstimateForm, PaymentForm
from tests.support.contract import assert_answers


def details(model, body) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as refused:
        parse(model, body)
    return [(d.field, d.code) for d in refused.value.details]


def test_the_calculator_form_reports_every_shape_error_with_the_calculators_codes():
    assert details(TaxEstimateForm, {"price": True, "buyer_family_homes_before": 1.5, "seller_family_only_home": "no",
                                  "pit_method": [], "extra_certificates": 11}) == [
        ("transaction_date", "REQUIRED"), ("price", "NOT_A_NUMBER"), ("area_m2", "REQUIRED"),
        ("buyer_family_homes_before", "NOT_AN_INTEGER"), ("seller_family_only_home", "NOT_A_BOOLEAN"),
        ("pit_method", "INVALID_CHOICE"), ("extra_certificates", "OUT_OF_RANGE")]


@pytest.mark.parametrize("body, expected", [
    ({"application": "a#b", "side": "buyer", "items": "all", "channel": "alipay"}, [("application", "KEY_FORMAT")]),
    ({"side": "buyer", "items": "all", "channel": "alipay"}, [("application", "KEY_REQUIRED")]),
    ({"application": "A1", "side": "buyer", "items": [], "channel": "alipay"}, [("items", "INVALID_ITEMS")]),
    ({"application": "A1", "side": "buyer", "items": "some", "channel": "alipay"}, [("items", "INVALID_ITEMS")]),
    ({"application": "A1", "side": "buyer", "items": [3], "channel": "alipay"}, [("items[0]", "INVALID_ITEMS")]),
])
def test_a_payment_request_names_its_bad_field(body, expected):
    assert details(PaymentForm, body) == expected


def test_a_payment_request_defaults_to_paying_in_the_app():
    assert parse(PaymentForm, {"application": "A1", "side": "seller", "items": ["vat"], "channel": "unionpay"}).mode == "app"


@pytest.mark.parametrize("model, body, expected", [
    (SigningDeclineForm, {"reason": " "}, [("reason", "REQUIRED")]),
    (SigningDeclineForm, {"reason": "长" * 201}, [("reason", "TOO_LONG")]),
    (SigningViewedForm, {"sha256": "x", "pages": True}, [("sha256", "INVALID"), ("pages", "INVALID")]),
    (SigningViewedForm, {"sha256": "A" * 64, "pages": 0}, [("pages", "INVALID")]),
])
def test_the_signing_page_posts_are_checked(model, body, expected):
    assert details(model, body) == expected


def test_an_answer_with_a_field_its_model_does_not_describe_fails_the_check():
    assert_answers(SigningFaceView, {"face_checked": True, "valid_seconds": 600})
    with pytest.raises(AssertionError, match=r"\$.secret"):
        assert_answers(SigningFaceView, {"face_checked": True, "valid_seconds": 600, "secret": 1}, exhaustive=True)
    with pytest.raises(AssertionError, match="valid_seconds"):
        assert_answers(SigningFaceView, {"face_checked": True, "valid_seconds": "600"})
    session = {"application": {"id": "A", "business": "sale", "extra": 1}, "me": {"name": "张三", "role": "buyer",
               "status": "invited"}, "face_checked": False, "documents": [], "parties": [], "can_sign": True}
    with pytest.raises(AssertionError, match=r"\$.application.extra"):
        assert_answers(SigningSessionView, session, exhaustive=True)
