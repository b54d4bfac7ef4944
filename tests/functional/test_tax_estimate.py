"""POST /tax/estimate: the public calculator, every worked example of DOMAIN.md §2.7, and bad input."""

from datetime import date, timedelta

import pytest

from estate.tax.models import TaxEstimateView
from tests.support.contract import assert_answers


def example_a(**changes) -> dict:
    body = {"transaction_date": "2021-04-15", "price": "520000.00", "assessed_price": "500000.00", "area_m2": "95.00",
            "buyer_family_homes_before": 0, "seller_years_held": 3.0, "seller_family_only_home": False,
            "pit_method": "deemed", "city_tier": "urban", "extra_certificates": 0}
    body.update(changes)
    return body


def example_b(**changes) -> dict:
    body = {"transaction_date": "2023-03-01", "price": "600000.00", "area_m2": "88.00", "seller_years_held": 1,
            "buyer_family_homes_before": 0}
    body.update(changes)
    return body


def amounts(body: dict) -> dict:
    return {(i["tax"], i["payer"]): i["amount"] for i in body["items"]}


def estimate(api, body):
    response = api.post("/tax/estimate", body)
    assert response.status == 200, response.text
    return assert_answers(TaxEstimateView, response.json()) and response.json()


def test_example_a_over_http_matches_the_worked_figures(api):
    body = estimate(api, example_a())
    assert body["base"] == "520000.00"
    got = amounts(body)
    assert got[("deed_tax", "buyer")] == "7800.00"
    assert got[("vat", "seller")] == "0.00" and got[("vat_surcharges", "seller")] == "0.00"
    assert got[("income_tax", "seller")] == "5200.00"
    assert got[("stamp_duty", "buyer")] == got[("stamp_duty", "seller")] == got[("land_vat", "seller")] == "0.00"
    assert got[("registration_fee", "buyer")] == "80.00"
    assert body["totals"] == {"buyer": "7880.00", "seller": "5200.00"}
    deed = next(i for i in body["items"] if i["tax"] == "deed_tax")
    assert deed == {"tax": "deed_tax", "payer": "buyer", "base": "520000.00", "rate": "0.015", "amount": "7800.00",
                    "exempt": False, "basis": deed["basis"]}
    assert "契税" in deed["basis"]


def test_example_a_under_the_2024_rule_and_with_separate_certificates(api):
    got = amounts(estimate(api, example_a(transaction_date="2024-12-01", extra_certificates=1)))
    assert got[("deed_tax", "buyer")] == "5200.00"
    assert got[("registration_fee", "buyer")] == "90.00"


def test_example_a_actual_gain_income_tax(api):
    body = example_a(pit_method="actual", seller_original_cost="383800.00", seller_reasonable_fees="2000.00")
    assert amounts(estimate(api, body))[("income_tax", "seller")] == "26840.00"


def test_example_b_vat_surcharges_and_income_tax(api):
    got = amounts(estimate(api, example_b()))
    assert got[("vat", "seller")] == "28571.43"
    assert got[("vat_surcharges", "seller")] == "3428.57"
    assert got[("income_tax", "seller")] == "5714.29"


def test_example_b_actual_gain(api):
    body = example_b(pit_method="actual", seller_original_cost="406000.00")
    assert amounts(estimate(api, body))[("income_tax", "seller")] == "32400.00"


def test_example_c_same_sale_in_2026(api):
    got = amounts(estimate(api, example_b(transaction_date="2026-01-01")))
    assert got[("vat", "seller")] == "17475.73"
    assert got[("vat_surcharges", "seller")] == "2097.09"
    assert got[("income_tax", "seller")] == "5825.24"


@pytest.mark.parametrize("day, deed_tax", [("2024-12-01", "8000.00"), ("2024-11-30", "16000.00")])
def test_example_d_second_home_130_m2(api, day, deed_tax):
    body = {"transaction_date": day, "price": "800000.00", "area_m2": "130.00", "buyer_family_homes_before": 1,
            "seller_years_held": "6"}
    assert amounts(estimate(api, body))[("deed_tax", "buyer")] == deed_tax


def test_the_calculator_needs_no_login_and_ignores_one(api, stack):
    anonymous = api.as_token(None).post("/tax/estimate", example_a())
    with_token = api.as_token(stack.issuer.clerk_token("140302")).post("/tax/estimate", example_a())
    assert anonymous.status == with_token.status == 200
    assert anonymous.json() == with_token.json()


def future(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


@pytest.mark.parametrize("change, field, code", [
    ({"price": "-1.00"}, "price", "NOT_POSITIVE"),
    ({"price": "0"}, "price", "NOT_POSITIVE"),
    ({"price": "1e12"}, "price", "TOO_LARGE"),
    ({"price": "abc"}, "price", "NOT_A_NUMBER"),
    ({"price": "NaN"}, "price", "NOT_A_NUMBER"),
    ({"price": True}, "price", "NOT_A_NUMBER"),
    ({"price": "100.001"}, "price", "TOO_PRECISE"),
    ({"assessed_price": "-5"}, "assessed_price", "NOT_POSITIVE"),
    ({"area_m2": "0"}, "area_m2", "NOT_POSITIVE"),
    ({"area_m2": "-95"}, "area_m2", "NOT_POSITIVE"),
    ({"area_m2": "95000"}, "area_m2", "TOO_LARGE"),
    ({"transaction_date": "2015-12-31"}, "transaction_date", "DATE_RANGE"),
    ({"transaction_date": "1990-01-01"}, "transaction_date", "DATE_RANGE"),
    ({"transaction_date": future(400)}, "transaction_date", "DATE_RANGE"),
    ({"transaction_date": "2021-02-30"}, "transaction_date", "DATE_FORMAT"),
    ({"transaction_date": "15/04/2021"}, "transaction_date", "DATE_FORMAT"),
    ({"transaction_date": None}, "transaction_date", "REQUIRED"),
    ({"seller_years_held": -1}, "seller_years_held", "NEGATIVE"),
    ({"seller_years_held": 1000}, "seller_years_held", "TOO_LARGE"),
    ({"buyer_family_homes_before": -1}, "buyer_family_homes_before", "OUT_OF_RANGE"),
    ({"buyer_family_homes_before": 1.5}, "buyer_family_homes_before", "NOT_AN_INTEGER"),
    ({"seller_family_only_home": "false"}, "seller_family_only_home", "NOT_A_BOOLEAN"),
    ({"pit_method": "guess"}, "pit_method", "INVALID_CHOICE"),
    ({"city_tier": "beijing"}, "city_tier", "INVALID_CHOICE"),
    ({"pit_method": "actual"}, "seller_original_cost", "REQUIRED"),
    ({"extra_certificates": 99}, "extra_certificates", "OUT_OF_RANGE"),
])
def test_absurd_input_is_a_400_naming_the_field(api, change, field, code):
    response = api.post("/tax/estimate", example_a(**change))
    assert response.status == 400, response.text
    body = response.json()
    assert body["code"] == "VALIDATION_FAILED" and body["message"]
    assert [(d["field"], d["code"]) for d in body["details"]] == [(field, code)]
    assert body["details"][0]["message"]


def test_every_bad_field_is_reported_at_once(api):
    """The model's shape first (missing, wrong type, not a choice: all of them at once), then the
    ranges the calculator checks (all of them at once): a body is refused at most twice."""
    body = api.post("/tax/estimate", {"price": "-1", "area_m2": "0", "city_tier": "x", "extra_certificates": 99}).json()
    assert {d["field"] for d in body["details"]} == {"transaction_date", "city_tier", "extra_certificates"}
    body = api.post("/tax/estimate", {"transaction_date": "1990-01-01", "price": "-1", "area_m2": "0",
                                      "seller_years_held": 1000}).json()
    assert {d["field"] for d in body["details"]} == {"transaction_date", "price", "area_m2", "seller_years_held"}


@pytest.mark.parametrize("raw", [b"", b"{oops", b"[]"])
def test_malformed_bodies_are_400(api, raw):
    response = api.request("POST", "/tax/estimate", raw=raw)
    assert response.status == 400 and response.json()["code"] in ("EMPTY_BODY", "MALFORMED_JSON")
