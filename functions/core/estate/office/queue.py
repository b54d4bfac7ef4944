"""What the back office sees: its outlet's queue, and one application in full for review."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone

from estate import clock
from estate.adapters.uploads import presigned_get
from estate.apply.access import status_view
from estate.apply.views import material_view
from estate.config import get_settings
from estate.domain import application as lifecycle
from estate.domain.signing import DOCUMENT_TITLES, documents_of
from estate.errors import FieldErrors
from estate.observability import logger
from estate.principal import ROLE_CLERK, Principal, require_staff
from estate.office.access import load_for_clerk
from estate.store.applications import Application, office_queue
from estate.store.signing import signers
from estate.store.taxes import get_case
from estate.services.working_calendar import deadline_view, working_calendar

PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
MAX_WAITING_DAYS = 366
SORTS = {"oldest": "等待最久在前", "newest": "最新在前", "deadline": "办结期限最近在前"}
OFFICE_STATUSES = lifecycle.OFFICE_STATUSES
# GET /office/applications's query, as docs/openapi.json describes it (each optional).
QUERY_PARAMETERS = {
    "status": {"type": "string", "description": "comma-separated statuses, any of: " + "、".join(
        f"{s}（{lifecycle.STATUS_LABELS[s]}）" for s in sorted(OFFICE_STATUSES))},
    "business": {"type": "string", "enum": sorted(lifecycle.BUSINESSES), "x-enum-labels": dict(lifecycle.BUSINESSES)},
    "min_waiting_days": {"type": "integer", "minimum": 0, "maximum": MAX_WAITING_DAYS,
                         "description": "working days waited in the present state (since acceptance while "
                                        "the legal clock runs), at least"},
    "sort": {"type": "string", "enum": list(SORTS), "x-enum-labels": SORTS, "default": "oldest",
             "description": "deadline: accepted cases only, the soonest legal deadline first"},
    "limit": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE},
    "next": {"type": "string", "description": "the previous page's `next`, with the same filters and sort"},
}
_CURSOR_ID = re.compile(r"^YQ\d{8}[0-9A-F]{10}$")


@dataclass(frozen=True)
class QueueQuery:
    statuses: tuple[str, ...]
    business: str | None
    min_waiting_days: int | None
    sort: str
    limit: int
    after: tuple[str, str] | None

    def fingerprint(self) -> str:
        """What a cursor is bound to: the same filters and order (a cursor of another view is refused)."""
        view = f"{','.join(self.statuses)}|{self.business}|{self.min_waiting_days}|{self.sort}"
        return hashlib.sha256(view.encode()).hexdigest()[:12]


def encode_cursor(position: tuple[str, str], query: QueueQuery) -> str:
    raw = json.dumps({"w": position[0], "id": position[1], "v": query.fingerprint()}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, query: QueueQuery) -> tuple[str, str] | None:
    """The position a cursor stands for, or None when it is not one this view handed out. Only the
    position within the caller's own outlet comes from it (the outlet is the caller's), and each part
    is checked, so a forged cursor can at worst start the caller's own list elsewhere."""
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        since, application_id, view = value["w"], value["id"], value["v"]
        if not (isinstance(since, str) and isinstance(application_id, str) and view == query.fingerprint()):
            return None
        if not _CURSOR_ID.match(application_id) or datetime.fromisoformat(since).tzinfo is None:
            return None
    except (ValueError, TypeError, KeyError, UnicodeDecodeError, binascii.Error, AttributeError):
        return None
    return since, application_id


def _int_param(query: dict, name: str, low: int, high: int, errors: FieldErrors, message: str) -> int | None:
    raw = query.get(name)
    if raw in (None, ""):
        return None
    if not str(raw).isdigit() or not low <= int(raw) <= high:
        errors.add(name, "INVALID_FILTER", message)
        return None
    return int(raw)


def parse_queue_query(query: dict) -> QueueQuery:
    """GET /office/applications?status=ACCEPTED,TAX_PAID&business=sale&min_waiting_days=3&sort=deadline&limit=20&next=…"""
    query, errors = query or {}, FieldErrors()
    statuses = tuple(sorted({s for s in str(query.get("status") or "").split(",") if s}))
    if set(statuses) - lifecycle.OFFICE_STATUSES:
        errors.add("status", "INVALID_FILTER", "状态筛选条件不正确")
    business = query.get("business") or None
    if business is not None and business not in lifecycle.BUSINESSES:
        errors.add("business", "INVALID_FILTER", "业务类型筛选条件不正确")
    sort = query.get("sort") or "oldest"
    if sort not in SORTS:
        errors.add("sort", "INVALID_SORT", "排序方式应为等待最久在前、最新在前或办结期限最近在前")
    elif sort == "deadline":
        # only an accepted case has a deadline; its order is that of the acceptance (lifecycle.waiting_since)
        if set(statuses) - lifecycle.CLOCK_RUNNING:
            errors.add("sort", "INVALID_SORT", "按办结期限排序只适用于已受理、已缴税的申请")
        statuses = statuses or tuple(sorted(lifecycle.CLOCK_RUNNING))
    min_waiting = _int_param(query, "min_waiting_days", 0, MAX_WAITING_DAYS, errors,
                             f"等待工作日应为0到{MAX_WAITING_DAYS}之间的整数")
    limit = _int_param(query, "limit", 1, MAX_PAGE_SIZE, errors, f"每页条数应为1到{MAX_PAGE_SIZE}之间的整数")
    errors.raise_if_any("筛选条件有误，请检查后重试")
    parsed = QueueQuery(statuses, business, min_waiting, sort, limit or PAGE_SIZE, None)
    if query.get("next"):
        after = decode_cursor(str(query["next"]), parsed)
        if after is None:
            errors.add("next", "INVALID_CURSOR", "翻页参数无效，请从第一页重新加载")
            errors.raise_if_any("翻页参数无效，请从第一页重新加载")
        parsed = replace(parsed, after=after)
    return parsed


def _waiting_cutoff(min_days: int, today: date) -> str:
    """The moment a case must have been waiting since (exclusive) to have waited `min_days` working
    days by today: the start (Beijing) of the day after the last day d with min_days working days in (d, today]."""
    calendar, day, counted = working_calendar(), today, 0
    while counted < min_days:
        counted += calendar.is_working_day(day)
        day -= timedelta(days=1)
    start = datetime.combine(day + timedelta(days=1), time.min, tzinfo=clock.SHANGHAI)
    return start.astimezone(timezone.utc).isoformat()


def _waiting_days(application: Application, today: date) -> int | None:
    if not application.waiting_since:
        return None
    return _working_days_since(datetime.fromisoformat(application.waiting_since).astimezone(clock.SHANGHAI).date(), today)


@functools.lru_cache(maxsize=4096)
def _working_days_since(since: date, today: date) -> int:
    # a page's cases mostly share a few days: each count walks the calendar day by day
    return working_calendar().working_days_between(since, today)


def queue_row(application: Application, today: date) -> dict:
    deadline = deadline_view(application, today)
    parties = application.parties or {}
    return {"id": application.application_id, "business": application.business,
            "business_label": lifecycle.BUSINESSES.get(application.business, application.business),
            "unit_number": application.unit_number, "location": application.unit.get("location"),
            **status_view(application.status), "created_at": application.created_at,
            "updated_at": application.updated_at, "waiting_since": application.waiting_since,
            "waiting_working_days": _waiting_days(application, today),
            "buyers": [b["name"] for b in parties.get("buyers", [])],
            "sellers": [s["name"] for s in parties.get("sellers", [])],
            "working_days_left": deadline["days_left"] if deadline else None,
            "working_days_left_provisional": bool(deadline and deadline["due_on_provisional"]),
            "deadline": deadline}


def list_queue(caller: Principal, query: dict) -> dict:
    """One page of the clerk's outlet's queue (estate.store.applications.office_queue)."""
    require_staff(caller, ROLE_CLERK)
    wanted = parse_queue_query(query)
    today = clock.today_in_shanghai()
    page = office_queue(caller.outlet, want=wanted.limit, newest_first=wanted.sort == "newest",
                        waiting_before=(_waiting_cutoff(wanted.min_waiting_days, today)
                                        if wanted.min_waiting_days else None),
                        statuses=wanted.statuses, business=wanted.business, after=wanted.after)
    logger.info("office queue page", outlet=caller.outlet, rows=len(page.applications), requests=page.requests,
                sort=wanted.sort)
    return {"outlet": caller.outlet, "sort": wanted.sort, "limit": wanted.limit,
            "applications": [queue_row(a, today) for a in page.applications],
            "next": encode_cursor(page.after, wanted) if page.after else None}


def _labels(labels: dict[str, str]) -> list[dict]:
    return [{"code": code, "label": label} for code, label in labels.items()]


def vocabulary(caller: Principal) -> dict:
    """GET /office/vocabulary: the codes the desk shows, each with its label. Material categories are
    the published checklists' (content the office edits), the signed documents' titles after them."""
    from estate.audit import ACTION_LABELS
    from estate.domain.registration import REFUSAL_REASONS, RETURN_REASONS
    from estate.signing.models import SIGNER_STATUS_LABELS
    from estate.signing.workflow import ROLE_LABELS as SIGNER_ROLE_LABELS
    from estate.store import content

    require_staff(caller, ROLE_CLERK)
    categories: dict[str, str] = {}
    for business in lifecycle.BUSINESSES:
        for item in (content.get_published("materials", business) or {}).get("items", []):
            categories.setdefault(item["code"], item.get("name") or item["code"])
    for doc, title in DOCUMENT_TITLES.items():
        categories.setdefault(doc, title)
    return {"statuses": _labels({s: lifecycle.STATUS_LABELS[s] for s in lifecycle.STATUS_LABELS}),
            "businesses": _labels(lifecycle.BUSINESSES), "timeline_actions": _labels(lifecycle.TIMELINE_ACTIONS),
            "return_reasons": _labels(RETURN_REASONS), "refusal_reasons": _labels(REFUSAL_REASONS),
            "material_categories": _labels(categories), "signer_roles": _labels(SIGNER_ROLE_LABELS),
            "signer_statuses": _labels(SIGNER_STATUS_LABELS), "queue_sorts": _labels(SORTS),
            "audit_actions": _labels(ACTION_LABELS)}


def tax_state(application_id: str) -> dict:
    from estate.tax.cases import case_view

    case, items = get_case(application_id)
    if case is None:
        return {"assessed": False, "all_paid": False, "items": []}
    return {"assessed": True, **case_view(case, items)}


def taxes_settled(state: dict) -> bool:
    """登簿 waits for this: the taxes assessed and every item paid (or exempt)."""
    return bool(state["assessed"] and state["all_paid"])


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
    tax = tax_state(application.application_id)
    return {
        "id": application.application_id, "business": application.business, "outlet": application.outlet,
        **status_view(application.status), "created_at": application.created_at,
        "updated_at": application.updated_at, "initiator_id": application.initiator_id,
        "initiator_role": application.initiator_role, "unit": application.unit, "parties": application.parties,
        "contract": application.contract, "bank": application.bank, "loan": application.loan,
        "return_reasons": application.return_reasons or [], "refusal": _refusal(application),
        "deadline": deadline_view(application),
        "registration": application.registration, "documents": documents_view(application),
        "materials": _materials(materials), "signatures": signatures_view(application),
        "tax": tax, "actions": lifecycle.office_decisions(application.status, taxes_settled(tax)),
        "timeline": [{"at": e.at, "action": e.action, "actor_role": e.actor_role, "status_from": e.status_from,
                      "status_to": e.status_to, "note": e.note} for e in sorted(events, key=lambda e: e.sk)],
    }


def _refusal(application: Application) -> dict | None:
    office = application.office or {}
    if application.status != lifecycle.REFUSED or not office.get("refusal"):
        return None
    return {**office["refusal"], "refused_at": office["refused_at"]}


def get_detail(caller: Principal, application_id: str) -> dict:
    return detail_view(*load_for_clerk(caller, application_id))
