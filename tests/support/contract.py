"""Responses checked against the route's `answers=` model (the document's success schema)."""

from __future__ import annotations

from typing import Any

import msgspec


def assert_answers(route_view_or_model: Any, body: Any) -> Any:
    """The response JSON converted to the model (a view decorated with `answers=`, or the model itself);
    fails with msgspec's path to the first field that does not match."""
    model = getattr(route_view_or_model, "estate_answers", route_view_or_model)
    assert model is not None, f"{route_view_or_model!r} declares no answers model"
    try:
        return msgspec.convert(body, model, strict=False)
    except msgspec.ValidationError as error:
        raise AssertionError(f"response does not match {model.__name__}: {error}") from error
