"""What a party does through their personal link: see the case, pass a face check, open each of
their documents (three; a loan sale's buyers also the mortgage contract), draw a signature and sign
them all at once — or decline. The bank seals a loan sale's documents through the bank desk (seal())."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from estate import clock
from estate.adapters.uploads import presigned_get, read_object, write_object
from estate.adapters.workflow import answer_wait
from estate.services.face_checks import finish_liveness, start_liveness
from estate.config import get_settings
from estate.domain.signing import BANK, documents_for
from estate.images import PNG_MAGIC, ImageRejected, decode_image_field, open_image
from estate.errors import (Conflict, DomainError, FieldErrors, NotFound, SignatureDeclined, TooManyRequests,
                           ValidationError)
from estate.observability import count_event, logger, mask_id_number, mask_name
from estate.store.applications import Application
from estate.store.signing import DECLINED, INVITED, SIGNED, VOID, Signer, find_link, signers

if TYPE_CHECKING:
    from estate.signing.models import (SigningDeclineForm, SigningFaceForm, SigningLivenessForm, SigningSignatureForm,
                                       SigningViewedForm)

FACE_VALID_S = 600
MAX_SIGNATURE_BYTES = 1024 * 1024
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")  # one per page object (fpdf2 compresses the contents)


class LinkGone(DomainError):
    status = 410
    code = "LINK_GONE"
    message = "签署链接已失效"


VOID_NOTICES = {
    "edited": "申请内容已修改，本签署链接已作废，请使用最新短信中的链接签署",
    "replaced": "已按申请重新发送签署链接，本链接已作废，请使用最新短信中的链接签署",
    "SignatureDeclined": "有当事人拒绝签署，本次签署已终止，申请已退回发起人",
    "SignatureDeadlinePassed": "有当事人未在期限内签署，本次签署已终止，申请已退回发起人",
}
VOID_DEFAULT = "该签署已终止（申请已撤销、修改或过期），请以最新短信为准"


def void_notice(reason: str | None, voided_at: str | None) -> str:
    """Why a voided link no longer signs, in words for the party who opens it (Beijing date)."""
    if reason == "withdrawn":
        when = _beijing_date(voided_at) if voided_at else ""
        return f"申请人已于{when}撤销该不动产登记申请，本签署链接已作废，无需再签署" if when else \
            "申请人已撤销该不动产登记申请，本签署链接已作废，无需再签署"
    return VOID_NOTICES.get(reason or "", VOID_DEFAULT)


def _beijing_date(moment: str) -> str:
    day = datetime.fromisoformat(moment).astimezone(clock.SHANGHAI)
    return f"{day.year}年{day.month}月{day.day}日"


def resolve(token: str) -> tuple[Signer, Application]:
    """The signer behind a link; 404 for unknown links, 410 for expired or voided ones (a voided link
    says why: withdrawn on which day, edited, declined…)."""
    link = find_link(token) if token and len(token) < 100 else None
    if link is None:
        raise NotFound("签署链接无效，请核对短信中的链接", code="LINK_UNKNOWN")
    if link.status == VOID:
        raise LinkGone(void_notice(link.void_reason, link.voided_at), code="LINK_VOID")
    application = Application.get(*Application.key(link.application_id))
    if application.status == "WITHDRAWN":  # withdrawn, the links not voided yet (that step runs right after)
        raise LinkGone(void_notice("withdrawn", application.updated_at), code="LINK_VOID")
    if datetime.fromisoformat(link.expires_at) < clock.now():
        raise LinkGone("签署链接已过期，请联系申请发起人", code="LINK_EXPIRED")
    signer = Signer.get(*Signer.key(link.application_id, link.document_version, link.id_number))
    if signer.status in (VOID, "expired") or application.status == "EXPIRED":
        raise LinkGone(VOID_DEFAULT, code="LINK_VOID")
    return signer, application


def _views(signer: Signer) -> dict:
    views = signer.views
    return views.as_dict() if hasattr(views, "as_dict") else dict(views or {})


def _face_is_fresh(signer: Signer) -> bool:
    if not signer.face_checked_at:
        return False
    return clock.now() - datetime.fromisoformat(signer.face_checked_at) < timedelta(seconds=FACE_VALID_S)


def session(token: str) -> dict:
    signer, application = resolve(token)
    everyone = signers(application.application_id, signer.document_version)
    return {
        "application": {"id": application.application_id, "location": application.unit.get("location"),
                        "unit_number": application.unit_number, "business": application.business,
                        "price_in_words": (application.contract or {}).get("price_in_words")},
        "me": {"name": signer.name, "role": signer.role, "status": signer.status, "signed_at": signer.signed_at},
        "face_checked": _face_is_fresh(signer),
        "documents": [{"doc": doc, "title": title, "viewed": doc in _views(signer)}
                      for doc, title in documents_for(application.business, signer.role).items()],
        "parties": [{"name": s.name if s.id_number == signer.id_number or s.role == BANK else mask_name(s.name),
                     "role": s.role, "status": s.status, "signed_at": s.signed_at} for s in everyone],
        "deadline": signer.link_expires_at,
        "can_sign": signer.status == INVITED,
    }


def _failures_today(signer: Signer) -> list[str]:
    today = clock.today_in_shanghai()
    return [t for t in (signer.face_failures or [])
            if datetime.fromisoformat(t).astimezone(clock.SHANGHAI).date() == today]


def _awaiting_face(token: str) -> Signer:
    signer, _ = resolve(token)
    if signer.status != INVITED:
        raise Conflict("您已完成签署或已拒签", code="NOT_AWAITING_SIGNATURE", extra={"status": signer.status})
    limit = get_settings().face_failures_per_day
    if len(_failures_today(signer)) >= limit:
        raise TooManyRequests(f"今日人脸识别失败已达{limit}次，链接已锁定，请明天再试", code="LINK_LOCKED")
    return signer


def start_face(token: str, form: SigningLivenessForm) -> dict:
    """The signer's liveness session (bound to them and to signing); the page comes back to return_to."""
    signer = _awaiting_face(token)
    return start_liveness(signer.id_number, "sign", form.return_to)


def face(token: str, form: SigningFaceForm) -> dict:
    signer = _awaiting_face(token)
    try:
        result = finish_liveness(signer.id_number, form.session, ("sign",))
    except ValidationError as refused:
        if refused.code not in ("FACE_SESSION_TIMEOUT", "FACE_PROVIDER_ERROR"):  # a failed attempt counts on the link
            signer.update(actions=[Signer.face_failures.set(Signer.face_failures.append([clock.now().isoformat()]))])
        raise
    signer.update(actions=[Signer.face_check_id.set(result["face_check"]),
                           Signer.face_checked_at.set(clock.now().isoformat())])
    return {"face_checked": True, "valid_seconds": FACE_VALID_S}


def _signing_document(token: str, doc: str) -> tuple[Signer, dict, str, dict]:
    """(signer, their documents, this one's title, its stored record) for a link and a document name."""
    signer, application = resolve(token)
    documents = documents_for(application.business, signer.role)
    if doc not in documents:
        raise NotFound("文件不存在", code="DOCUMENT_NOT_FOUND")
    stored = (application.documents or {}).get(doc)
    if not stored or stored.get("version") != signer.document_version:
        raise Conflict("文件正在生成，请稍后刷新", code="DOCUMENT_NOT_READY")
    return signer, documents, documents[doc], stored


def view_document(token: str, doc: str) -> dict:
    """Where to fetch the PDF. Fetching is not seeing: the view counts once the page reports the last
    page displayed (confirm_view)."""
    _signer, _documents, title, stored = _signing_document(token, doc)
    settings = get_settings()
    return {"doc": doc, "title": title, "sha256": stored["sha256"], "pages": _page_count(stored),
            "url": presigned_get(settings.documents_bucket, stored["key"], settings.presign_ttl_s, f"{title}.pdf")}


def _page_count(stored: dict) -> int:
    """Recorded when rendered; documents rendered before that was recorded are counted once here."""
    if stored.get("pages"):
        return int(stored["pages"])
    pdf = read_object(get_settings().documents_bucket, stored["key"])
    return len(_PAGE_OBJECT.findall(pdf))


def confirm_view(token: str, doc: str, form: SigningViewedForm) -> dict:
    """The page displayed the last page of exactly this document version: record the view."""
    signer, _documents, title, stored = _signing_document(token, doc)
    if form.sha256.lower() != stored["sha256"] or form.pages != _page_count(stored):
        raise ValidationError(f"《{title}》未完整显示或已更新，请重新打开并翻到最后一页", code="VIEW_MISMATCH")
    if doc not in _views(signer):
        signer.update(actions=[Signer.views[doc].set(clock.now().isoformat())])
    return {"doc": doc, "viewed": True}


def _signature_png(form: SigningSignatureForm) -> bytes:
    png = decode_image_field({"image": form.image}, missing="请先手写签名", malformed="签名图片数据格式不正确")
    errors = FieldErrors()
    if not png.startswith(PNG_MAGIC) or len(png) > MAX_SIGNATURE_BYTES:
        errors.add("image", "NOT_PNG", "签名图片应为不超过1M的PNG图片")
        errors.raise_if_any()
    try:
        with open_image(png) as image:  # judged from its header: a bomb is refused before decoding
            width, height = image.size
            if not (50 <= width <= 4000 and 20 <= height <= 4000):
                errors.add("image", "EMPTY_SIGNATURE", "签名为空，请在签名区域手写签名")
                errors.raise_if_any()
            image.load()
            luminance, alpha = image.convert("LA").getextrema()
    except ImageRejected as rejected:
        if rejected.reason != "CORRUPT":
            raise rejected.as_validation_error("image") from None
        errors.add("image", "NOT_PNG", "签名图片已损坏")
        errors.raise_if_any()
    if alpha[1] == 0 or (alpha[0] == 255 and luminance[0] == luminance[1]):
        errors.add("image", "EMPTY_SIGNATURE", "签名为空，请在签名区域手写签名")
    errors.raise_if_any()
    return png


def sign(token: str, form: SigningSignatureForm, device: str, source_ip: str) -> dict:
    signer, application = resolve(token)
    png = _signature_png(form)
    digest = hashlib.sha256(png).hexdigest()
    if signer.status == SIGNED:
        if signer.signature_sha256 == digest:
            return {"status": SIGNED, "signed_at": signer.signed_at}  # a retried request: same answer
        raise Conflict("您已签署，不能重复签署", code="ALREADY_SIGNED")
    if signer.status != INVITED:
        raise Conflict("当前不能签署", code="NOT_AWAITING_SIGNATURE", extra={"status": signer.status})
    if not _face_is_fresh(signer):
        raise Conflict("请先完成人脸识别（10分钟内有效）", code="FACE_CHECK_REQUIRED")
    unviewed = [title for doc, title in documents_for(application.business, signer.role).items()
                if doc not in _views(signer)]
    if unviewed:
        raise Conflict("请先逐一查看" + "、".join(unviewed), code="DOCUMENTS_NOT_VIEWED", extra={"unviewed": unviewed})
    settings = get_settings()
    key = f"signatures/{application.application_id}/v{signer.document_version}/{signer.sk.split('#')[-1]}.png"
    write_object(settings.documents_bucket, key, png, "image/png")
    now = clock.now().isoformat()
    try:
        signer.update(actions=[Signer.status.set(SIGNED), Signer.signed_at.set(now), Signer.signature_key.set(key),
                               Signer.signature_sha256.set(digest), Signer.device.set(device[:300]),
                               Signer.source_ip.set(source_ip)],
                      condition=Signer.status == INVITED)
    except Exception:  # noqa: BLE001 - a concurrent request signed first
        current = Signer.get(signer.pk, signer.sk)
        if current.status == SIGNED and current.signature_sha256 == digest:
            return {"status": SIGNED, "signed_at": current.signed_at}
        raise Conflict("您已签署，不能重复签署", code="ALREADY_SIGNED") from None
    if signer.task_token:
        answer_wait(signer.task_token, output={"signed_at": now})
    count_event("PartySigned")
    logger.info("party signed", application_id=application.application_id, party=mask_id_number(signer.id_number))
    return {"status": SIGNED, "signed_at": now}


def decline(token: str, form: SigningDeclineForm) -> dict:
    signer, application = resolve(token)
    reason = form.reason
    if signer.status != INVITED:
        raise Conflict("当前不能拒签", code="NOT_AWAITING_SIGNATURE", extra={"status": signer.status})
    signer.update(actions=[Signer.status.set(DECLINED), Signer.decline_reason.set(reason.strip())],
                  condition=Signer.status == INVITED)
    if signer.task_token:
        answer_wait(signer.task_token, error=SignatureDeclined.__name__, cause="declined by a party")
    count_event("PartyDeclined")
    logger.info("party declined", application_id=application.application_id)
    return {"status": DECLINED}

