"""What the back office sees: its outlet's queue, and one application in full for review."""

from __future__ import annotations

from datetime import datetime

from estate import clock
from estate.adapters.uploads import presigned_get
from estate.apply.access import status_view
from estate.apply.views import material_view
from estate.config import get_settings
from estate.domain import application as lifecycle
from estate.domain.signing import DOCUMENT_TITLES, documents_of
from estate.errors import ValidationError
from estate.principal import ROLE_CLERK, Principal, require_staff
from estate.office.access import load_for_clerk
from estate.store.applications import Application
from estate.store.signing import signers
from estate.store.taxes import get_case
from estate.services.working_calendar import deadline_view

# Before submission an application is the citizens' draft: the office does not see it.
OFFICE_STATUSES = {lifecycle.SUBMITTED, lifecycle.ACCEPTED, lifecycle.TAX_PAID, lifecycle.APPROVED,
                   lifecycle.CERTIFICATE_READY, lifecycle.COMPLETED, lifecycle.RETURNED}


def _age_days(application: Application, now: datetime) -> int:
    return (now - datetime.fromisoformat(application.updated_at)).days


def _int_param(query: dict, name: str) -> int | None:
    if query.get(name) in (None, ""):
        return None
    try:
        value = int(query[name])
    except ValueError:
        value = -1
    if value < 0:
        raise ValidationError(f"{name}应为不小于0的整数", code="INVALID_FILTER")
    return value


def list_queue(caller: Principal, query: dict) -> dict:
    """GET /office/applications?status=SUBMITTED,ACCEPTED&min_age_days=3&max_age_days=30

    Age is the days since the application last changed state (how long it has waited)."""
    require_staff(caller, ROLE_CLERK)
    wanted = {s for s in (query.get("status") or "").split(",") if s} or OFFICE_STATUSES
    if wanted - OFFICE_STATUSES:
        raise ValidationError("状态筛选条件不正确", code="INVALID_FILTER",
                              extra={"allowed": sorted(OFFICE_STATUSES)})
    min_age, max_age = _int_param(query, "min_age_days"), _int_param(query, "max_age_days")
    now = clock.now()
    rows = []
    for application in Application.outlet_index.query(caller.outlet, scan_index_forward=False):
        if application.status not in wanted:
            continue
        age = _age_days(application, now)
        if (min_age is not None and age < min_age) or (max_age is not None and age > max_age):
            continue
        rows.append({"id": application.application_id, "business": application.business,
                     "unit_number": application.unit_number, "location": application.unit.get("location"),
                     **status_view(application.status), "created_at": application.created_at,
                     "updated_at": application.updated_at, "age_days": age,
                     "buyers": [b["name"] for b in (application.parties or {}).get("buyers", [])],
                     "sellers": [s["name"] for s in (application.parties or {}).get("sellers", [])],
                     "deadline": deadline_view(application)})
    rows.sort(key=lambda r: r["updated_at"])  # the longest waiting first
    return {"outlet": caller.outlet, "applications": rows}


def tax_state(application_id: str) -> dict:
    from estate.tax.cases import case_view

    case, items = get_case(application_id)
    if case is None:
        return {"assessed": False, "all_paid": False, "items": []}
    return {"assessed": True, **case_view(case, items)}


def documents_view(application: Application) -> list[dict]:
    """Each signing document of the application, the signed copy once there is one, with a short link."""
    settings = get_settings()
    documents = []
    for doc in documents_of(application.business):
        title = DOCUMENT_TITLES[doc]
        signed = (application.signed_documents or {}).get(doc)
        if doc == "application_form" and application.received_form:
            signed = application.received_form  # the signed form with its 收件 block, once issued
        stored = signed or (application.documents or {}).get(doc)
        if not stored:
            continue
        documents.append({"doc": doc, "title": title + ("（已签署）" if signed else ""), "signed": bool(signed),
                          "sha256": stored.get("sha256"), "verification_code": stored.get("code"),
                          "url": presigned_get(settings.documents_bucket, stored["key"], settings.presign_ttl_s)})
    return documents


def _materials(materials) -> list[dict]:
    settings = get_settings()
    views = (material_view(m) | {"url": presigned_get(settings.uploads_bucket, m.object_key, settings.presign_ttl_s)}
             for m in sorted(materials, key=lambda m: m.created_at))
    return [view for view in views if view["status"] not in ("rejected", "expired")]  # no file behind those


def signatures_view(application: Application) -> list[dict]:
    return [{"name": s.name, "role": s.role, "status": s.status, "signed_at": s.signed_at,
             "face_checked_at": s.face_checked_at}
            for s in signers(application.application_id, application.document_version or 0)]


def detail_view(application: Application, events, materials) -> dict:
    return {
        "id": application.application_id, "business": application.business, "outlet": application.outlet,
        **status_view(application.status), "created_at": application.created_at,
        "updated_at": application.updated_at, "initiator_id": application.initiator_id,
        "initiator_role": application.initiator_role, "unit": application.unit, "parties": application.parties,
        "contract": application.contract, "bank": application.bank, "loan": application.loan,
        "return_reasons": application.return_reasons or [], "deadline": deadline_view(application),
        "registration": application.registration, "documents": documents_view(application),
        "materials": _materials(materials), "signatures": signatures_view(application),
        "tax": tax_state(application.application_id),
        "timeline": [{"at": e.at, "action": e.action, "actor_role": e.actor_role, "status_from": e.status_from,
                      "status_to": e.status_to, "note": e.note} for e in sorted(events, key=lambda e: e.sk)],
    }


def get_detail(caller: Principal, application_id: str) -> dict:
    return detail_view(*load_for_clerk(caller, application_id))
