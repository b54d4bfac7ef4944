"""Property lookup before an application starts (the seed guide's step 6).

Nothing is returned unless the seller's name, ID number and the certificate number all match
one current right: the register cannot be enumerated through this route.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from estate.adapters.realname import real_name_of
from estate.domain.eligibility import assess_eligibility
from estate.domain.ids import (InvalidIdentifier, format_unit_number, parse_any_certificate_number,
                               parse_resident_id, parse_unit_number)
from estate.domain.people import add_name, check_real_names
from estate.domain.register import UnitFacts
from estate.errors import FieldErrors
from estate.principal import Principal
from estate.observability import count_event, logger, mask_id_number
from estate.store import content, register
from estate.store.register import HOLDING_LABELS

if TYPE_CHECKING:  # the models import unit_view's neighbours; the form is only a type here
    from estate.apply.models import PropertySearchForm

@dataclass(frozen=True)
class PropertySearch:
    seller_name: str
    seller_id_number: str
    certificate_number: str
    unit_number: str | None
    outlet: str


def parse_property_search(form: PropertySearchForm) -> PropertySearch:
    """The identifiers of a form the model accepted, each parsed by its own rule (checksum, shapes)."""
    errors = FieldErrors()

    def identifier(name: str, raw: str, parser):
        try:
            return parser(raw.strip())
        except InvalidIdentifier as error:
            errors.add(name, error.code, error.message)
            return ""

    seller_name = add_name(errors, "seller_name", form.seller_name)
    id_number = identifier("seller_id_number", form.seller_id_number, lambda raw: parse_resident_id(raw).number)
    check_real_names(errors, [("seller_name", seller_name, id_number)], real_name_of)
    certificate = identifier("certificate_number", form.certificate_number,
                             lambda raw: parse_any_certificate_number(raw)[0])
    unit_number = None
    if form.unit_number is not None:
        unit_number = identifier("unit_number", form.unit_number, parse_unit_number) or None
    if content.get_published("outlet", form.outlet) is None:
        errors.add("outlet", "UNKNOWN_OUTLET", "办理网点不存在，请重新选择")
    errors.raise_if_any()
    return PropertySearch(seller_name, id_number, certificate, unit_number, form.outlet)


def search_properties(caller: Principal, body: PropertySearchForm) -> dict:
    caller.require_citizen()
    search = parse_property_search(body)
    unit = register.find_unit_by_certificate(search.certificate_number)
    facts = register.unit_facts(unit) if unit is not None else None
    matched = (facts is not None and facts.outlet == search.outlet
               and search.unit_number in (None, facts.unit_number)
               and facts.has_owner(search.seller_name, search.seller_id_number))
    count_event("PropertySearched")
    logger.info("property search", matched=matched, outlet=search.outlet,
                seller=mask_id_number(search.seller_id_number))
    return {"units": [unit_view(facts)] if matched else []}


def unit_view(facts: UnitFacts) -> dict:
    eligibility = assess_eligibility(facts)
    return {
        "unit_number": facts.unit_number,
        "unit_number_display": format_unit_number(facts.unit_number),
        "location": facts.location,
        "area_m2": facts.building_area,
        "purpose": facts.purpose,
        "certificate_number": facts.certificate_number,
        "holding_mode": facts.holding_mode,
        "holding_mode_label": HOLDING_LABELS.get(facts.holding_mode, facts.holding_mode),
        "owners": [{"name": o.name, "id_number": mask_id_number(o.id_number), "share": o.share}
                   for o in facts.owners],
        "eligible": eligibility.eligible,
        "blockers": [f.as_dict() for f in eligibility.blockers],
        "notices": [f.as_dict() for f in eligibility.notices],
    }
