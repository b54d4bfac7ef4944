"""Parties of a transfer (DOMAIN §1.2): sellers are exactly the registered owners, buyers are 1–2
individuals, and the buyers' holding choice (单独/共同共有/按份共有, 分别持证, 持证人) is consistent."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from estate.domain.ids import InvalidIdentifier, parse_mobile, parse_resident_id
from estate.domain.choices import is_choice
from estate.domain.register import Owner
from estate.errors import FieldErrors

MAX_BUYERS = 2
MARITAL_STATUSES = {"single": "未婚", "married": "已婚", "divorced": "离异", "widowed": "丧偶"}
HOLDING_MODES = {"single": "单独所有", "joint": "共同共有", "shares": "按份共有"}
MAX_TEXT = 100


def _text(errors: FieldErrors, where: str, data: dict, name: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.add(f"{where}.{name}", "REQUIRED", "此项为必填项")
        return ""
    if not isinstance(value, str):
        errors.add(f"{where}.{name}", "NOT_TEXT", "此项应为文本")
        return ""
    if len(value.strip()) > limit:
        errors.add(f"{where}.{name}", "TOO_LONG", f"不能超过{limit}个字")
    return value.strip()


def _person(errors: FieldErrors, where: str, data) -> dict:
    if not isinstance(data, dict):
        errors.add(where, "NOT_OBJECT", "应为对象")
        return {}
    person = {"name": _text(errors, where, data, "name", limit=50)}
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


def _holding(errors: FieldErrors, data: dict, buyers: list[dict]) -> dict:
    holding = data.get("holding") if isinstance(data.get("holding"), dict) else {}
    if not isinstance(data.get("holding"), dict):
        errors.add("holding", "REQUIRED", "请选择持证方式")
        return {}
    mode = holding.get("mode")
    result: dict = {"mode": mode}
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
    buyer_names = [b.get("name") for b in buyers]
    if holders is None:
        holders = buyer_names if separate or mode == "single" else buyer_names[:1]
    if not isinstance(holders, list) or not holders or not all(h in buyer_names for h in holders):
        errors.add("holding.holders", "HOLDER_NOT_BUYER", "持证人必须是买方")
    elif separate and sorted(holders) != sorted(buyer_names):
        errors.add("holding.holders", "SEPARATE_NEEDS_ALL", "分别持证时每位买方各持一本证书")
    result["holders"] = holders
    return result


def _shares(errors: FieldErrors, raw, buyers: list[dict]) -> dict:
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
        if not (Decimal(0) < share < Decimal(100)) or share.as_tuple().exponent < -4:
            errors.add("holding.shares", "SHARE_RANGE", "每位买方的份额应大于0、小于100，最多四位小数")
            continue
        shares[id_number] = format(share.normalize(), "f")
        total += share
    if set(shares) != set(i for i in ids if i) and not errors:
        errors.add("holding.shares", "SHARE_MISSING", "请为每位买方填写份额")
    if shares and total != Decimal(100):
        errors.add("holding.shares", "SHARES_NOT_100", f"份额合计应为100%，当前为{format(total.normalize(), 'f')}%")
    return shares


def validate_parties(data: dict, registered_owners: tuple[Owner, ...]) -> dict:
    """Normalised parties, or ValidationError listing every problem at once."""
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


def party_ids(parties: dict) -> list[str]:
    return [p["id_number"] for side in ("sellers", "buyers") for p in parties.get(side, [])]
