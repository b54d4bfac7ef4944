"""Read-only reference content for the app's home and service screens."""

from __future__ import annotations

from estate.domain.ids import add_key
from estate.domain.materials import MARITAL_STATUSES, CaseFacts, evaluate_checklist
from estate.errors import FieldErrors, NotFound
from estate.store import content

_BOOLEAN_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def list_outlets() -> dict:
    return {"outlets": content.list_published("outlet")}


def get_outlet(code: str) -> dict:
    outlet = content.get_published("outlet", code)
    if outlet is None:
        raise NotFound("办理网点不存在", code="OUTLET_NOT_FOUND")
    return outlet


def list_business_types() -> dict:
    return {"business_types": content.list_published("business_type")}


def _case_facts(query: dict[str, str], business: str) -> CaseFacts:
    errors = FieldErrors()
    marital = {}
    for side in ("seller", "buyer"):
        value = query.get(f"{side}_marital_status")
        if value is not None and value not in MARITAL_STATUSES:
            errors.add(f"{side}_marital_status", "INVALID_CHOICE", "婚姻状况应为 single/married/divorced/widowed 之一")
        marital[side] = value
    flags = {}
    for name in ("court_decision", "agent"):
        value = query.get(name)
        if value is not None and value.lower() not in _BOOLEAN_WORDS:
            errors.add(name, "INVALID_BOOLEAN", "应为 true 或 false")
        flags[name] = None if value is None else _BOOLEAN_WORDS.get(value.lower())
    errors.raise_if_any()
    return CaseFacts(seller_marital_status=marital["seller"], buyer_marital_status=marital["buyer"],
                     court_decision=flags["court_decision"], agent=flags["agent"],
                     loan=business == "loan-sale")


def materials_checklist(query: dict[str, str]) -> dict:
    errors = FieldErrors()
    business = add_key(errors, "business", query.get("business"), "请选择业务类型")
    errors.raise_if_any()
    checklist = content.get_published("materials", business)
    if checklist is None:
        raise NotFound("该业务类型没有材料清单", code="BUSINESS_NOT_FOUND")
    items = evaluate_checklist(checklist["items"], _case_facts(query, business))
    return {"business": business, "items": items}


def list_policies() -> dict:
    return {"policies": [_summary(p, ("id", "title", "issuer", "doc_number", "published_on", "summary", "tags"))
                         for p in content.list_published("policy")]}


def get_policy(policy_id: str) -> dict:
    return _get("policy", policy_id, "POLICY_NOT_FOUND", "政策文件不存在或已撤回")


def list_guides(query: dict[str, str]) -> dict:
    guides = content.list_published("guide")
    if query.get("business"):
        guides = [g for g in guides if g.get("business") == query["business"]]
    return {"guides": [_summary(g, ("id", "business", "title", "hours", "phone")) for g in guides]}


def get_guide(guide_id: str) -> dict:
    return _get("guide", guide_id, "GUIDE_NOT_FOUND", "办事指南不存在或已撤回")


def list_faqs(query: dict[str, str]) -> dict:
    faqs = content.list_published("faq")
    if query.get("category"):
        faqs = [f for f in faqs if f.get("category") == query["category"]]
    return {"faqs": faqs}


def _get(kind: str, item_id: str, code: str, message: str) -> dict:
    item = content.get_published(kind, item_id)
    if item is None:
        raise NotFound(message, code=code)
    return item


def _summary(item: dict, keys: tuple[str, ...]) -> dict:
    return {k: item.get(k) for k in keys}
