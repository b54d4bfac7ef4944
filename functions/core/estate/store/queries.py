"""Personal property queries (个人不动产登记信息查询) and the per-person daily allowance.

  id = Q<date><random>               a query: who, scope, purpose, the issued certificate's code
  id = LIMIT#<id number>#<day>       how many queries that person made that day (TTL two days)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.attributes import JSONAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError

from estate.config import get_settings
from estate.store.base import BaseModel, meta


class PropertyQuery(BaseModel):
    Meta = meta(get_settings().queries_table)
    id = UnicodeAttribute(hash_key=True)
    id_number = UnicodeAttribute(null=True)
    scope = UnicodeAttribute(null=True)
    outlet = UnicodeAttribute(null=True)
    purpose = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute(null=True)
    document_code = UnicodeAttribute(null=True)
    result = JSONAttribute(null=True)
    count = NumberAttribute(null=True)  # type: ignore[assignment]  # LIMIT items only; shadows Model.count, unused
    expires_at = TTLAttribute(null=True)


def limit_key(id_number: str, day: str) -> str:
    return f"LIMIT#{id_number}#{day}"


def take_daily_allowance(id_number: str, day: str, limit: int, now: datetime) -> bool:
    """Count one query against the person's allowance for `day`; False (and nothing counted) when spent."""
    item = PropertyQuery(limit_key(id_number, day))
    try:
        item.update(actions=[PropertyQuery.count.add(1), PropertyQuery.expires_at.set(now + timedelta(days=2))],
                    condition=PropertyQuery.count.does_not_exist() | (PropertyQuery.count < limit))
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def give_back_allowance(id_number: str, day: str) -> None:
    """A query that failed after counting (e.g. the PDF could not be issued) does not use up the allowance."""
    PropertyQuery(limit_key(id_number, day)).update(actions=[PropertyQuery.count.add(-1)])


def get_query(query_id: str) -> PropertyQuery | None:
    if query_id.startswith("LIMIT#"):
        return None
    try:
        return PropertyQuery.get(query_id)
    except DoesNotExist:
        return None


def record_document(record: PropertyQuery, code: str) -> bool:
    """Attach the issued certificate to the query, unless another request attached one first (False)."""
    try:
        record.update(actions=[PropertyQuery.document_code.set(code)],
                      condition=PropertyQuery.document_code.does_not_exist())
    except UpdateError:
        record.refresh()
        return False
    return True
