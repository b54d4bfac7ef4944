"""Signing state per application and party, in the applications table:
  APP#<id> / SIGN#<version>#<id number hash>   one party's signing of one document version
  LINK#<sha256 of the link token> / LINK        the personal link → that party (token stored hashed);
                                                kept once signing ends, with status void and the reason
"""

from __future__ import annotations

import hashlib
from typing import Any

from pynamodb.attributes import ListAttribute, MapAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist

from estate.store.applications import ApplicationItem

SIGNED, INVITED, PENDING, DECLINED, EXPIRED, VOID = "signed", "invited", "pending", "declined", "expired", "void"


def party_key(id_number: str) -> str:
    return hashlib.sha256(id_number.encode()).hexdigest()[:16]


def link_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Signer(ApplicationItem, discriminator="signer"):
    application_id = UnicodeAttribute()
    document_version = NumberAttribute()
    id_number = UnicodeAttribute()
    name = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)            # none for the bank (it seals through the bank desk)
    role = UnicodeAttribute()                      # buyer | seller | bank
    status = UnicodeAttribute(default=PENDING)     # pending | invited | signed | declined | expired | void
    task_token = UnicodeAttribute(null=True)       # the current wait's token; never leaves the server
    link_hashes = ListAttribute(of=UnicodeAttribute, default=list)  # every link sent (invitation, reminders)
    link_expires_at = UnicodeAttribute(null=True)
    invited_at = UnicodeAttribute(null=True)
    reminders = NumberAttribute(default=0)
    views: MapAttribute[str, Any] = MapAttribute(default=dict)            # doc → first view time (updated per key: no lost views)
    face_check_id = UnicodeAttribute(null=True)
    face_checked_at = UnicodeAttribute(null=True)
    face_failures = ListAttribute(of=UnicodeAttribute, default=list)  # times of failed face checks
    signed_at = UnicodeAttribute(null=True)
    signature_key = UnicodeAttribute(null=True)
    signature_sha256 = UnicodeAttribute(null=True)
    device = UnicodeAttribute(null=True)
    source_ip = UnicodeAttribute(null=True)
    decline_reason = UnicodeAttribute(null=True)
    sealed_by = UnicodeAttribute(null=True)        # the bank: the loan officer who applied the e-seal
    link_requests_on = UnicodeAttribute(null=True)  # the Beijing day of the last new link asked for
    link_requests = NumberAttribute(default=0)      # how many new links were asked for that day
    # No version attribute: the page and the workflow update different fields of one signer at the
    # same time; each state change carries its own condition (status == invited, …) instead.

    @staticmethod
    def key(application_id: str, document_version: int, id_number: str) -> tuple[str, str]:
        return f"APP#{application_id}", f"SIGN#{document_version:04d}#{party_key(id_number)}"


class SigningLink(ApplicationItem, discriminator="link"):
    application_id = UnicodeAttribute()
    document_version = NumberAttribute()
    id_number = UnicodeAttribute()
    expires_at = UnicodeAttribute()
    # A link whose signing ended is kept, voided, so whoever opens it later is told why (not "unknown link").
    status = UnicodeAttribute(null=True)           # None while usable | void
    void_reason = UnicodeAttribute(null=True)      # withdrawn | edited | a signing run's failure name
    voided_at = UnicodeAttribute(null=True)

    @staticmethod
    def key(token_hash: str) -> tuple[str, str]:
        return f"LINK#{token_hash}", "LINK"


def count_link_request(signer: Signer, today: str, limit: int) -> bool:
    """One more new-link request today, if fewer than `limit` were made today (conditional writes: two
    requests at once cannot both pass the limit); False when the day's limit is reached."""
    from pynamodb.exceptions import UpdateError

    for _attempt in range(2):
        try:
            if signer.link_requests_on != today:
                signer.update(actions=[Signer.link_requests_on.set(today), Signer.link_requests.set(1)],
                              condition=Signer.link_requests_on.does_not_exist() | (Signer.link_requests_on != today))
            else:
                signer.update(actions=[Signer.link_requests.add(1)],
                              condition=(Signer.link_requests_on == today) & (Signer.link_requests < limit))
        except UpdateError:
            signer.refresh()  # another request counted first: decide again on what it wrote
            if signer.link_requests_on == today and signer.link_requests >= limit:
                return False
        else:
            return True
    return False


def signers(application_id: str, document_version: int) -> list[Signer]:
    return list(Signer.query(f"APP#{application_id}", Signer.sk.startswith(f"SIGN#{document_version:04d}#")))


def get_signer(application_id: str, document_version: int, id_number: str) -> Signer | None:
    try:
        return Signer.get(*Signer.key(application_id, document_version, id_number))
    except DoesNotExist:
        return None


def find_link(token: str) -> SigningLink | None:
    try:
        return SigningLink.get(*SigningLink.key(link_hash(token)))
    except DoesNotExist:
        return None
