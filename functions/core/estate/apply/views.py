"""What an application looks like to a party: everything about it, other people's IDs and phones masked."""

from __future__ import annotations

from estate import clock
from estate.apply.access import status_view
from estate.config import get_settings
from estate.domain.materials import EXPIRED_UPLOAD_REASON, MATERIAL_STATUS_LABELS, material_status
from estate.observability import mask_id_number, mask_phone
from estate.store.applications import Application, Material, TimelineEvent
from estate.services.working_calendar import deadline_view


def _person(person: dict, caller_id: str) -> dict:
    if person.get("id_number") == caller_id:
        return person
    return {**person, "id_number": mask_id_number(person.get("id_number")), "phone": mask_phone(person.get("phone"))}


def _parties(parties: dict | None, caller_id: str) -> dict | None:
    if not parties:
        return None
    holding = dict(parties.get("holding") or {})
    if holding.get("shares"):
        holding["shares"] = {mask_id_number(k) if k != caller_id else k: v for k, v in holding["shares"].items()}
    return {"sellers": [_person(p, caller_id) for p in parties["sellers"]],
            "buyers": [_person(p, caller_id) for p in parties["buyers"]], "holding": holding}


def _declaration(declaration: dict | None, caller_id: str) -> dict | None:
    if not declaration:
        return None
    masked = dict(declaration)
    for side in ("buyer_families", "seller_families"):
        masked[side] = [{"members": [_person(m, caller_id) for m in family["members"]]}
                        for family in declaration[side]]
    return masked


def _inquiry(inquiry: dict | None, caller_id: str) -> dict | None:
    if not inquiry:
        return None
    return {"respondents": [_person(r, caller_id) for r in inquiry["respondents"]]}


def material_view(material: Material) -> dict:
    status = material_status(material.status, material.created_at, clock.now(), get_settings().presign_ttl_s)
    reason = EXPIRED_UPLOAD_REASON if status == "expired" else material.reason
    return {"material_id": material.material_id, "category": material.category, "status": status,
            "status_label": MATERIAL_STATUS_LABELS.get(status, status),
            "reason": reason, "size": material.size, "content_type": material.content_type,
            "width": material.width, "height": material.height, "source": material.source,
            "created_at": material.created_at}


def summary_view(application: Application) -> dict:
    return {"id": application.application_id, "business": application.business, "outlet": application.outlet,
            "unit_number": application.unit_number, "location": application.unit.get("location"),
            **status_view(application.status), "created_at": application.created_at,
            "updated_at": application.updated_at}


def application_view(application: Application, events: list[TimelineEvent], materials: list[Material],
                     caller_id: str) -> dict:
    unit = dict(application.unit)
    unit["owners"] = [{**o, "id_number": mask_id_number(o["id_number"]) if o["id_number"] != caller_id
                       else o["id_number"]} for o in unit.get("owners", [])]
    return {
        **summary_view(application),
        "initiator_role": application.initiator_role,
        "is_initiator": application.initiator_id == caller_id,
        "unit": unit,
        "notices": application.notices or [],
        "parties": _parties(application.parties, caller_id),
        "contract": application.contract,
        "tax_declaration": _declaration(application.tax_declaration, caller_id),
        "inquiry": _inquiry(application.inquiry, caller_id),
        "bank": application.bank,
        "return_reasons": application.return_reasons or [],
        "deadline": deadline_view(application),
        "documents": {doc: {"sha256": meta.get("sha256"), "version": meta.get("version")}
                      for doc, meta in (application.documents or {}).items()},
        "materials": [material_view(m) for m in sorted(materials, key=lambda m: m.created_at)],
        "timeline": [{"at": e.at, "action": e.action, "actor_role": e.actor_role, "status_from": e.status_from,
                      "status_to": e.status_to, "note": e.note} for e in sorted(events, key=lambda e: e.sk)],
    }
