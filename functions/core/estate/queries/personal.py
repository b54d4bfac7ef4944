"""个人不动产登记信息查询: a person's current units in the register, as a 查询结果证明 PDF.

POST /queries checks, in this order: the request (every field problem at once), the caller's own
face check (403 for anyone else's), the captcha, then the daily allowance (429). Only then is the
register read (the person's OWNER items), the certificate issued through estate.documents.issue
(verification code + QR; GET /verify/{code} confirms it) and the query recorded.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from estate import clock
from estate.services.face_checks import usable_face_check
from estate.services.captchas import consume
from estate.config import get_settings
from estate.documents import issue
from estate.domain.documents import share_percent
from estate.domain.ids import add_key, is_choice
from estate.errors import FieldErrors, NotFound, TooManyRequests
from estate.principal import Principal
from estate.observability import logger, mask_id_number
from estate.store import content, register
from estate.store.queries import (PropertyQuery, get_query, give_back_allowance, record_document,
                                  take_daily_allowance)
from estate.store.register import HOLDING_LABELS
from estate.store.verifications import FaceCheck

SCOPES = {"outlet": "所选登记机构辖区", "city": "阳泉市全市"}
QUERY_SERVICE = "query"
RESTRICTION_LABELS = {"seizure": "查封登记", "mortgage": "抵押权登记", "objection": "异议登记",
                      "advance_notice": "预告登记", "residence_right": "居住权登记", "expropriation": "征收（拆迁冻结）"}
TITLE = "不动产登记信息查询结果证明"
NO_RECORD = "无登记记录"
MAX_PURPOSE = 100


def _parse(body: dict) -> dict:
    errors = FieldErrors()
    if body.get("notice_accepted") is not True:
        errors.add("notice_accepted", "NOTICE_NOT_ACCEPTED", "请阅读并勾选“我已阅读并同意查询须知”")
    outlet = add_key(errors, "outlet", body.get("outlet"), "请选择登记机构")
    published = content.get_published("outlet", outlet) if outlet else None
    if outlet and published is None:
        errors.add("outlet", "UNKNOWN_OUTLET", "登记机构不存在，请重新选择")
    scope = body.get("scope")
    if not is_choice(scope, SCOPES):
        errors.add("scope", "INVALID_CHOICE", "查询范围应为所选登记机构辖区(outlet)或全市(city)")
    purpose = body.get("purpose")
    if not isinstance(purpose, str) or not purpose.strip():
        errors.add("purpose", "REQUIRED", "请填写查询目的")
    elif len(purpose.strip()) > MAX_PURPOSE:
        errors.add("purpose", "TOO_LONG", f"查询目的不超过{MAX_PURPOSE}字")
    add_key(errors, "captcha_id", body.get("captcha_id"), "请获取验证码")
    add_key(errors, "face_check", body.get("face_check"), "请先完成人脸识别")
    if not isinstance(body.get("captcha_answer"), str) or not body.get("captcha_answer"):
        errors.add("captcha_answer", "REQUIRED", "请输入验证码")
    errors.raise_if_any("查询信息有误，请检查后重新提交")
    return {"outlet": outlet, "outlet_name": published["name"], "scope": scope, "purpose": purpose.strip(),
            "captcha_id": body["captcha_id"], "captcha_answer": body["captcha_answer"],
            "face_check": body["face_check"]}


def _unit_row(unit, id_number: str) -> dict:
    right = unit.right
    mine = next((o for o in right.owners if o.id_number == id_number), None)
    return {
        "unit_number": unit.unit_number, "location": unit.location, "building_area": unit.building_area,
        "purpose": unit.purpose, "house_nature": unit.house_nature, "right_type": right.right_type,
        "holding_mode": right.holding_mode, "holding_mode_label": HOLDING_LABELS.get(right.holding_mode),
        "share": mine.share if mine else None,
        "owners": [o.name for o in right.owners],
        "certificate_number": (mine.certificate_number if mine and mine.certificate_number
                               else right.certificate_number),
        "registered_on": right.registered_on, "how_acquired": right.how_acquired,
        "restrictions": [{"kind": r.kind, "label": RESTRICTION_LABELS.get(r.kind, r.kind), "holder": r.holder,
                          "document_number": r.document_number, "registered_on": r.registered_on,
                          "ends_on": r.ends_on, "amount": r.amount} for r in unit.restrictions or []],
    }


def holdings(id_number: str, scope: str, outlet: str) -> list[dict]:
    rows = []
    for unit_number in register.units_held_by(id_number):
        unit = register.get_unit(unit_number)
        if unit is None or (scope == "outlet" and unit.outlet != outlet):
            continue
        rows.append(_unit_row(unit, id_number))
    return sorted(rows, key=lambda r: r["unit_number"])


def _render(record: PropertyQuery):
    """The 查询结果证明 of a recorded query: everything it prints was recorded when the query was made."""
    result = record.result or {}
    when = datetime.fromisoformat(record.created_at).astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    scope = "阳泉市全市" if record.scope == "city" else (result.get("outlet_name") or record.outlet) + "辖区"

    def render(verification) -> bytes:
        from estate.documents.pdf import ChineseDocument

        doc = ChineseDocument(TITLE, verification=verification, subtitle=f"查询编号：{record.id}")
        doc.key_values([("查询人", result.get("name") or "—"), ("证件号码", mask_id_number(record.id_number)),
                        ("查询目的", record.purpose), ("查询范围", scope), ("查询时间", when + "（北京时间）"),
                        ("查询渠道", "互联网（本人实名认证及人脸识别）")])
        doc.heading("查询结果")
        rows = result.get("units") or []
        if not rows:
            doc.paragraph(f"经查询，在上述范围内{NO_RECORD}。")
        for index, row in enumerate(rows, start=1):
            share = f"，本人份额{share_percent(row['share'])}" if row["share"] else ""
            doc.key_values([(f"{index}. 不动产权证号", row["certificate_number"]),
                            ("不动产单元号", row["unit_number"]), ("坐落", row["location"]),
                            ("权利人", "、".join(row["owners"])),
                            ("共有情况", f"{row['holding_mode_label'] or row['holding_mode']}{share}"),
                            ("权利类型", row["right_type"]), ("用途", row["purpose"]),
                            ("建筑面积", f"{row['building_area']}平方米"), ("登记时间", row["registered_on"]),
                            ("权利限制", "；".join(_restriction_text(r) for r in row["restrictions"]) or "无")])
        doc.note("本证明仅反映查询时点登记簿的记载。可扫描二维码或凭校验码在线核验。")
        return doc.output()
    return render


def _restriction_text(restriction: dict) -> str:
    detail = "，".join(part for part in (restriction["holder"], restriction["document_number"]) if part)
    return f"{restriction['label']}（{detail}）" if detail else restriction["label"]


def create_query(caller: Principal, body: dict) -> dict:
    """Record the query and its result; the certificate PDF is issued on the first GET /queries/{id}, off
    this request (a render is most of its time, and the person may never download it)."""
    caller.require_citizen()
    request = _parse(body)
    check: FaceCheck = usable_face_check(caller, request["face_check"])
    consume(caller, request["captcha_id"], request["captcha_answer"])
    now = clock.now()
    day = now.astimezone(clock.SHANGHAI).date().isoformat()
    limit = get_settings().query_daily_limit
    if not take_daily_allowance(caller.id_number, day, limit, now):
        raise TooManyRequests(f"您今日的查询次数已达上限（每日{limit}次），请明日再试", code="DAILY_QUERY_LIMIT")
    query_id = f"Q{now.astimezone(clock.SHANGHAI):%Y%m%d}{secrets.token_hex(5).upper()}"
    try:
        rows = holdings(caller.id_number, request["scope"], request["outlet"])
        record = PropertyQuery(query_id, id_number=caller.id_number, scope=request["scope"],
                               outlet=request["outlet"], purpose=request["purpose"], created_at=now.isoformat(),
                               result={"units": rows, "name": caller.name or "", "outlet_name": request["outlet_name"]})
        record.save(condition=PropertyQuery.id.does_not_exist())
    except Exception:
        give_back_allowance(caller.id_number, day)
        raise
    check.update(actions=[FaceCheck.used_for.set(query_id)])
    logger.info("property query recorded", query_id=query_id, units=len(rows), scope=request["scope"])
    return query_view(record)


def ensure_certificate(record: PropertyQuery):
    """The query's 查询结果证明, issued first if needed (safe to call twice: a second issue is revoked)."""
    from estate.store.documents import get_document

    if record.document_code:
        return get_document(record.document_code)
    document = issue.issue("query_certificate", TITLE, _render(record), subject=record.id, key_prefix="queries")
    if not record_document(record, document.code):
        issue.revoke(document.code, "重复出具，已作废")  # a concurrent request issued one first; keep that one
        return get_document(record.document_code)
    logger.info("property query certificate issued", query_id=record.id)
    return document


def query_view(record: PropertyQuery, document=None) -> dict:
    units = (record.result or {}).get("units", [])
    view = {"id": record.id, "created_at": record.created_at, "scope": record.scope,
            "scope_label": SCOPES.get(record.scope), "outlet": record.outlet, "purpose": record.purpose,
            "units": units, "result": NO_RECORD if not units else f"共{len(units)}处不动产",
            "document": None, "document_status": "issued" if document else "pending",
            "document_status_label": "已出具" if document else "查询结果证明待生成，请打开本查询记录获取"}
    if document is not None:
        view["document"] = {"code": issue.printed_code(document.code), "sha256": document.sha256,
                            "verify_url": issue.verify_url(document.code), "pdf_url": issue.download_url(document)}
    return view


def get_own_query(caller: Principal, query_id: str) -> dict:
    caller.require_citizen()
    record = get_query(query_id)
    if record is None or record.id_number != caller.id_number:
        raise NotFound("查询记录不存在", code="QUERY_NOT_FOUND")
    return query_view(record, ensure_certificate(record))
