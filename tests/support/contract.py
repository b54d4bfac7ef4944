"""Responses checked against the route's `answers=` model (docs/openapi.json describes them)."""

from __future__ import annotations

from typing import Any

import msgspec


def assert_answers(route_view_or_model: Any, body: Any) -> Any:
    """The response JSON as the model's value; fails naming the first field that breaks it."""
    model = getattr(route_view_or_model, "estate_answers", None) or route_view_or_model
    try:
        return msgspec.convert(body, model)
    except msgspec.ValidationError as error:
        raise AssertionError(f"response does not match {model.__name__}: {error}") from None
