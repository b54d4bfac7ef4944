"""Face checks: the seed guide's 人脸识别 before starting (and before signing, in the sign function)."""

from __future__ import annotations

import functools
import secrets
from datetime import datetime, time, timedelta

from estate import clock
from estate.adapters.faces import FaceComparer
from estate.config import get_settings
from estate.errors import Conflict, FieldErrors, Forbidden, TooManyRequests, ValidationError
from estate.principal import Principal
from estate.images import ImageRejected, decode_image_field, inspect_image
from estate.observability import logger, mask_id_number
from estate.store.people import get_person
from estate.store.verifications import (FaceCheck, failures_on, get_face_check, is_current, new_face_check,
                                        record_failure)

MAX_SELFIE_BYTES = 5 * 1024 * 1024
FACE_FAILURES = "face"  # the daily failure counter, per person, whatever the face check was for
FAILURE_MESSAGES = {
    "NO_FACE": ("FACE_NOT_FOUND", "未检测到人脸，请正对镜头、光线充足后重试"),
    "SEVERAL_FACES": ("FACE_SEVERAL", "画面中有多张人脸，请确保只有本人入镜"),
    "MISMATCH": ("FACE_MISMATCH", "人脸比对未通过，请本人操作"),
    "BAD_IMAGE": ("FACE_IMAGE_INVALID", "照片无法识别，请重新拍摄"),
}


@functools.cache
def face_comparer() -> FaceComparer:
    return FaceComparer(threshold=get_settings().face_match_threshold)


def decode_selfie(body: dict) -> bytes:
    image = decode_image_field(body, missing="请拍摄本人照片", malformed="照片数据格式不正确")
    errors = FieldErrors()
    if len(image) > MAX_SELFIE_BYTES:
        errors.add("image", "TOO_LARGE", "照片不能大于5M")
        errors.raise_if_any()
    try:
        inspect_image(image)  # a bomb or a broken file is refused here, not sent to the face service
    except ImageRejected as rejected:
        if rejected.reason == "NOT_AN_IMAGE":
            errors.add("image", "NOT_AN_IMAGE", "照片应为JPG或PNG格式")
            errors.raise_if_any()
        raise rejected.as_validation_error("image") from None
    return image


def require_face_unlocked(id_number: str) -> None:
    """429 once the person's face checks failed FACE_FAILURES_PER_DAY times this Beijing day, for
    any purpose (applying, the property query, signing): guessing with someone else's photos stops
    until midnight in Beijing."""
    limit = get_settings().face_failures_per_day
    today = clock.today_in_shanghai()
    if failures_on(FACE_FAILURES, id_number, today) >= limit:
        unlocks_at = datetime.combine(today + timedelta(days=1), time(0), tzinfo=clock.SHANGHAI)
        raise TooManyRequests(f"今日人脸识别失败已达{limit}次，已暂停识别，请明日（北京时间0点后）再试",
                              code="FACE_LOCKED", extra={"unlocks_at": unlocks_at.isoformat()})


def verify_face(id_number: str, selfie: bytes, purpose: str) -> dict:
    """Compare, record the attempt (passed or not), and answer with the check id when it passed.
    A failed comparison counts towards the person's daily lock (require_face_unlocked)."""
    require_face_unlocked(id_number)
    person = get_person(id_number)
    if person is None or not person.photo_key:
        raise Conflict("未找到您的实名认证照片，请先在三晋通完成实名认证", code="NO_REFERENCE_PHOTO")
    result = face_comparer().compare(selfie, get_settings().documents_bucket, person.photo_key)
    now = clock.now()
    check = new_face_check("fc_" + secrets.token_urlsafe(16), id_number, result.passed, result.similarity,
                           result.reason, now, purpose)
    logger.info("face check", passed=result.passed, reason=result.reason, person=mask_id_number(id_number))
    if not result.passed:
        record_failure(FACE_FAILURES, id_number, now.astimezone(clock.SHANGHAI).date(), now)
        code, message = FAILURE_MESSAGES[result.reason]
        raise ValidationError(message, code=code)
    return {"face_check": check.id, "expires_at": check.expires_at.isoformat(),
            "similarity": round(result.similarity or 0, 1)}


def create_face_check(caller: Principal, body: dict) -> dict:
    caller.require_citizen()
    return verify_face(caller.id_number, decode_selfie(body), purpose="apply")


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
