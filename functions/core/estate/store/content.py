"""Published reference content: outlets, business types, materials checklists, banks,
policies, service guides and FAQ. Seeded from data/content/*.json, editable by staff later.
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist

from estate.config import get_settings
from estate.store.base import BaseModel, Put, meta, write_together

KINDS = ("outlet", "business_type", "materials", "bank", "policy", "guide", "faq")


class ContentItem(BaseModel):
    Meta = meta(get_settings().content_table)
    kind = UnicodeAttribute(hash_key=True)
    item_id = UnicodeAttribute(range_key=True)
    position = NumberAttribute(default=0)          # display order within a kind
    status = UnicodeAttribute(default="published")  # published | withdrawn
    data = JSONAttribute()
    updated_at = UnicodeAttribute(null=True)
    version = NumberAttribute(null=True)            # staff edits: 1, 2, … (seeded items have none)
    updated_by = UnicodeAttribute(null=True)


def history_kind(kind: str) -> str:
    """Every published version is kept under history#<kind> / <id>#<version> (never overwritten)."""
    return f"history#{kind}"


def get_item(kind: str, item_id: str) -> ContentItem | None:
    try:
        return ContentItem.get(kind, item_id, consistent_read=True)
    except DoesNotExist:
        return None


def versions_of(kind: str, item_id: str) -> list[ContentItem]:
    return list(ContentItem.query(history_kind(kind), ContentItem.item_id.startswith(f"{item_id}#")))


def list_published(kind: str) -> list[dict[str, Any]]:
    items = [item for item in ContentItem.query(kind) if item.status == "published"]
    items.sort(key=lambda item: (item.position, item.item_id))
    return [item.data for item in items]


def get_published(kind: str, item_id: str) -> dict[str, Any] | None:
    try:
        item = ContentItem.get(kind, item_id)
    except DoesNotExist:
        return None
    return item.data if item.status == "published" else None


def save_version(current: ContentItem, condition: Any, snapshots: list[ContentItem]) -> None:
    """The item's new current version (on `condition`: nobody saved another meanwhile) and its history
    snapshots (each new), together; TransactionConflict otherwise."""
    write_together([Put(current, condition), *(Put(s, ContentItem.kind.does_not_exist()) for s in snapshots)])
