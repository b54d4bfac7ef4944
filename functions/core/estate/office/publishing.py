"""Content publishing by clerks with the editor role: policies, service guides and FAQ.

Publishing, editing and withdrawing each write the current item and a new history version in one
transaction (history#<kind> / <id>#<version>, put only if absent), so every version the public
ever saw is kept. An edit names the version it was based on: a stale edit is a 409, not a silent
overwrite of a colleague's change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from estate import clock
from estate.errors import Conflict, FieldErrors, Forbidden, NotFound
from estate.principal import ROLE_CLERK, Principal
from estate.store.base import TransactionConflict
from estate.store.content import ContentItem, get_item, history_kind, save_version, versions_of

if TYPE_CHECKING:  # the models import this module's labels
    from estate.office.models import EditForm, PublishForm, WithdrawForm

ROLE_EDITOR = "editor"
REQUIRED = {"policy": ("title", "issuer", "body"), "guide": ("title", "business"), "faq": ("category", "question",
                                                                                           "answer")}
LABELS = {"policy": "政策文件", "guide": "办事指南", "faq": "常见问题"}
FIELD_LABELS = {"title": "标题", "issuer": "发文机关", "body": "正文", "business": "业务类型", "category": "分类",
                "question": "问题", "answer": "回答"}
PUBLISHED, WITHDRAWN = "published", "withdrawn"
CONTENT_STATUS_LABELS = {PUBLISHED: "已发布", WITHDRAWN: "已撤回"}


def _require_editor(caller: Principal, kind: str) -> None:
    if caller.role != ROLE_CLERK or ROLE_EDITOR not in caller.roles:
        raise Forbidden("仅内容编辑人员可以发布或修改内容", code="EDITOR_ONLY")
    if kind not in REQUIRED:
        raise NotFound("内容类型不存在", code="CONTENT_KIND_NOT_FOUND")


def _data(kind: str, data: dict[str, Any], item_id: str) -> dict:
    """The fields the kind needs (the kind is in the path, so the body's model cannot say which)."""
    errors = FieldErrors()
    for name in REQUIRED[kind]:
        if not isinstance(data.get(name), (str, list)) or not data.get(name):
            errors.add(f"data.{name}", "REQUIRED", f"{LABELS[kind]}须填写{FIELD_LABELS[name]}")
    errors.raise_if_any(f"{LABELS[kind]}内容不完整")
    return {**data, "id": item_id}


def _write(caller: Principal, kind: str, item_id: str, data: dict, status: str, base: ContentItem | None) -> dict:
    now = clock.now().isoformat()
    version = (base.version or 1) + 1 if base is not None else 1
    current = ContentItem(kind, item_id, position=base.position if base else 999, status=status, data=data,
                          updated_at=now, version=version, updated_by=caller.subject)
    snapshot = ContentItem(history_kind(kind), f"{item_id}#{version:04d}", status=status, data=data, updated_at=now,
                           version=version, updated_by=caller.subject)
    condition = ContentItem.kind.does_not_exist()
    if base is not None:
        condition = (ContentItem.version == base.version) if base.version else ContentItem.version.does_not_exist()
    snapshots = [snapshot]
    if base is not None and not base.version:  # a seeded item: keep what was published as version 1
        snapshots.append(ContentItem(history_kind(kind), f"{item_id}#0001", status=base.status, data=base.data,
                                     updated_at=base.updated_at, version=1))
    try:
        save_version(current, condition, snapshots)
    except TransactionConflict:
        raise Conflict("内容已被他人修改，请刷新后重试", code="CONTENT_CHANGED") from None
    return _view(current)


def _view(item: ContentItem) -> dict:
    return {"kind": item.kind, "id": item.item_id, "status": item.status, "version": item.version or 1,
            "updated_at": item.updated_at, "data": item.data}


def publish(caller: Principal, kind: str, form: PublishForm) -> dict:
    _require_editor(caller, kind)
    data = _data(kind, form.data, form.id)
    if get_item(kind, form.id) is not None:
        raise Conflict("该编号的内容已存在，请修改而不是重新发布", code="CONTENT_EXISTS")
    return _write(caller, kind, form.id, data, PUBLISHED, None)


def _existing(kind: str, item_id: str, expected: int | None) -> ContentItem:
    item = get_item(kind, item_id)
    if item is None:
        raise NotFound("内容不存在", code="CONTENT_NOT_FOUND")
    if expected is not None and expected != (item.version or 1):
        raise Conflict("内容已被他人修改，请刷新后重试", code="CONTENT_CHANGED", extra={"version": item.version or 1})
    return item


def edit(caller: Principal, kind: str, item_id: str, form: EditForm) -> dict:
    _require_editor(caller, kind)
    data = _data(kind, form.data, item_id)
    item = _existing(kind, item_id, form.version)
    return _write(caller, kind, item_id, data, PUBLISHED, item)


def withdraw(caller: Principal, kind: str, item_id: str, form: WithdrawForm) -> dict:
    _require_editor(caller, kind)
    item = _existing(kind, item_id, form.version)
    if item.status == WITHDRAWN:
        raise Conflict("内容已撤回", code="ALREADY_WITHDRAWN")
    return _write(caller, kind, item_id, item.data, WITHDRAWN, item)


def versions(caller: Principal, kind: str, item_id: str) -> dict:
    _require_editor(caller, kind)
    history = versions_of(kind, item_id)
    if not history and get_item(kind, item_id) is None:
        raise NotFound("内容不存在", code="CONTENT_NOT_FOUND")
    return {"kind": kind, "id": item_id,
            "versions": [{"version": h.version, "status": h.status, "updated_at": h.updated_at,
                          "updated_by": h.updated_by, "data": h.data} for h in history]}
