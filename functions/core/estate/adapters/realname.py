"""Real-name records (实名信息): the name the public-security record holds for an ID number.

Every name a person types next to an ID number (parties, property lookup, family members in the
tax declaration) must be that record's name when the directory knows the number; an unknown number
is not refused here (the face check and the clerk's review of originals stand behind it).

Two implementations behind one interface, selected by REALNAME_PROVIDER (template parameter
RealNameProvider) as estate/adapters/providers.py selects SMS and face services:
  people   - our real-name directory table (estate.store.people), which mirrors the provincial
             platform in production and is seeded locally. The default, everywhere.
  province - the province's real-name verification service; documented below, not callable from
             this build, so a stack selecting it fails at cold start instead of on a citizen's form.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Protocol

from estate.config import get_settings


class RealNameDirectory(Protocol):
    def name_of(self, id_number: str) -> str | None:
        """The record's name for a valid (checksummed) ID number, or None if the directory has no record."""


class PeopleTableDirectory:
    """Our real-name directory table (the seeded people locally)."""

    def name_of(self, id_number: str) -> str | None:
        from estate.store.people import get_person

        person = get_person(id_number)
        return person.name if person is not None else None


@dataclass(frozen=True)
class ProvincialVerificationRequest:
    """POST {endpoint}/realname/verify, signed with the service's app key (not in this build):
        {"appId": "...", "idNumber": "140302198001011234", "requestId": "<uuid>", "timestamp": "<ISO 8601>"}"""

    id_number: str
    request_id: str


@dataclass(frozen=True)
class ProvincialVerificationResponse:
    """{"result": "FOUND" | "NOT_FOUND", "name": "买买提·艾力"} - the name as the ID card prints it (U+00B7 dot)."""

    result: str
    name: str | None


class ProvincialRealNameService:
    """The province's real-name verification service. Its credentials and endpoint are issued per
    deployment; this build has no client for it, so providers.py refuses REALNAME_PROVIDER=province."""

    def name_of(self, id_number: str) -> str | None:
        raise NotImplementedError("the provincial real-name service has no client in this build")


_DIRECTORIES = {"people": PeopleTableDirectory, "province": ProvincialRealNameService}


@functools.cache
def directory() -> RealNameDirectory:
    return _DIRECTORIES[get_settings().realname_provider]()


def real_name_of(id_number: str) -> str | None:
    """What the use-cases pass to estate.domain.people.check_real_names."""
    return directory().name_of(id_number)

