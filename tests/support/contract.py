"""Does a success answer match what the route says it answers (its `answers=` model)?"""

from typing import Any

import msgspec
import msgspec.inspect as mi


def assert_answers(route_view_or_model: Any, body: Any) -> Any:
    """`body` (the response JSON) as the model named by a view's `answers=` (or the model itself).
    Fails the test with msgspec's reason when a field is missing, of another type or not a listed
    choice, and names any field the answer carries that the model does not describe (models ignore
    unknown fields, so conversion alone would let the document fall behind the code)."""
    model = getattr(route_view_or_model, "estate_answers", None) or route_view_or_model
    try:
        value = msgspec.convert(body, model, strict=True)
    except msgspec.ValidationError as error:
        raise AssertionError(f"answer does not match {model.__name__}: {error}") from None
    undescribed = _undescribed(mi.type_info(model), body, "$")
    assert not undescribed, f"{model.__name__} does not describe {undescribed}"
    return value


def _undescribed(kind: Any, value: Any, where: str) -> list[str]:
    if isinstance(kind, mi.Metadata):
        return _undescribed(kind.type, value, where)
    if isinstance(kind, mi.UnionType):
        return [p for option in kind.types for p in _undescribed(option, value, where)]
    if isinstance(kind, mi.ListType) and isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _undescribed(kind.item_type, item, f"{where}[{i}]")]
    if isinstance(kind, mi.StructType) and isinstance(value, dict):
        fields = {f.encode_name: f.type for f in kind.fields}
        return [f"{where}.{key}" for key in value if key not in fields] + [
            p for key, item in value.items() if key in fields for p in _undescribed(fields[key], item, f"{where}.{key}")]
    return []
