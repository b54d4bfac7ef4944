"""Face checks: the seed guide's 人脸识别 before applying, querying and signing — a liveness session,
so a photo of the person does not pass.

  start_liveness(person, purpose, return_to) → a session: the provider's page (or, on AWS, the
      session id the app's liveness component needs), bound to the person and to one use.
  finish_liveness(person, session, purpose) → reads the provider's result once; when live and the
      same person as the reference photo, a face check (fc_…) the flows consume as before
      (usable_face_check: the caller's own, passed, unexpired, unused).

Refused, each with its code: someone else's session (403), a session for another use, a replayed
result (409), one the provider says is another session's or person's (403), not finished yet (409),
timed out, not live, not the same person, a provider error (400 with the provider's code).
"""

from __future__ import annotations

import functools
import re
import secrets
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from estate import clock
from estate.adapters import liveness
from estate.adapters.faces import FaceComparer
from estate.config import get_settings
from estate.errors import Conflict, FieldError, Forbidden, TooManyRequests, ValidationError
from estate.observability import logger, mask_id_number
from estate.principal import Principal
from estate.store.people import get_person
from estate.store.verifications import (FaceCheck, LivenessSession, claim_liveness_session, failures_on,
                                        get_face_check, get_liveness_session, is_current, is_unexpired,
                                        new_face_check, new_liveness_session, record_failure)

FACE_FAILURES = "face"  # the daily failure counter, per person, whatever the face check was for
CITIZEN_PURPOSES = ("apply", "query")   # /identity/face-checks; signing's sessions only sign
# A finished session that did not pass because of the face shown (not a slow or broken provider)
# counts towards the person's daily lock.
COUNTED = {liveness.NOT_LIVE, liveness.MISMATCH, liveness.NO_FACE, liveness.SEVERAL_FACES, liveness.BAD_IMAGE}
TIMEOUT_MESSAGE = "人脸识别超时，请重新开始识别"
PROVIDER_ERROR_MESSAGE = "人脸识别服务未能完成本次识别（错误码{code}），请重新识别；多次失败请到不动产登记大厅办理"
NO_CAMERA_HINT = "没有摄像头的手机无法在线完成人脸识别，请携带身份证到不动产登记大厅办理"
_RETURN_PATH = re.compile(r"^/[A-Za-z0-9/_\-.~%]{0,200}$")


@functools.cache
def face_comparer() -> FaceComparer:
    return FaceComparer(threshold=get_settings().face_match_threshold)


@functools.cache
def liveness_provider():
    settings = get_settings()
    if settings.face_provider == "tencent":
        return liveness.tencent_from_secret(settings.face_provider_secret_arn, settings.face_match_threshold)
    # The comparer is looked up on each use (not bound here), so tests can swap face_comparer().
    comparer = _LateComparer()
    if settings.face_provider == "simulated":
        return liveness.SimulatedLiveness(comparer, settings.public_base_url)
    return liveness.RekognitionLiveness(comparer, settings.liveness_confidence_threshold)


class _LateComparer:
    def compare(self, *args):
        return face_comparer().compare(*args)


def require_face_unlocked(id_number: str) -> None:
    """429 once the person's face checks failed FACE_FAILURES_PER_DAY times this Beijing day, for
    any purpose (applying, the property query, signing): guessing with someone else's face stops
    until midnight in Beijing."""
    limit = get_settings().face_failures_per_day
    today = clock.today_in_shanghai()
    if failures_on(FACE_FAILURES, id_number, today) >= limit:
        unlocks_at = datetime.combine(today + timedelta(days=1), time(0), tzinfo=clock.SHANGHAI)
        raise TooManyRequests(f"今日人脸识别失败已达{limit}次，已暂停识别，请明日（北京时间0点后）再试",
                              code="FACE_LOCKED", extra={"unlocks_at": unlocks_at.isoformat()})


def _subject(id_number: str) -> liveness.Subject:
    person = get_person(id_number)
    if person is None or not person.photo_key:
        raise Conflict("未找到您的实名认证照片，请先在三晋通完成实名认证", code="NO_REFERENCE_PHOTO")
    return liveness.Subject(id_number, person.name, get_settings().documents_bucket, person.photo_key)


def return_url(return_to: str | None, session_id: str) -> str:
    """Where the provider's page sends the phone back: a path of the citizen app (never another
    site), with the session id the app then finishes."""
    path = return_to or "/"
    if not _RETURN_PATH.match(path) or "//" in path or ".." in path:
        raise ValidationError("返回地址不正确", code="RETURN_PATH_INVALID",
                              details=[FieldError("return_to", "RETURN_PATH_INVALID", "返回地址应为本应用内的页面路径")])
    return f"{get_settings().app_base_url}{path}?{urlencode({'liveness': session_id})}"


def start_liveness(id_number: str, purpose: str, return_to: str | None) -> dict:
    require_face_unlocked(id_number)
    subject = _subject(id_number)
    session_id = "ls_" + secrets.token_urlsafe(16)
    provider = liveness_provider()
    started = provider.start(session_id, subject, return_url(return_to, session_id))
    session = new_liveness_session(session_id, id_number, purpose, provider.name, started.provider_session,
                                   clock.now())
    logger.info("liveness started", provider=provider.name, purpose=purpose, person=mask_id_number(id_number))
    return {"session": session.id, "provider": provider.name, "provider_session": started.provider_session,
            "url": started.url, "expires_at": session.expires_at.isoformat(), "no_camera_hint": NO_CAMERA_HINT}


def _own_session(id_number: str, session_id: str, purposes: tuple[str, ...]) -> LivenessSession:
    session = get_liveness_session(session_id) if session_id.startswith("ls_") else None
    if session is None or session.id_number != id_number:
        raise Forbidden("该人脸识别不属于当前用户，请本人重新识别", code="FACE_SESSION_NOT_YOURS")
    if session.purpose not in purposes:
        raise Conflict("该人脸识别是为其他业务发起的，请重新识别", code="FACE_SESSION_OTHER_USE")
    if session.used_at:
        raise Conflict("该人脸识别结果已使用，请重新识别", code="FACE_SESSION_USED")
    return session


def finish_liveness(id_number: str, session_id: str, purposes: tuple[str, ...]) -> dict:
    """The provider's result for the caller's session (started for one of `purposes`), read once; a
    face check when it passed. Refusals that show a failed attempt (not live, another face) count
    towards the daily lock."""
    require_face_unlocked(id_number)
    session = _own_session(id_number, session_id, purposes)
    now = clock.now()
    if not is_unexpired(session.expires_at, now):
        raise ValidationError(TIMEOUT_MESSAGE, code="FACE_SESSION_TIMEOUT")
    result = liveness_provider().result(session.provider_session, _subject(id_number))
    if result.reason == liveness.PENDING:
        raise Conflict("尚未完成人脸识别，请按页面提示完成后再继续", code="FACE_SESSION_PENDING")
    if result.echoed_session not in (session.id, session.provider_session) and \
            (result.passed or result.echoed_session is not None):
        logger.warning("liveness result for another session", provider=session.provider)
        raise Forbidden("人脸识别结果与本次识别不符，请重新识别", code="FACE_SESSION_MISMATCH")
    if result.verified_person and result.verified_person.upper() != id_number.upper():
        raise Forbidden("人脸识别结果不属于当前用户，请本人重新识别", code="FACE_SESSION_OTHER_PERSON")
    if not claim_liveness_session(session, now):
        raise Conflict("该人脸识别结果已使用，请重新识别", code="FACE_SESSION_USED")
    check = new_face_check("fc_" + secrets.token_urlsafe(16), id_number, result.passed, result.similarity,
                           result.reason, now, session.purpose)
    logger.info("face check", passed=result.passed, reason=result.reason, provider=session.provider,
                provider_code=result.provider_code, person=mask_id_number(id_number))
    if not result.passed:
        _refuse(id_number, result, now)
    return {"face_check": check.id, "expires_at": check.expires_at.isoformat(),
            "similarity": round(result.similarity or 0, 1)}


def _refuse(id_number: str, result: liveness.LivenessResult, now: datetime) -> None:
    """The refusal for a result that did not pass, one literal raise per reason (tools/refusals.py
    reads them for docs/openapi.json)."""
    reason = result.reason
    if reason in COUNTED:
        record_failure(FACE_FAILURES, id_number, now.astimezone(clock.SHANGHAI).date(), now)
    extra = {"provider_code": result.provider_code} if result.provider_code else None
    if reason == liveness.NOT_LIVE:
        raise ValidationError("未通过活体检测：请本人正对手机，按提示完成动作，不要使用照片或视频",
                              code="FACE_NOT_LIVE", extra=extra)
    if reason == liveness.MISMATCH:
        raise ValidationError("人脸比对未通过，请本人操作", code="FACE_MISMATCH", extra=extra)
    if reason == liveness.NO_FACE:
        raise ValidationError("未检测到人脸，请正对镜头、光线充足后重试", code="FACE_NOT_FOUND", extra=extra)
    if reason == liveness.SEVERAL_FACES:
        raise ValidationError("画面中有多张人脸，请确保只有本人入镜", code="FACE_SEVERAL", extra=extra)
    if reason == liveness.BAD_IMAGE:
        raise ValidationError("未能从识别过程中取得清晰人脸，请重新识别", code="FACE_IMAGE_INVALID", extra=extra)
    if reason == liveness.TIMEOUT:
        raise ValidationError(TIMEOUT_MESSAGE, code="FACE_SESSION_TIMEOUT", extra=extra)
    raise ValidationError(PROVIDER_ERROR_MESSAGE.format(code=result.provider_code or "未知"),
                          code="FACE_PROVIDER_ERROR", extra=extra)


def create_liveness_session(caller: Principal, body: dict) -> dict:
    caller.require_citizen()
    return start_liveness(caller.id_number, body.get("purpose") or "apply", body.get("return_to"))


def create_face_check(caller: Principal, body: dict) -> dict:
    caller.require_citizen()
    return finish_liveness(caller.id_number, body["session"], CITIZEN_PURPOSES)


def usable_face_check(caller: Principal, check_id: str) -> FaceCheck:
    """The caller's own, passed, unexpired and unused face check; 403 when it is someone else's."""
    check = get_face_check(check_id)
    if check is None or check.id_number != caller.id_number:
        raise Forbidden("人脸识别结果不属于当前用户，请本人重新识别", code="FACE_CHECK_NOT_YOURS")
    if not check.passed or not is_current(check, clock.now()):
        raise ValidationError("人脸识别已过期或未通过，请重新识别", code="FACE_CHECK_EXPIRED")
    if check.used_for:
        raise Conflict("该人脸识别结果已使用，请重新识别", code="FACE_CHECK_USED")
    return check
