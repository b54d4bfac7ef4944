"""Short-lived proofs that a person passed a face check (valid 10 minutes, bound to that person)."""

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
    # DynamoDB deletes expired items lazily (and moto never does): the expiry is checked in code.
    expires = check.expires_at if check.expires_at.tzinfo else check.expires_at.replace(tzinfo=timezone.utc)
    return now < expires
