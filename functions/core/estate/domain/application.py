"""The application's lifecycle (DESIGN §7) as pure rules: which step may happen in which state.

Steps before signing may be redone (a correction keeps the furthest state reached); a step out of
order is a 409 that names the states it needs, so the app can send the user to the right screen.
"""

from __future__ import annotations

from estate.errors import Conflict

DRAFT = "DRAFT"
PARTIES_SET = "PARTIES_SET"
PUSHED_TO_BANK = "PUSHED_TO_BANK"
CONTRACT_SAVED = "CONTRACT_SAVED"
TAX_DECLARED = "TAX_DECLARED"
INQUIRY_SAVED = "INQUIRY_SAVED"
SIGNING = "SIGNING"
SIGNED = "SIGNED"
SUBMITTED = "SUBMITTED"
ACCEPTED = "ACCEPTED"
TAX_PAID = "TAX_PAID"
APPROVED = "APPROVED"
CERTIFICATE_READY = "CERTIFICATE_READY"
COMPLETED = "COMPLETED"
RETURNED = "RETURNED"
REFUSED = "REFUSED"
WITHDRAWN = "WITHDRAWN"
EXPIRED = "EXPIRED"

STATUS_LABELS = {
    DRAFT: "草稿", PARTIES_SET: "已填写买卖双方信息", PUSHED_TO_BANK: "已推送银行", CONTRACT_SAVED: "已签订合同（待签署）",
    TAX_DECLARED: "已纳税申报", INQUIRY_SAVED: "已填写询问笔录", SIGNING: "签署中", SIGNED: "已全部签署",
    SUBMITTED: "已提交，待受理", ACCEPTED: "已受理", TAX_PAID: "已缴税", APPROVED: "已登簿", CERTIFICATE_READY: "待领证",
    COMPLETED: "已办结", RETURNED: "已退件，待补正", REFUSED: "不予登记", WITHDRAWN: "已撤销", EXPIRED: "已过期",
}

# What each timeline event of a case records (its `action`), as people read it.
TIMELINE_ACTIONS = {
    "started": "发起申请", "parties_saved": "填写买卖双方信息", "pushed_to_bank": "推送贷款银行",
    "contract_saved": "签订买卖合同", "tax_declared": "纳税申报", "inquiry_saved": "填写询问笔录",
    "loan_saved": "银行填写贷款信息", "signing_started": "发起签署", "signing_completed": "各方签署完成",
    "signing_failed": "签署未完成", "submitted": "提交申请", "accepted": "受理", "returned": "退件",
    "refused": "不予登记", "taxes_paid": "税费已缴清", "approved": "登簿", "handed_over": "办结领证",
    "withdrawn": "撤销申请",
}

BUSINESSES = {"sale": "二手商品房转移登记（买卖）", "loan-sale": "二手商品房转移登记（贷款买卖）"}
ROLES = {"buyer": "买方", "seller": "卖方"}  # the side the initiator is on

# Who continues an application: its initiator, or — once a loan sale is pushed to a bank branch — that
# branch's loan officer (the seed: "由银行工作人员协助办理后续申请流程").
INITIATOR, BANK = "initiator", "bank"
BANK_STEPS = ("contract", "tax-declaration", "inquiry")

# The editing steps of a cash sale, in order; each needs the previous one done.
EDIT_ORDER = [DRAFT, PARTIES_SET, CONTRACT_SAVED, TAX_DECLARED, INQUIRY_SAVED]
EDITABLE = set(EDIT_ORDER) | {RETURNED}
# An edit while signing voids every signature and restarts signing on the new version.
RESIGN_ON_EDIT = {SIGNING, SIGNED}
IN_FLIGHT = set(EDIT_ORDER) | {PUSHED_TO_BANK, SIGNING, SIGNED, SUBMITTED, ACCEPTED, TAX_PAID, RETURNED}
FINAL = {COMPLETED, REFUSED, WITHDRAWN, EXPIRED}
# What the back office sees: before submission an application is the citizens' draft.
OFFICE_STATUSES = frozenset({SUBMITTED, ACCEPTED, TAX_PAID, APPROVED, CERTIFICATE_READY, COMPLETED, RETURNED, REFUSED})
# Accepted and not yet decided: the legal clock (条例 Art. 20, counted from acceptance) runs.
CLOCK_RUNNING = frozenset({ACCEPTED, TAX_PAID})
WITHDRAWABLE = set(EDIT_ORDER) | {PUSHED_TO_BANK, SIGNING, SIGNED, SUBMITTED, RETURNED}


def told_of_withdrawal(status_from: str) -> str | None:
    """Which parties a withdrawal is told to by SMS: during signing everyone (their signing links die),
    once every party has signed or the case was submitted the others; before that only the initiator
    knew of the case, so nobody."""
    if status_from == SIGNING:
        return "everyone"
    if status_from in (SIGNED, SUBMITTED, RETURNED):
        return "others"
    return None

# step → the status the application must have reached before it
STEP_PREREQUISITE = {
    "parties": DRAFT,
    "bank-push": PARTIES_SET,
    "contract": PARTIES_SET,
    "tax-declaration": CONTRACT_SAVED,
    "inquiry": TAX_DECLARED,
}
STEP_RESULT = {
    "parties": PARTIES_SET,
    "contract": CONTRACT_SAVED,
    "tax-declaration": TAX_DECLARED,
    "inquiry": INQUIRY_SAVED,
}
STEP_LABELS = {"parties": "填写买卖双方信息", "bank-push": "推送银行", "contract": "签订合同",
               "tax-declaration": "纳税申报", "inquiry": "填写询问笔录"}


def editor_of(business: str, pushed: bool) -> str:
    """INITIATOR for a cash sale and for a loan sale not yet pushed; BANK once a loan sale is pushed."""
    return BANK if business == "loan-sale" and pushed else INITIATOR


def _rank(status: str) -> int:
    if status == PUSHED_TO_BANK:  # the bank continues from where the parties left it
        status = PARTIES_SET
    return EDIT_ORDER.index(status) if status in EDIT_ORDER else -1


def edit_step(status: str, step: str, business: str, reached: str | None = None, by_bank: bool = False) -> str:
    """The status after doing `step` now; Conflict when the step is out of order or too late.

    `reached` is, for a returned application, the furthest editing state it had before the return.
    `by_bank`: the loan officer of the branch a loan sale was pushed to is doing it.
    """
    if business == "loan-sale" and step in BANK_STEPS and not by_bank:
        raise Conflict("贷款买卖的合同、纳税申报和询问笔录由贷款银行协助办理", code="BANK_CONTINUES",
                       extra={"status": status})
    if by_bank and step not in BANK_STEPS:
        raise Conflict(f"银行不能{STEP_LABELS[step]}", code="NOT_A_BANK_STEP", extra={"status": status})
    effective = reached if status in ({RETURNED} | RESIGN_ON_EDIT) and reached else status
    editable = EDITABLE | RESIGN_ON_EDIT | ({PUSHED_TO_BANK} if by_bank else set())
    if status not in editable:
        raise Conflict(f"当前状态（{STATUS_LABELS.get(status, status)}）不能{STEP_LABELS[step]}",
                       code="WRONG_STATE", extra={"status": status, "expected": sorted(EDITABLE)})
    needed = STEP_PREREQUISITE[step]
    if _rank(effective) < _rank(needed):
        expected = EDIT_ORDER[_rank(needed):]
        raise Conflict(f"请先完成前面的步骤，再{STEP_LABELS[step]}", code="STEP_OUT_OF_ORDER",
                       extra={"status": status, "expected": expected})
    if step == "bank-push":
        return PUSHED_TO_BANK
    if status == RETURNED:
        return RETURNED
    result = STEP_RESULT[step]
    return result if _rank(result) > _rank(effective) else effective


def after_taxes_paid(status: str) -> str | None:
    """The status an application moves to once every tax item is paid: only an accepted one moves
    (to TAX_PAID); any other status (already TAX_PAID, approved, returned…) stays as it is."""
    return TAX_PAID if status == ACCEPTED else None


# event → (the statuses it may happen in, the status after it, what the refusal calls it)
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "withdraw": (frozenset(WITHDRAWABLE), WITHDRAWN, "撤销"),
    # submitting while signing is let through to the completeness check, which names what is missing
    "submit": (frozenset({INQUIRY_SAVED, SIGNED, RETURNED, SIGNING}), SUBMITTED, "提交"),
    "accept": (frozenset({SUBMITTED}), ACCEPTED, "受理"),
    "return": (frozenset({SUBMITTED, ACCEPTED, TAX_PAID}), RETURNED, "退件"),
    "approve": (frozenset({ACCEPTED, TAX_PAID}), APPROVED, "登簿"),
    "hand_over": (frozenset({APPROVED, CERTIFICATE_READY}), COMPLETED, "办结领证"),
    # 不予登记 (条例 Art. 22) is a review outcome: only an accepted case not yet entered in the register.
    # Before acceptance the office returns the application (Art. 17), after 登簿 the entry stands.
    "refuse": (frozenset(CLOCK_RUNNING), REFUSED, "不予登记"),
    "start_signing": (frozenset({INQUIRY_SAVED, RETURNED}), SIGNING, "发起签署"),
}


def transition(status: str, event: str) -> str:
    """The status after `event` happens in `status`; Conflict (WRONG_STATE) when it may not happen now."""
    allowed, target, label = TRANSITIONS[event]
    require(status, set(allowed), label)
    return target


# The back office's decisions on a case, in the order the desk offers them: each is named after its
# route (POST /office/applications/{id}/<decision>) and is one lifecycle event above.
OFFICE_DECISIONS = {"accept": "accept", "return": "return", "refusal": "refuse", "approve": "approve",
                    "handover": "hand_over"}
OFFICE_DECISION_LABELS = {"accept": "受理", "return": "退件", "refusal": "不予登记", "approve": "登簿", "handover": "办结"}


def office_decisions(status: str, taxes_paid: bool) -> list[str]:
    """The decisions the back office may take on a case now (the desk shows only these): those whose
    event may happen in `status`, 登簿 only once every tax is paid — the use cases refuse the others
    (WRONG_STATE, TAXES_NOT_PAID), so this is the same rule read ahead, not a second one."""
    return [decision for decision, event in OFFICE_DECISIONS.items()
            if status in TRANSITIONS[event][0] and (decision != "approve" or taxes_paid)]


def starts_signing(status: str, signing_configured: bool) -> bool:
    """Saving the inquiry record (or an edit that voided the signatures) starts signing the new version
    when the application is ready for it — and the signing workflow is deployed."""
    return signing_configured and status in TRANSITIONS["start_signing"][0]


def after_signing_completed(status: str) -> str:
    """Every party signed and the packet is composed: SIGNED (as the signing run has always recorded it)."""
    return SIGNED


def after_signing_ended(status: str) -> str:
    """A run that ended unsigned hands a signing application back to its initiator (INQUIRY_SAVED);
    any other status (withdrawn, already edited) stays."""
    return INQUIRY_SAVED if status == SIGNING else status


def waiting_since(status: str, entered_at: str, accepted_at: str | None) -> str:
    """Since when the office has had the case in its present state, the key its queue sorts and counts
    waiting days by: while the legal clock runs (accepted, taxes paid) the acceptance — paying taxes
    does not restart the wait, and the order is that of the deadlines; otherwise when it entered it."""
    return accepted_at if status in CLOCK_RUNNING and accepted_at else entered_at


def require(status: str, allowed: set[str], action_label: str) -> None:
    if status not in allowed:
        raise Conflict(f"当前状态（{STATUS_LABELS.get(status, status)}）不能{action_label}", code="WRONG_STATE",
                       extra={"status": status, "expected": sorted(allowed)})
