"""estate.schema: a model validates a body field by field (every error at once, in our codes and
Chinese) and describes itself as JSON Schema for docs/openapi.json."""

from __future__ import annotations

from typing import Annotated, ClassVar

import msgspec
import pytest

from estate.errors import ValidationError
from estate.schema import Model, accepted, choice, day, flag, json_schemas, money, parse, text

METHODS = {"lump_sum": "一次性付款", "loan": "贷款付款"}


class Stage(Model):
    stage: text(50, title="付款阶段")
    amount: money("金额")
    due_date: day("付款日期")


class Form(Model):
    form_message: ClassVar[str] = "合同信息有误，请检查标红的必填项"
    price: money("成交价格")
    deposit: money("定金") | None = None
    payment_method: choice(METHODS, title="付款方式", message="付款方式应为一次性付款或贷款付款")
    schedule: Annotated[list[Stage], msgspec.Meta(min_length=1, max_length=3)]
    notice_accepted: accepted("请勾选须知")
    buyers_before: Annotated[int, msgspec.Meta(ge=0, le=9)] = 0
    first_home: flag("首套") | None = None
    note: text(5) | None = None


GOOD = {"price": "520000.00", "payment_method": "loan", "notice_accepted": True,
        "schedule": [{"stage": "首付", "amount": 520000, "due_date": "2026-12-31"}]}


def details(body) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as refused:
        parse(Form, body, Form.form_message)
    assert refused.value.message == Form.form_message
    assert all(d.message for d in refused.value.details)
    return [(d.field, d.code) for d in refused.value.details]


def test_a_good_body_becomes_the_typed_value_with_defaults():
    form = parse(Form, GOOD)
    assert form.payment_method == "loan" and form.deposit is None and form.buyers_before == 0
    assert form.schedule[0].stage == "首付" and form.schedule[0].amount == 520000


def test_every_wrong_field_is_reported_at_once_with_its_path_and_code():
    body = {"price": None, "payment_method": ["loan"], "notice_accepted": False, "buyers_before": -1,
            "first_home": "yes", "note": "太长了太长了",
            "schedule": [{"stage": "x" * 51, "amount": "1"}, 3]}
    assert details(body) == [
        ("price", "REQUIRED"), ("payment_method", "INVALID_CHOICE"), ("schedule[0].stage", "TOO_LONG"),
        ("schedule[0].due_date", "REQUIRED"), ("schedule[1]", "NOT_OBJECT"),
        ("notice_accepted", "NOTICE_NOT_ACCEPTED"), ("buyers_before", "OUT_OF_RANGE"),
        ("first_home", "NOT_BOOLEAN"), ("note", "TOO_LONG")]


@pytest.mark.parametrize(("field", "value", "code"), [
    ("payment_method", "cash", "INVALID_CHOICE"),
    ("payment_method", {"$ne": 1}, "INVALID_CHOICE"),
    ("price", "   ", "REQUIRED"),
    ("price", True, "NOT_A_NUMBER"),
    ("price", [1], "NOT_A_NUMBER"),
    ("schedule", [], "REQUIRED"),
    ("schedule", [GOOD["schedule"][0]] * 4, "TOO_MANY"),
    ("schedule", "首付", "NOT_LIST"),
    ("buyers_before", 1.5, "NOT_A_NUMBER"),
    ("buyers_before", "2", "NOT_A_NUMBER"),
    ("notice_accepted", "true", "NOTICE_NOT_ACCEPTED"),
])
def test_one_wrong_field(field, value, code):
    assert details({**GOOD, field: value}) == [(field, code)]


def test_a_body_that_is_not_an_object_is_refused():
    with pytest.raises(ValidationError) as refused:
        parse(Form, ["price"])
    assert [(d.field, d.code) for d in refused.value.details] == [("body", "NOT_OBJECT")]


def test_unknown_fields_are_ignored_for_newer_apps():
    assert parse(Form, {**GOOD, "coupon": "x"}).price == "520000.00"


def test_the_schema_carries_titles_labels_and_constraints():
    refs, components = json_schemas([Form])
    assert refs == [{"$ref": "#/components/schemas/Form"}]
    form = components["Form"]
    assert set(form["required"]) == {"price", "payment_method", "schedule", "notice_accepted"}
    method = form["properties"]["payment_method"]
    assert sorted(method["enum"]) == ["loan", "lump_sum"] and method["x-enum-labels"] == METHODS
    assert method["title"] == "付款方式"
    assert form["properties"]["schedule"]["maxItems"] == 3
    assert components["Stage"]["properties"]["stage"]["maxLength"] == 50
    assert components["Stage"]["properties"]["due_date"]["format"] == "date"
    assert "form_message" not in form["properties"]
