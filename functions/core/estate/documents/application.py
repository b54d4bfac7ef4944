"""The documents every buyer and seller signs (DOMAIN §1.3, §1.5, §1.6): the registration
application form (申请书), the sale contract (存量房买卖合同) and the inquiry record (询问笔录) — and,
in a loan sale, the mortgage contract (抵押合同) the buyers sign and the bank seals; and the signed
packet — the same documents with each signer's signature (the bank's e-seal), signing time and
face-check reference, plus an audit page, each issued with its own verification code and QR.

Rendered by the signing workflow's first task (its own Lambda), never on an API request.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from estate import clock
from estate.adapters.uploads import read_object
from estate.config import get_settings
from estate.documents.issue import issue, revoke
from estate.domain.contract import breach_terms
from estate.domain.documents import REGISTRATION_CENTRE, date_in_chinese, filing_number, role_in_brackets, role_label
from estate.domain.ids import format_unit_number
from estate.domain.money import amount_in_chinese
from estate.domain.people import HOLDING_MODES, MARITAL_STATUSES
from estate.domain.signing import BANK, DOCUMENT_TITLES as TITLES, documents_of, signs
from estate.store import content
from estate.store.applications import Application, record_received_form, update_fields
from estate.store.signing import signers

ROLE_LABELS = {role: role_label(role) for role in ("buyer", "seller", BANK)}
NOT_YET = "（受理时由登记机构填写）"


def _people_rows(people: list[dict]) -> list[list[str]]:
    return [[p["name"], "居民身份证", p["id_number"], p.get("phone", ""), p.get("address", "")] for p in people]


def _holding_text(parties: dict) -> str:
    holding = parties.get("holding") or {}
    text = HOLDING_MODES.get(holding.get("mode"), "")
    if holding.get("mode") == "shares":
        names = {b["id_number"]: b["name"] for b in parties["buyers"]}
        text += "（" + "，".join(f"{names[i]} {share}%" for i, share in holding["shares"].items()) + "）"
    return text


def _shanghai(moment: str | datetime) -> str:
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.astimezone(clock.SHANGHAI).strftime("%Y年%m月%d日 %H:%M")


@dataclass(frozen=True)
class Facts:
    """What the documents print that the application does not hold: read once per render."""

    outlet_name: str


def facts_of(application: Application) -> Facts:
    outlet = content.get_published("outlet", application.outlet) or {}
    return Facts(outlet_name=outlet.get("name") or application.outlet)


def _intake(application: Application) -> list[tuple[str, str]]:
    """The form's 收件 block: filled from what the back office recorded at acceptance, blank before."""
    office = application.office or {}
    if not office.get("intake_number"):
        return [("收件编号", NOT_YET), ("收件人", NOT_YET), ("收件时间", NOT_YET)]
    return [("收件编号", office["intake_number"]), ("收件人", office.get("received_by") or office["accepted_by"]),
            ("收件时间", _shanghai(office["accepted_at"]) + "（北京时间）")]


def application_form(application: Application, doc, facts: Facts) -> None:
    parties, unit = application.parties, application.unit
    holding = parties.get("holding") or {}
    doc.heading("收件（登记机构填写）", keep_with_next=24)
    doc.key_values(_intake(application))
    doc.key_values([("申请编号", application.application_id), ("办理网点", facts.outlet_name),
                    ("登记事由", "转移登记（买卖）" + ("，抵押权首次登记" if application.business == "loan-sale" else "")),
                    ("权利类型", "国有建设用地使用权/房屋所有权")])
    doc.heading("一、申请人情况")
    headers, widths = ["姓名", "证件种类", "证件号码", "联系电话", "通讯地址"], [18, 18, 38, 26, 50]
    doc.paragraph("登记权利人（买方）")
    doc.table(headers, _people_rows(parties["buyers"]), widths)
    doc.paragraph("登记义务人（卖方）")
    doc.table(headers, _people_rows(parties["sellers"]), widths)
    if application.business == "loan-sale":
        bank = application.bank
        doc.paragraph("抵押权人（贷款银行）")
        doc.table(["名称", "办理网点", "网点代码"], [[bank["bank_name"], bank["branch_name"], bank["branch"]]], [40, 60, 40])
    doc.heading("二、不动产情况")
    doc.key_values([("坐落", unit["location"]), ("不动产单元号", format_unit_number(application.unit_number)),
                    ("不动产类型", "房屋"), ("面积", f"{unit['area_m2']} 平方米"), ("用途", unit.get("purpose", "住宅")),
                    ("原不动产权证书号", unit["certificate_number"])])
    doc.heading("三、登记原因及证明")
    doc.paragraph("登记原因：买卖。证明材料：1.不动产登记申请书；2.申请人身份证明；3.原不动产权证书；"
                  "4.存量房买卖合同；5.完税凭证；6.询问笔录及其他材料。")
    doc.key_values([("共有方式", _holding_text(parties)), ("申请证书版式", "单一版"),
                    ("申请分别持证", "是" if holding.get("separate_certificates") else "否"),
                    ("持证人", "、".join(holding.get("holders") or []))])
    if application.business == "loan-sale":
        doc.heading("四、抵押情况（抵押权首次登记）")
        doc.key_values(_mortgage_terms(application))
        doc.heading("五、申请人声明")
    else:
        doc.heading("四、申请人声明")
    doc.paragraph("本申请人对填写的上述内容及提交的申请材料的真实性负责。如有不实，申请人愿承担法律责任。")


def _yuan(amount: str) -> str:
    return f"人民币{Decimal(amount):,.2f}元（{amount_in_chinese(Decimal(amount))}）"


def sale_contract(application: Application, doc, facts: Facts) -> None:
    """存量房买卖合同 in the chapters of the national model (住建部、市场监管总局 示范文本), DOMAIN §1.3."""
    parties, contract = application.parties, application.contract
    price = Decimal(contract["price"])
    doc.key_values([("网签备案编号", contract.get("filing_number") or filing_number(application.application_id)),
                    ("签订日期", date_in_chinese(contract.get("dated_on") or application.updated_at)),
                    ("签订地点", contract.get("signing_place") or "山西省阳泉市"),
                    ("签订方式", "网上签订（互联网+不动产登记平台，电子签名）")])
    doc.paragraph("出卖人和买受人根据《中华人民共和国民法典》《中华人民共和国城市房地产管理法》及其他有关法律、法规的"
                  "规定，在平等、自愿、公平、协商一致的基础上，就存量房屋买卖事项达成如下协议：")
    doc.heading("第一章 合同当事人")
    headers, widths = ["姓名", "证件号码", "婚姻状况", "联系电话", "地址"], [18, 38, 16, 26, 52]
    for label, side in (("出卖人（卖方）", "sellers"), ("买受人（买方）", "buyers")):
        doc.paragraph(label)
        doc.table(headers, [[p["name"], p["id_number"], MARITAL_STATUSES.get(p["marital_status"], ""), p["phone"],
                             p["address"]] for p in parties[side]], widths)
    house = contract["house"]
    doc.heading("第二章 房屋基本状况")
    doc.key_values([("坐落", house["location"]), ("不动产单元号", format_unit_number(house["unit_number"])),
                    ("不动产权证书号", house["certificate_number"]), ("建筑面积", f"{house['building_area']} 平方米"),
                    ("规划用途", house["purpose"]), ("附属设施", house.get("fixtures") or "无"),
                    ("租赁情况", house.get("lease_status") or "未出租")])
    doc.paragraph("出卖人保证该房屋权属清楚，不存在产权纠纷；除已向买受人书面告知并记载于不动产登记簿的情形外，"
                  "该房屋未设定抵押、未被查封，未设立居住权。")
    doc.heading("第三章 房屋价款")
    doc.key_values([("成交总价（小写）", f"人民币 {contract['price']} 元"), ("成交总价（大写）", contract["price_in_words"]),
                    ("定金", f"人民币 {contract['deposit']} 元"), ("付款方式", contract["payment_method_label"])])
    doc.table(["付款阶段", "金额（元）", "金额（大写）", "付款期限"],
              [[s["stage"], s["amount"], s["amount_in_words"], date_in_chinese(s["due_date"])]
               for s in contract["payment_schedule"]],
              [18, 24, 50, 48], align=["L", "R", "L", "C"])
    loan = contract.get("loan")
    if loan:
        doc.paragraph(f"买受人以贷款方式支付部分房价款：买受人向{loan['branch_name']}申请"
                      f"{loan['loan_type_label']}人民币{loan['amount']}元（{loan['amount_in_words']}），贷款期限"
                      f"{loan['term_months']}个月；首付款人民币{loan['down_payment']}元由买受人自行支付。贷款由贷款银行"
                      "直接划付出卖人；买受人以本房屋为该贷款设定抵押，转移登记与抵押权首次登记一并申请。")
    doc.heading("第四章 房屋转移登记与交付")
    doc.paragraph(f"双方应于{date_in_chinese(contract['registration_deadline'])}前共同申请办理不动产转移登记。"
                  f"出卖人应于{date_in_chinese(contract['delivery_date'])}前将房屋交付买受人。"
                  f"交接事项：{contract['handover']}。")
    doc.paragraph(f"税费承担：{contract['taxes_borne_by_label']}。房屋交付前发生的物业服务费、水、电、燃气、供暖等费用由"
                  "出卖人承担，交付后发生的由买受人承担。")
    doc.heading("第五章 房屋交易方式及合同网签备案")
    doc.paragraph("本合同由买卖双方通过阳泉市“互联网+不动产登记”平台在线订立，以电子签名签署。合同订立后由平台"
                  f"办理网签备案，网签备案编号为{contract.get('filing_number') or filing_number(application.application_id)}；"
                  "备案后合同内容需要变更的，双方应重新签署并办理备案变更。")
    doc.heading("第六章 违约责任")
    breach = contract.get("breach") or breach_terms(price)  # contracts saved before the terms were recorded
    rate = _per_ten_thousand(Decimal(breach["late_daily_rate"]))
    days, penalty = breach["termination_after_days"], _yuan(breach["termination_penalty"])
    doc.paragraph(f"1.逾期付款：买受人未按约定期限付款的，每逾期一日，按逾期应付款的{rate}向出卖人支付违约金；"
                  f"逾期超过{days}日的，出卖人有权解除合同，买受人应按成交总价的百分之二十即{penalty}向出卖人支付违约金。")
    doc.paragraph(f"2.逾期交房：出卖人未按约定期限交付房屋的，每逾期一日，按成交总价的{rate}向买受人支付违约金；"
                  f"逾期超过{days}日的，买受人有权解除合同，出卖人应退还已付房款并按成交总价的百分之二十即{penalty}"
                  "向买受人支付违约金。")
    doc.paragraph("3.不能办理转移登记：因一方原因致使房屋不能在约定期限内办理转移登记的，守约方有权解除合同，"
                  f"违约方应按成交总价的百分之二十即{penalty}支付违约金；因房屋权属瑕疵致使买受人不能取得房屋"
                  "所有权的，出卖人还应赔偿买受人的损失。")
    if Decimal(contract["deposit"]) > 0:
        doc.paragraph("4.定金：给付定金的一方不履行债务或者履行债务不符合约定，致使不能实现合同目的的，无权请求返还定金；"
                      "收受定金的一方不履行债务或者履行债务不符合约定，致使不能实现合同目的的，应当双倍返还定金"
                      "（《中华人民共和国民法典》第五百八十七条）。定金与违约金不并用，守约方可以选择适用。")
    doc.heading("第七章 争议解决")
    doc.paragraph(f"因本合同发生的争议，由双方协商解决；协商不成的，{contract['dispute_resolution']['text']}。")
    doc.heading("第八章 其他事项")
    doc.paragraph("本合同经买卖双方电子签名后生效，电子签名与手写签名具有同等法律效力（《中华人民共和国电子签名法》"
                  "第十四条）。本合同电子文本由平台保存，买卖双方及登记机构各持有经核验的电子文本，具有同等效力。")


def _per_ten_thousand(rate: Decimal) -> str:
    """0.0005 → 万分之五 (the way contracts state a daily penalty)."""
    parts = rate * 10000
    if parts == parts.to_integral_value() and 0 < parts < 10:
        return "万分之" + "〇一二三四五六七八九"[int(parts)]
    return f"{rate * 100}%"


def inquiry_record(application: Application, doc, facts: Facts) -> None:
    inquiry = application.inquiry
    doc.key_values([("申请编号", application.application_id), ("不动产坐落", application.unit["location"]),
                    ("不动产单元号", format_unit_number(application.unit_number)),
                    ("询问人", f"{REGISTRATION_CENTRE}（{facts.outlet_name}）"),
                    ("记录人", f"{REGISTRATION_CENTRE}（网上询问系统记录）"),
                    ("询问方式", "网上询问，被询问人本人逐项作答")]
                   + ([("询问时间", _shanghai(inquiry["recorded_at"]) + "（北京时间）")]
                      if inquiry.get("recorded_at") else []))
    for respondent in inquiry["respondents"]:
        doc.heading(f"被询问人：{respondent['name']}{role_in_brackets(respondent['role'])}")
        for number, qa in enumerate(respondent["answers"], start=1):
            doc.paragraph(f"问{number}：{qa['question']}")
            doc.paragraph(f"答：{qa['answer']}")
        doc.note(f"以上为{respondent['name']}本人的回答。")
    doc.note("以上询问内容经被询问人确认无误，被询问人对回答的真实性负责。")


def _loan_end(loan: dict) -> str:
    return date_in_chinese(loan["ends_on"]) if loan.get("ends_on") else "借款合同约定之日"


def _mortgage_terms(application: Application) -> list[tuple[str, str]]:
    loan = application.loan
    return [("抵押方式", "一般抵押"),
            ("被担保债权数额", f"人民币 {loan['amount']} 元（{amount_in_chinese(loan['amount'])}）"),
            ("债务履行期限", f"{loan['term_months']}个月，至{_loan_end(loan)}止"),
            ("禁止转让约定", "约定未经抵押权人同意不得转让抵押不动产" if loan.get("transfer_banned") else "无"),
            ("抵押合同编号", loan["contract_number"])]


def mortgage_contract(application: Application, doc, facts: Facts) -> None:
    """抵押合同: the buyers (抵押人, who borrow) mortgage the unit they buy to the bank (抵押权人)."""
    parties, unit, bank, loan = application.parties, application.unit, application.bank, application.loan
    doc.key_values([("合同编号", loan["contract_number"]), ("申请编号", application.application_id)])
    doc.heading("第一条 合同当事人")
    doc.paragraph("抵押人（借款人、买受人）")
    doc.table(["姓名", "证件种类", "证件号码", "联系电话", "通讯地址"], _people_rows(parties["buyers"]),
              [18, 18, 38, 26, 50])
    doc.paragraph(f"抵押权人（贷款人）：{bank['branch_name']}（{bank['bank_name']}）")
    doc.heading("第二条 被担保的主债权")
    doc.paragraph(f"抵押人向抵押权人借款人民币{loan['amount']}元（{amount_in_chinese(loan['amount'])}），用于购买下列"
                  f"房屋，借款期限{loan['term_months']}个月，债务履行期限至{_loan_end(loan)}届满。"
                  "抵押担保的范围包括主债权及其利息、违约金、损害赔偿金和实现抵押权的费用。")
    doc.heading("第三条 抵押财产")
    doc.key_values([("坐落", unit["location"]), ("不动产单元号", format_unit_number(application.unit_number)),
                    ("建筑面积", f"{unit['area_m2']} 平方米"), ("用途", unit.get("purpose", "住宅")),
                    ("权属", "抵押人通过本次买卖取得，转移登记完成后的不动产权证书所记载的房屋")])
    doc.heading("第四条 抵押登记")
    doc.paragraph("双方同意在申请该房屋转移登记的同时申请抵押权首次登记。抵押权自登记时设立，登记机构向抵押权人"
                  "核发不动产登记证明。")
    doc.heading("第五条 抵押财产的转让")
    doc.paragraph("抵押期间，未经抵押权人书面同意，抵押人不得转让抵押财产。" if loan.get("transfer_banned") else
                  "抵押期间，抵押人可以转让抵押财产，但应当及时通知抵押权人；转让所得价款应优先用于清偿本合同担保的债务"
                  "（《中华人民共和国民法典》第四百零六条）。")
    doc.heading("第六条 其他")
    doc.paragraph("本合同经抵押人电子签名、抵押权人加盖电子印章后生效，电子签名、电子印章与手写签名、实物印章具有同等"
                  "法律效力（《中华人民共和国电子签名法》第十四条）。")


BUILDERS = {"application_form": application_form, "sale_contract": sale_contract, "inquiry_record": inquiry_record,
            "mortgage_contract": mortgage_contract}


def _render(doc_type: str, application: Application, version: int, rendered: dict, facts: Facts | None = None):
    """The render callback for issue(); it notes the page count in `rendered` (the signing page proves
    a party saw the last page)."""
    facts = facts or facts_of(application)

    def render(verification) -> bytes:
        from estate.documents.pdf import ChineseDocument  # fpdf2 is imported only when rendering

        subtitle = f"申请编号 {application.application_id} · 文件版本 {version}"
        doc = ChineseDocument(TITLES[doc_type], verification=verification, subtitle=subtitle,
                              created_at=clock.now())
        BUILDERS[doc_type](application, doc, facts)
        doc.note("本文件待抵押人签署、抵押权人盖章后生效。" if doc_type == "mortgage_contract" else
                 "本文件待全部申请人签署后生效。")
        pdf = doc.output()
        rendered["pages"] = doc.pdf.pages_count
        return pdf
    return render


DRAFT_MARK = "草稿"


def render_draft_contract(application: Application) -> tuple[bytes, int]:
    """The sale contract as saved, laid out as it will be signed, before signing starts: not issued (no
    verification code, nothing stored or registered), 草稿 across every page. (pdf, pages)."""
    from estate.documents.pdf import ChineseDocument  # fpdf2 is imported only when rendering

    doc = ChineseDocument(TITLES["sale_contract"], subtitle=f"申请编号 {application.application_id} · 草稿，仅供核对",
                          created_at=clock.now(), watermark=DRAFT_MARK)
    sale_contract(application, doc, facts_of(application))
    doc.note("本文件为合同草稿，仅供买卖双方核对，不作为合同文本使用；询问笔录保存后生成正式文本，全部当事人签署后生效。")
    return doc.output(), doc.pdf.pages_count


def render_application_documents(application: Application, version: int) -> dict:
    """Issue the signing documents of this version and record them on the application."""
    documents = dict(application.documents or {})
    facts = facts_of(application)
    for doc_type in documents_of(application.business):
        title = TITLES[doc_type]
        if (documents.get(doc_type) or {}).get("version") == version:
            continue  # a retried task: already issued for this version
        rendered: dict = {}
        record = issue(doc_type, title, _render(doc_type, application, version, rendered, facts),
                       subject=application.application_id,
                       key_prefix=f"applications/{application.application_id}/v{version}")
        documents[doc_type] = {"key": record.object_key, "sha256": record.sha256, "code": record.code,
                               "version": version, "pages": rendered["pages"]}
    update_fields(application, [Application.documents.set(documents)])
    return documents


def _signature_image(key: str) -> bytes:
    return read_object(get_settings().documents_bucket, key)


def _signature_block(doc, signatures: list, images: dict[str, bytes]) -> None:
    pdf = doc.pdf
    if pdf.get_y() > pdf.h - 80:  # the heading goes with the first signature
        pdf.add_page()
    doc.heading("签署")
    for signer in signatures:
        if pdf.get_y() > pdf.h - 80:
            pdf.add_page()
        if signer.role == BANK:
            doc.paragraph(f"{ROLE_LABELS[BANK]}：{signer.name}    盖章时间：{_shanghai(signer.signed_at)}    "
                          f"经办人：{signer.sealed_by}")
            doc.e_seal(signer.name)
            continue
        doc.paragraph(f"{ROLE_LABELS[signer.role]}：{signer.name}    签署时间：{_shanghai(signer.signed_at)}    "
                      f"人脸识别记录：{signer.face_check_id}")
        pdf.image(io.BytesIO(images[signer.signature_key]), w=50, h=20)
        pdf.ln(2)


def _audit_page(doc, application: Application, version: int, signatures: list, originals: dict) -> None:
    doc.pdf.add_page()
    doc.heading("签署审计记录")
    doc.key_values([("申请编号", application.application_id), ("文件版本", str(version))] +
                   [(f"{TITLES[d]}（签署前）SHA-256", originals[d]["sha256"])
                    for d in documents_of(application.business)])
    doc.table(["签署人", "角色", "签署时间", "设备", "人脸识别", "签名图片SHA-256"],
              [[s.name, ROLE_LABELS[s.role][:2], _shanghai(s.signed_at),
                (s.device or (f"电子印章（{s.sealed_by}）" if s.role == BANK else ""))[:40], s.face_check_id or "",
                (s.signature_sha256 or "")[:16] + "…"] for s in signatures], [16, 10, 28, 46, 28, 30])


def compose_signed_packet(application: Application, version: int, signatures: list) -> dict:
    """Each document again, with every signature and an audit page; originals are kept. Each signature
    image is read once for the packet, not once per document that shows it."""
    originals = application.documents or {}
    images = {s.signature_key: _signature_image(s.signature_key) for s in signatures if s.signature_key}
    packet = {}
    facts = facts_of(application)
    for doc_type in documents_of(application.business):
        title = TITLES[doc_type]
        own = [s for s in signatures if signs(doc_type, s.role)]
        record = issue("signed_packet", f"{title}（已签署）", _with_audit(doc_type, application, version, own,
                                                                       originals, images, facts),
                       subject=application.application_id,
                       key_prefix=f"applications/{application.application_id}/v{version}/signed")
        packet[doc_type] = {"key": record.object_key, "sha256": record.sha256, "code": record.code,
                            "original_sha256": originals.get(doc_type, {}).get("sha256")}
    return packet


def _with_audit(doc_type: str, application: Application, version: int, signatures: list, originals: dict,
                images: dict[str, bytes], facts: Facts):
    def render(verification) -> bytes:
        from estate.documents.pdf import ChineseDocument  # fpdf2 is imported only when rendering

        doc = ChineseDocument(TITLES[doc_type] + "（已签署）", verification=verification,
                              subtitle=f"申请编号 {application.application_id} · 文件版本 {version}",
                              created_at=clock.now())
        BUILDERS[doc_type](application, doc, facts)
        _signature_block(doc, signatures, images)
        _audit_page(doc, application, version, signatures, originals)
        return doc.output()
    return render


def ensure_received_form(application: Application) -> dict:
    """The signed application form with its 收件 block filled (收件编号, 收件人, 收件时间), issued on its
    first request after acceptance; the signatures are those of the signed packet (DOMAIN §1.6: the
    office fills the 收件 block on the form the applicants signed)."""
    if application.received_form:
        return application.received_form
    version = application.document_version
    own = [s for s in signers(application.application_id, version) if signs("application_form", s.role)]
    images = {s.signature_key: _signature_image(s.signature_key) for s in own if s.signature_key}
    record = issue("signed_packet", f"{TITLES['application_form']}（已收件）",
                   _with_audit("application_form", application, version, own, application.documents or {},
                               images, facts_of(application)),
                   subject=application.application_id,
                   key_prefix=f"applications/{application.application_id}/v{version}/received")
    entry = {"key": record.object_key, "sha256": record.sha256, "code": record.code,
             "intake_number": application.office["intake_number"]}
    if not record_received_form(application, entry):
        revoke(record.code, "重复出具，已作废")  # a concurrent request issued one first; keep that one
        application.refresh()
    return application.received_form
