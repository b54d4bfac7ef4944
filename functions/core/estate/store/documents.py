"""The registry of issued documents: every PDF the service issues, by its verification code.

  code (hash key)   16 characters of an unambiguous alphabet (80 random bits): printed on the PDF
                    and encoded in its QR code; GET /verify/{code} reads this item
The PDF itself is in the private documents bucket under object_key; the registry keeps its SHA-256
so that a copy can be checked byte for byte, and its status (valid / revoked).
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist

from estate.config import get_settings
from estate.store.base import BaseModel, meta

VALID = "valid"
REVOKED = "revoked"


class IssuedDocument(BaseModel):
    Meta = meta(get_settings().documents_table)
    code = UnicodeAttribute(hash_key=True)
    doc_type = UnicodeAttribute()            # see estate.documents.issue.DOCUMENT_TYPES
    title = UnicodeAttribute()
    sha256 = UnicodeAttribute()
    size = NumberAttribute()
    object_key = UnicodeAttribute()
    issued_at = UnicodeAttribute()
    subject = UnicodeAttribute(null=True)    # what it documents, e.g. the receipt or application id
    status = UnicodeAttribute(default=VALID)
    revoked_at = UnicodeAttribute(null=True)
    revoked_reason = UnicodeAttribute(null=True)


def get_document(code: str) -> IssuedDocument | None:
    try:
        return IssuedDocument.get(code)
    except DoesNotExist:
        return None
