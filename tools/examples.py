"""Examples for docs/openapi.json, built from the seed (data/seed/register.json, data/content/*.json).

A model whose shape a seed document already has (the outlets, business types, banks, a policy …)
gets that document, its lists cut to two entries. Any other model gets a value built field by field
from one seeded sale: a seller and a buyer from the register, their unit, its outlet and bank, each
field filled from the seed record whose key it shares (name, id_number, unit_number, location,
outlet, certificate_number …), a choice with its first value (and the `_label` beside it with that
value's Chinese label), amounts, dates and counts with fixed values. Every example is converted to its
model before it is used, so the document never shows one the model would refuse. Deterministic:
no clock, no random ids.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import msgspec
import msgspec.inspect as mi

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data/seed/register.json"
CONTENT = ROOT / "data/content"
LIST_ITEMS = 2

# Values for fields the seed does not carry, by field name (ids as the service shapes them).
FIXED: dict[str, Any] = {
    "id": "ap_Q7x2Lm9Rk1vT", "application_id": "ap_Q7x2Lm9Rk1vT", "material_id": "mt_3Fh8Kq2Wz0", "face_check": "fc_k2Jd9QwE4rTy",
    "captcha_id": "cap_8Hk3Lm2Qp", "captcha_answer": "4821", "number": "YY20261215AM0007", "verification_code": "482913",
    "created_at": "2026-12-01T09:30:00+08:00", "updated_at": "2026-12-01T10:05:00+08:00", "at": "2026-12-01T09:30:00+08:00",
    "expires_at": "2026-12-01T09:45:00+08:00", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "url": "https://files.estate.example.invalid/…", "content_type": "image/jpeg", "category": "id_card_seller",
    "price": "520000.00", "deposit": "50000.00", "amount": "520000.00", "area_m2": "72.15", "similarity": 98.6,
    "stage": "首付款", "handover": "交房时结清水、电、燃气费用", "fixtures": "厨房橱柜、热水器", "lease_status": "无租赁",
    "holding_mode_label": "单独所有", "share": None, "status": "SUBMITTED", "status_label": "已提交",
    "message": "示例提示", "reason": "买方放弃购买", "note": "示例说明", "title": "示例标题", "doc": "application_form",
    "session": "ls_Rk1vTq2Wz0Hk3L", "return_to": "/transfer/sale/start", "provider": "tencent",
    "provider_session": "CE661F1A-0F1E-45BD-BE13-34C05CEA7681",
}
DATE = "2026-12-15"


@functools.cache
def _seed() -> dict:
    return json.loads(SEED.read_text())


@functools.cache
def _context() -> dict[str, Any]:
    """One seeded sale, flattened to the field names the models use."""
    register = _seed()
    unit = next(u for u in register["units"] if u.get("scenario") == "single")
    owner = unit["right"]["owners"][0]
    seller = next(p for p in register["people"] if p["id_number"] == owner["id_number"])
    buyer = next(p for p in register["people"] if p.get("role") == "buyer" or p["id_number"] != seller["id_number"])
    bank = next(b for b in register["banks"] if any(br["outlet"] == unit["outlet"] for br in b["branches"]))
    branch = next(br for br in bank["branches"] if br["outlet"] == unit["outlet"])
    context = {**{k: v for k, v in unit["right"].items() if not isinstance(v, (list, dict))},
               **{k: v for k, v in unit.items() if not isinstance(v, (list, dict))},
               **seller, "seller_name": seller["name"], "seller_id_number": seller["id_number"],
               "buyer_name": buyer["name"], "buyer_id_number": buyer["id_number"],
               "unit": unit["unit_number"], "bank": bank["code"], "branch": branch["code"],
               "bank_name": bank["name"], "branch_name": branch["name"], "business": "sale"}
    outlets = json.loads((CONTENT / "outlets.json").read_text())["outlets"]
    outlet = next((o for o in outlets if o["code"] == unit["outlet"]), outlets[0])
    context.update(commission=outlet.get("arbitration_commission"), court=outlet.get("court"), outlet_name=outlet["name"])
    context["unit_number_display"] = " ".join((unit["unit_number"][:6], unit["unit_number"][6:12],
                                               unit["unit_number"][12:19], unit["unit_number"][19:]))
    context.pop("scenario", None)
    return context


@functools.cache
def _buyer_context() -> dict[str, Any]:
    """The same sale seen from the buyer's list: the buyer's own name, ID number, phone and address."""
    context = _context()
    buyer = next(p for p in _seed()["people"] if p["id_number"] == context["buyer_id_number"])
    return {**context, **{k: buyer[k] for k in ("name", "id_number", "phone", "address", "marital_status") if k in buyer}}


@functools.cache
def _documents() -> list[Any]:
    """Seed documents a whole answer may have the shape of, lists cut short."""
    found: list[Any] = [{"banks": _seed()["banks"]}]
    for path in sorted(CONTENT.glob("*.json")):
        document = json.loads(path.read_text())
        found.append(document)
        for value in document.values():  # one item of a list answers a GET /…/{id}
            if isinstance(value, list) and value and isinstance(value[0], dict):
                found.append(value[0])
    return [_shorten(d) for d in found]


def _shorten(value: Any) -> Any:
    if isinstance(value, list):
        return [_shorten(v) for v in value[:LIST_ITEMS]]
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    return value


def example(model: type) -> Any | None:
    """An example of `model` that converts to it, or None when none can be made."""
    info = mi.type_info(model)
    names = {f.encode_name for f in info.fields}  # type: ignore[attr-defined]
    for document in _documents():
        if isinstance(document, dict) and names & set(document) and set(document) <= names | {"scenario"} \
                and all(f.encode_name in document for f in info.fields if f.required):  # type: ignore[attr-defined]
            if _converts(document, model):
                return document
    built = _value(info, "", 0)
    return built if _converts(built, model) else None


def _converts(value: Any, model: type) -> bool:
    try:
        msgspec.convert(value, model, strict=False)
    except msgspec.ValidationError:
        return False
    return True


def _value(kind: Any, name: str, depth: int, rules: Any = None, context: dict | None = None) -> Any:  # noqa: C901 - one branch per msgspec type
    context = context if context is not None else _context()
    if isinstance(kind, mi.Metadata):
        return _value(kind.type, name, depth, kind, context)
    if isinstance(kind, mi.UnionType):
        options = [t for t in kind.types if not isinstance(t, mi.NoneType)]
        return _value(options[0], name, depth, rules, context) if options else None
    if isinstance(kind, mi.LiteralType):
        seeded = context.get(name, FIXED.get(name))
        return seeded if seeded in kind.values else kind.values[0]
    if isinstance(kind, mi.StructType):
        if depth > 6:
            return {}
        built: dict[str, Any] = {}
        for field in kind.fields:
            inner = _buyer_context() if field.encode_name in ("buyers", "buyer_families") else context
            value = _value(field.type, field.encode_name, depth + 1, None, inner)
            left_out = not field.required and field.encode_name in FIXED and FIXED[field.encode_name] is None
            if value is not None and not left_out:
                built[field.encode_name] = value
        for key in list(built):  # a choice's label beside it
            labels = _labels(kind, key)
            if labels and f"{key}_label" in built:
                built[f"{key}_label"] = labels.get(built[key], built[f"{key}_label"])
        return built
    if isinstance(kind, mi.ListType):
        item = _value(kind.item_type, name, depth + 1, None, context)
        return [] if item is None else [item]
    if isinstance(kind, mi.DictType):
        item = _value(kind.value_type, "", depth + 1, None, context)
        return {} if item is None else {"S1" if name == "answers" else "key": item}
    if isinstance(kind, mi.StrType):
        return _text(kind, name, rules, context)
    if isinstance(kind, mi.BoolType):
        return True
    if isinstance(kind, mi.IntType):
        low = kind.ge if kind.ge is not None else (kind.gt + 1 if kind.gt is not None else 1)
        return max(low, 1) if kind.le is None or kind.le >= 1 else low
    if isinstance(kind, mi.FloatType):
        return FIXED.get(name, 1.0)
    return None


def _text(kind: mi.StrType, name: str, rules: Any, context: dict) -> str:
    examples = ((getattr(rules, "extra_json_schema", None) or {}).get("examples") or []) if rules is not None else []
    seeded = context.get(name, FIXED.get(name))
    candidates = [seeded] if isinstance(seeded, str) else []
    if (getattr(rules, "extra_json_schema", None) or {}).get("format") == "date" or name.endswith(("_date", "_on")):
        candidates.append(DATE)
    candidates += [e for e in examples if isinstance(e, str)] + ["示例"]
    for candidate in candidates:
        if (kind.max_length is None or len(candidate) <= kind.max_length) and \
                (kind.min_length is None or len(candidate) >= kind.min_length) and \
                (kind.pattern is None or re.search(kind.pattern, candidate)):
            return candidate
    return "a" * max(kind.min_length or 1, 1)


def _labels(kind: mi.StructType, key: str) -> dict[str, str]:
    field = next((f for f in kind.fields if f.encode_name == key), None)
    meta = field.type if field is not None else None
    while isinstance(meta, (mi.Metadata, mi.UnionType)):
        if isinstance(meta, mi.Metadata):
            labels = (meta.extra_json_schema or {}).get("x-enum-labels")
            if labels:
                return labels
            meta = meta.type
        else:
            meta = next((t for t in meta.types if not isinstance(t, mi.NoneType)), None)
    return {}
