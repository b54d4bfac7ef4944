"""The audit trail: every staff action and every personal property query, append-only.

  DAY#<yyyy-mm-dd> / <iso time>#<random>   one entry (who, what, when, from where)
Entries are only ever put with "does not exist" (never overwritten); no code path updates or
deletes them, and the functions that write them hold no DeleteItem/UpdateItem right on the table
(a plain IAM statement with PutItem/Query instead of DynamoDBCrudPolicy). Reading by day is one Query.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from pynamodb.attributes import JSONAttribute, UnicodeAttribute

from estate.config import get_settings
from estate.store.base import BaseModel, meta

SHANGHAI_DAY_FORMAT = "%Y-%m-%d"


class AuditEntry(BaseModel):
    Meta = meta(get_settings().audit_table)
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    at = UnicodeAttribute()
    actor = UnicodeAttribute()            # the token's subject
    actor_name = UnicodeAttribute(null=True)
    actor_role = UnicodeAttribute()
    outlet = UnicodeAttribute(null=True)  # clerks: their outlet; bank officers: their branch
    action = UnicodeAttribute()
    target = UnicodeAttribute(null=True)  # application id, query id, …
    outcome = UnicodeAttribute(default="ok")   # ok | refused:<CODE>
    source_ip = UnicodeAttribute(null=True)
    user_agent = UnicodeAttribute(null=True)
    request_id = UnicodeAttribute(null=True)
    detail = JSONAttribute(null=True)


def new_entry(now: datetime, day: str, **fields: Any) -> AuditEntry:
    return AuditEntry(f"DAY#{day}", f"{now.isoformat()}#{secrets.token_hex(4)}", at=now.isoformat(), **fields)


def append(entry: AuditEntry) -> None:
    entry.save(condition=AuditEntry.pk.does_not_exist())


def entries_of_day(day: str, limit: int = 500) -> list[AuditEntry]:
    return list(AuditEntry.query(f"DAY#{day}", scan_index_forward=False, limit=limit))
