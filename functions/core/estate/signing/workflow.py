"""The signing workflow's Python side: starting and stopping the state machine, and the tasks it runs.

The state machine (statemachine/signing.asl.json) holds the waits; this module keeps the records.
A party's link maps to a Signer item; the current Step Functions task token lives on that item
and is used only here, never sent to a browser.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from pynamodb.exceptions import UpdateError

from estate import clock
from estate.adapters import workflow as workflow_runs
from estate.adapters.aws import reraise_transient
from estate.adapters.sms import masked_location, send_sms
from estate.config import get_settings
from estate.domain import application as lifecycle
from estate.domain.signing import BANK, execution_input, execution_name, signing_parties
from estate.errors import SignatureDeadlinePassed, SignatureDeclined
from estate.notify import outbox
from estate.notify import steps as notices
from estate.observability import count_event, logger, mask_id_number, mask_name
from estate.store.applications import Application, Change, TransactionConflict, apply_change, update_fields
from estate.store.signing import (DECLINED, EXPIRED, INVITED, PENDING, SIGNED, VOID, Signer, SigningLink, link_hash,
                                  signers)

ROLE_LABELS = {"buyer": "买方", "seller": "卖方", BANK: "抵押权人"}


def _application(application_id: str) -> Application:
    return Application.get(*Application.key(application_id))


def _masked_location(application: Application) -> str:
    return masked_location(application.unit.get("location", ""))


def sign_link(token: str) -> str:
    return f"{get_settings().public_base_url}/sign/{token}"


# ------------------------------------------------------------------------------------------ start/stop
def plan_start(application: Application, now: datetime) -> tuple[dict, list[Signer]]:
    """The signing record and every party's signer row for the application's current document version,
    written by the caller in the same transaction as the change that starts signing (the inquiry
    saved); `start_signing` then starts the run."""
    settings = get_settings()
    version = application.document_version
    parties = signing_parties(application.business, application.parties, application.bank)
    name = execution_name(application.application_id, version)
    record = {"execution_arn": workflow_runs.execution_arn(settings.signing_state_machine_arn, name),
              "document_version": version, "started_at": now.isoformat(),
              "deadline": (now + timedelta(seconds=settings.signing_deadline_s)).isoformat(), "outcome": None}
    rows = [Signer(*Signer.key(application.application_id, version, person["id_number"]),
                   application_id=application.application_id, document_version=version,
                   id_number=person["id_number"], name=person["name"], phone=person["phone"], role=role,
                   status=PENDING) for person, role in parties]
    return record, rows


def signing_configured() -> bool:
    return bool(get_settings().signing_state_machine_arn)


def start_signing(application: Application, **_) -> str | None:
    """Start the state machine for the run the committed change recorded (`plan_start`)."""
    settings = get_settings()
    signing = application.signing or {}
    if application.status != lifecycle.SIGNING or signing.get("outcome") or not settings.signing_state_machine_arn:
        return None
    version = signing["document_version"]
    parties = signing_parties(application.business, application.parties, application.bank)
    workflow_runs.start_execution(
        settings.signing_state_machine_arn, execution_name(application.application_id, version),
        execution_input(application.application_id, version, parties, settings.signing_deadline_s,
                        settings.signing_reminder_interval_s, settings.signing_max_reminders))
    logger.info("signing started", application_id=application.application_id, parties=len(parties))
    return signing["execution_arn"]


def stop_signing(application_id: str, signing: dict, reason: str, document_version: int) -> None:
    """Stop the run and make its links dead (withdraw, or an edit that voids the signatures)."""
    if signing.get("execution_arn") and not signing.get("outcome"):
        workflow_runs.stop_execution(signing["execution_arn"], "SigningStopped", reason)
    for signer in signers(application_id, signing.get("document_version", document_version)):
        _void_links(signer, reason)
        if signer.status != SIGNED or reason == "edited":
            signer.update(actions=[Signer.status.set(VOID), Signer.task_token.remove()])


def on_withdrawn(application_id: str, **_) -> None:
    application = _application(application_id)
    if application.signing:
        open_run = not application.signing.get("outcome")
        stop_signing(application_id, application.signing, "withdrawn", application.document_version)
        if open_run:
            update_fields(application, [Application.signing.set(
                {**application.signing, "outcome": "withdrawn", "completed_at": clock.now().isoformat()})])


def on_edited(application_id: str, previous_signing: dict | None, restarted: bool, **_) -> None:
    """Editing after signing started voids every signature of the old version; the edit's own
    transaction already recorded the new run when it restarted signing."""
    if not previous_signing:
        return
    application = _application(application_id)
    stop_signing(application_id, previous_signing, "edited", application.document_version)
    if not restarted:
        update_fields(application, [Application.signing.set({**previous_signing, "outcome": "voided"})])


# ------------------------------------------------------------------------------------------ tasks
def task(event: dict) -> dict:
    action = event.get("action")
    handlers = {"render": render_documents, "await": await_signature, "remind": remind_or_expire,
                "compose": compose_packet, "fail": signing_failed}
    if action not in handlers:
        raise ValueError(f"unknown signing task {action!r}")
    with reraise_transient():  # throttled or timed out: TransientError, which the ASL retries
        return handlers[action](event)


def render_documents(event: dict) -> dict:
    from estate.documents.application import render_application_documents

    application = _application(event["application_id"])
    documents = render_application_documents(application, event["document_version"])
    return {"documents": {doc: meta["sha256"] for doc, meta in documents.items()}}


def new_link(signer: Signer, expires: datetime) -> str:
    """A fresh personal link (192 random bits); only its hash is stored."""
    token = secrets.token_urlsafe(24)
    token_hash = link_hash(token)
    SigningLink(*SigningLink.key(token_hash), application_id=signer.application_id,
                document_version=signer.document_version, id_number=signer.id_number,
                expires_at=expires.isoformat()).save(condition=SigningLink.pk.does_not_exist())
    signer.update(actions=[Signer.link_hashes.set((signer.link_hashes or []) + [token_hash])])
    return token


def _void_links(signer: Signer, reason: str) -> None:
    """Every link sent to this party stops signing but stays, so opening it later says why."""
    void_link_hashes(signer.link_hashes or [], reason)


def void_link_hashes(hashes: list[str], reason: str) -> None:
    now = clock.now().isoformat()
    for token_hash in hashes:
        try:
            SigningLink(*SigningLink.key(token_hash)).update(
                actions=[SigningLink.status.set(VOID), SigningLink.void_reason.set(reason),
                         SigningLink.voided_at.set(now)],
                condition=SigningLink.pk.exists() & SigningLink.status.does_not_exist())
        except UpdateError:
            pass  # already voided (its first reason stands) or never written


def await_signature(event: dict) -> dict:
    """Store this wait's task token; the first wait creates the personal link and sends the invitation.

    If the party signed while no wait was open (between a timeout and the next wait), the wait is
    answered at once.
    """
    item = event["item"]
    application_id, version, party = item["application_id"], item["document_version"], item["party"]
    signer = Signer.get(*Signer.key(application_id, version, party["id_number"]))
    if signer.status == SIGNED:
        workflow_runs.send_task_success(event["token"], {"signed": True})
        return {}
    if signer.role == BANK:
        return _await_seal(signer, event["token"])
    if signer.status in (VOID, DECLINED, EXPIRED):
        workflow_runs.send_task_failure(event["token"], SignatureDeclined.__name__, f"signer is {signer.status}")
        return {}
    actions = [Signer.task_token.set(event["token"])]
    if signer.status == PENDING:
        application = _application(application_id)
        now = clock.now()
        expires = now + timedelta(seconds=int(item["deadline_seconds"]))
        token = new_link(signer, expires)
        actions += [Signer.status.set(INVITED), Signer.invited_at.set(now.isoformat()),
                    Signer.link_expires_at.set(expires.isoformat())]
        signer.update(actions=actions, condition=Signer.status == PENDING)
        send_sms(signer.phone, "sign_invite", name=signer.name, location=_masked_location(application),
                 role_label=ROLE_LABELS[signer.role], deadline=shanghai_label(expires), link=sign_link(token))
        logger.info("signing invitation sent", application_id=application_id, party=mask_id_number(signer.id_number))
    else:
        signer.update(actions=actions)
    return {}


def _await_seal(signer: Signer, token: str) -> dict:
    """The bank is not invited by SMS: the officer sees the case at the bank desk and seals there.
    The token is stored only while the seal is still missing; a seal that landed first is answered now."""
    try:
        signer.update(actions=[Signer.task_token.set(token), Signer.status.set(INVITED),
                               Signer.invited_at.set(Signer.invited_at | clock.now().isoformat())],
                      condition=Signer.status.is_in(PENDING, INVITED))
    except UpdateError:
        if Signer.get(signer.pk, signer.sk).status != SIGNED:
            raise
        workflow_runs.send_task_success(token, {"signed": True})
    return {}


def remind_or_expire(event: dict) -> dict:
    item = dict(event["item"])
    item.pop("timeout", None)
    signer = Signer.get(*Signer.key(item["application_id"], item["document_version"], item["party"]["id_number"]))
    invited = datetime.fromisoformat(signer.invited_at) if signer.invited_at else clock.now()
    remaining = int(item["deadline_seconds"]) - int((clock.now() - invited).total_seconds())
    attempt = int(item["attempt"])
    if signer.status == SIGNED:
        item["wait_seconds"] = 1
        return item
    if remaining <= 0:
        signer.update(actions=[Signer.status.set(EXPIRED), Signer.task_token.remove()])
        raise SignatureDeadlinePassed(f"party {mask_id_number(signer.id_number)} did not sign in time")
    if attempt < int(item["max_reminders"]) and signer.role != BANK:  # the bank desk has no SMS link
        application = _application(item["application_id"])
        expires = datetime.fromisoformat(signer.link_expires_at)
        token = new_link(signer, expires)  # the earlier links keep working until the deadline
        send_sms(signer.phone, "sign_reminder", name=signer.name, location=_masked_location(application),
                 reminder=attempt + 1, deadline=shanghai_label(expires), link=sign_link(token))
        signer.update(actions=[Signer.reminders.add(1)])
        attempt += 1
    interval = int(item["reminder_interval_seconds"])
    item["attempt"] = attempt
    item["wait_seconds"] = max(1, min(interval, remaining) if attempt < int(item["max_reminders"]) else remaining)
    return item


def compose_packet(event: dict) -> dict:
    from estate.documents.application import compose_signed_packet

    application = _application(event["application_id"])
    version = event["document_version"]
    parties = signers(application.application_id, version)
    packet = compose_signed_packet(application, version, parties)
    now = clock.now()
    application.signed_documents = packet
    application.signing = {**(application.signing or {}), "outcome": "signed", "completed_at": now.isoformat()}
    apply_change(application, Change("signing_completed", lifecycle.after_signing_completed(application.status),
                                     "system"), now)
    initiator = next(s for s in parties if s.id_number == application.initiator_id)
    send_sms(initiator.phone, "sign_complete", name=initiator.name, location=_masked_location(application))
    count_event("SigningCompleted")
    logger.info("signed packet composed", application_id=application.application_id)
    return {doc: meta["sha256"] for doc, meta in packet.items()}


FAILURE_REASONS = {"SignatureDeclined": "有当事人拒绝签署", "SignatureDeadlinePassed": "有当事人未在期限内签署",
                   "InvitationFailed": "签署通知发送失败"}


def signing_failed(event: dict) -> dict:
    """End the run cleanly: every open link dead, unsigned parties marked, then the application back
    to the initiator with the reason (in that order, so whoever reads the outcome sees it all)."""
    application = _application(event["application_id"])
    error = (event.get("error") or {}).get("Error", "SigningFailed")
    reason = FAILURE_REASONS.get(error, "签署未能完成")
    ended = EXPIRED if error == "SignatureDeadlinePassed" else VOID
    parties = signers(application.application_id, event["document_version"])
    withdrawn = application.status == lifecycle.WITHDRAWN
    for signer in parties:
        _void_links(signer, "withdrawn" if withdrawn else error)
        if signer.status in (PENDING, INVITED):
            signer.update(actions=[Signer.status.set(VOID if withdrawn else ended), Signer.task_token.remove()])
    if withdrawn:
        # A run that outlived the withdrawal's StopExecution (the signers it waited on are void): the
        # withdrawal already told everyone and recorded the outcome; nothing more to say.
        logger.info("signing run ended after withdrawal", application_id=application.application_id)
        return {"reason": "申请已撤销"}
    now = clock.now()
    declines = [{"name": mask_name(s.name), "role": s.role, "reason": s.decline_reason or ""}
                for s in parties if s.status == DECLINED]
    if declines:  # who declined and why, for the initiator to act on (the name masked: the timeline is shared)
        reason = "；".join(f"{ROLE_LABELS.get(d['role'], '')}{d['name']}拒绝签署，原因：{d['reason']}" for d in declines)

    initiator = next((s for s in parties if s.id_number == application.initiator_id and s.phone), None)
    told_initiator = _initiator_notice(application, initiator, declines, error) if initiator else []
    for attempt in range(3):
        # The render step is the usual other writer: AWS lets its invocation finish after the run that
        # started it has ended or been replaced. Lost that race: read again and record the end anew.
        application.signing = {**(application.signing or {}), "outcome": error, "reason": reason,
                               "declines": declines, "completed_at": now.isoformat()}
        staged = outbox.stage(told_initiator, application.application_id, now)
        try:
            apply_change(application, Change("signing_failed", lifecycle.after_signing_ended(application.status),
                                             "system", reason[:200]), now, staged.writes)
            break
        except TransactionConflict:
            if attempt == 2:
                raise
            application = _application(application.application_id)
    outbox.dispatch(staged)
    for signer in (s for s in parties if s.phone and s is not initiator):  # the initiator: through the outbox
        send_sms(signer.phone, "sign_failed", name=signer.name, location=_masked_location(application),
                 reason=FAILURE_REASONS.get(error, "签署未能完成"))
    count_event("SigningFailed")
    logger.info("signing failed", application_id=application.application_id, error=error)
    return {"reason": reason}


SMS_REASON_CHARS = 30  # a decline reason quoted in an SMS: one short line, the full text is in the app


def _initiator_notice(application: Application, initiator: Signer, declines: list[dict], error: str) -> list:
    """The initiator hears why signing ended: who declined and why (quoted, bounded), else the failure."""
    person = {"id_number": initiator.id_number, "name": initiator.name, "phone": initiator.phone}
    if declines:
        first = declines[0]
        told = notices.signing_failed(application, person, "sign_declined", {
            "who": f"{ROLE_LABELS.get(first['role'], '')}{first['name']}",
            "reason": _bounded(first["reason"], SMS_REASON_CHARS)})
        if all(outbox.entry_text(n) is not None for n in told):
            return told
    return notices.signing_failed(application, person, "sign_failed",
                                  {"reason": FAILURE_REASONS.get(error, "签署未能完成")})


def _bounded(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def shanghai_label(moment: datetime) -> str:
    return moment.astimezone(clock.SHANGHAI).strftime("%m月%d日%H:%M")


# What every function that edits applications (apply; the bank desk in office) subscribes to: one
# table, so the two functions cannot drift apart. Each declares it in its app.py (estate.wiring).
EDITING_SUBSCRIBERS = {
    "inquiry_saved": [start_signing],        # saving the inquiry record starts signing
    "application_withdrawn": [on_withdrawn],  # stops the run, voids the links
    "application_edited": [on_edited],        # an edit while signing voids the signatures
}
