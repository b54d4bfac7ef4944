"""Plain views of register records, so rules stay pure (no PynamoDB in the domain)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Owner:
    name: str
    id_number: str
    owner_type: str = "person"
    share: str | None = None


@dataclass(frozen=True)
class Restriction:
    kind: str
    holder: str | None = None
    document_number: str | None = None
    registered_on: str | None = None
    ends_on: str | None = None
    amount: str | None = None
    transfer_banned: bool = False
    note: str | None = None


@dataclass(frozen=True)
class InFlightCase:
    case_id: str
    business: str
    since: str


@dataclass(frozen=True)
class UnitFacts:
    unit_number: str
    outlet: str
    location: str
    building_area: str
    purpose: str
    house_nature: str
    holding_mode: str
    owners: tuple[Owner, ...]
    certificate_number: str
    certificate_type: str
    registered_on: str
    acquired_on: str
    restrictions: tuple[Restriction, ...] = field(default_factory=tuple)
    in_flight: InFlightCase | None = None

    def has_owner(self, name: str, id_number: str) -> bool:
        return any(o.name == name and o.id_number == id_number for o in self.owners)
