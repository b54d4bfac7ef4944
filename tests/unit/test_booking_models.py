"""The booking and query bodies as models: every wrong field at once, in the codes the app already
switches on (KEY_REQUIRED / KEY_FORMAT for ids, INVALID_DATE, INVALID_QUOTA, NOTICE_NOT_ACCEPTED)."""

from __future__ import annotations

import pytest

from estate.booking.models import BookingForm, QuotaForm
from estate.errors import ValidationError
from estate.queries.models import QueryForm
from estate.schema import parse

BOOKING = {"outlet": "140302", "business": "sale", "date": "2026-09-29", "period": "am", "captcha_id": "cap_1",
           "captcha_answer": "7KQ3", "notice_accepted": True}


def refusal(model, body) -> tuple[str, dict[str, str]]:
    with pytest.raises(ValidationError) as raised:
        parse(model, body)
    return raised.value.message, {d.field: d.code for d in raised.value.details}


def test_a_good_booking_parses_to_the_typed_form():
    form = parse(BookingForm, {**BOOKING, "extra": "ignored"})
    assert (form.outlet, form.date, form.period, form.notice_accepted) == ("140302", "2026-09-29", "am", True)


def test_an_empty_booking_names_every_field():
    _, fields = refusal(BookingForm, {})
    assert fields == {"outlet": "KEY_REQUIRED", "business": "KEY_REQUIRED", "date": "REQUIRED",
                      "period": "REQUIRED", "captcha_id": "KEY_REQUIRED", "captcha_answer": "REQUIRED",
                      "notice_accepted": "NOTICE_NOT_ACCEPTED"}


@pytest.mark.parametrize("field, value, code", [
    ("outlet", "14/0302", "KEY_FORMAT"), ("outlet", 140302, "KEY_FORMAT"), ("outlet", "x" * 65, "KEY_FORMAT"),
    ("date", "2026-9-29", "INVALID_DATE"), ("date", 20260929, "INVALID_DATE"),
    ("period", "evening", "INVALID_CHOICE"), ("period", {}, "INVALID_CHOICE"),
    ("notice_accepted", False, "NOTICE_NOT_ACCEPTED"), ("notice_accepted", "yes", "NOTICE_NOT_ACCEPTED"),
])
def test_a_wrong_booking_field_is_named_with_its_code(field, value, code):
    _, fields = refusal(BookingForm, {**BOOKING, field: value})
    assert fields == {field: code}


@pytest.mark.parametrize("capacity", [-1, 501, 2.5, "20", True, None])
def test_a_quota_outside_0_to_500_whole_places_is_invalid(capacity):
    _, fields = refusal(QuotaForm, {"business": "sale", "date": "2026-09-30", "period": "pm", "capacity": capacity})
    assert fields == {"capacity": "INVALID_QUOTA"}


def test_a_quota_defaults_to_the_clerks_outlet():
    form = parse(QuotaForm, {"business": "sale", "date": "2026-09-30", "period": "pm", "capacity": 0})
    assert form.outlet is None and form.capacity == 0


def test_a_query_purpose_is_at_most_100_characters():
    _, fields = refusal(QueryForm, {"outlet": "140302", "scope": "city", "purpose": "查" * 101,
                                          "captcha_id": "c", "captcha_answer": "a", "face_check": "f",
                                          "notice_accepted": True})
    assert fields == {"purpose": "TOO_LONG"}
