"""The tax declaration (纳税申报, DOMAIN §1.4): each side's families and the house facts for tax.

The family decides the deed-tax relief (buyer) and 满五唯一 (seller); the register is checked
later by the tax assessment, but sex must match the ID number now.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from typing import Any, Callable

from estate.domain.ids import InvalidIdentifier, is_choice, parse_resident_id
from estate.domain.people import add_name, check_real_names
from estate.errors import FieldErrors

RELATIONS = {"self": "本人", "spouse": "配偶", "child": "子女", "parent": "父母", "other": "其他"}
SEXES = {"M": "男", "F": "女"}
PIT_METHODS = ("deemed", "actual")
MAX_MEMBERS = 10


def _member(errors: FieldErrors, where: str, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        errors.add(where, "NOT_OBJECT", "应为对象")
        return {}
    member: dict[str, Any] = {"name": add_name(errors, f"{where}.name", raw.get("name"))}
    try:
        rid = parse_resident_id(str(raw.get("id_number") or ""))
        member["id_number"] = rid.number
        if not is_choice(raw.get("sex"), SEXES):
            errors.add(f"{where}.sex", "INVALID_CHOICE", "性别应为男(M)或女(F)")
        elif raw["sex"] != rid.sex:
            errors.add(f"{where}.sex", "SEX_MISMATCH", "性别与身份证号码不一致")
        member["sex"] = raw.get("sex")
    except InvalidIdentifier as error:
        errors.add(f"{where}.id_number", error.code, error.message)
    if not is_choice(raw.get("relation"), RELATIONS):
        errors.add(f"{where}.relation", "INVALID_CHOICE", "与被查询人关系应为本人、配偶、子女、父母或其他")
    member["relation"] = raw.get("relation")
    return member


def _families(errors: FieldErrors, side: str, raw: Any, party_ids: list[str]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        errors.add(f"{side}_families", "REQUIRED", "请至少添加一个家庭")
        return []
    families = []
    for f, family in enumerate(raw):
        where = f"{side}_families[{f}]"
        members_raw = family.get("members") if isinstance(family, dict) else None
        if not isinstance(members_raw, list) or not members_raw:
            errors.add(f"{where}.members", "REQUIRED", "请添加家庭成员")
            continue
        if len(members_raw) > MAX_MEMBERS:
            errors.add(f"{where}.members", "TOO_MANY", f"一个家庭最多{MAX_MEMBERS}人")
        members = [_member(errors, f"{where}.members[{m}]", raw_m) for m, raw_m in enumerate(members_raw)]
        families.append({"members": members})
    covered = {m.get("id_number") for fam in families for m in fam["members"]}
    for party in party_ids:
        if party not in covered:
            errors.add(f"{side}_families", "PARTY_NOT_DECLARED", "每位买方/卖方都须在某个家庭中申报（关系为本人）")
            break
    return families


def validate_declaration(data: dict[str, Any], *, buyer_ids: list[str], seller_ids: list[str], today: date,
                         name_of: Callable[[str], str | None] = lambda id_number: None) -> dict[str, Any]:
    """name_of: the real-name record's name for an ID number (estate.adapters.realname), None when unknown."""
    errors = FieldErrors()
    buyers = _families(errors, "buyer", data.get("buyer_families"), buyer_ids)
    sellers = _families(errors, "seller", data.get("seller_families"), seller_ids)
    check_real_names(errors, [(f"{side}_families[{f}].members[{m}].name", member.get("name"), member.get("id_number"))
                              for side, families in (("buyer", buyers), ("seller", sellers))
                              for f, family in enumerate(families)
                              for m, member in enumerate(family["members"])], name_of)
    house = data.get("house")
    if not isinstance(house, dict):
        errors.add("house", "REQUIRED", "请填写房屋信息")
        house = {}
    acquired = None
    try:
        acquired = date.fromisoformat(str(house.get("acquisition_date")))
        if acquired > today or acquired.year < 1949:
            errors.add("house.acquisition_date", "DATE_RANGE", "取得日期应在1949年之后、今天之前")
    except ValueError:
        errors.add("house.acquisition_date", "DATE_FORMAT", "取得日期格式应为 YYYY-MM-DD")
    original_price = None
    if house.get("original_price") not in (None, ""):
        try:
            original_price = Decimal(str(house["original_price"]))
            in_range = Decimal(0) < original_price <= Decimal("100000000")
        except InvalidOperation:  # not a number, or NaN (whose comparison signals)
            in_range = False
        if not in_range:
            errors.add("house.original_price", "AMOUNT_RANGE", "原购房价应大于0且不超过1亿元")
    only_home = house.get("seller_family_only_home")
    if not isinstance(only_home, bool):
        errors.add("house.seller_family_only_home", "NOT_BOOLEAN", "请说明是否为卖方家庭唯一住房")
    homes_before = house.get("buyer_family_homes_before")
    if not isinstance(homes_before, int) or isinstance(homes_before, bool) or not 0 <= homes_before <= 50:
        errors.add("house.buyer_family_homes_before", "NOT_COUNT", "请填写买方家庭购房前已有住房套数")
    method = house.get("pit_method", "deemed")
    if not is_choice(method, PIT_METHODS):
        errors.add("house.pit_method", "INVALID_CHOICE", "个人所得税计征方式应为核定(deemed)或据实(actual)")
    elif method == "actual" and original_price is None:
        errors.add("house.original_price", "REQUIRED_FOR_ACTUAL", "按实际所得计税须提供原购房价")
    errors.raise_if_any("纳税申报信息有误，请检查后重新提交")
    assert acquired is not None  # a date that did not parse was refused above
    return {
        "buyer_families": buyers, "seller_families": sellers,
        "house": {"acquisition_date": acquired.isoformat(), "original_price": str(original_price) if original_price else None,
                  "reasonable_fees": str(house.get("reasonable_fees") or "0"),
                  "seller_family_only_home": only_home, "buyer_family_homes_before": homes_before,
                  "pit_method": method},
    }
