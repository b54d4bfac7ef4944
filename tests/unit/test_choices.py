"""A choice field answered with a list or an object is a field error, never a 500.

The fuzzer (tests/e2e/test_fuzz_openapi.py) found `POST /applications {"business": []}` and
`POST /queries {"scope": {}}` answering 500: `value not in <dict>` raises TypeError for unhashable
JSON values. Every choice check now goes through estate.domain.ids.is_choice.
"""

from __future__ import annotations

from datetime import date

import pytest

from estate.domain.ids import is_choice
from estate.apply.models import ContractForm, StartForm
from estate.schema import parse
from estate.errors import ValidationError
from estate.queries.models import QueryForm
from local.driver.flows import contract_body

UNHASHABLE = [[], ["sale"], {}, {"sale": 1}]


@pytest.mark.parametrize("value, expected", [("sale", True), ("rent", False), (None, False), (1, False),
                                             (True, False), *[(value, False) for value in UNHASHABLE]])
def test_only_a_listed_string_is_a_choice(value, expected):
    assert is_choice(value, {"sale": "买卖", "loan-sale": "贷款买卖"}) is expected
    assert is_choice(value, ("sale", "loan-sale")) is expected


def _fields(error: ValidationError) -> dict[str, str]:
    return {detail.field: detail.code for detail in error.details}


@pytest.mark.parametrize("value", UNHASHABLE)
def test_starting_an_application_with_a_list_or_object_as_business_or_role_is_a_field_error(value):
    with pytest.raises(ValidationError) as raised:
        parse(StartForm, {"business": value, "role": value, "face_check": "f", "notice_accepted": True})
    assert {"business", "role"} <= set(_fields(raised.value))


@pytest.mark.parametrize("value", UNHASHABLE)
def test_a_property_query_with_a_list_or_object_as_scope_is_a_field_error(value):
    with pytest.raises(ValidationError) as raised:
        parse(QueryForm, {"scope": value, "notice_accepted": True})
    assert _fields(raised.value)["scope"] == "INVALID_CHOICE"


@pytest.mark.parametrize("value", UNHASHABLE)
def test_a_contract_with_a_list_or_object_as_payment_method_or_tax_bearer_is_a_field_error(value):
    today = date(2024, 5, 6)
    body = {**contract_body("600000.00", today), "payment_method": value, "taxes_borne_by": value}
    with pytest.raises(ValidationError) as raised:
        parse(ContractForm, body)
    assert {"payment_method", "taxes_borne_by"} <= set(_fields(raised.value))
