"""The bank's part of signing a loan sale: its e-seal (电子印章) on the application form and the
mortgage contract, applied by the logged-in loan officer of the branch the sale was pushed to.

No SMS link and no face check: the officer is authenticated by the API. Sealing marks the bank's
signer item signed (conditionally, so only one seal ever lands) and answers the bank's wait in the
signing run with the task token stored on that item — the same way a party's signature does.
"""

from __future__ import annotations

import hashlib

from pynamodb.exceptions import UpdateError

from estate import clock
from estate.adapters.workflow import answer_wait
from estate.apply.access import load_for_officer
from estate.domain import application as lifecycle
from estate.domain.signing import BANK, bank_signer_id, documents_for
from estate.errors import Conflict
from estate.principal import Principal
from estate.observability import count_event, logger
from estate.store.signing import INVITED, PENDING, SIGNED, Signer, get_signer


def seal(caller: Principal, application_id: str, source_ip: str = "") -> dict:
    application, _, _ = load_for_officer(caller, application_id)
    signing = application.signing or {}
    if application.status != lifecycle.SIGNING or signing.get("outcome"):
        raise Conflict("签署尚未开始或已结束，不能加盖电子印章", code="NOT_SIGNING",
                       extra={"status": application.status})
    version = signing["document_version"]
    documents = documents_for(application.business, BANK)
    rendered = application.documents or {}
    pending = [title for doc, title in documents.items() if (rendered.get(doc) or {}).get("version") != version]
    if pending:
        raise Conflict("文件正在生成，请稍后再加盖电子印章：" + "、".join(pending), code="DOCUMENTS_NOT_READY",
                       extra={"pending": pending})
    signer = get_signer(application_id, version, bank_signer_id(caller.branch))
    if signer is None:
        raise Conflict("本次签署没有银行签章环节", code="NOT_SIGNING", extra={"status": application.status})
    if signer.status == SIGNED:
        raise Conflict("本行已加盖电子印章，不能重复盖章", code="ALREADY_SEALED", extra={"sealed_at": signer.signed_at})
    if signer.status not in (PENDING, INVITED):
        raise Conflict("当前不能加盖电子印章", code="NOT_AWAITING_SIGNATURE", extra={"status": signer.status})
    now = clock.now().isoformat()
    digest = hashlib.sha256(f"{application_id}|{version}|{caller.branch}|{caller.subject}|{now}".encode()).hexdigest()
    try:
        # The update returns the item as it now is: a task token stored meanwhile by the run is seen here.
        signer.update(actions=[Signer.status.set(SIGNED), Signer.signed_at.set(now), Signer.sealed_by.set(
            caller.name or caller.subject), Signer.signature_sha256.set(digest), Signer.source_ip.set(source_ip[:64])],
            condition=Signer.status.is_in(PENDING, INVITED))
    except UpdateError:
        raise Conflict("本行已加盖电子印章，不能重复盖章", code="ALREADY_SEALED") from None
    if signer.task_token:
        answer_wait(signer.task_token, output={"sealed_at": now})
    count_event("BankSealed")
    logger.info("bank sealed", application_id=application_id, branch=caller.branch)
    return {"status": SIGNED, "sealed_at": now, "documents": list(documents.values())}
