"""The back office's and the bank desk's request and response models (issue 14).

The models carry shape and per-field constraints; what spans fields or needs the case stays in
estate.domain (a return for "OTHER" needs a note, the loan amount's range and precision) and in
the use-cases (which content kind needs which fields: the kind is in the path)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import msgspec

# The case's records, as its parties see them (one model each: apply's views of the same records).
from estate.apply.models import (ApplicationUnit, ContractView, DeclarationView, InquiryView, LegalDeadline,
                                 MaterialDetail, PartiesView, PushedBank, ReturnReason, TimelineEntry)
from estate.domain.application import BUSINESSES, OFFICE_DECISION_LABELS, STATUS_LABELS
from estate.domain.contract import LOAN_TYPES
from estate.domain.registration import MAX_NOTE, MAX_REFUSAL_TEXT, REFUSAL_REASONS, RETURN_REASONS
from estate.office.queue import SORTS
from estate.office.publishing import CONTENT_STATUS_LABELS, LABELS as CONTENT_KINDS
from estate.schema import Model, choice, text
from estate.signing.models import SIGNER_STATUS_LABELS
from estate.signing.workflow import ROLE_LABELS as SIGNER_ROLE_LABELS
from estate.store.register import HOLDING_LABELS

MAX_TERM_MONTHS = 360
CONTENT_ID_PATTERN = r"^[a-z0-9][a-z0-9\-]{1,62}$"
_ID_MESSAGE = "编号只能包含小写字母、数字和连字符，2至63位"

Status = choice(STATUS_LABELS, title="状态")
Business = choice(BUSINESSES, title="业务类型")


# --- request bodies ---------------------------------------------------------------------------

class ReturnForm(Model):
    """退件: one or more reasons from the fixed list, and a note (required with OTHER)."""

    form_message: ClassVar[str] = "退件信息有误，请检查后重新提交"
    reasons: Annotated[list[choice(RETURN_REASONS, title="退件原因", code="UNKNOWN_REASON",  # type: ignore[valid-type]
                                   message="退件原因不在规定的列表中")],
                       msgspec.Meta(min_length=1, title="退件原因", extra={
                           "messages": {"required": "请至少选择一项退件原因", "type": "退件原因应为列表"}})]
    # The type rule on the optional value and on the text itself: either is the one a walker reads.
    note: Annotated[text(MAX_NOTE, title="退件说明",  # type: ignore[valid-type]
                         messages={"too_long": f"退件说明不超过{MAX_NOTE}字", "type": "退件说明应为文字"}) | None,
                    msgspec.Meta(extra={"codes": {"type": "NOT_TEXT"}, "messages": {"type": "退件说明应为文字"}})] = None


class RefusalForm(Model):
    """不予登记 (不动产登记暂行条例 Art. 22): the legal ground from the fixed list and the written reason
    the parties are given (required)."""

    form_message: ClassVar[str] = "不予登记信息有误，请检查后重新提交"
    reason: choice(REFUSAL_REASONS, title="不予登记的法定情形", code="UNKNOWN_REASON",  # type: ignore[valid-type]
                   message="不予登记的情形不在规定的列表中")
    text: text(MAX_REFUSAL_TEXT, title="不予登记的具体理由",  # type: ignore[valid-type]
               messages={"required": "请写明不予登记的具体理由", "too_long": f"不予登记的理由不超过{MAX_REFUSAL_TEXT}字",
                         "type": "不予登记的理由应为文字"})


_DATE_RULES = {"codes": {"pattern": "INVALID_DATE", "type": "INVALID_DATE", "too_long": "INVALID_DATE"},
               "messages": {kind: "债务履行期限届满日格式应为YYYY-MM-DD" for kind in ("pattern", "type", "too_long")}}


class MortgageForm(Model):
    contract_number: text(100, title="抵押合同编号", messages={"required": "请填写抵押合同编号"})  # type: ignore[valid-type]
    ends_on: Annotated[Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}-\d{2}$", max_length=10, title="债务履行期限届满日",
                                         examples=["2046-11-30"], extra_json_schema={"format": "date"},
                                         extra=_DATE_RULES)] | None, msgspec.Meta(extra=_DATE_RULES)] = None
    transfer_banned: Annotated[bool, msgspec.Meta(title="是否约定禁止转让", extra={
        "messages": {"type": "是否约定禁止转让应为是或否"}})] = False


_AMOUNT_MESSAGE = "贷款金额应为大于0的金额，最多两位小数"
_AMOUNT_RULES = {"codes": {kind: "INVALID_AMOUNT" for kind in ("type", "pattern", "range")},
                 "messages": {"required": "请填写贷款金额", **{kind: _AMOUNT_MESSAGE for kind in ("type", "pattern", "range")}}}
# Yuan as a decimal string ("400000.00"), or a JSON number from older clients; the upper bound and a
# number's precision are the use-case's rules (estate.office.bank).
AmountText = Annotated[str, msgspec.Meta(pattern=r"^\d{1,11}(\.\d{1,2})?$", examples=["400000.00"], extra=_AMOUNT_RULES)]
AmountNumber = Annotated[float, msgspec.Meta(gt=0, extra=_AMOUNT_RULES)]


class LoanForm(Model):
    """贷款与抵押信息 (the bank desk)."""

    form_message: ClassVar[str] = "贷款信息有误，请检查后重新提交"
    amount: Annotated[AmountText | AmountNumber, msgspec.Meta(title="贷款金额（元）", extra=_AMOUNT_RULES)]
    term_months: Annotated[int, msgspec.Meta(ge=1, le=MAX_TERM_MONTHS, title="贷款期限（月）", extra={
        "codes": {"type": "INVALID_TERM", "range": "INVALID_TERM"},
        "messages": {"required": "请填写贷款期限", "type": f"贷款期限应为1至{MAX_TERM_MONTHS}个月",
                     "range": f"贷款期限应为1至{MAX_TERM_MONTHS}个月"}})]
    loan_type: choice(LOAN_TYPES, title="贷款类型",  # type: ignore[valid-type]
                      message="贷款类型应为商业贷款、住房公积金贷款或组合贷款") = "commercial"
    mortgage: Annotated[MortgageForm, msgspec.Meta(title="抵押信息", extra={
        "messages": {"required": "请填写抵押信息", "type": "请填写抵押信息"}})]


class PublishForm(Model):
    """发布内容: its id, and its data (which fields the kind needs: estate.office.publishing)."""

    form_message: ClassVar[str] = "内容信息有误，请检查后重新提交"
    id: Annotated[str, msgspec.Meta(pattern=CONTENT_ID_PATTERN, max_length=63, title="编号", examples=["faq-online-query"],
                                    extra={"codes": {"pattern": "INVALID_ID", "type": "INVALID_ID",
                                                     "too_long": "INVALID_ID"},
                                           "messages": {"pattern": _ID_MESSAGE, "type": _ID_MESSAGE,
                                                        "too_long": _ID_MESSAGE}})]
    data: Annotated[dict[str, Any], msgspec.Meta(title="内容", extra={"messages": {"required": "请填写内容"}})]


_VERSION_RULES = {"codes": {"type": "NOT_A_NUMBER"}, "messages": {"type": "版本应为整数", "range": "版本应为不小于1的整数"}}
# On the optional value and on the integer itself: either is the one a walker reads.
Version = Annotated[Annotated[int, msgspec.Meta(ge=1, title="所依据的版本", extra=_VERSION_RULES)] | None,
                    msgspec.Meta(extra=_VERSION_RULES)]


class EditForm(Model):
    """修改内容: the version it was based on (a stale edit is 409 CONTENT_CHANGED) and the new data."""

    form_message: ClassVar[str] = "内容信息有误，请检查后重新提交"
    version: Version = None
    data: Annotated[dict[str, Any], msgspec.Meta(title="内容", extra={"messages": {"required": "请填写内容"}})]


class WithdrawForm(Model):
    """撤回内容 (the body is optional): the version it was based on."""

    version: Version = None


# --- responses ----------------------------------------------------------------------------------



class CaseDocument(Model):
    doc: str
    title: str
    signed: bool
    sha256: str | None = None
    verification_code: str | None = None
    url: str


class SignerState(Model):
    name: str
    role: choice(SIGNER_ROLE_LABELS, title="签署身份")  # type: ignore[valid-type]
    status: choice(SIGNER_STATUS_LABELS, title="签署状态")  # type: ignore[valid-type]
    signed_at: str | None = None
    face_checked_at: str | None = None




class RefusalView(Model):
    """The refusal (不予登记) as decided: the legal ground, its label and the written reason."""

    code: choice(REFUSAL_REASONS, title="不予登记的法定情形")  # type: ignore[valid-type]
    label: str
    text: str
    refused_at: str


class LoanTerms(Model):
    """The loan and mortgage terms as the bank desk saved them (PUT /bank/applications/{id}/loan)."""

    amount: str
    term_months: int
    loan_type: choice(LOAN_TYPES, title="贷款类型")  # type: ignore[valid-type]
    ends_on: str | None = None
    transfer_banned: bool = False
    contract_number: str
    officer: str | None = None


class CertificateIssued(Model):
    certificate_number: str
    holders: list[str]


class NewOwner(Model):
    name: str
    share: str | None = None


class Registration(Model):
    """What approval (登簿) entered: the new certificates and their holders, the old ones to hand in,
    and for a loan sale the mortgage's 不动产登记证明."""

    approved_at: str
    approved_by: str
    holding_mode: choice(HOLDING_LABELS, title="共有方式") | None = None  # type: ignore[valid-type]
    certificates: list[CertificateIssued]
    owners: list[NewOwner]
    old_certificates: list[str]
    mortgage_certificate: str | None = None


Sort = choice(SORTS, title="排序")


class QueueRow(Model):
    id: str
    business: Business  # type: ignore[valid-type]
    business_label: str
    unit_number: str
    location: str | None = None
    status: Status  # type: ignore[valid-type]
    status_label: str
    created_at: str
    updated_at: str
    waiting_since: Annotated[str, msgspec.Meta(title="等待起算时间（受理后为受理时间）")] | None = None
    waiting_working_days: Annotated[int, msgspec.Meta(title="已等待工作日")] | None = None
    buyers: list[str]
    sellers: list[str]
    working_days_left: Annotated[int, msgspec.Meta(title="剩余工作日（逾期为负数）")] | None = None
    working_days_left_provisional: Annotated[bool, msgspec.Meta(
        title="剩余工作日为预计（节假日安排尚未公布）")] = False
    deadline: LegalDeadline | None = None


class OfficeQueue(Model):
    """One page of the outlet's queue; `next` (absent on the last page) fetches the following one
    with the same filters and order."""

    outlet: str
    sort: Sort  # type: ignore[valid-type]
    limit: int
    applications: list[QueueRow]
    next: Annotated[str, msgspec.Meta(title="下一页参数（原样传回 next）")] | None = None


class Label(Model):
    code: str
    label: str


class OfficeVocabulary(Model):
    """Every code the clerk's desk shows, with its Chinese label (the desk hard-codes none)."""

    statuses: list[Label]
    businesses: list[Label]
    timeline_actions: list[Label]
    return_reasons: list[Label]
    refusal_reasons: list[Label]
    material_categories: list[Label]
    signer_roles: list[Label]
    signer_statuses: list[Label]
    queue_sorts: list[Label]
    audit_actions: list[Label]


class CaseDetail(Model):
    """One application as the clerk reviews it. Parties, contract, unit, loan, registration and
    taxes are the application's own records (described with the routes that write them)."""

    id: str
    business: Business  # type: ignore[valid-type]
    outlet: str
    status: Status  # type: ignore[valid-type]
    status_label: str
    created_at: str
    updated_at: str
    initiator_id: str | None = None
    initiator_role: str | None = None
    unit: ApplicationUnit | None = None
    parties: PartiesView | None = None
    contract: ContractView | None = None
    bank: PushedBank | None = None
    loan: LoanTerms | None = None
    return_reasons: list[ReturnReason]
    refusal: RefusalView | None = None
    deadline: LegalDeadline | None = None
    registration: Registration | None = None
    documents: list[CaseDocument]
    materials: list[MaterialDetail]
    signatures: list[SignerState]
    tax: dict[str, Any]
    timeline: list[TimelineEntry]
    # what the desk offers: the decisions valid now (estate.domain.application.office_decisions)
    actions: list[choice(OFFICE_DECISION_LABELS, title="当前可办理的操作")]  # type: ignore[valid-type]


class AuditEntryView(Model):
    at: str
    actor: str | None = None
    actor_name: str | None = None
    actor_role: str | None = None
    outlet: str | None = None
    action: str
    action_label: str
    target: str | None = None
    outcome: str | None = None
    outcome_label: str
    source_ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None
    detail: dict[str, Any] | None = None


class AuditDay(Model):
    """One day of the audit trail (Beijing date), newest first."""

    date: str
    entries: list[AuditEntryView]


class PushedSummary(Model):
    id: str
    business: Business  # type: ignore[valid-type]
    outlet: str
    unit_number: str
    location: str | None = None
    status: Status  # type: ignore[valid-type]
    status_label: str
    bank: PushedBank | None = None
    loan: LoanTerms | None = None
    buyers: list[str]
    sellers: list[str]
    created_at: str
    updated_at: str


class BankQueue(Model):
    """The loan sales pushed to the officer's branch."""

    branch: str
    applications: list[PushedSummary]


class PushedCase(PushedSummary):
    """One pushed loan sale as the officer continues it."""

    parties: PartiesView | None = None
    contract: ContractView | None = None
    tax_declaration: DeclarationView | None = None
    inquiry: InquiryView | None = None
    return_reasons: list[ReturnReason]
    documents: list[CaseDocument]
    signatures: list[SignerState]
    materials: list[MaterialDetail]
    timeline: list[TimelineEntry]


ContentStatus = choice(CONTENT_STATUS_LABELS, title="状态")
# A published item's fields are those of the public reference route that shows it (info's models,
# documented there); kept a mapping here: estate.office.publishing checks the fields per kind.
ContentData = Annotated[dict[str, Any], msgspec.Meta(title="内容（同公开接口的政策、办事指南或常见问题）", extra_json_schema={
    "anyOf": [{"$ref": f"#/components/schemas/{name}"} for name in ("Policy", "Guide", "Faq")]})]


class SealView(Model):
    """The bank's e-seal applied as mortgagee (抵押权人) to its documents of this signing."""

    status: Literal["signed"]
    sealed_at: str
    documents: list[str]


class ContentItemView(Model):
    """A policy, guide or FAQ as now published (or withdrawn), with its version."""

    kind: choice(CONTENT_KINDS, title="内容类型")  # type: ignore[valid-type]
    id: str
    status: ContentStatus  # type: ignore[valid-type]
    version: int
    updated_at: str | None = None
    data: ContentData


class ContentVersion(Model):
    version: int | None = None
    status: ContentStatus  # type: ignore[valid-type]
    updated_at: str | None = None
    updated_by: str | None = None
    data: ContentData


class ContentHistory(Model):
    """Every version of a content item the public ever saw, oldest first."""

    kind: str
    id: str
    versions: list[ContentVersion]
