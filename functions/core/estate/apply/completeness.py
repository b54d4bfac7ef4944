"""Everything an application still lacks before it can be submitted, listed in one go (条例 Art. 17).

Other capabilities add their own requirements (signing: the signed documents extracted, the bank's
seal): each function that submits declares them in its `app.py` (`estate.wiring.declare`).
"""

from __future__ import annotations

from typing import Callable

from estate.domain.materials import CaseFacts, evaluate_checklist
from estate.errors import FieldError
from estate.store import content
from estate.store.applications import Application, Material

Requirement = Callable[[Application, list[Material]], list[FieldError]]
_requirements: list[Requirement] = []  # the other capabilities' checks, as the function declared them


def add_requirement(check: Requirement) -> None:
    if check not in _requirements:
        _requirements.append(check)


def requirements() -> list[Requirement]:
    return list(_requirements)


def case_facts(application: Application) -> CaseFacts:
    parties = application.parties or {}
    return CaseFacts(
        seller_marital_status=tuple(p["marital_status"] for p in parties.get("sellers", [])) or None,
        buyer_marital_status=tuple(p["marital_status"] for p in parties.get("buyers", [])) or None,
        court_decision=application.unit.get("how_acquired") in ("法院判决", "调解"),
        loan=application.business == "loan-sale", agent=False)


def required_upload_categories(application: Application) -> list[dict]:
    checklist = content.get_published("materials", application.business) or {"items": []}
    return [item for item in evaluate_checklist(checklist["items"], case_facts(application))
            if item.get("upload") and item["required"]]


def _steps_done(application: Application, materials: list[Material]) -> list[FieldError]:
    missing = []
    steps = (("parties", "买卖双方信息"), ("contract", "房屋买卖合同"), ("tax_declaration", "纳税申报信息"),
             ("inquiry", "询问笔录"))
    if application.business == "loan-sale":
        steps = (("loan", "贷款及抵押信息"), *steps)
    for field, label in steps:
        if not getattr(application, field):
            missing.append(FieldError(field, "MISSING_STEP", f"尚未填写{label}"))
    return missing


def _materials_uploaded(application: Application, materials: list[Material]) -> list[FieldError]:
    accepted = {m.category for m in materials if m.status == "accepted"}
    return [FieldError(f"materials.{item['code']}", "MATERIAL_MISSING", f"请上传{item['name']}")
            for item in required_upload_categories(application) if item["code"] not in accepted]


def missing_items(application: Application, materials: list[Material]) -> list[FieldError]:
    missing: list[FieldError] = []
    for check in (_steps_done, _materials_uploaded, *_requirements):
        missing.extend(check(application, materials))
    return missing
