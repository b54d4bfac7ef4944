"""Parties of a transfer (DOMAIN §1.2): sellers are exactly the registered owners, buyers are 1–2
individuals, and the buyers' holding choice (单独/共同共有/按份共有, 分别持证, 持证人) is consistent."""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Callable, Iterable

from estate.domain.ids import InvalidIdentifier, parse_mobile, parse_resident_id
from estate.domain.money import decimal_places
from estate.domain.register import Owner
from estate.domain.text import form_text
from estate.errors import FieldErrors

if TYPE_CHECKING:  # the form's model lives beside the use-case and reads the choices below
    from estate.apply.models import HoldingForm, PartiesForm, PersonForm

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


def _person(errors: FieldErrors, where: str, form: PersonForm) -> dict[str, Any]:
    person: dict[str, Any] = {"name": add_name(errors, f"{where}.name", form.name)}
    raw_id = form.id_number.strip()
    try:
        person["id_number"] = parse_resident_id(raw_id).number
    except InvalidIdentifier as error:
        looks_like_company = len(raw_id) == 18 and any(c.isalpha() for c in raw_id[:17])
        if looks_like_company:
            errors.add(f"{where}.id_number", "NOT_INDIVIDUAL", "网上办理只接受个人，不能为单位（统一社会信用代码）")
        else:
            errors.add(f"{where}.id_number", error.code, error.message)
    try:
        person["phone"] = parse_mobile(form.phone.strip())
    except InvalidIdentifier as error:
        errors.add(f"{where}.phone", error.code, error.message)
    person["address"] = form.address.strip()
    person["marital_status"] = form.marital_status
    return person


def _holding(errors: FieldErrors, holding: HoldingForm, buyers: list[dict[str, Any]]) -> dict[str, Any]:
    mode = holding.mode
    result: dict[str, Any] = {"mode": mode}
    if mode == "single" and len(buyers) != 1:
        errors.add("holding.mode", "SINGLE_NEEDS_ONE_BUYER", "单独所有只能有一位买方")
    if mode in ("joint", "shares") and len(buyers) < 2:
        errors.add("holding.mode", "CO_OWNERSHIP_NEEDS_TWO", "共同共有或按份共有需要两位买方")
    if mode == "shares":
        result["shares"] = _shares(errors, holding.shares, buyers)
    separate = holding.separate_certificates
    if separate and mode == "single":
        errors.add("holding.separate_certificates", "SINGLE_CANNOT_SEPARATE", "单独所有无需分别持证")
    result["separate_certificates"] = separate
    buyer_names: list[str] = [b["name"] for b in buyers if b["name"]]  # a refused name is ""
    if holding.holders is None:
        holders = buyer_names if separate or mode == "single" else buyer_names[:1]
    else:  # typed names compare as stored ones (normalised dots)
        holders = [_normalised_or_as_is(h) for h in holding.holders]
    if not holders or not all(h in buyer_names for h in holders):
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


def _shares(errors: FieldErrors, raw: dict[str, Any] | None, buyers: list[dict[str, Any]]) -> dict[str, Any]:
    """Shares as percentages keyed by buyer ID number; they must sum to exactly 100."""
    if raw is None:
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


def validate_parties(form: PartiesForm, registered_owners: tuple[Owner, ...],
                     name_of: Callable[[str], str | None] = lambda id_number: None) -> dict[str, Any]:
    """Normalised parties from a form the model accepted (estate.apply.models.PartiesForm), or
    ValidationError listing every problem at once. name_of: the real-name record's name for an ID
    number (estate.adapters.realname.real_name_of), None when unknown."""
    errors = FieldErrors()
    sellers = [_person(errors, f"sellers[{i}]", s) for i, s in enumerate(form.sellers)]
    buyers = [_person(errors, f"buyers[{i}]", b) for i, b in enumerate(form.buyers)]
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
    holding = _holding(errors, form.holding, buyers)
    errors.raise_if_any(form.form_message)
    return {"sellers": sellers, "buyers": buyers, "holding": holding}


def party_ids(parties: dict[str, Any]) -> list[str]:
    return [p["id_number"] for side in ("sellers", "buyers") for p in parties.get(side, [])]
