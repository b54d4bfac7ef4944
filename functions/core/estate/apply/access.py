"""Who may see and change an application, and the one place that commits a change to it."""

from __future__ import annotations

from dataclasses import dataclass

from estate import clock
from estate.domain import application as lifecycle
from estate.domain.application import STATUS_LABELS
from estate.errors import Conflict, Forbidden, NotFound
from estate.principal import ROLE_BANK, Principal, require_staff
from estate.store.applications import Application, Change, Material, TimelineEvent, apply_changes, load_case
from estate.store.base import Delete, Put, TransactionConflict, Update


def load_for_party(caller: Principal, application_id: str):
    """(application, events, materials) if the caller is a party; 404 otherwise (existence is not revealed)."""
    caller.require_citizen()
    application, events, materials = load_case(application_id)
    if application is None or caller.id_number not in application.party_ids:
        raise NotFound("申请不存在", code="APPLICATION_NOT_FOUND")
    return application, events, materials


def require_initiator(caller: Principal, application: Application) -> None:
    if caller.id_number != application.initiator_id:
        raise Forbidden("只有申请发起人可以修改申请内容", code="ONLY_INITIATOR")


def load_for_officer(caller: Principal, application_id: str):
    """(application, events, materials) of a loan sale pushed to the officer's branch; 404 otherwise."""
    require_staff(caller, ROLE_BANK)
    application, events, materials = load_case(application_id)
    if application is None or application.bank_branch != caller.branch:
        raise NotFound("申请不存在或未推送到本网点", code="APPLICATION_NOT_FOUND")
    return application, events, materials


@dataclass
class Editor:
    """Who is changing an application, and the application as they found it."""

    application: Application
    timeline: list
    materials: list
    actor_role: str   # written on the timeline: seller | buyer | bank:<branch>
    by_bank: bool


def load_for_editor(caller: Principal, application_id: str) -> Editor:
    """The one rule of who may change an application's content (steps, signing extraction, submit):
    the initiator of a cash sale (or of a loan sale not yet pushed), or the loan officer of the
    branch a loan sale was pushed to. A citizen who tries after the push is told the bank continues."""
    if caller.role == ROLE_BANK:
        application, events, materials = load_for_officer(caller, application_id)
        return Editor(application, events, materials, f"bank:{caller.branch}", True)
    application, events, materials = load_for_party(caller, application_id)
    require_initiator(caller, application)
    if lifecycle.editor_of(application.business, bool(application.bank_branch)) == lifecycle.BANK:
        raise Forbidden("该申请已推送银行，后续申请由银行工作人员协助办理", code="BANK_CONTINUES")
    return Editor(application, events, materials, application.initiator_role, False)


def commit(application: Application, to_status: str, *, action: str, actor_role: str, note: str | None = None,
           extra_puts: list = (), extra_deletes: list = (), extra_updates: list = (), then: list[Change] = (),
           extra: list = ()) -> list[TimelineEvent]:
    """A user's change: the application (optimistic lock on its version) in `to_status` (then through
    `then`), its timeline events and the extra writes, atomically (store.applications.apply_changes);
    409 CONCURRENT_UPDATE when someone changed it meanwhile."""
    writes = [*(Put(i) for i in extra_puts), *(Delete(i) for i in extra_deletes),
              *(Update(i, actions, condition) for i, actions, condition in extra_updates), *extra]
    try:
        return apply_changes(application, [Change(action, to_status, actor_role, note), *then], clock.now(), writes)
    except TransactionConflict:
        raise Conflict("申请已被同时修改，请刷新后重试", code="CONCURRENT_UPDATE") from None


def retry_on_concurrent_update(use_case):
    """Background steps (document rendering, the signing run) update an application while its
    initiator acts; an edit that lost that race is simply redone on the fresh record."""
    import functools

    @functools.wraps(use_case)
    def run(*args, **kwargs):
        for attempt in range(3):
            try:
                return use_case(*args, **kwargs)
            except Conflict as error:
                if error.code != "CONCURRENT_UPDATE" or attempt == 2:
                    raise
        raise AssertionError("unreachable")
    return run


def status_view(status: str) -> dict:
    return {"status": status, "status_label": STATUS_LABELS.get(status, status)}


__all__ = ["Editor", "Material", "commit", "load_for_editor", "load_for_officer", "load_for_party",
           "require_initiator", "retry_on_concurrent_update", "status_view"]
