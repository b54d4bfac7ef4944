"""Writing and reading the audit trail (who, what, when, from where) of staff actions and queries.

    return audit.run(request, "office.accept", application_id, lambda: decisions.accept(...))

run() records the action whether it succeeds or is refused (a refusal is worth auditing too: a
clerk probing another outlet's cases), then returns the result or re-raises. Entries are
append-only; nothing in the API edits or deletes them.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from estate import clock
from estate.errors import DomainError, Forbidden, ValidationError
from estate.http import ApiRequest
from estate.principal import Principal
from estate.observability import logger
from estate.store.audit import AuditEntry, append, entries_of_day, new_entry

ROLE_AUDITOR = "auditor"
T = TypeVar("T")


def record(request: ApiRequest, action: str, target: str | None, outcome: str = "ok",
           detail: dict | None = None) -> None:
    caller = request.caller
    now = clock.now()
    day = now.astimezone(clock.SHANGHAI).date().isoformat()
    entry = new_entry(now, day, actor=caller.subject, actor_name=caller.name or None, actor_role=caller.role,
                      outlet=caller.outlet or caller.branch or None, action=action, target=target, outcome=outcome,
                      source_ip=request.source_ip or None, user_agent=(request.user_agent or "")[:200] or None,
                      request_id=request.request_id or None, detail=detail)
    append(entry)


def run(request: ApiRequest, action: str, target: str | None, use_case: Callable[[], T],
        detail: Callable[[T], dict] | None = None) -> T:
    try:
        result = use_case()
    except DomainError as error:
        _safe_record(request, action, target, f"refused:{error.code}", None)
        raise
    _safe_record(request, action, target, "ok", detail(result) if detail else None)
    return result


def _safe_record(request: ApiRequest, action: str, target: str | None, outcome: str, detail: dict | None) -> None:
    if request.principal is None:
        return
    try:
        record(request, action, target, outcome, detail)
    except Exception:  # noqa: BLE001 - a lost audit entry is logged loudly; the action itself stands
        logger.exception("audit entry not written", action=action, target=target)


def entry_view(entry: AuditEntry) -> dict:
    return {"at": entry.at, "actor": entry.actor, "actor_name": entry.actor_name, "actor_role": entry.actor_role,
            "outlet": entry.outlet, "action": entry.action, "target": entry.target, "outcome": entry.outcome,
            "source_ip": entry.source_ip, "user_agent": entry.user_agent, "request_id": entry.request_id,
            "detail": entry.detail}


def list_entries(caller: Principal, query: dict) -> dict:
    """GET /office/audit?date=YYYY-MM-DD[&action=…][&actor=…]: one day, newest first; auditors only."""
    if ROLE_AUDITOR not in caller.roles:
        raise Forbidden("仅审计人员可以查看操作日志", code="AUDITOR_ONLY")
    day = query.get("date") or clock.today_in_shanghai().isoformat()
    try:
        from datetime import date
        day = date.fromisoformat(day).isoformat()
    except ValueError:
        raise ValidationError("日期格式应为YYYY-MM-DD", code="INVALID_DATE") from None
    entries = [entry_view(e) for e in entries_of_day(day)]
    for name in ("action", "actor", "target"):
        if query.get(name):
            entries = [e for e in entries if e[name] == query[name]]
    return {"date": day, "entries": entries}
