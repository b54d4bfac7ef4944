"""Request and response models: msgspec Structs that both validate a body and describe it in
docs/openapi.json (tools/openapi.py reads them from the routes), so the document cannot drift.

A model carries the shape and the per-field constraints (type, required, choices with their
Chinese labels, lengths, ranges, patterns); rules that span fields (shares summing to 100 %, a
deposit within 20 % of the price) stay pure functions in estate.domain.

msgspec stops at the first error, but a form on a phone needs every wrong field marked at once,
in our vocabulary (REQUIRED, INVALID_CHOICE, TOO_LONG, …) and in Chinese. `parse` therefore
walks the model's own type description (msgspec.inspect) over the body, collecting a FieldError
for every field that breaks its declared constraint, and only then lets msgspec build the typed
value. The walker reads constraints; it declares none: the Struct is the single source.

    class Stage(Model):
        stage: Text[50]
        amount: Money

    body = parse(ContractForm, request.json(), "合同信息有误，请检查标红的必填项")
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any, Literal

import msgspec
import msgspec.inspect as mi

from estate.errors import FieldErrors

__all__ = ["Model", "parse", "choice", "text", "key", "money", "day", "flag", "accepted", "json_schemas"]


class _ModelMeta(msgspec.StructMeta):
    """Every model is keyword-only (msgspec's kw_only covers only the fields of the class that
    sets it), so a required field may follow an optional one in the order a form shows them."""

    def __new__(mcls, name: str, bases: tuple, namespace: dict, **options: Any) -> Any:
        options.setdefault("kw_only", True)
        return super().__new__(mcls, name, bases, namespace, **options)


class Model(msgspec.Struct, metaclass=_ModelMeta):
    """Base of every request and response model; unknown fields are ignored (an older server
    must accept a newer app's extra fields). A request model may set `form_message: ClassVar[str]`,
    the summary shown above its field errors."""


# Default messages per failure; a field overrides them with Meta(extra={"messages": {kind: text}})
# and the code with Meta(extra={"codes": {kind: CODE}}).
_CODES = {"required": "REQUIRED", "type": "WRONG_TYPE", "choice": "INVALID_CHOICE", "too_long": "TOO_LONG",
          "too_short": "TOO_SHORT", "too_many": "TOO_MANY", "pattern": "FORMAT", "range": "OUT_OF_RANGE"}
_TYPE_CODES = {"str": "NOT_TEXT", "int": "NOT_A_NUMBER", "float": "NOT_A_NUMBER", "bool": "NOT_BOOLEAN",
               "object": "NOT_OBJECT", "list": "NOT_LIST", "date": "DATE_FORMAT"}
_TYPE_WORDS = {"str": "文字", "int": "整数", "float": "数字", "bool": "是或否", "object": "对象", "list": "列表",
               "date": "日期（YYYY-MM-DD）"}


def _meta(**extra: Any) -> msgspec.Meta:
    schema = {k: v for k, v in extra.items() if k in ("title", "description", "examples")}
    json_extra = extra.pop("json_schema", None) or {}
    rules = {k: v for k, v in extra.items() if k in ("codes", "messages")}
    constraints = {k: v for k, v in extra.items() if k in ("max_length", "min_length", "pattern", "ge", "le", "gt", "lt")}
    return msgspec.Meta(**constraints, **schema, extra_json_schema=json_extra or None, extra=rules or None)


def text(max_length: int = 200, *, title: str | None = None, min_length: int | None = None,
         pattern: str | None = None, examples: list | None = None, **rules: Any) -> Any:
    """A string of at most max_length characters (blank counts as missing when required)."""
    return Annotated[str, _meta(max_length=max_length, min_length=min_length, pattern=pattern, title=title,
                                examples=examples, **rules)]


def choice(labels: dict[str, str], *, title: str | None = None, message: str | None = None,
           code: str | None = None) -> Any:
    """One of labels' keys; the Chinese labels go into the document as x-enum-labels."""
    rules: dict[str, Any] = {}
    if message:
        rules["messages"] = {"choice": message, "type": message}
    if code:
        rules["codes"] = {"choice": code, "type": code}
    return Annotated[Literal[tuple(labels)], _meta(title=title, json_schema={"x-enum-labels": dict(labels)}, **rules)]  # type: ignore[misc]


MONEY_PATTERN = r"^\d{1,9}(\.\d{1,2})?$"


def money(title: str | None = None) -> Any:
    """Yuan as a decimal string with at most two decimals ("520000.00"); a JSON number is accepted
    too (older clients). Range and precision are the domain's rules (AMOUNT_RANGE, TOO_PRECISE)."""
    return Annotated[str | int | float, _meta(title=title, examples=["520000.00"], json_schema={
        "description": "金额（元），字符串，最多两位小数，如 \"520000.00\""},
        codes={"type": "NOT_A_NUMBER"}, messages={"type": "应为金额，例如 520000.00"})]


def day(title: str | None = None) -> Any:
    """A calendar date as YYYY-MM-DD (kept as text; the domain decides past/future rules)."""
    return Annotated[str, _meta(title=title, examples=["2026-12-31"], max_length=10,
                                json_schema={"format": "date"},
                                codes={"too_long": "DATE_FORMAT", "type": "DATE_FORMAT"},
                                messages={"too_long": "日期格式应为 YYYY-MM-DD", "type": "日期格式应为 YYYY-MM-DD"})]


def flag(title: str | None = None) -> Any:
    return Annotated[bool, _meta(title=title)]


def accepted(message: str, title: str | None = None) -> Any:
    """A notice the user must tick: only `true` passes (NOTICE_NOT_ACCEPTED otherwise)."""
    return Annotated[Literal[True], _meta(title=title, codes={"choice": "NOTICE_NOT_ACCEPTED", "type": "NOTICE_NOT_ACCEPTED",
                                                              "required": "NOTICE_NOT_ACCEPTED"},
                                          messages={"choice": message, "type": message, "required": message})]


def parse(model: type[Model], data: Any, message: str = "提交的信息有误，请检查后重新提交") -> Any:
    """The body as a `model` value, or ValidationError listing every field that breaks the model."""
    errors = FieldErrors()
    cleaned = _check_struct(errors, _info(model), data, "")
    errors.raise_if_any(message)
    return msgspec.convert(cleaned, model, strict=False)


@functools.cache
def _info(model: type) -> mi.StructType:
    return mi.type_info(model)  # type: ignore[return-value]


def _check_struct(errors: FieldErrors, info: mi.StructType, data: Any, path: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        errors.add(path or "body", "NOT_OBJECT", "应为对象")
        return {}
    cleaned: dict[str, Any] = {}
    for field in info.fields:
        where = f"{path}.{field.encode_name}" if path else field.encode_name
        raw = data.get(field.encode_name)
        if _blank(raw):
            if field.required:
                _fail(errors, where, field.type, "required", "此项为必填项")
            continue
        value = _check_value(errors, field.type, raw, where)
        if value is not _INVALID:
            cleaned[field.encode_name] = value
    return cleaned


_INVALID = object()


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _check_value(errors: FieldErrors, kind: Any, raw: Any, where: str, rules: Any = None) -> Any:  # noqa: C901 - one branch per msgspec type
    if isinstance(kind, mi.Metadata):
        return _check_value(errors, kind.type, raw, where, kind)
    if isinstance(kind, mi.UnionType):
        options = [t for t in kind.types if not isinstance(t, mi.NoneType)]
        if len(options) == 1:  # an optional field (T | None): T's own errors (NOT_OBJECT, NOT_TEXT, …)
            return _check_value(errors, options[0], raw, where, rules)
        for option in options:  # the first option the value's JSON type fits
            if _fits(option, raw):
                return _check_value(errors, option, raw, where, rules)
        if len(options) == 1:  # `T | None`: T's own refusal (NOT_BOOLEAN, NOT_TEXT, …)
            return _check_value(errors, options[0], raw, where, rules)
        return _fail(errors, where, rules, "type", "格式不正确")
    if isinstance(kind, mi.LiteralType):
        if isinstance(raw, (dict, list)) or raw not in kind.values:
            return _fail(errors, where, rules, "choice", "不是可选的值")
        return raw
    if isinstance(kind, mi.StrType):
        if not isinstance(raw, str):
            return _fail(errors, where, rules, "type", "应为文字", type_name="str")
        if kind.max_length is not None and len(raw) > kind.max_length:
            return _fail(errors, where, rules, "too_long", f"不能超过{kind.max_length}个字")
        if kind.min_length is not None and len(raw.strip()) < kind.min_length:
            return _fail(errors, where, rules, "too_short", f"不能少于{kind.min_length}个字")
        if kind.pattern is not None and not re.search(kind.pattern, raw):
            return _fail(errors, where, rules, "pattern", "格式不正确")
        return raw
    if isinstance(kind, mi.BoolType):
        if not isinstance(raw, bool):
            return _fail(errors, where, rules, "type", "应为是或否", type_name="bool")
        return raw
    if isinstance(kind, (mi.IntType, mi.FloatType)):
        name = "int" if isinstance(kind, mi.IntType) else "float"
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or (name == "int" and not float(raw).is_integer()):
            return _fail(errors, where, rules, "type", f"应为{_TYPE_WORDS[name]}", type_name=name)
        if raw != raw or raw in (float("inf"), float("-inf")):
            return _fail(errors, where, rules, "type", "应为数字", type_name=name)
        low = kind.ge if kind.ge is not None else kind.gt
        high = kind.le if kind.le is not None else kind.lt
        if ((kind.ge is not None and raw < kind.ge) or (kind.gt is not None and raw <= kind.gt)
                or (kind.le is not None and raw > kind.le) or (kind.lt is not None and raw >= kind.lt)):
            bounds = "、".join(s for s in (f"不小于{low}" if low is not None else "",
                                           f"不大于{high}" if high is not None else "") if s)
            return _fail(errors, where, rules, "range", f"应{bounds}")
        return int(raw) if name == "int" else raw
    if isinstance(kind, mi.ListType):
        if not isinstance(raw, list):
            return _fail(errors, where, rules, "type", "应为列表", type_name="list")
        if kind.min_length and len(raw) < kind.min_length:
            return _fail(errors, where, rules, "required", "此项为必填项")
        if kind.max_length is not None and len(raw) > kind.max_length:
            return _fail(errors, where, rules, "too_many", f"最多{kind.max_length}项")
        items = [_check_value(errors, kind.item_type, item, f"{where}[{i}]") for i, item in enumerate(raw)]
        return [item for item in items if item is not _INVALID]
    if isinstance(kind, mi.DictType):
        if not isinstance(raw, dict):
            return _fail(errors, where, rules, "type", "应为对象", type_name="object")
        return {key: value for key, item in raw.items()
                if (value := _check_value(errors, kind.value_type, item, f"{where}.{key}")) is not _INVALID}
    if isinstance(kind, mi.StructType):
        before = len(errors.errors)
        cleaned = _check_struct(errors, kind, raw, where)
        return cleaned if len(errors.errors) == before else _INVALID
    return raw  # Any: the domain reads it


# Which JSON values each msgspec type can take, to pick the option of a union a value is meant for.
_ACCEPTS: dict[type, Any] = {
    mi.StrType: lambda raw: isinstance(raw, str),
    mi.BoolType: lambda raw: isinstance(raw, bool),
    mi.IntType: lambda raw: isinstance(raw, int) and not isinstance(raw, bool),
    mi.FloatType: lambda raw: isinstance(raw, (int, float)) and not isinstance(raw, bool),
    mi.ListType: lambda raw: isinstance(raw, list),
    mi.StructType: lambda raw: isinstance(raw, dict),
    mi.DictType: lambda raw: isinstance(raw, dict),
    mi.LiteralType: lambda raw: isinstance(raw, (str, int, bool)),
}


def _fits(kind: Any, raw: Any) -> bool:
    inner = kind.type if isinstance(kind, mi.Metadata) else kind
    accepts = _ACCEPTS.get(type(inner))
    return accepts(raw) if accepts else True


def _fail(errors: FieldErrors, where: str, rules: Any, kind: str, default: str, *, type_name: str = "") -> Any:
    extra = (rules.extra if isinstance(rules, mi.Metadata) else None) or {}
    code = (extra.get("codes") or {}).get(kind) or (_TYPE_CODES.get(type_name) if kind == "type" else None) or _CODES[kind]
    message = (extra.get("messages") or {}).get(kind) or default
    errors.add(where, code, message)
    return _INVALID


def json_schemas(models: list[type], ref_prefix: str = "#/components/schemas/") -> tuple[list[dict], dict[str, dict]]:
    """The models' JSON Schemas as OpenAPI components (tools/openapi.py)."""
    refs, components = msgspec.json.schema_components(models, ref_template=ref_prefix + "{name}")
    return list(refs), components


def key(required_message: str = "此项为必填项", *, title: str | None = None) -> Any:
    """An identifier the app was handed (outlet code, captcha id, face check id): id-shaped as
    estate.domain.ids.parse_key requires, so nothing else reaches a DynamoDB look-up. Codes as
    parse_key's: KEY_REQUIRED when missing, KEY_FORMAT otherwise."""
    from estate.domain.ids import KEY_MAX_LENGTH, KEY_PATTERN

    wrong = "编号格式不正确，请重新选择或刷新页面"
    return text(KEY_MAX_LENGTH, title=title, pattern=KEY_PATTERN,
                codes={"required": "KEY_REQUIRED", "type": "KEY_FORMAT", "too_long": "KEY_FORMAT", "pattern": "KEY_FORMAT"},
                messages={"required": required_message, "type": wrong, "too_long": wrong, "pattern": wrong})
