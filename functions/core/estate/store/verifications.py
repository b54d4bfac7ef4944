"""Short-lived proofs: liveness sessions (started, then read once), a passed face check (valid 10
minutes, bound to that person) and picture captchas (5 minutes, single use), and the daily failure counts that lock face checks. All expire
by TTL, and are checked in code too."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from pynamodb.attributes import BooleanAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError

from estate.config import get_settings
from estate.store.base import BaseModel, meta


class FaceCheck(BaseModel):
    Meta = meta(get_settings().verifications_table)
    id = UnicodeAttribute(hash_key=True)
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


class LivenessSession(BaseModel):
    """A liveness session we started for one person and one use (apply, query, sign): its result is
    read once (used_at, set conditionally, so a replayed or concurrent read is refused)."""

    Meta = meta(get_settings().verifications_table)
    id = UnicodeAttribute(hash_key=True)
    id_number = UnicodeAttribute()
    purpose = UnicodeAttribute()
    provider = UnicodeAttribute()
    provider_session = UnicodeAttribute()
    created_at = UnicodeAttribute()
    expires_at = TTLAttribute()
    used_at = UnicodeAttribute(null=True)


def new_liveness_session(session_id: str, id_number: str, purpose: str, provider: str, provider_session: str,
                         now: datetime) -> LivenessSession:
    session = LivenessSession(session_id, id_number=id_number, purpose=purpose, provider=provider,
                              provider_session=provider_session, created_at=now.isoformat(),
                              expires_at=now + timedelta(seconds=get_settings().liveness_session_ttl_s))
    session.save()
    return session


def get_liveness_session(session_id: str) -> LivenessSession | None:
    try:
        item = LivenessSession.get(session_id)
    except DoesNotExist:
        return None
    return item if item.provider_session else None   # another kind of item under an id-shaped key


def claim_liveness_session(session: LivenessSession, now: datetime) -> bool:
    """Mark the session's result read; False when it already was (a replay, or a concurrent read)."""
    try:
        session.update(actions=[LivenessSession.used_at.set(now.isoformat())],
                       condition=LivenessSession.used_at.does_not_exist())
    except UpdateError as error:
        if getattr(error, "cause_response_code", "") == "ConditionalCheckFailedException":
            return False
        raise
    return True


class CaptchaChallenge(BaseModel):
    """A picture captcha: only a salted hash of its answer is kept; single use (used_at is set by
    the first attempt, right or wrong), bound to the account that asked for it."""

    Meta = meta(get_settings().verifications_table)
    id = UnicodeAttribute(hash_key=True)
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


class DailyFailures(BaseModel):
    """How often something failed for one subject on one Beijing day (face checks per person): the
    one counter behind "N failures a day, then locked until tomorrow". Kept two days by TTL; the
    day is in the key, so yesterday's count simply stops being read."""

    Meta = meta(get_settings().verifications_table)
    id = UnicodeAttribute(hash_key=True)
    count = NumberAttribute(default=0)  # type: ignore[assignment]  # shadows Model.count (unused): the stored name
    expires_at = TTLAttribute()


def _failures_key(kind: str, subject: str, day: date) -> str:
    return f"FAILURES#{kind}#{subject}#{day.isoformat()}"


def failures_on(kind: str, subject: str, day: date) -> int:
    try:
        return int(DailyFailures.get(_failures_key(kind, subject, day)).count or 0)
    except DoesNotExist:
        return 0


def record_failure(kind: str, subject: str, day: date, now: datetime) -> int:
    """Count one failure (an atomic add, so concurrent failures are all counted); the new count."""
    item = DailyFailures(_failures_key(kind, subject, day))
    item.update(actions=[DailyFailures.count.add(1), DailyFailures.expires_at.set(now + timedelta(days=2))])
    return int(item.count)
