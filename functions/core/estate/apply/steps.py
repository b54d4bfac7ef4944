"""The editing steps of an application, each a full replacement of its section (PUT semantics)."""

from __future__ import annotations

from estate import clock, events
from estate.apply.access import Editor, commit, load_for_editor, retry_on_concurrent_update
from estate.apply.cases import present
from estate.domain import application as lifecycle
from estate.domain.contract import validate_contract, with_loan
from estate.adapters.realname import real_name_of
from estate.domain.declaration import validate_declaration
from estate.domain.documents import filing_number
from estate.domain.ids import add_key
from estate.domain.inquiry import question_bank, validate_inquiry
from estate.domain.people import party_ids, validate_parties
from estate.domain.register import Owner
from estate.errors import FieldErrors, NotFound
from estate.principal import Principal
from estate.observability import logger
from estate.signing import workflow
from estate.store import content
from estate.store.applications import Change, Membership
from estate.store.base import Put


def _step(caller: Principal, application_id: str, step: str) -> tuple[Editor, str]:
    editor = load_for_editor(caller, application_id)
    application = editor.application
    reached = (application.parties and lifecycle.PARTIES_SET)
    for field, status in (("contract", lifecycle.CONTRACT_SAVED), ("tax_declaration", lifecycle.TAX_DECLARED),
                          ("inquiry", lifecycle.INQUIRY_SAVED)):
        if getattr(application, field):
            reached = status
    new_status = lifecycle.edit_step(application.status, step, application.business, reached or None,
                                     by_bank=editor.by_bank)
    return editor, new_status


def _finish(caller: Principal, editor: Editor, new_status: str, action: str, **commit_args) -> dict:
    """Commit the step: the application, its timeline event and — when the step starts signing (the
    inquiry saved, or an edit that voided the signatures) — the new run's record, its signing_started
    event and every party's signer row, in ONE transaction; then start the run and stop the old one."""
    application = editor.application
    previous_signing = application.signing
    resign = application.status in lifecycle.RESIGN_ON_EDIT
    if resign or action == "inquiry_saved":
        # The documents changed: every signature is void, and everyone signs the new version.
        application.document_version = (application.document_version or 0) + 1
    now = clock.now()
    then, signer_rows = [], []
    if application.inquiry and (resign or action == "inquiry_saved") and \
            lifecycle.starts_signing(new_status, workflow.signing_configured()):
        application.signing, signer_rows = workflow.plan_start(application, now)
        then = [Change("signing_started", lifecycle.transition(new_status, "start_signing"), "system")]
    events_written = commit(application, new_status, action=action, actor_role=editor.actor_role, then=then,
                            extra=[Put(row) for row in signer_rows], **commit_args)
    if resign:
        events.emit("application_edited", application_id=application.application_id,
                    previous_signing=previous_signing, restarted=bool(then))
    if then:
        events.emit("inquiry_saved", application=application)  # starts the run recorded above
    return present(caller, application.application_id, editor, events_written)


@retry_on_concurrent_update
def set_parties(caller: Principal, application_id: str, body: dict) -> dict:
    editor, new_status = _step(caller, application_id, "parties")
    application = editor.application
    owners = tuple(Owner(o["name"], o["id_number"]) for o in application.unit["owners"])
    parties = validate_parties(body, owners, real_name_of)
    side = "sellers" if application.initiator_role == "seller" else "buyers"
    if caller.id_number not in [p["id_number"] for p in parties[side]]:
        errors = FieldErrors()
        errors.add(side, "INITIATOR_NOT_PARTY", "发起人须是其所选一方（买方或卖方）的当事人")
        errors.raise_if_any()
    old_ids, new_ids = set(application.party_ids), set(party_ids(parties))
    now = clock.now().isoformat()
    roles = {p["id_number"]: "seller" for p in parties["sellers"]} | {p["id_number"]: "buyer" for p in parties["buyers"]}
    added = [Membership(*Membership.key(i, application_id), application_id=application_id, role=roles[i],
                        created_at=now) for i in new_ids - old_ids]
    removed = [Membership(*Membership.key(i, application_id)) for i in old_ids - new_ids]
    application.parties = parties
    application.party_ids = sorted(new_ids)
    return _finish(caller, editor, new_status, "parties_saved", extra_puts=added, extra_deletes=removed)


def list_banks(query: dict) -> dict:
    banks = content.list_published("bank")
    outlet = query.get("outlet")
    if outlet:
        banks = [{**b, "branches": [br for br in b["branches"] if br["outlet"] == outlet]} for b in banks]
        banks = [b for b in banks if b["branches"]]
    return {"banks": banks}


@retry_on_concurrent_update
def push_to_bank(caller: Principal, application_id: str, body: dict) -> dict:
    editor, new_status = _step(caller, application_id, "bank-push")
    application = editor.application
    if application.business != "loan-sale":
        from estate.errors import Conflict
        raise Conflict("只有贷款买卖需要推送银行", code="NOT_A_LOAN_SALE")
    errors = FieldErrors()
    bank_code = add_key(errors, "bank", body.get("bank"), "请选择贷款银行")
    add_key(errors, "branch", body.get("branch"), "请选择银行网点")
    errors.raise_if_any()
    bank = content.get_published("bank", bank_code)
    if bank is None:
        raise NotFound("银行不存在", code="BANK_NOT_FOUND")
    branch = next((b for b in bank["branches"] if b["code"] == body.get("branch")), None)
    if branch is None or branch["outlet"] != application.outlet:
        errors = FieldErrors()
        errors.add("branch", "BRANCH_NOT_IN_OUTLET", "请选择本办理网点辖区内的银行网点")
        errors.raise_if_any()
    application.bank = {"bank": bank["code"], "bank_name": bank["name"], "branch": branch["code"],
                        "branch_name": branch["name"], "pushed_at": clock.now().isoformat()}
    application.bank_branch = branch["code"]
    logger.info("application pushed to bank", application_id=application_id, branch=branch["code"])
    return _finish(caller, editor, new_status, "pushed_to_bank", note=branch["name"])


@retry_on_concurrent_update
def set_contract(caller: Principal, application_id: str, body: dict) -> dict:
    editor, new_status = _step(caller, application_id, "contract")
    application = editor.application
    outlet = content.get_published("outlet", application.outlet) or {}
    contract = validate_contract(body, today=clock.today_in_shanghai(), outlet=outlet, unit=application.unit)
    if editor.by_bank:
        if not application.loan:
            errors = FieldErrors()
            errors.add("loan", "REQUIRED", "请先填写贷款及抵押信息，再签订合同")
            errors.raise_if_any("申请信息不完整")
        contract = with_loan(contract, application.loan, application.bank)
    # 网签备案编号: assigned with the first contract, kept by every later version of it
    contract["filing_number"] = (application.contract or {}).get("filing_number") or filing_number(application_id)
    application.contract = contract
    return _finish(caller, editor, new_status, "contract_saved")


@retry_on_concurrent_update
def set_tax_declaration(caller: Principal, application_id: str, body: dict) -> dict:
    editor, new_status = _step(caller, application_id, "tax-declaration")
    application = editor.application
    parties = application.parties
    application.tax_declaration = validate_declaration(
        body, buyer_ids=[p["id_number"] for p in parties["buyers"]],
        seller_ids=[p["id_number"] for p in parties["sellers"]], today=clock.today_in_shanghai(),
        name_of=real_name_of)
    return _finish(caller, editor, new_status, "tax_declared")


def inquiry_questions() -> dict:
    return question_bank()


@retry_on_concurrent_update
def set_inquiry(caller: Principal, application_id: str, body: dict) -> dict:
    editor, new_status = _step(caller, application_id, "inquiry")
    application = editor.application
    parties = application.parties
    roles = {p["id_number"]: "seller" for p in parties["sellers"]} | {p["id_number"]: "buyer" for p in parties["buyers"]}
    names = {p["id_number"]: p["name"] for side in ("sellers", "buyers") for p in parties[side]}
    application.inquiry = {**validate_inquiry(body, roles=roles, names=names), "recorded_at": clock.now().isoformat()}
    return _finish(caller, editor, new_status, "inquiry_saved")
