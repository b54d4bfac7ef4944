"""The real-name directory: who a verified ID number is (name, phone, reference photo).

In production this mirrors the provincial real-name platform; locally it is seeded.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DoesNotExist

from estate.config import get_settings
from estate.store.base import BaseModel, meta


class Person(BaseModel):
    Meta = meta(get_settings().people_table)
    id_number = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    phone = UnicodeAttribute()
    address = UnicodeAttribute(null=True)
    marital_status = UnicodeAttribute(null=True)   # single | married | divorced | widowed
    photo_key = UnicodeAttribute(null=True)        # S3 key of the reference face photo


def get_person(id_number: str) -> Person | None:
    try:
        return Person.get(id_number)
    except DoesNotExist:
        return None
