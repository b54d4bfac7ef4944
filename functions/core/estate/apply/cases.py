"""Starting, reading, submitting and withdrawing transfer applications."""

from __future__ import annotations


from estate import clock, events
from estate.apply import completeness
from estate.apply.access import (Editor, commit, load_for_editor, load_for_party, require_initiator,
                                 retry_on_concurrent_update)
from estate.services.face_checks import usable_face_check
from estate.apply.materials import check_loaded_material
from estate.apply.lookup import unit_view
from estate.apply.models import StartForm
from estate.apply.views import application_view, summary_view
from estate.domain import application as lifecycle
from estate.domain.eligibility import assess_eligibility
from estate.domain.signing import DOCUMENT_TITLES, documents_of
from estate.domain.ids import InvalidIdentifier, parse_unit_number
from estate.errors import Conflict, FieldErrors, Forbidden, NotFound, ValidationError
from estate.notify import outbox
from estate.notify import steps as notices
from estate.office.bank import get_pushed, pushed_view
from estate.principal import ROLE_BANK, Principal
from estate.observability import count_event, logger
from estate.store import content, register
from estate.store.applications import (Application, ApplicationItem, Membership, applications_of, create_application,
                                       TimelineEvent, event_item, new_application_id)
from estate.store.base import Put, TransactionConflict, Update
from estate.store.register import InFlightAttribute, Unit
from estate.store.verifications import FaceCheck
from estate.tax.refunds import plan_refunds

def _parse_start(form: StartForm) -> dict:
    """What the model cannot know: the outlet is a published one, the unit number is well formed."""
    errors = FieldErrors()
    if content.get_published("outlet", form.outlet) is None:
        errors.add("outlet", "UNKNOWN_OUTLET", "办理网点不存在，请重新选择")
    unit_number = None
    try:
        unit_number = parse_unit_number(form.unit)
    except InvalidIdentifier as error:
        errors.add("unit", error.code, error.message)
    errors.raise_if_any()
    return {"business": form.business, "role": form.role, "outlet": form.outlet, "unit": unit_number,
            "face_check": form.face_check}


def start_application(caller: Principal, body: StartForm) -> dict:
    caller.require_citizen()
    request = _parse_start(body)
    check = usable_face_check(caller, request["face_check"])
    unit = register.get_unit(request["unit"])
    if unit is None or unit.outlet != request["outlet"]:
        raise NotFound("该网点下没有这个不动产单元", code="UNIT_NOT_FOUND")
    facts = register.unit_facts(unit)
    if request["role"] == "seller" and not any(o.id_number == caller.id_number for o in facts.owners):
        raise Forbidden("卖方发起申请时，发起人须为该不动产的登记权利人", code="NOT_AN_OWNER")
    if facts.in_flight is not None:
        # One answer for "another case holds this unit", whether it won a moment ago or long before.
        raise Conflict("该不动产已有正在办理的申请，办结或撤销前不能再次申请", code="UNIT_LOCKED")
    eligibility = assess_eligibility(facts)
    if not eligibility.eligible:
        raise Conflict("该不动产暂不能网上办理转移登记", code="UNIT_NOT_ELIGIBLE",
                       extra={"blockers": [b.as_dict() for b in eligibility.blockers]})
    now = clock.now()
    application_id = new_application_id(now)
    view = unit_view(facts)
    application = Application(
        *Application.key(application_id), application_id=application_id, business=request["business"],
        outlet=request["outlet"], unit_number=facts.unit_number, status=lifecycle.DRAFT,
        initiator_id=caller.id_number, initiator_role=request["role"], party_ids=[caller.id_number],
        unit={**view, "owners": [{"name": o.name, "id_number": o.id_number, "share": o.share} for o in facts.owners],
              "acquired_on": facts.acquired_on, "assessed_price": unit.assessed_price},
        notices=view["notices"], created_at=now.isoformat(), updated_at=now.isoformat())
    try:
        create_application(application, event_item(application_id, now, "started", request["role"], None,
                                                   lifecycle.DRAFT, lifecycle.BUSINESSES[request["business"]]), [
            Update(unit, [Unit.in_flight.set(InFlightAttribute(case_id=application_id, business=request["business"],
                                                               since=now.isoformat()))],
                   Unit.in_flight.does_not_exist()),
            Put(Membership(*Membership.key(caller.id_number, application_id), application_id=application_id,
                           role=request["role"], created_at=now.isoformat())),
            Update(check, [FaceCheck.used_for.set(application_id)], FaceCheck.used_for.does_not_exist()),
        ])
    except TransactionConflict:
        current = register.get_unit(request["unit"])
        if current is not None and current.in_flight is not None:
            raise Conflict("该不动产已有正在办理的申请，办结或撤销前不能再次申请", code="UNIT_LOCKED") from None
        raise Conflict("人脸识别结果已使用，请重新识别", code="FACE_CHECK_USED") from None
    count_event("ApplicationStarted")
    logger.info("application started", application_id=application_id, business=request["business"])
    return application_view(application, [], [], caller.id_number)


def list_applications(caller: Principal) -> dict:
    caller.require_citizen()
    ids = applications_of(caller.id_number)
    applications = []
    for application_id in ids:
        application = _get(application_id)
        if application is not None and caller.id_number in application.party_ids:
            applications.append(summary_view(application))
    applications.sort(key=lambda a: a["created_at"], reverse=True)
    return {"applications": applications}


def _get(application_id: str) -> Application | None:
    try:
        return Application.get(*Application.key(application_id))
    except Application.DoesNotExist:
        return None


def get_application(caller: Principal, application_id: str) -> dict:
    application, timeline, materials = load_for_party(caller, application_id)
    return application_view(application, timeline, materials, caller.id_number)


def present(caller: Principal, application_id: str, editor: Editor | None = None,
            written: list[TimelineEvent] = ()) -> dict:
    """The application as its editor sees it after a change: the party's view, or the bank desk's
    (which builds on apply.access and apply.views, never on this module). Given the `editor` who just
    committed and the events `written`, it is built from them (what a fresh read would return)
    instead of reading the partition again."""
    if editor is not None:
        timeline = [*editor.timeline, *written]
        if caller.role == ROLE_BANK:
            return pushed_view(editor.application, timeline, editor.materials)
        return application_view(editor.application, timeline, editor.materials, caller.id_number)
    if caller.role == ROLE_BANK:
        return get_pushed(caller, application_id)
    return get_application(caller, application_id)


@retry_on_concurrent_update
def withdraw(caller: Principal, application_id: str, reason: str | None = None) -> dict:
    application, timeline, materials = load_for_party(caller, application_id)
    require_initiator(caller, application)
    previous = application.status
    withdrawn = lifecycle.transition(previous, "withdraw")
    release = register.release_hold(application.unit_number, application_id)
    now = clock.now()
    refunds, refund_notices = plan_refunds(application, "withdrawn", now)
    staged = outbox.stage([*notices.withdrawn(application, now, lifecycle.told_of_withdrawal(previous),
                                              during_signing=previous == lifecycle.SIGNING), *refund_notices],
                          application_id, now)
    written = commit(application, withdrawn, action="withdrawn", actor_role=application.initiator_role,
                     note=reason or None, extra_updates=release, extra=[*refunds, *staged.writes])
    outbox.dispatch(staged)
    events.emit("application_withdrawn", application_id=application_id)  # stops signing, voids its links
    count_event("ApplicationWithdrawn")
    logger.info("application withdrawn", application_id=application_id, status_from=previous,
                refunds=len(refund_notices))
    return application_view(application, [*timeline, *written], materials, caller.id_number)


@retry_on_concurrent_update
def submit(caller: Principal, application_id: str) -> dict:
    """The initiator submits a cash sale; the branch's loan officer a pushed loan sale."""
    editor = load_for_editor(caller, application_id)
    application, materials = editor.application, editor.materials
    allowed = {lifecycle.INQUIRY_SAVED, lifecycle.SIGNED, lifecycle.RETURNED}
    if application.status not in allowed and application.status not in (lifecycle.SIGNING,):
        lifecycle.require(application.status, allowed, "提交")
    # An upload whose S3 event has not been processed yet is checked now, as GET /materials/{mid}
    # does: a citizen who uploads and submits at once is not told the file is missing.
    materials = [check_loaded_material(application_id, m) for m in materials]
    missing = completeness.missing_items(application, materials)
    if missing:
        raise ValidationError("申请材料不完整，请补充以下内容后再提交", code="APPLICATION_INCOMPLETE",
                              details=missing)
    application.return_reasons = None
    staged = outbox.stage(notices.submitted(application, clock.now()), application_id)
    commit(application, lifecycle.transition(application.status, "submit"), action="submitted",
           actor_role=editor.actor_role, extra=staged.writes)
    outbox.dispatch(staged)
    count_event("ApplicationSubmitted")
    logger.info("application submitted", application_id=application_id, by_bank=editor.by_bank)
    return present(caller, application_id)


__all__ = ["ApplicationItem", "get_application", "list_applications", "present", "start_application", "submit",
           "withdraw"]


def document_link(caller: Principal, application_id: str, doc: str, query: dict) -> dict:
    """A short-lived link to one of the application's signing documents (the signed copy once everyone has signed)."""
    from estate.adapters.uploads import presigned_get
    from estate.config import get_settings

    application, _, _ = load_for_party(caller, application_id)
    if doc not in documents_of(application.business):
        raise NotFound("文件不存在", code="DOCUMENT_NOT_FOUND")
    signed = (application.signed_documents or {}).get(doc)
    if signed and doc == "application_form" and (application.office or {}).get("intake_number"):
        from estate.documents.application import ensure_received_form  # renders once, after acceptance

        signed = ensure_received_form(application)
    stored = signed if signed and query.get("version") != "original" else (application.documents or {}).get(doc)
    if not stored:
        raise Conflict("文件尚未生成，请稍后刷新", code="DOCUMENT_NOT_READY")
    settings = get_settings()
    title = DOCUMENT_TITLES[doc] + ("（已签署）" if stored is signed else "")
    return {"doc": doc, "title": title, "signed": stored is signed, "sha256": stored["sha256"],
            "verification_code": stored.get("code"),
            "url": presigned_get(settings.documents_bucket, stored["key"], settings.presign_ttl_s)}
