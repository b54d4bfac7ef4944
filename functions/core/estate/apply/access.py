"""Who may see and change an application, and the one place that commits a change to it."""

from __future__ import annotations

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from dataclasses import dataclass

from estate import clock
from estate.store.base import transaction_connection
from estate.domain import application as lifecycle
from estate.domain.application import STATUS_LABELS
from estate.errors import Conflict, Forbidden, NotFound
from estate.http import ROLE_BANK, Principal
from estate.store.applications import Application, Material, TimelineEvent, event_item, load_case


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


def require_officer(caller: Principal) -> Principal:
    if caller.role != ROLE_BANK or not caller.branch:
        raise Forbidden("该功能仅限贷款银行信贷人员使用", code="BANK_ONLY")
    return caller


def load_for_officer(caller: Principal, application_id: str):
    """(application, events, materials) of a loan sale pushed to the officer's branch; 404 otherwise."""
    require_officer(caller)
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


def present(caller: Principal, application_id: str) -> dict:
    """The application as its editor sees it after a change: the party's view, or the bank desk's."""
    if caller.role == ROLE_BANK:
        from estate.office.bank import get_pushed

        return get_pushed(caller, application_id)
    from estate.apply.cases import get_application

    return get_application(caller, application_id)


def commit(application: Application, *, action: str, actor_role: str, status_from: str, note: str | None = None,
           extra_puts: list = (), extra_deletes: list = (), extra_updates: list = ()) -> TimelineEvent:
    """Save the application (optimistic lock on its version) and its timeline event atomically."""
    now = clock.now()
    application.updated_at = now.isoformat()
    event = event_item(application.application_id, now, action, actor_role, status_from, application.status, note)
    try:
        with TransactWrite(connection=transaction_connection()) as tx:
            tx.save(application)  # VersionAttribute adds the "nobody changed it meanwhile" condition
            tx.save(event)
            for item in extra_puts:
                tx.save(item)
            for item in extra_deletes:
                tx.delete(item)
            for item, actions, condition in extra_updates:
                tx.update(item, actions=actions, condition=condition)
    except TransactWriteError:
        raise Conflict("申请已被同时修改，请刷新后重试", code="CONCURRENT_UPDATE") from None
    return event


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


__all__ = ["Editor", "Material", "commit", "load_for_editor", "load_for_officer", "load_for_party", "present",
           "require_initiator", "require_officer", "retry_on_concurrent_update", "status_view"]
