"""Responses checked against the model their route declares (`answers=`), as schemathesis does."""

from __future__ import annotations

from typing import Any

import msgspec


def assert_answers(route_view_or_model: Any, body: Any) -> Any:
    """The JSON body converted to the route's answers model (a view registered with `route(answers=)`
    or the model itself); fails naming the first field that does not fit."""
    model = getattr(route_view_or_model, "estate_answers", None) or route_view_or_model
    try:
        return msgspec.convert(body, model, strict=True)
    except msgspec.ValidationError as error:
        raise AssertionError(f"{model.__name__}: {error}") from None
