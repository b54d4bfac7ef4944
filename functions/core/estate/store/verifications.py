"""Short-lived proofs: a passed face check (valid 10 minutes, bound to that person) and picture
captchas (5 minutes, single use). Both expire by TTL, and are checked in code too."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pynamodb.attributes import BooleanAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist

from estate.config import get_settings
from estate.store.base import BaseModel, meta


class FaceCheck(BaseModel):
    Meta = meta(get_settings().verifications_table)
    id = UnicodeAttribute(hash_key=True)  # noqa: A003 - the table's key name
    id_number = UnicodeAttribute()
    passed = BooleanAttribute()
    similarity = NumberAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    purpose = UnicodeAttribute(default="apply")
    created_at = UnicodeAttribute()
    expires_at = TTLAttribute()
    used_for = UnicodeAttribute(null=True)


def new_face_check(check_id: str, id_number: str, passed: bool, similarity: float | None, reason: str | None,
                   now: datetime, purpose: str = "apply") -> FaceCheck:
    check = FaceCheck(check_id, id_number=id_number, passed=passed, similarity=similarity, reason=reason,
                      purpose=purpose, created_at=now.isoformat(),
                      expires_at=now + timedelta(seconds=get_settings().face_check_ttl_s))
    check.save()
    return check


def get_face_check(check_id: str) -> FaceCheck | None:
    try:
        return FaceCheck.get(check_id)
    except DoesNotExist:
        return None


def is_current(check: FaceCheck, now: datetime) -> bool:
    return is_unexpired(check.expires_at, now)


class CaptchaChallenge(BaseModel):
    """A picture captcha: only a salted hash of its answer is kept; single use (used_at is set by
    the first attempt, right or wrong), bound to the account that asked for it."""

    Meta = meta(get_settings().verifications_table)
    id = UnicodeAttribute(hash_key=True)  # noqa: A003 - the table's key name
    subject = UnicodeAttribute()
    answer_salt = UnicodeAttribute()
    answer_hash = UnicodeAttribute()
    created_at = UnicodeAttribute()
    expires_at = TTLAttribute()
    used_at = UnicodeAttribute(null=True)


def is_unexpired(expires_at: datetime, now: datetime) -> bool:
    # DynamoDB deletes expired items lazily (and moto never does): the expiry is checked in code.
    expires = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=timezone.utc)
    return now < expires
