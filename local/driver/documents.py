"""A complete sale, in memory, for rendering the signing documents without a stack (bench and tests).

The contract and inquiry go through the same validators as the API, so the documents see exactly
what a saved application holds; nothing is written anywhere.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timezone

from local.driver.flows import contract_body, inquiry_body, new_person_id, party

SELLERS = [{"name": "王建国", "phone": "13900000001", "address": "阳泉市城区桃北中街1号院3号楼2单元501室"},
           {"name": "李秀英", "phone": "13900000002", "address": "阳泉市城区桃北中街1号院3号楼2单元501室"}]
BUYERS = [{"name": "赵志强", "phone": "13900000003", "address": "阳泉市郊区荫营镇河底村委会东侧新建小区8号楼"},
          {"name": "孙丽华", "phone": "13900000004", "address": "阳泉市郊区荫营镇河底村委会东侧新建小区8号楼"}]
UNIT = {"unit_number": "140302003005GB00012F00030051", "location": "阳泉市城区桃北中街1号院3号楼2单元501室",
        "area_m2": "89.60", "purpose": "住宅", "certificate_number": "晋(2019)阳泉市不动产权第0012345号"}
OUTLET = {"code": "140302", "name": "阳泉市不动产登记中心城区登记大厅", "district": "城区",
          "arbitration_commission": "阳泉仲裁委员会", "court": "阳泉市城区人民法院"}
TODAY = date(2026, 12, 3)


def _people(template: list[dict], first: int, sex: str) -> list[dict]:
    return [{**p, "id_number": new_person_id(first + i, birth="19800315", sex=sex)} for i, p in enumerate(template)]


def sample_facts():
    from estate.documents.application import Facts

    return Facts(outlet_name=OUTLET["name"])


def sample_application(*, holding: dict | None = None, accepted: bool = False):
    """A joint sale by two sellers to two buyers, the inquiry saved (as signing renders it); `accepted`
    adds what the back office records at acceptance (收件)."""
    from estate.domain.contract import validate_contract
    from estate.domain.documents import filing_number, intake_number
    from estate.domain.inquiry import validate_inquiry
    from estate.store.applications import Application

    sellers, buyers = _people(SELLERS, 11, "M"), _people(BUYERS, 21, "F")
    unit = {**UNIT, "owners": [{"name": s["name"], "id_number": s["id_number"], "share": None} for s in sellers]}
    app_id = "YQ20261203A1B2C3D4E5"
    contract = validate_contract(contract_body("560000.00", TODAY), today=TODAY, outlet=OUTLET, unit=unit)
    contract["filing_number"] = filing_number(app_id)  # as the contract step stores it
    roles = {p["id_number"]: "seller" for p in sellers} | {p["id_number"]: "buyer" for p in buyers}
    names = {p["id_number"]: p["name"] for p in sellers + buyers}
    inquiry = {**validate_inquiry(inquiry_body(sellers, buyers), roles=roles, names=names),
               "recorded_at": "2026-12-03T02:40:00+00:00"}
    inquiry["respondents"][1]["answers"][2]["answer"] = "已婚，房屋为夫妻共同财产，本人同意出售"
    moment = datetime(2026, 12, 3, 2, 5, tzinfo=timezone.utc).isoformat()
    application = Application(
        "APP#" + app_id, "APP", application_id=app_id, business="sale", outlet=OUTLET["code"],
        unit_number=UNIT["unit_number"], status="SIGNING", initiator_id=sellers[0]["id_number"],
        initiator_role="seller", party_ids=sorted(roles), unit=unit,
        parties={"sellers": [party(s, "married") for s in sellers], "buyers": [party(b, "married") for b in buyers],
                 "holding": holding or {"mode": "joint", "separate_certificates": False,
                                        "holders": [buyers[0]["name"]]}},
        contract=contract, inquiry=inquiry, created_at=moment, updated_at=moment, document_version=1)
    if accepted:
        application.office = {"accepted_at": "2026-12-07T01:30:00+00:00", "accepted_on": "2026-12-07",
                              "accepted_by": "clerk-0001", "received_by": "张收件",
                              "intake_number": intake_number(OUTLET["code"], date(2026, 12, 7), app_id)}
    return application


@contextlib.contextmanager
def stock_fpdf2_fonts(recalc_bboxes: bool = True):
    """Every font of the documents rendered meanwhile loaded by fpdf2's own `add_font`, as a plain fpdf2
    program would (the bench's reference); `recalc_bboxes=False` writes the glyphs back as read, as our
    path does, so that the two can be compared byte for byte."""
    from estate.documents import pdf

    def stock_add_font(document, family, path):
        document.add_font(family, fname=str(path), collection_font_number=0)
        if not recalc_bboxes:
            document.fonts[family.lower()].ttfont.recalcBBoxes = False

    ours = pdf.add_parsed_font
    pdf.add_parsed_font = stock_add_font
    try:
        yield
    finally:
        pdf.add_parsed_font = ours
