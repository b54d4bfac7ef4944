"""The land register this service reads and, on approval, updates (DOMAIN.md §1, §3, §4).

One DynamoDB table, several item types sharing pk/sk:
  UNIT#<unit number> / UNIT        the unit with its current right, restrictions and in-flight case
  CERT#<certificate number> / CERT a certificate in circulation → its unit (lookup by certificate)
  OWNER#<id number> / UNIT#<unit>  a person's current holdings (personal property query)
The unit item is the aggregate: lookups read it in one GetItem, and the in-flight lock on it is
a conditional write.
"""

from __future__ import annotations

from typing import Any, TYPE_CHECKING

from pynamodb.attributes import (BooleanAttribute, ListAttribute, MapAttribute, NumberAttribute,
                                 UnicodeAttribute, VersionAttribute)
from pynamodb.exceptions import DoesNotExist

from estate.config import get_settings
from estate.store.base import BaseModel, meta

if TYPE_CHECKING:  # the domain imports at call time (see unit_facts); the type only for checkers
    from estate.domain.register import UnitFacts

HOLDING_SINGLE = "single"     # 单独所有
HOLDING_JOINT = "joint"       # 共同共有
HOLDING_SHARES = "shares"     # 按份共有
HOLDING_LABELS = {HOLDING_SINGLE: "单独所有", HOLDING_JOINT: "共同共有", HOLDING_SHARES: "按份共有"}

CERT_TITLE = "不动产权证书"
CERT_LEGACY_HOUSE = "房屋所有权证"


if TYPE_CHECKING:
    _Map = MapAttribute[str, Any]
else:  # PynamoDB's isinstance checks refuse a parameterised base at run time
    _Map = MapAttribute


class TypedMap(_Map):
    """A MapAttribute whose constructor is annotated (PynamoDB's is not), for the strict type check."""

    def __init__(self, **attributes: Any) -> None:
        super().__init__(**attributes)  # type: ignore[no-untyped-call]


class OwnerAttribute(TypedMap):
    name = UnicodeAttribute()
    id_number = UnicodeAttribute()
    owner_type = UnicodeAttribute(default="person")   # person | organisation
    share = UnicodeAttribute(null=True)               # decimal fraction as text, e.g. "0.6"
    certificate_number = UnicodeAttribute(null=True)  # when 分别持证, each holder's own certificate


class RightAttribute(TypedMap):
    right_id = UnicodeAttribute()
    right_type = UnicodeAttribute(default="国有建设用地使用权/房屋所有权")
    holding_mode = UnicodeAttribute()
    owners = ListAttribute(of=OwnerAttribute)
    certificate_number = UnicodeAttribute()
    certificate_type = UnicodeAttribute(default=CERT_TITLE)
    registered_on = UnicodeAttribute()
    acquired_on = UnicodeAttribute()
    how_acquired = UnicodeAttribute(default="买卖")


class RestrictionAttribute(TypedMap):
    kind = UnicodeAttribute()          # seizure | mortgage | objection | advance_notice | residence_right | expropriation
    holder = UnicodeAttribute(null=True)        # court, mortgagee bank, objector, notice holder, resident
    document_number = UnicodeAttribute(null=True)
    registered_on = UnicodeAttribute(null=True)
    ends_on = UnicodeAttribute(null=True)
    amount = UnicodeAttribute(null=True)        # mortgages: secured amount in CNY
    transfer_banned = BooleanAttribute(default=False)  # mortgages: a ban on transfer was agreed (Civil Code Art. 406)
    note = UnicodeAttribute(null=True)


class InFlightAttribute(TypedMap):
    case_id = UnicodeAttribute()
    business = UnicodeAttribute()
    since = UnicodeAttribute()


class RegisterItem(BaseModel):
    Meta = meta(get_settings().register_table)
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


class Unit(RegisterItem):
    Meta = meta(get_settings().register_table)
    unit_number = UnicodeAttribute()
    outlet = UnicodeAttribute()
    location = UnicodeAttribute()
    building_area = UnicodeAttribute()          # m², decimal text: exact, never a float
    interior_area = UnicodeAttribute(null=True)
    purpose = UnicodeAttribute(default="住宅")
    house_nature = UnicodeAttribute(default="商品房")
    structure = UnicodeAttribute(default="钢混")
    floor = NumberAttribute(null=True)
    total_floors = NumberAttribute(null=True)
    land_nature = UnicodeAttribute(default="出让")
    land_term_end = UnicodeAttribute(null=True)
    assessed_price = UnicodeAttribute(null=True)  # tax authority's reference value, CNY
    right = RightAttribute()
    restrictions = ListAttribute(of=RestrictionAttribute, default=list)
    in_flight = InFlightAttribute(null=True)
    version = VersionAttribute()

    @staticmethod
    def key(unit_number: str) -> tuple[str, str]:
        return f"UNIT#{unit_number}", "UNIT"

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Unit":
        """Build from a plain register record (seed files, migrations)."""
        fields = {k: v for k, v in record.items() if k in cls.get_attributes() and k not in ("right", "restrictions",
                                                                                               "in_flight", "version")}
        right = dict(record["right"])
        right["owners"] = [OwnerAttribute(**{k: v for k, v in o.items() if v is not None}) for o in right["owners"]]
        unit = cls(*cls.key(record["unit_number"]), right=RightAttribute(**right),
                   restrictions=[RestrictionAttribute(**{k: v for k, v in r.items() if v is not None})
                                 for r in record.get("restrictions", [])],
                   **fields)
        if record.get("in_flight"):
            unit.in_flight = InFlightAttribute(**record["in_flight"])
        return unit


class Certificate(RegisterItem):
    Meta = meta(get_settings().register_table)
    certificate_number = UnicodeAttribute()
    unit_number = UnicodeAttribute()
    status = UnicodeAttribute(default="current")   # current | to_hand_in | retired

    @staticmethod
    def key(certificate_number: str) -> tuple[str, str]:
        return f"CERT#{certificate_number}", "CERT"


class Holding(RegisterItem):
    Meta = meta(get_settings().register_table)
    id_number = UnicodeAttribute()
    unit_number = UnicodeAttribute()

    @staticmethod
    def key(id_number: str, unit_number: str) -> tuple[str, str]:
        return f"OWNER#{id_number}", f"UNIT#{unit_number}"


def get_unit(unit_number: str) -> Unit | None:
    try:
        return Unit.get(*Unit.key(unit_number))
    except DoesNotExist:
        return None


def release_hold(unit_number: str, case_id: str) -> list[tuple[Unit, list[Any], Any]]:
    """The update (as commit's extra_updates) that lifts the in-flight lock `case_id` put on its unit,
    conditional on the lock still being that case's; nothing when the case no longer holds it."""
    unit = get_unit(unit_number)
    if unit is None or unit.in_flight is None or unit.in_flight.case_id != case_id:
        return []
    return [(unit, [Unit.in_flight.remove()], Unit.in_flight.case_id == case_id)]


def find_unit_by_certificate(certificate_number: str) -> Unit | None:
    try:
        certificate = Certificate.get(*Certificate.key(certificate_number))
    except DoesNotExist:
        return None
    if certificate.status != "current":
        return None
    return get_unit(certificate.unit_number)


def units_held_by(id_number: str) -> list[str]:
    return [h.unit_number for h in Holding.query(f"OWNER#{id_number}")]


def unit_facts(unit: Unit) -> UnitFacts:
    from estate.domain.register import InFlightCase, Owner, Restriction, UnitFacts

    right = unit.right
    return UnitFacts(
        unit_number=unit.unit_number, outlet=unit.outlet, location=unit.location,
        building_area=unit.building_area, purpose=unit.purpose, house_nature=unit.house_nature,
        holding_mode=right.holding_mode,
        owners=tuple(Owner(o.name, o.id_number, o.owner_type, o.share) for o in right.owners),
        certificate_number=right.certificate_number, certificate_type=right.certificate_type,
        registered_on=right.registered_on, acquired_on=right.acquired_on,
        restrictions=tuple(Restriction(r.kind, r.holder, r.document_number, r.registered_on, r.ends_on,
                                       r.amount, bool(r.transfer_banned), r.note) for r in unit.restrictions),
        in_flight=(InFlightCase(unit.in_flight.case_id, unit.in_flight.business, unit.in_flight.since)
                   if unit.in_flight else None),
    )


class SerialCounter(RegisterItem):
    """The last serial issued in one certificate series and year (COUNTER#<kind>#<year> / COUNTER).

    Approval reads it and, in the same transaction that enters the right, sets it to value + n on
    the condition that it still holds value: a competing approval makes the transaction fail as a
    whole, so a serial is never skipped (nothing is consumed by a failed approval) nor issued twice."""

    Meta = meta(get_settings().register_table)
    value = NumberAttribute(default=0)

    @staticmethod
    def key(kind: str, year: int) -> tuple[str, str]:
        return f"COUNTER#{kind}#{year}", "COUNTER"


def get_counter(kind: str, year: int) -> SerialCounter:
    try:
        return SerialCounter.get(*SerialCounter.key(kind, year), consistent_read=True)
    except DoesNotExist:
        return SerialCounter(*SerialCounter.key(kind, year), value=0)


def get_certificate(certificate_number: str) -> Certificate | None:
    try:
        return Certificate.get(*Certificate.key(certificate_number))
    except DoesNotExist:
        return None
