"""The signing workflow's Python side: starting and stopping the state machine, and the tasks it runs.

The state machine (statemachine/signing.asl.json) holds the waits; this module keeps the records.
A party's link maps to a Signer item; the current Step Functions task token lives on that item
and is used only here, never sent to a browser.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta

from botocore.exceptions import ClientError
from pynamodb.exceptions import PutError, UpdateError

from estate import clock, events
from estate.adapters.aws import client, reraise_transient
from estate.adapters.sms import masked_location, send_sms
from estate.config import get_settings
from estate.domain import application as lifecycle
from estate.domain.signing import BANK, bank_signer_id
from estate.errors import SignatureDeadlinePassed, SignatureDeclined
from estate.observability import count_event, logger, mask_id_number, mask_name
from estate.signing import messages  # noqa: F401 - registers the signing SMS templates
from estate.store.applications import Application, event_item, update_fields
from estate.store.signing import (DECLINED, EXPIRED, INVITED, PENDING, SIGNED, VOID, Signer, SigningLink, link_hash,
                                  signers)

ROLE_LABELS = {"buyer": "买方", "seller": "卖方", BANK: "抵押权人"}


def _application(application_id: str) -> Application:
    return Application.get(*Application.key(application_id))


def _save_rereading(application: Application, change) -> Application | None:
    """Apply `change` and save; if another step wrote the application meanwhile (the version check
    failed), read it again and apply `change` to the fresh record. The render step is the usual other
    writer: AWS lets its invocation finish after the run that started it has ended or been replaced.
    `change` returns False when the fresh record no longer needs it (then nothing is saved)."""
    for attempt in range(3):
        if change(application) is False:
            return None
        try:
            application.save()
        except PutError as failure:
            if failure.cause_response_code != "ConditionalCheckFailedException" or attempt == 2:
                raise
            application = _application(application.application_id)
        else:
            return application
    raise AssertionError("unreachable")


def _masked_location(application: Application) -> str:
    return masked_location(application.unit.get("location", ""))


def sign_link(token: str) -> str:
    return f"{get_settings().public_base_url}/sign/{token}"


# ------------------------------------------------------------------------------------------ start/stop
@events.subscribe("inquiry_saved")
def start_signing(application_id: str, document_version: int, **_) -> str | None:
    """Create every party's signer record for this document version and start the state machine."""
    settings = get_settings()
    application = _application(application_id)
    if application.status not in (lifecycle.INQUIRY_SAVED, lifecycle.RETURNED) or not settings.signing_state_machine_arn:
        return None
    if application.signing and application.signing.get("document_version") == document_version:
        return None  # this version's run already exists
    now = clock.now()
    parties = [(p, "seller") for p in application.parties["sellers"]] + [(p, "buyer") for p in application.parties["buyers"]]
    if application.business == "loan-sale" and application.bank:
        # The mortgagee bank signs too — with its e-seal, through the bank desk (estate.signing.seal).
        bank = application.bank
        parties.append(({"id_number": bank_signer_id(bank["branch"]), "name": bank["branch_name"], "phone": None},
                        BANK))
    for person, role in parties:
        Signer(*Signer.key(application_id, document_version, person["id_number"]), application_id=application_id,
               document_version=document_version, id_number=person["id_number"], name=person["name"],
               phone=person["phone"], role=role, status=PENDING).save()
    deadline = settings.signing_deadline_s
    interval = min(settings.signing_reminder_interval_s, deadline)
    execution_input = {
        "application_id": application_id, "document_version": document_version,
        "parties": [{"id_number": p["id_number"], "role": role} for p, role in parties],
        "deadline_seconds": deadline, "reminder_interval_seconds": interval, "first_wait_seconds": interval,
        "max_reminders": settings.signing_max_reminders,
    }
    name = f"{application_id}-v{document_version}"
    execution_arn = settings.signing_state_machine_arn.replace(":stateMachine:", ":execution:") + ":" + name
    # Recorded before the run starts: its first steps read and update this application.
    previous = application.status
    signing = {"execution_arn": execution_arn, "document_version": document_version, "started_at": now.isoformat(),
               "deadline": (now + timedelta(seconds=deadline)).isoformat(), "outcome": None}

    def mark_signing(fresh: Application) -> bool:
        nonlocal previous
        if fresh.status not in (lifecycle.INQUIRY_SAVED, lifecycle.RETURNED):
            return False  # withdrawn or already signing meanwhile
        previous = fresh.status
        fresh.status, fresh.signing, fresh.updated_at = lifecycle.SIGNING, signing, now.isoformat()
        return True

    if _save_rereading(application, mark_signing) is None:
        return None
    try:
        client("stepfunctions").start_execution(stateMachineArn=settings.signing_state_machine_arn, name=name,
                                                input=json.dumps(execution_input))
    except ClientError as error:
        if error.response["Error"]["Code"] != "ExecutionAlreadyExists":
            raise
    event_item(application_id, now, "signing_started", "system", previous, lifecycle.SIGNING).save()
    logger.info("signing started", application_id=application_id, parties=len(parties))
    return execution_arn


def stop_signing(application: Application, reason: str) -> None:
    """Stop the run and make its links dead (withdraw, or an edit that voids the signatures)."""
    signing = application.signing or {}
    if signing.get("execution_arn") and not signing.get("outcome"):
        try:
            client("stepfunctions").stop_execution(executionArn=signing["execution_arn"], error="SigningStopped",
                                                   cause=reason)
        except ClientError as error:
            logger.warning("could not stop signing", reason=error.response["Error"]["Code"])
    for signer in signers(application.application_id, signing.get("document_version", application.document_version)):
        _void_links(signer, reason)
        if signer.status != SIGNED or reason == "edited":
            signer.update(actions=[Signer.status.set(VOID), Signer.task_token.remove()])


@events.subscribe("application_withdrawn")
def on_withdrawn(application_id: str, **_) -> None:
    application = _application(application_id)
    if application.signing:
        open_run = not application.signing.get("outcome")
        stop_signing(application, "withdrawn")
        if open_run:
            update_fields(application, [Application.signing.set(
                {**application.signing, "outcome": "withdrawn", "completed_at": clock.now().isoformat()})])


@events.subscribe("application_edited")
def on_edited(application_id: str, **_) -> None:
    """Editing after signing started voids every signature of the old version (the caller restarts signing)."""
    application = _application(application_id)
    if application.signing:
        stop_signing(application, "edited")
        update_fields(application, [Application.signing.set({**application.signing, "outcome": "voided"})])


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


def _new_link(signer: Signer, expires: datetime) -> str:
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
    now = clock.now().isoformat()
    for token_hash in signer.link_hashes or []:
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
        client("stepfunctions").send_task_success(taskToken=event["token"], output=json.dumps({"signed": True}))
        return {}
    if signer.role == BANK:
        return _await_seal(signer, event["token"])
    if signer.status in (VOID, DECLINED, EXPIRED):
        client("stepfunctions").send_task_failure(taskToken=event["token"], error=SignatureDeclined.__name__,
                                                  cause=f"signer is {signer.status}")
        return {}
    actions = [Signer.task_token.set(event["token"])]
    if signer.status == PENDING:
        application = _application(application_id)
        now = clock.now()
        expires = now + timedelta(seconds=int(item["deadline_seconds"]))
        token = _new_link(signer, expires)
        actions += [Signer.status.set(INVITED), Signer.invited_at.set(now.isoformat()),
                    Signer.link_expires_at.set(expires.isoformat())]
        signer.update(actions=actions, condition=Signer.status == PENDING)
        send_sms(signer.phone, "sign_invite", name=signer.name, location=_masked_location(application),
                 role_label=ROLE_LABELS[signer.role], deadline=_shanghai(expires), link=sign_link(token))
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
        client("stepfunctions").send_task_success(taskToken=token, output=json.dumps({"signed": True}))
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
        token = _new_link(signer, expires)  # the earlier links keep working until the deadline
        send_sms(signer.phone, "sign_reminder", name=signer.name, location=_masked_location(application),
                 reminder=attempt + 1, deadline=_shanghai(expires), link=sign_link(token))
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
    previous = application.status
    application.status = lifecycle.SIGNED
    application.signed_documents = packet
    application.signing = {**(application.signing or {}), "outcome": "signed", "completed_at": now.isoformat()}
    application.updated_at = now.isoformat()
    application.save()
    event_item(application.application_id, now, "signing_completed", "system", previous, lifecycle.SIGNED).save()
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
    previous = application.status
    declines = [{"name": mask_name(s.name), "role": s.role, "reason": s.decline_reason or ""}
                for s in parties if s.status == DECLINED]
    if declines:  # who declined and why, for the initiator to act on (the name masked: the timeline is shared)
        reason = "；".join(f"{ROLE_LABELS.get(d['role'], '')}{d['name']}拒绝签署，原因：{d['reason']}" for d in declines)

    def record_end(fresh: Application) -> None:
        nonlocal previous
        previous = fresh.status
        if previous == lifecycle.SIGNING:
            fresh.status = lifecycle.INQUIRY_SAVED
        fresh.signing = {**(fresh.signing or {}), "outcome": error, "reason": reason, "declines": declines,
                         "completed_at": now.isoformat()}
        fresh.updated_at = now.isoformat()

    application = _save_rereading(application, record_end)
    event_item(application.application_id, now, "signing_failed", "system", previous, application.status,
               reason[:200]).save()
    for signer in (s for s in parties if s.phone):
        told = None
        if declines and signer.id_number == application.initiator_id:
            first = declines[0]
            told = send_sms(signer.phone, "sign_declined", name=signer.name, location=_masked_location(application),
                            who=f"{ROLE_LABELS.get(first['role'], '')}{first['name']}",
                            reason=_bounded(first["reason"], SMS_REASON_CHARS))
        if told is None:  # everyone else; the initiator too if the reason could not go by SMS
            send_sms(signer.phone, "sign_failed", name=signer.name, location=_masked_location(application),
                     reason=FAILURE_REASONS.get(error, "签署未能完成"))
    count_event("SigningFailed")
    logger.info("signing failed", application_id=application.application_id, error=error)
    return {"reason": reason}


SMS_REASON_CHARS = 30  # a decline reason quoted in an SMS: one short line, the full text is in the app


def _bounded(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _shanghai(moment: datetime) -> str:
    return moment.astimezone(clock.SHANGHAI).strftime("%m月%d日%H:%M")
