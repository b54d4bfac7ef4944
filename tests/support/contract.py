"""Responses checked against the model their route declares (`answers=`), as schemathesis does."""

from __future__ import annotations

from typing import Any

import msgspec
import msgspec.inspect as mi


def assert_answers(route_view_or_model: Any, body: Any, *, exhaustive: bool = False) -> Any:
    """The JSON body converted to the route's answers model (a view registered with `route(answers=)`
    or the model itself); fails naming the first field that does not fit. `exhaustive` also fails on a
    field the model does not describe (models ignore unknown fields, so a new answer field would
    otherwise go undocumented unnoticed)."""
    model = getattr(route_view_or_model, "estate_answers", None) or route_view_or_model
    if exhaustive:
        undescribed = _undescribed(mi.type_info(model), body, "$")
        if undescribed:
            raise AssertionError(f"{model.__name__}: not described: {', '.join(undescribed)}")
    try:
        return msgspec.convert(body, model, strict=True)
    except msgspec.ValidationError as error:
        raise AssertionError(f"{model.__name__}: {error}") from None


def _undescribed(kind: Any, value: Any, path: str) -> list[str]:
    if isinstance(kind, mi.Metadata):
        return _undescribed(kind.type, value, path)
    if isinstance(kind, mi.UnionType):
        return [p for option in kind.types for p in _undescribed(option, value, path)]
    if isinstance(kind, mi.StructType) and isinstance(value, dict):
        fields = {f.encode_name: f.type for f in kind.fields}
        return [f"{path}.{name}" for name in value if name not in fields] + [
            p for name, item in value.items() if name in fields for p in _undescribed(fields[name], item, f"{path}.{name}")]
    if isinstance(kind, mi.ListType) and isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _undescribed(kind.item_type, item, f"{path}[{i}]")]
    return []
