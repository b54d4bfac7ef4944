"""Does a success answer match what the route says it answers (its `answers=` model)?"""

from typing import Any

import msgspec


def assert_answers(route_view_or_model: Any, body: Any) -> Any:
    """`body` (the response JSON) as the model named by a view's `answers=` (or the model itself);
    fails the test with msgspec's reason when a field is missing, extra-typed or not a listed choice."""
    model = getattr(route_view_or_model, "estate_answers", None) or route_view_or_model
    try:
        return msgspec.convert(body, model, strict=True)
    except msgspec.ValidationError as error:
        raise AssertionError(f"answer does not match {model.__name__}: {error}") from None
