"""Parties of a transfer (DOMAIN §1.2): sellers are exactly the registered owners, buyers are 1–2
individuals, and the buyers' holding choice (单独/共同共有/按份共有, 分别持证, 持证人) is consistent."""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Iterable

from estate.domain.ids import InvalidIdentifier, is_choice, parse_mobile, parse_resident_id
from estate.domain.money import decimal_places
from estate.domain.register import Owner
from estate.domain.text import form_text
from estate.errors import FieldErrors

MAX_BUYERS = 2
MARITAL_STATUSES = {"single": "未婚", "married": "已婚", "divorced": "离异", "widowed": "丧偶"}
HOLDING_MODES = {"single": "单独所有", "joint": "共同共有", "shares": "按份共有"}
MAX_TEXT = 100

# --- names as the resident ID card prints them ---------------------------------------------------
# Han characters (every CJK Unified Ideographs block, extensions included: rare characters in names
# are exactly the ones in the extensions) and, for transliterated names (买买提·艾力), the middle dot.
# The card and the real-name record use U+00B7; the look-alikes phones type (• U+2022 from Chinese
# keyboards, ・ U+30FB / ･ U+FF65 from Japanese IMEs, ‧ U+2027) are accepted and stored as U+00B7
# so that the name compares equal to the record and prints as on the card.
NAME_DOT = "\u00b7"
_DOT_LOOKALIKES = {"\u2022": NAME_DOT, "\u30fb": NAME_DOT, "\u2027": NAME_DOT}  # after NFKC: U+FF65 is U+30FB
NAME_MIN, NAME_MAX = 2, 30   # no one-character names on ID cards; long transliterations reach ~20


def _is_han(char: str) -> bool:
    return char == "\u3007" or unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")


def parse_person_name(raw: Any) -> str:
    """The name normalised as the ID card prints it, or InvalidIdentifier (NAME_LENGTH / NAME_FORMAT)."""
    value = unicodedata.normalize("NFKC", str(raw or "")).strip()  # compatibility ideographs → unified, ･ → ・
    value = "".join(_DOT_LOOKALIKES.get(c, c) for c in value)
    if not NAME_MIN <= len(value) <= NAME_MAX:
        raise InvalidIdentifier("NAME_LENGTH", f"姓名应为{NAME_MIN}至{NAME_MAX}个汉字")
    if not all(_is_han(c) or c == NAME_DOT for c in value):
        raise InvalidIdentifier("NAME_FORMAT", "姓名只能包含汉字和间隔号“·”，请与身份证一致")
    if value[0] == NAME_DOT or value[-1] == NAME_DOT or NAME_DOT * 2 in value:
        raise InvalidIdentifier("NAME_FORMAT", "间隔号“·”只能在姓名中间，且不能连续")
    return value


def add_name(errors: FieldErrors, field: str, raw: Any) -> str:
    """parse_person_name for a form: the field's error added, "" returned when it is not a name."""
    if not form_text(errors, field, raw, required_message="请填写姓名"):
        return ""
    try:
        return parse_person_name(raw)
    except InvalidIdentifier as error:
        errors.add(field, error.code, error.message)
        return ""


def check_real_names(errors: FieldErrors, entries: Iterable[tuple[str, str | None, str | None]],
                     name_of: Callable[[str], str | None]) -> None:
    """entries: (field, name as parse_person_name returned it, ID number). NAME_ID_MISMATCH on the name's
    field when the real-name record (name_of, estate.adapters.realname) holds another name; an ID number
    the record does not know, or an entry already refused (empty), is left to the other checks."""
    for field, name, id_number in entries:
        if not name or not id_number:
            continue
        recorded = name_of(id_number)
        if recorded is not None and name != _normalised_or_as_is(recorded):
            errors.add(field, "NAME_ID_MISMATCH", "姓名与身份证号码不一致，请按身份证填写")


def _text(errors: FieldErrors, where: str, data: dict[str, Any], name: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = form_text(errors, f"{where}.{name}", data.get(name), required=required)
    if len(text) > limit:
        errors.add(f"{where}.{name}", "TOO_LONG", f"不能超过{limit}个字")
    return text


def _person(errors: FieldErrors, where: str, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        errors.add(where, "NOT_OBJECT", "应为对象")
        return {}
    person: dict[str, Any] = {"name": add_name(errors, f"{where}.name", data.get("name"))}
    raw_id = _text(errors, where, data, "id_number")
    if raw_id:
        try:
            person["id_number"] = parse_resident_id(raw_id).number
        except InvalidIdentifier as error:
            looks_like_company = len(raw_id) == 18 and any(c.isalpha() for c in raw_id[:17])
            if looks_like_company:
                errors.add(f"{where}.id_number", "NOT_INDIVIDUAL", "网上办理只接受个人，不能为单位（统一社会信用代码）")
            else:
                errors.add(f"{where}.id_number", error.code, error.message)
    raw_phone = _text(errors, where, data, "phone")
    if raw_phone:
        try:
            person["phone"] = parse_mobile(raw_phone)
        except InvalidIdentifier as error:
            errors.add(f"{where}.phone", error.code, error.message)
    person["address"] = _text(errors, where, data, "address", limit=200)
    marital = data.get("marital_status")
    if not is_choice(marital, MARITAL_STATUSES):
        errors.add(f"{where}.marital_status", "INVALID_CHOICE", "婚姻状况应为未婚、已婚、离异或丧偶")
    person["marital_status"] = marital
    return person


def _holding(errors: FieldErrors, data: dict[str, Any], buyers: list[dict[str, Any]]) -> dict[str, Any]:
    holding = data.get("holding")
    if not isinstance(holding, dict):
        errors.add("holding", "REQUIRED", "请选择持证方式")
        return {}
    mode = holding.get("mode")
    result: dict[str, Any] = {"mode": mode}
    if not is_choice(mode, HOLDING_MODES):
        errors.add("holding.mode", "INVALID_CHOICE", "共有方式应为单独所有、共同共有或按份共有")
        return result
    if mode == "single" and len(buyers) != 1:
        errors.add("holding.mode", "SINGLE_NEEDS_ONE_BUYER", "单独所有只能有一位买方")
    if mode in ("joint", "shares") and len(buyers) < 2:
        errors.add("holding.mode", "CO_OWNERSHIP_NEEDS_TWO", "共同共有或按份共有需要两位买方")
    if mode == "shares":
        result["shares"] = _shares(errors, holding.get("shares"), buyers)
    separate = holding.get("separate_certificates", False)
    if not isinstance(separate, bool):
        errors.add("holding.separate_certificates", "NOT_BOOLEAN", "是否分别持证应为是或否")
        separate = False
    if separate and mode == "single":
        errors.add("holding.separate_certificates", "SINGLE_CANNOT_SEPARATE", "单独所有无需分别持证")
    result["separate_certificates"] = separate
    holders = holding.get("holders")
    buyer_names: list[str] = [b["name"] for b in buyers if "name" in b]  # a refused buyer ({}) has none
    if holders is None:
        holders = buyer_names if separate or mode == "single" else buyer_names[:1]
    elif isinstance(holders, list):  # typed names compare as stored ones (normalised dots)
        holders = [_normalised_or_as_is(h) for h in holders]
    if not isinstance(holders, list) or not holders or not all(h in buyer_names for h in holders):
        errors.add("holding.holders", "HOLDER_NOT_BUYER", "持证人必须是买方")
    elif separate and sorted(holders) != sorted(buyer_names):
        errors.add("holding.holders", "SEPARATE_NEEDS_ALL", "分别持证时每位买方各持一本证书")
    result["holders"] = holders
    return result


def _normalised_or_as_is(raw: Any) -> Any:
    try:
        return parse_person_name(raw) if isinstance(raw, str) else raw
    except InvalidIdentifier:
        return raw


def _shares(errors: FieldErrors, raw: Any, buyers: list[dict[str, Any]]) -> dict[str, Any]:
    """Shares as percentages keyed by buyer ID number; they must sum to exactly 100."""
    if not isinstance(raw, dict):
        errors.add("holding.shares", "REQUIRED", "按份共有须填写每位买方的份额")
        return {}
    shares: dict[str, str] = {}
    total = Decimal(0)
    ids = [b.get("id_number") for b in buyers]
    for id_number, value in raw.items():
        if id_number not in ids:
            errors.add("holding.shares", "SHARE_NOT_BUYER", "份额只能分配给买方")
            continue
        try:
            share = Decimal(str(value))
        except InvalidOperation:
            errors.add("holding.shares", "NOT_A_NUMBER", "份额应为百分数，例如 60")
            continue
        if not share.is_finite() or not (Decimal(0) < share < Decimal(100)) or decimal_places(share) > 4:
            errors.add("holding.shares", "SHARE_RANGE", "每位买方的份额应大于0、小于100，最多四位小数")
            continue
        shares[id_number] = format(share.normalize(), "f")
        total += share
    if set(shares) != set(i for i in ids if i) and not errors:
        errors.add("holding.shares", "SHARE_MISSING", "请为每位买方填写份额")
    if shares and total != Decimal(100):
        errors.add("holding.shares", "SHARES_NOT_100", f"份额合计应为100%，当前为{format(total.normalize(), 'f')}%")
    return shares


def validate_parties(data: dict[str, Any], registered_owners: tuple[Owner, ...],
                     name_of: Callable[[str], str | None] = lambda id_number: None) -> dict[str, Any]:
    """Normalised parties, or ValidationError listing every problem at once. name_of: the real-name
    record's name for an ID number (estate.adapters.realname.real_name_of), None when unknown."""
    errors = FieldErrors()
    sellers_raw, buyers_raw = data.get("sellers"), data.get("buyers")
    if not isinstance(sellers_raw, list) or not sellers_raw:
        errors.add("sellers", "REQUIRED", "请填写卖方信息")
        sellers_raw = []
    if not isinstance(buyers_raw, list) or not buyers_raw:
        errors.add("buyers", "REQUIRED", "请填写买方信息")
        buyers_raw = []
    elif len(buyers_raw) > MAX_BUYERS:
        errors.add("buyers", "TOO_MANY_BUYERS", f"网上办理买方不超过{MAX_BUYERS}人")
    sellers = [_person(errors, f"sellers[{i}]", s) for i, s in enumerate(sellers_raw)]
    buyers = [_person(errors, f"buyers[{i}]", b) for i, b in enumerate(buyers_raw)]
    check_real_names(errors, [(f"{side}[{i}].name", p.get("name"), p.get("id_number"))
                              for side, people in (("sellers", sellers), ("buyers", buyers))
                              for i, p in enumerate(people)], name_of)
    registered = {(o.name, o.id_number) for o in registered_owners}
    for i, seller in enumerate(sellers):
        if seller.get("id_number") and (seller.get("name"), seller.get("id_number")) not in registered:
            errors.add(f"sellers[{i}]", "SELLER_NOT_OWNER", "卖方须为登记簿记载的权利人，姓名和身份证号须一致")
    given = {(s.get("name"), s.get("id_number")) for s in sellers}
    if sellers and registered - given and not errors.errors:
        errors.add("sellers", "OWNER_MISSING", "全部登记权利人都须作为卖方参与申请")
    seller_ids = {s.get("id_number") for s in sellers}
    buyer_ids = [b.get("id_number") for b in buyers]
    for i, buyer in enumerate(buyers):
        if buyer.get("id_number") in seller_ids:
            errors.add(f"buyers[{i}].id_number", "BUYER_IS_SELLER", "买方不能同时是卖方")
    if len(set(buyer_ids)) != len(buyer_ids):
        errors.add("buyers", "DUPLICATE_BUYER", "同一买方不能重复填写")
    holding = _holding(errors, data, buyers) if buyers else {}
    errors.raise_if_any("买卖双方信息有误，请检查后重新提交")
    return {"sellers": sellers, "buyers": buyers, "holding": holding}


def party_ids(parties: dict[str, Any]) -> list[str]:
    return [p["id_number"] for side in ("sellers", "buyers") for p in parties.get(side, [])]
