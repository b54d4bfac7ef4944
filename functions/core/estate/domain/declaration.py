"""The tax declaration (纳税申报, DOMAIN §1.4): each side's families and the house facts for tax.

The family decides the deed-tax relief (buyer) and 满五唯一 (seller); the register is checked
later by the tax assessment, but sex must match the ID number now.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from typing import TYPE_CHECKING, Any, Callable

from estate.domain.ids import InvalidIdentifier, parse_resident_id
from estate.domain.people import add_name, check_real_names
from estate.errors import FieldErrors

if TYPE_CHECKING:  # the form's model lives beside the use-case and reads the choices below
    from estate.apply.models import DeclarationForm, FamilyForm, MemberForm

RELATIONS = {"self": "本人", "spouse": "配偶", "child": "子女", "parent": "父母", "other": "其他"}
SEXES = {"M": "男", "F": "女"}
PIT_METHODS = {"deemed": "核定征收", "actual": "按实际所得征收"}
MAX_MEMBERS = 10


def _member(errors: FieldErrors, where: str, form: MemberForm) -> dict[str, Any]:
    member: dict[str, Any] = {"name": add_name(errors, f"{where}.name", form.name)}
    try:
        rid = parse_resident_id(form.id_number.strip())
        member["id_number"] = rid.number
        if form.sex != rid.sex:
            errors.add(f"{where}.sex", "SEX_MISMATCH", "性别与身份证号码不一致")
        member["sex"] = form.sex
    except InvalidIdentifier as error:
        errors.add(f"{where}.id_number", error.code, error.message)
    member["relation"] = form.relation
    return member


def _families(errors: FieldErrors, side: str, forms: list[FamilyForm], party_ids: list[str]) -> list[dict[str, Any]]:
    families = []
    for f, family in enumerate(forms):
        where = f"{side}_families[{f}]"
        members = [_member(errors, f"{where}.members[{m}]", member) for m, member in enumerate(family.members)]
        families.append({"members": members})
    covered = {m.get("id_number") for fam in families for m in fam["members"]}
    for party in party_ids:
        if party not in covered:
            errors.add(f"{side}_families", "PARTY_NOT_DECLARED", "每位买方/卖方都须在某个家庭中申报（关系为本人）")
            break
    return families


def validate_declaration(form: DeclarationForm, *, buyer_ids: list[str], seller_ids: list[str], today: date,
                         name_of: Callable[[str], str | None] = lambda id_number: None) -> dict[str, Any]:
    """The declaration from a form the model accepted (estate.apply.models.DeclarationForm), checked
    against the parties, the ID numbers and today. name_of: the real-name record's name for an ID
    number (estate.adapters.realname), None when unknown."""
    errors = FieldErrors()
    buyers = _families(errors, "buyer", form.buyer_families, buyer_ids)
    sellers = _families(errors, "seller", form.seller_families, seller_ids)
    check_real_names(errors, [(f"{side}_families[{f}].members[{m}].name", member.get("name"), member.get("id_number"))
                              for side, families in (("buyer", buyers), ("seller", sellers))
                              for f, family in enumerate(families)
                              for m, member in enumerate(family["members"])], name_of)
    house = form.house
    acquired = None
    try:
        acquired = date.fromisoformat(house.acquisition_date)
        if acquired > today or acquired.year < 1949:
            errors.add("house.acquisition_date", "DATE_RANGE", "取得日期应在1949年之后、今天之前")
    except ValueError:
        errors.add("house.acquisition_date", "DATE_FORMAT", "取得日期格式应为 YYYY-MM-DD")
    original_price = None
    if house.original_price is not None:
        try:
            original_price = Decimal(str(house.original_price))
            in_range = Decimal(0) < original_price <= Decimal("100000000")
        except InvalidOperation:  # not a number, or NaN (whose comparison signals)
            in_range = False
        if not in_range:
            errors.add("house.original_price", "AMOUNT_RANGE", "原购房价应大于0且不超过1亿元")
    method = house.pit_method
    if method == "actual" and original_price is None:
        errors.add("house.original_price", "REQUIRED_FOR_ACTUAL", "按实际所得计税须提供原购房价")
    errors.raise_if_any(form.form_message)
    assert acquired is not None  # a date that did not parse was refused above
    return {
        "buyer_families": buyers, "seller_families": sellers,
        "house": {"acquisition_date": acquired.isoformat(), "original_price": str(original_price) if original_price else None,
                  "reasonable_fees": str(house.reasonable_fees or "0"),
                  "seller_family_only_home": house.seller_family_only_home,
                  "buyer_family_homes_before": house.buyer_family_homes_before,
                  "pit_method": method},
    }
