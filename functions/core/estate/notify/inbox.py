"""GET /me/notifications: a citizen's own entries, newest first, a page at a time (cursor)."""

from __future__ import annotations

from datetime import datetime

from estate import clock
from estate.errors import FieldErrors
from estate.principal import Principal
from estate.store import notifications as store

PAGE_SIZE, MAX_PAGE_SIZE = 20, 50


def _label(moment: str) -> str:
    local = datetime.fromisoformat(moment).astimezone(clock.SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def entry_view(entry: store.Notification) -> dict:
    return {"id": entry.note_id, "step": entry.step, "title": entry.title, "text": entry.text,
            "application_id": entry.application_id, "action": entry.action, "created_at": entry.created_at,
            "created_at_label": _label(entry.created_at)}


def _parse(query: dict) -> tuple[int, str | None]:
    errors = FieldErrors()
    limit = PAGE_SIZE
    raw_limit = query.get("limit")
    if raw_limit is not None:
        if not str(raw_limit).isdigit() or not 1 <= int(raw_limit) <= MAX_PAGE_SIZE:
            errors.add("limit", "INVALID_LIMIT", f"每页条数应为1到{MAX_PAGE_SIZE}之间的整数")
        else:
            limit = int(raw_limit)
    after = None
    if query.get("cursor"):
        after = store.decode_cursor(str(query["cursor"]))
        if after is None:
            errors.add("cursor", "INVALID_CURSOR", "翻页参数无效，请从第一页重新加载")
    errors.raise_if_any()
    return limit, after


def my_notifications(caller: Principal, query: dict) -> dict:
    caller.require_citizen()
    limit, after = _parse(query or {})
    entries, cursor = store.inbox(caller.id_number, limit, after)
    return {"notifications": [entry_view(e) for e in entries], "next_cursor": cursor}
