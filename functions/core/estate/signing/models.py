"""The signing routes' request and response models (estate.schema): what the personal signing page
posts (a finished liveness session, a document seen to its last page, the drawn signature, a refusal) and what the
page, the initiator and the bank desk read back.

Shape and per-field constraints live here; whether the photo is a face, the signature a PNG with
ink, the reported digest this document's, stay in estate.signing.ceremony."""

from typing import Annotated, ClassVar, Literal

import msgspec

from estate.domain.application import STATUS_LABELS
from estate.domain.signing import DOCUMENT_TITLES
from estate.schema import Model, choice, key, text
from estate.signing.workflow import ROLE_LABELS
from estate.store.signing import DECLINED, EXPIRED, INVITED, PENDING, SIGNED, VOID

SIGNER_STATUS_LABELS = {PENDING: "待邀请", INVITED: "待签署", SIGNED: "已签署", DECLINED: "已拒签",
                        EXPIRED: "已过期", VOID: "已作废"}


def _image(title: str, missing: str) -> object:
    """A base64 image (a data: URL prefix is allowed); its size is bounded by the route's body limit."""
    return Annotated[str, msgspec.Meta(title=title, description="Base64 编码的图片，可带 data:image/…;base64, 前缀",
                                       extra={"messages": {"required": missing, "type": missing}})]


_VIEW_RULES = {kind: "INVALID" for kind in ("required", "type", "pattern", "range")}


class SigningLivenessForm(Model):
    """POST /sign/{token}/liveness-sessions: start the signer's liveness session."""

    return_to: text(201, title="完成后返回的应用内页面路径", pattern=r"^/[A-Za-z0-9/_\-.~%]{0,200}$",
                    codes={"pattern": "RETURN_PATH_INVALID"},
                    messages={"pattern": "返回地址应为本应用内的页面路径"}) = "/"


class SigningFaceForm(Model):
    """POST /sign/{token}/face: the signer's finished liveness session."""

    form_message: ClassVar[str] = "请先完成人脸识别"

    session: key("请先完成人脸识别", title="完成的活体检测会话编号")  # type: ignore[valid-type]


class SigningViewedForm(Model):
    """POST /sign/{token}/documents/{doc}/viewed: the page displayed the last page of the PDF with
    this digest and page count (both from GET …/documents/{doc})."""

    sha256: Annotated[str, msgspec.Meta(title="文件SHA-256摘要", pattern=r"^[0-9a-fA-F]{64}$", extra={
        "codes": _VIEW_RULES, "messages": dict.fromkeys(_VIEW_RULES, "文件摘要格式不正确")})]
    pages: Annotated[int, msgspec.Meta(title="已显示的页数", ge=1, extra={
        "codes": _VIEW_RULES, "messages": dict.fromkeys(_VIEW_RULES, "页数格式不正确")})]


class SigningSignatureForm(Model):
    """POST /sign/{token}/signature: the hand-drawn signature, one PNG for all the signer's documents."""

    form_message: ClassVar[str] = "请先手写签名"

    image: _image("手写签名（PNG）", "请先手写签名")  # type: ignore[valid-type]


class SigningDeclineForm(Model):
    """POST /sign/{token}/decline: why the party refuses to sign (ends the signing for everyone)."""

    reason: text(200, title="拒签原因", messages={"required": "请填写拒签原因（不超过200字）",  # type: ignore[valid-type]
                                                    "too_long": "请填写拒签原因（不超过200字）"})


# --- answers ---------------------------------------------------------------------------------------

Role = choice(ROLE_LABELS, title="角色")
SignerStatus = choice(SIGNER_STATUS_LABELS, title="签署状态")


class SigningCase(Model):
    id: str
    location: str | None = None
    unit_number: str | None = None
    # the labels live in estate.apply.cases.BUSINESSES, which the sign function must not load (its
    # events and templates would come with it): the application's own answers carry them
    business: Annotated[str, msgspec.Meta(title="业务类型", examples=["sale", "loan-sale"])]
    price_in_words: str | None = None


class SigningSelf(Model):
    name: str
    role: Role  # type: ignore[valid-type]
    status: SignerStatus  # type: ignore[valid-type]
    signed_at: str | None = None


class SigningDocument(Model):
    doc: choice(DOCUMENT_TITLES, title="文件")  # type: ignore[valid-type]
    title: str
    viewed: bool


class SigningParty(Model):
    name: Annotated[str, msgspec.Meta(description="本人与银行显示全名，其他当事人脱敏")]
    role: Role  # type: ignore[valid-type]
    status: SignerStatus  # type: ignore[valid-type]
    signed_at: str | None = None


class SigningSessionView(Model):
    """GET /sign/{token}/session: the case, the signer, their documents and everyone's progress."""

    application: SigningCase
    me: SigningSelf
    face_checked: bool
    documents: list[SigningDocument]
    parties: list[SigningParty]
    deadline: str | None = None
    can_sign: bool


class SigningFaceView(Model):
    face_checked: Literal[True]
    valid_seconds: Annotated[int, msgspec.Meta(title="人脸识别有效期（秒）")]


class SigningDocumentView(Model):
    """Where to fetch one document's PDF (a short-lived link) and what to report once it is read."""

    doc: choice(DOCUMENT_TITLES, title="文件")  # type: ignore[valid-type]
    title: str
    sha256: str
    pages: int
    url: str


class SigningViewedView(Model):
    doc: choice(DOCUMENT_TITLES, title="文件")  # type: ignore[valid-type]
    viewed: Literal[True]


class SigningSignedView(Model):
    status: choice({SIGNED: SIGNER_STATUS_LABELS[SIGNED]}, title="签署状态")  # type: ignore[valid-type]
    signed_at: str


class SigningDeclinedView(Model):
    status: choice({DECLINED: SIGNER_STATUS_LABELS[DECLINED]}, title="签署状态")  # type: ignore[valid-type]


class SigningPartyProgress(SigningParty):
    party: Annotated[str, msgspec.Meta(description="当事人键，用于 POST /applications/{id}/parties/{party}/link")]
    reminders: int = 0


class SigningDecline(Model):
    name: str
    role: Role  # type: ignore[valid-type]
    reason: str | None = None


class SigningStatusView(Model):
    """GET /applications/{id}/signing: every signer's state, who declined and why."""

    status: choice(STATUS_LABELS, title="申请状态")  # type: ignore[valid-type]
    document_version: int | None = None
    deadline: str | None = None
    outcome: str | None = None
    reason: str | None = None
    parties: list[SigningPartyProgress]
    declines: list[SigningDecline]
    all_signed: bool
    packet_ready: bool


class SignedPacketDocument(Model):
    doc: choice(DOCUMENT_TITLES, title="文件")  # type: ignore[valid-type]
    title: str
    sha256: str
    code: str | None = None


class SigningExtractView(Model):
    """POST /applications/{id}/signing/extract: the signed files now among the application's materials."""

    extracted: list[str]
    documents: list[SignedPacketDocument]


class SigningLinkSentView(Model):
    """POST /applications/{id}/parties/{party}/link: a new signing link went to the party's phone."""

    party: str
    role: Role  # type: ignore[valid-type]
    sent_to: Annotated[str, msgspec.Meta(description="脱敏手机号")]
    requests_left_today: int
