"""An application's tax case, from its declaration (纳税申报) and the register, after submit.

The tax function assesses a submitted application the first time one of its parties opens its
taxes (GET /applications/{id}/tax or POST /tax/payments): no call from the application function,
no write access to another function's table, and create_tax_case() is idempotent.

Facts taken from the register rather than from what was typed:
  - the buyer family's homes before the purchase: the larger of the declared count and the
    number of units the register shows held by any declared member of a buyer family;
  - 满五唯一: "the seller family's only home" is refused when the register shows a seller family
    member holding another unit;
  - the holding period starts at the earlier of the declared acquisition date and the register's
    acquisition date (DOMAIN.md §2.3), and ends on the day of submission;
  - the assessed price (计税评估价) and the building area come from the unit.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pynamodb.exceptions import DoesNotExist

from estate import clock
from estate.domain.tax import TaxCase, years_between
from estate.notify import outbox
from estate.notify import steps as notices
from estate.store import register
from estate.store.applications import Application, TimelineEvent, load_case
from estate.tax.cases import create_tax_case

ASSESSABLE_STATUSES = {"SUBMITTED", "ACCEPTED", "TAX_PAID", "APPROVED", "CERTIFICATE_READY", "COMPLETED"}


def city_tier(outlet: str) -> str:
    """GB/T 2260: a county-level code whose last two digits are below 20 is a city district (市辖区,
    城建税 7 %); the others are counties and county-level cities (5 %, the county town rate)."""
    return "urban" if outlet[-2:].isdigit() and int(outlet[-2:]) < 20 else "county"


def _members(families: list[dict]) -> set[str]:
    return {m["id_number"] for family in families for m in family.get("members", []) if m.get("id_number")}


def tax_case_for(application: Application, submitted_on: date) -> tuple[dict, TaxCase]:
    parties, declaration, unit = application.parties, application.tax_declaration, application.unit
    house = declaration["house"]
    buyer_family = _members(declaration["buyer_families"])
    registered_homes = {u for member in buyer_family for u in register.units_held_by(member)}
    homes_before = max(int(house["buyer_family_homes_before"]), len(registered_homes))
    seller_family = _members(declaration["seller_families"])
    other_homes = {u for member in seller_family for u in register.units_held_by(member)} - {application.unit_number}
    acquired = date.fromisoformat(house["acquisition_date"])
    if unit.get("acquired_on"):
        acquired = min(acquired, date.fromisoformat(unit["acquired_on"][:10]))
    holding = parties.get("holding") or {}
    buyers = parties["buyers"]
    actual = house.get("pit_method") == "actual"
    case = TaxCase(
        transaction_date=submitted_on, price=Decimal(application.contract["price"]),
        assessed_price=Decimal(unit["assessed_price"]) if unit.get("assessed_price") else None,
        area_m2=Decimal(unit["area_m2"]), buyer_family_homes_before=homes_before,
        seller_years_held=years_between(acquired, submitted_on),
        seller_family_only_home=bool(house["seller_family_only_home"]) and not other_homes,
        pit_method="actual" if actual else "deemed",
        seller_original_cost=Decimal(house["original_price"]) if actual else None,
        seller_reasonable_fees=Decimal(house.get("reasonable_fees") or "0") if actual else Decimal(0),
        city_tier=city_tier(application.outlet),
        extra_certificates=len(buyers) - 1 if holding.get("separate_certificates") else 0)
    return {"buyer_ids": [b["id_number"] for b in buyers], "seller_ids": [s["id_number"] for s in parties["sellers"]]}, case


def submitted_on(application_id: str) -> date:
    """The day of the last submission (a resubmission after a return counts), in Shanghai."""
    _, timeline, _ = load_case(application_id)
    times = [e.at for e in timeline if isinstance(e, TimelineEvent) and e.action == "submitted"]
    moment = max(times) if times else clock.now().isoformat()
    return datetime.fromisoformat(moment).astimezone(clock.SHANGHAI).date()


def assess_submitted_application(application_id: str) -> bool:
    """Create the tax case of a submitted application; False if there is none to assess yet."""
    try:
        application = Application.get(*Application.key(application_id))
    except DoesNotExist:
        return False
    if application.status not in ASSESSABLE_STATUSES or not application.tax_declaration or not application.contract:
        return False
    parties, case = tax_case_for(application, submitted_on(application_id))
    create_tax_case(application_id, parties, case,
                    announce=lambda owed: outbox.stage(notices.taxes_assessed(application, owed), application_id))
    return True

