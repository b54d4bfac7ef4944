"""A new signing link on request (issue 17): a party for itself, or the initiator for a party, when
the SMS was lost. The new link goes by SMS to the party's own phone (never into the response), the
party's earlier links die (opening one says so: LINK_VOID), and a party gets at most
LINK_REQUESTS_PER_DAY new links a Beijing day — the link is a bearer credential, and each request
sends an SMS to someone's phone."""

from __future__ import annotations

from datetime import datetime

from estate import clock
from estate.adapters.sms import masked_location, send_sms
from estate.domain import application as lifecycle
from estate.domain.signing import BANK
from estate.errors import Conflict, Forbidden, NotFound, ServiceUnavailable, TooManyRequests
from estate.notify import outbox
from estate.notify import steps as notices
from estate.observability import count_event, logger, mask_id_number, mask_phone
from estate.principal import Principal
from estate.signing import workflow
from estate.store.applications import load_case
from estate.store.signing import INVITED, SIGNED, count_link_request, party_key, signers

LINK_REQUESTS_PER_DAY = 3
ME = "me"


def reissue_link(caller: Principal, application_id: str, party: str) -> dict:
    caller.require_citizen()
    application, _, _ = load_case(application_id)
    if application is None or caller.id_number not in application.party_ids:
        # the same answer whether the case exists or not: a non-party learns nothing about it
        raise Forbidden("您不是该申请的当事人，不能获取签署链接", code="NOT_A_PARTY")
    target_key = party_key(caller.id_number) if party == ME else party
    if target_key != party_key(caller.id_number) and caller.id_number != application.initiator_id:
        raise Forbidden("只能为本人获取签署链接，或由申请发起人为当事人获取", code="ONLY_SELF_OR_INITIATOR")
    signing = application.signing or {}
    if application.status != lifecycle.SIGNING or signing.get("outcome"):
        raise Conflict("该申请当前不在签署中，无需获取签署链接", code="NOT_SIGNING", extra={"status": application.status})
    signer = next((s for s in signers(application_id, signing["document_version"])
                   if party_key(s.id_number) == target_key), None)
    if signer is None:
        raise NotFound("该申请没有这位当事人", code="PARTY_NOT_FOUND")
    if signer.role == BANK or not signer.phone:
        raise Conflict("抵押权人在银行工作台签章，没有签署链接", code="NO_SIGNING_LINK")
    if signer.status == SIGNED:
        raise Conflict("该当事人已完成签署", code="ALREADY_SIGNED")
    if signer.status != INVITED or not signer.link_expires_at:
        raise Conflict("该当事人当前不能签署（尚未发出邀请或签署已终止）", code="NOT_AWAITING_SIGNATURE",
                       extra={"status": signer.status})
    expires = datetime.fromisoformat(signer.link_expires_at)
    if expires <= clock.now():
        raise Conflict("签署期限已过，请重新发起签署", code="SIGNING_DEADLINE_PASSED")
    if not count_link_request(signer, clock.today_in_shanghai().isoformat(), LINK_REQUESTS_PER_DAY):
        raise TooManyRequests(f"该当事人今日已重新获取{LINK_REQUESTS_PER_DAY}次签署链接，请明天再试",
                              code="LINK_REQUESTS_EXHAUSTED")
    earlier = list(signer.link_hashes or [])
    token = workflow.new_link(signer, expires)
    sent = send_sms(signer.phone, "sign_relink", name=signer.name,
                    location=masked_location(application.unit.get("location", "")),
                    role_label=workflow.ROLE_LABELS[signer.role], deadline=workflow.shanghai_label(expires),
                    link=workflow.sign_link(token))
    new_hash = (signer.link_hashes or [])[-1]
    if sent is None:  # the old links stay usable; the new one never reached anyone
        workflow.void_link_hashes([new_hash], "replaced")
        raise ServiceUnavailable("短信发送失败，请稍后重试", code="SMS_NOT_SENT")
    workflow.void_link_hashes(earlier, "replaced")
    person = {"id_number": signer.id_number, "name": signer.name, "phone": None}  # the SMS above carries it
    outbox.notify(notices.link_reissued(application, person), application_id)
    count_event("SigningLinkReissued")
    logger.info("signing link reissued", application_id=application_id, party=mask_id_number(signer.id_number),
                by_initiator=caller.id_number != signer.id_number)
    return {"party": target_key, "role": signer.role, "sent_to": mask_phone(signer.phone),
            "requests_left_today": max(0, LINK_REQUESTS_PER_DAY - int(signer.link_requests or 0))}
