"""Writing and reading the audit trail (who, what, when, from where) of staff actions and queries.

    return audit.run(request, "office.accept", application_id, lambda: decisions.accept(...))

run() records the action whether it succeeds or is refused (a refusal is worth auditing too: a
clerk probing another outlet's cases), then returns the result or re-raises. Entries are
append-only; nothing in the API edits or deletes them.
"""

from __future__ import annotations

import re
from typing import Any, Callable, TypeVar

from estate import clock
from estate.errors import DomainError, Forbidden, ValidationError
from estate.http import ApiRequest
from estate.principal import Principal
from estate.observability import logger, mask_id_number
from estate.store.audit import AuditEntry, append, entries_of_day, new_entry

ROLE_AUDITOR = "auditor"
# Every action the trail records (audit.run's second argument), as the auditor reads it; a unit test
# holds the routes to this list.
ACTION_LABELS = {
    "office.queue": "查看受理队列", "office.view": "查看办件", "office.accept": "受理", "office.return": "退件",
    "office.refuse": "不予登记", "office.approve": "登簿", "office.handover": "办结",
    "booking.check_in": "预约签到", "booking.no_show": "记录预约未到", "booking.quota": "调整预约名额",
    "content.publish": "发布内容", "content.edit": "修改内容", "content.withdraw": "撤回内容",
    "content.versions": "查看内容版本", "audit.read": "查看操作日志",
    "bank.queue": "查看推送的贷款业务", "bank.view": "查看贷款业务", "bank.loan": "填写贷款信息",
    "bank.upload": "上传银行材料", "bank.contract": "填写买卖合同", "bank.tax_declaration": "填写纳税申报",
    "bank.inquiry": "填写询问笔录", "bank.signing": "查看签署进度", "bank.seal": "加盖银行电子印章",
    "bank.extract": "提取签署文书", "bank.submit": "代为提交申请",
    "query.create": "查询不动产登记信息", "query.read": "查看查询结果",
}
OK, REFUSED = "ok", "refused"
OUTCOME_LABELS = {OK: "成功", REFUSED: "被拒绝"}
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
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
        _safe_record(request, action, target, f"{REFUSED}:{error.code}", None)
        raise
    _safe_record(request, action, target, OK, detail(result) if detail else None)
    return result


def _safe_record(request: ApiRequest, action: str, target: str | None, outcome: str, detail: dict | None) -> None:
    if request.principal is None:
        return
    try:
        record(request, action, target, outcome, detail)
    except Exception:  # noqa: BLE001 - a lost audit entry is logged loudly; the action itself stands
        logger.exception("audit entry not written", action=action, target=target)


def _masked(value: Any) -> Any:
    """`value` with every ID number in it masked (a target or a detail may carry one)."""
    if isinstance(value, str):
        return _ID_NUMBER.sub(lambda found: mask_id_number(found.group()), value)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    return value


def entry_view(entry: AuditEntry) -> dict:
    outcome = entry.outcome or OK
    return {"at": entry.at, "actor": _masked(entry.actor), "actor_name": entry.actor_name,
            "actor_role": entry.actor_role, "outlet": entry.outlet, "action": entry.action,
            "action_label": ACTION_LABELS.get(entry.action, "其他操作"), "target": _masked(entry.target),
            "outcome": outcome, "outcome_label": OUTCOME_LABELS[OK if outcome == OK else REFUSED],
            "source_ip": entry.source_ip, "user_agent": entry.user_agent, "request_id": entry.request_id,
            "detail": _masked(entry.detail)}


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
    wanted = {name: query[name] for name in ("action", "actor", "target") if query.get(name)}
    # filtered on what was recorded (an auditor may ask for one full ID), then shown masked
    entries = [entry_view(e) for e in entries_of_day(day) if all(getattr(e, k) == v for k, v in wanted.items())]
    return {"date": day, "entries": entries}
