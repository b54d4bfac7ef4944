"""The back office's decisions on an application: accept (受理), return (退件), refuse (不予登记),
approve (登簿), handover.

Approval is one DynamoDB transaction: the application (optimistic version), its timeline event,
the year's certificate counter (conditional on the value read), the unit (its new right, the
in-flight lock released, conditional on the lock still being this case's), the new CERT and OWNER
items, the old certificate(s) marked to be handed in and the old OWNER items deleted. Either all
of it is in the register or none of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
import random
import time
from datetime import date

from estate import clock
from estate.apply.access import commit
from estate.domain import application as lifecycle
from estate.domain.documents import intake_number
from estate.domain.registration import (CERTIFICATION_SERIES, TITLE_SERIES, certificate_numbers, entry_from_parties,
                                        refusal, return_reasons)
from estate.errors import Conflict, ServiceUnavailable
from estate.notify import outbox
from estate.notify import steps as notices
from estate.principal import Principal
from estate.observability import logger
from estate.office.access import load_for_clerk
from estate.office.messages import outlet_name
from estate.office.queue import detail_view, tax_state, taxes_settled
from estate.store import register
from estate.store.applications import Application, Change, apply_change, load_case
from estate.store.base import Delete, Put, TransactionConflict, Update
from estate.store.register import (HOLDING_SINGLE, Certificate, Holding, OwnerAttribute, RestrictionAttribute,
                                   RightAttribute, SerialCounter, Unit)
from estate.tax.from_application import assess_submitted_application
from estate.tax.refunds import plan_refunds
from estate.tax.settled import record_taxes_paid
from estate.services.working_calendar import deadline_view

MAX_TIMELINE_NOTE = 600
APPROVE_ATTEMPTS = 20  # competing approvals of other cases only move the counter: read it again and retry
TO_HAND_IN, RETIRED, CURRENT = "to_hand_in", "retired", "current"

if TYPE_CHECKING:  # the models import the application's constants, which import this module
    from estate.office.models import RefusalForm, ReturnForm


def _view(application_id: str) -> dict:
    application, timeline, materials = load_case(application_id)
    return detail_view(application, timeline, materials)


def _actor(caller: Principal) -> str:
    return f"clerk:{caller.name or caller.subject}"


def accept(caller: Principal, application_id: str) -> dict:
    application, _, _ = load_for_clerk(caller, application_id)
    accepted = lifecycle.transition(application.status, "accept")
    now = clock.now()
    accepted_on = now.astimezone(clock.SHANGHAI).date()
    application.office = {**(application.office or {}), "accepted_at": now.isoformat(),
                          "accepted_on": accepted_on.isoformat(), "accepted_by": caller.subject,
                          # the application form's 收件 block (the form rendered after acceptance carries it)
                          "received_by": caller.name or caller.subject,
                          "intake_number": intake_number(application.outlet, accepted_on, application_id)}
    deadline = deadline_view(application, accepted_on)
    staged = outbox.stage(notices.accepted(application, now, deadline["due_on_label"]), application_id, now)
    commit(application, accepted, action="accepted", actor_role=_actor(caller),
           note=f"法定办结期限：{deadline['due_on_label']}（{deadline['working_days']}个工作日）", extra=staged.writes)
    outbox.dispatch(staged)
    logger.info("application accepted", application_id=application_id, due_on=deadline["due_on"],
                due_on_provisional=deadline["due_on_provisional"])
    _assess_taxes(application_id)
    record_taxes_paid(application_id)  # paid before acceptance: straight on to TAX_PAID
    return _view(application_id)


def _assess_taxes(application_id: str) -> None:
    """Taxes assessed at acceptance (登簿 waits for them), each side told its amounts; a case a party
    already opened keeps its assessment. A failure here leaves the acceptance standing: the parties'
    first look at their taxes assesses it then (estate.tax.access)."""
    try:
        assess_submitted_application(application_id)
    except Exception:  # noqa: BLE001 - the acceptance is committed; assessment is retried on first look
        logger.exception("taxes not assessed at acceptance", application_id=application_id)


def return_application(caller: Principal, application_id: str, form: ReturnForm) -> dict:
    reasons, note = return_reasons(form.reasons, form.note)
    application, _, _ = load_for_clerk(caller, application_id)
    returned = lifecycle.transition(application.status, "return")
    application.return_reasons = [*reasons, *([{"code": "NOTE", "label": note}] if note else [])]
    told = "；".join(r["label"] for r in reasons) + (f"（{note[:60]}）" if note else "")
    staged = outbox.stage(notices.returned(application, told), application_id)
    commit(application, returned, action="returned", actor_role=_actor(caller),
           note="；".join(r["label"] for r in application.return_reasons)[:500], extra=staged.writes)
    outbox.dispatch(staged)
    logger.info("application returned", application_id=application_id, reasons=[r["code"] for r in reasons])
    return _view(application_id)


def refuse(caller: Principal, application_id: str, form: RefusalForm) -> dict:
    """不予登记 (条例 Art. 22), in one transaction: the status and its timeline event, the unit's lock
    lifted, every party told (the SMS names the legal ground; the clerk's text, which may name
    people, stays in the case), and each paid tax order turned into a refund request."""
    decision = refusal(form.reason, form.text)
    application, _, _ = load_for_clerk(caller, application_id)
    refused = lifecycle.transition(application.status, "refuse")
    now = clock.now()
    application.office = {**(application.office or {}), "refused_at": now.isoformat(), "refused_by": caller.subject,
                          "refusal": decision}
    release = register.release_hold(application.unit_number, application_id)
    refunds, refund_notices = plan_refunds(application, "refused", now)
    staged = outbox.stage([*notices.refused(application, decision["label"]), *refund_notices], application_id, now)
    commit(application, refused, action="refused", actor_role=_actor(caller),
           note=f"{decision['label']}：{decision['text']}"[:MAX_TIMELINE_NOTE], extra_updates=release,
           extra=[*refunds, *staged.writes])
    outbox.dispatch(staged)
    logger.info("application refused", application_id=application_id, reason=decision["code"],
                unit_released=bool(release), refunds=len(refunds))
    return _view(application_id)


# --- approval (登簿) ------------------------------------------------------------------------------

def _require_taxes_paid(application_id: str) -> None:
    state = tax_state(application_id)
    if not taxes_settled(state):
        raise Conflict("税费尚未全部缴清，不能登簿", code="TAXES_NOT_PAID",
                       extra={"outstanding": state.get("outstanding")})


def _counter_update(counter: SerialCounter, existed: bool, last: int, count: int) -> Update:
    condition = (SerialCounter.value == last) if existed else SerialCounter.pk.does_not_exist()
    return Update(counter, [SerialCounter.value.set(last + count)], condition)


def _old_certificates(unit: Unit) -> list[str]:
    numbers = [unit.right.certificate_number, *(o.certificate_number for o in unit.right.owners)]
    return list(dict.fromkeys(n for n in numbers if n))


def _mortgage(application: Application, proof_number: str, today: date) -> RestrictionAttribute:
    loan, bank = application.loan or {}, application.bank or {}
    return RestrictionAttribute(kind="mortgage", holder=bank.get("bank_name"), document_number=proof_number,
                                registered_on=today.isoformat(), ends_on=loan.get("ends_on"),
                                amount=loan.get("amount"), transfer_banned=bool(loan.get("transfer_banned")),
                                note="抵押权首次登记")


def _try_approve(caller: Principal, application: Application, unit: Unit, now) -> dict:
    """One attempt; raises TransactionConflict when anything it read has changed meanwhile."""
    today = now.astimezone(clock.SHANGHAI).date()
    entry = entry_from_parties(application.parties)
    titles = register.get_counter(TITLE_SERIES, today.year)
    titles_existed = titles.value > 0
    numbers = certificate_numbers(TITLE_SERIES, today.year, int(titles.value), entry.certificates)
    loan_sale = application.business == "loan-sale"
    proofs = register.get_counter(CERTIFICATION_SERIES, today.year) if loan_sale else None
    proof_number = (certificate_numbers(CERTIFICATION_SERIES, today.year, int(proofs.value), 1)[0]
                    if loan_sale else None)

    old_owner_ids = [o.id_number for o in unit.right.owners]
    old_certificates = _old_certificates(unit)
    separate = entry.certificates > 1
    owners = [OwnerAttribute(name=h.name, id_number=h.id_number, share=h.share,
                             certificate_number=numbers[h.certificate_index] if separate else None)
              for h in entry.holders]
    unit.right = RightAttribute(
        right_id=f"R{application.application_id}", holding_mode=entry.holding_mode or HOLDING_SINGLE, owners=owners,
        certificate_number=numbers[0], registered_on=today.isoformat(), acquired_on=today.isoformat(),
        how_acquired="买卖")
    if loan_sale:
        unit.restrictions = [*(unit.restrictions or []), _mortgage(application, proof_number, today)]
    case_id = application.application_id
    unit.in_flight = None

    registration = {
        "approved_at": now.isoformat(), "approved_by": caller.subject, "holding_mode": entry.holding_mode,
        "certificates": [{"certificate_number": n,
                          "holders": [h.name for h in entry.holders
                                      if h.certificate_index == i or (not separate and i == 0 and
                                                                      h.certificate_index is not None)]}
                         for i, n in enumerate(numbers)],
        "owners": [{"name": h.name, "share": h.share} for h in entry.holders],
        "old_certificates": old_certificates, "mortgage_certificate": proof_number,
    }
    application.registration = registration
    note = "新证书号：" + "、".join(numbers) + (f"；不动产登记证明：{proof_number}" if proof_number else "")
    register_entries: list = [_counter_update(titles, titles_existed, int(titles.value), len(numbers))]
    if loan_sale:
        register_entries.append(_counter_update(proofs, proofs.value > 0, int(proofs.value), 1))
    register_entries.append(Put(unit, Unit.in_flight.case_id == case_id))
    for number in [*numbers, *([proof_number] if proof_number else [])]:
        register_entries.append(Put(Certificate(*Certificate.key(number), certificate_number=number,
                                                unit_number=unit.unit_number, status=CURRENT),
                                    Certificate.pk.does_not_exist()))
    for number in old_certificates:
        register_entries.append(Update(Certificate(*Certificate.key(number)), [Certificate.status.set(TO_HAND_IN)],
                                       Certificate.pk.exists()))
    new_ids = {h.id_number for h in entry.holders}
    register_entries += [Delete(Holding(*Holding.key(i, unit.unit_number))) for i in old_owner_ids if i not in new_ids]
    register_entries += [Put(Holding(*Holding.key(h.id_number, unit.unit_number), id_number=h.id_number,
                                     unit_number=unit.unit_number)) for h in entry.holders]
    staged = outbox.stage(notices.approved(application, registration, outlet_name(application.outlet)),
                          case_id, now)
    # the application's version condition: a second clerk approving the same case loses here
    apply_change(application, Change("approved", lifecycle.transition(application.status, "approve"), _actor(caller),
                                     note), now, [*register_entries, *staged.writes])
    outbox.dispatch(staged)
    return registration


def approve(caller: Principal, application_id: str) -> dict:
    application, _, _ = load_for_clerk(caller, application_id)
    for _attempt in range(APPROVE_ATTEMPTS):
        lifecycle.transition(application.status, "approve")  # refused here, before any register work
        _require_taxes_paid(application_id)
        unit = register.get_unit(application.unit_number)
        if unit is None or unit.in_flight is None or unit.in_flight.case_id != application_id:
            raise Conflict("该不动产单元未被本申请锁定，不能登簿，请核查登记簿", code="UNIT_NOT_LOCKED_BY_CASE")
        try:
            registration = _try_approve(caller, application, unit, clock.now())
            break
        except TransactionConflict:
            logger.info("approval raced, reading again", application_id=application_id)
            time.sleep(random.uniform(0.005, 0.05))  # jitter: the losers of one round do not collide again at once
            application, _, _ = load_for_clerk(caller, application_id)
            if application.status == lifecycle.APPROVED:
                raise Conflict("该申请已由其他工作人员登簿", code="ALREADY_APPROVED") from None
    else:
        raise ServiceUnavailable("登簿繁忙，请稍后重试", code="APPROVAL_BUSY")
    logger.info("application approved", application_id=application_id,
                certificates=[c["certificate_number"] for c in registration["certificates"]])
    return _view(application_id)


def handover(caller: Principal, application_id: str) -> dict:
    """交回原证书、领取新证: the old certificate is retired, the application completed."""
    application, _, _ = load_for_clerk(caller, application_id)
    completed = lifecycle.transition(application.status, "hand_over")
    now = clock.now()
    application.office = {**(application.office or {}), "handed_over_at": now.isoformat(),
                          "handed_over_by": caller.subject}
    retire = [(Certificate(*Certificate.key(n)), [Certificate.status.set(RETIRED)],
               Certificate.status == TO_HAND_IN)
              for n in (application.registration or {}).get("old_certificates", [])]
    staged = outbox.stage(notices.completed(application, now), application_id, now)
    commit(application, completed, action="handed_over", actor_role=_actor(caller),
           note="已交回原证书并领取新证", extra_updates=retire, extra=staged.writes)
    outbox.dispatch(staged)
    logger.info("application completed", application_id=application_id)
    return _view(application_id)


__all__ = ["accept", "approve", "handover", "refuse", "return_application"]
