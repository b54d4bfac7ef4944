"""Issue 17 item 6 over the API: the 完税凭证 as the tax bureau's electronic receipt with the registration
fee on its own non-tax receipt, the contract's 网签备案编号 kept across edits, and the application form
opened after acceptance carrying its 收件 block. Text read back from the PDFs (tests/support/pdf.py)."""

from __future__ import annotations

import re

from tests.functional.test_office import clerk
from tests.functional.test_tax_payments import Party, order, pay
from tests.support.pdf import fetch, pdf_text
from local.driver.office import assess_taxes, signed_submitted_sale, write_submitted_application


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_receipt_is_the_districts_tax_receipt_and_the_fee_has_its_own_non_tax_receipt(api, stack, pool):
    from estate.domain.documents import CITY_TAX_BUREAU, division_of, tax_bureau
    from estate.observability import mask_id_number

    case = write_submitted_application(pool)
    assess_taxes(api, case)
    buyer = case["buyers"][0]
    status, created = order(Party(api, stack, buyer), case["id"], "buyer", "all", "alipay", "app")
    assert status == 201, created
    assert {i["tax"] for i in created["items"]} >= {"deed_tax", "registration_fee"}
    assert pay(stack, created["checkout"]).status == 200
    status, receipt = Party(api, stack, buyer).get(f"/tax/receipts/{created['order_id']}")
    assert status == 200, receipt
    pages = pdf_text(fetch(stack, receipt["pdf_url"])).split("\f")
    tax_page, fee_page = flat(pages[0]), flat(pages[1])
    bureau = tax_bureau(division_of(case["unit"]["unit_number"]))
    assert bureau != CITY_TAX_BUREAU  # the district's own bureau
    assert "中华人民共和国税收完税证明" in tax_page and f"税务机关{bureau}" in tax_page
    assert re.search(r"税票号码\d{20}", tax_page)
    assert f"纳税人识别号{mask_id_number(buyer['id_number'])}" in tax_page and buyer["id_number"] not in tax_page
    assert "税务机关（盖章）" in tax_page and "征税专用章" in tax_page
    assert "契税" in tax_page and "不动产登记费" not in tax_page  # the fee is not a tax
    assert "非税收入电子票据" in fee_page and "收款单位阳泉市不动产登记中心" in fee_page
    assert re.search(r"票据号码\d{10}", fee_page) and "不动产登记费（住宅）" in fee_page
    assert "税率" not in fee_page and "契税" not in fee_page
    assert receipt["amount_in_words"] in "".join(pages).replace("\n", "")


def test_the_contract_keeps_its_filing_number_and_the_form_opened_after_acceptance_has_its_intake_block(
        api, stack, pool, as_citizen):
    sale = signed_submitted_sale(stack, pool, as_citizen)
    app_id, initiator = sale["id"], sale["initiator"]
    status, contract = initiator.call("GET", f"/applications/{app_id}/documents/sale_contract")
    assert status == 200 and contract["signed"]
    contract_text = flat(pdf_text(fetch(stack, contract["url"])))
    assert f"网签备案编号YQWQ{app_id[2:]}" in contract_text and "第六章违约责任" in contract_text
    assert re.search(r"签订日期二〇[〇一二三四五六七八九]{2}年", contract_text)

    status, before = initiator.call("GET", f"/applications/{app_id}/documents/application_form")
    assert "收件编号（受理时由登记机构填写）" in flat(pdf_text(fetch(stack, before["url"])))
    office = clerk(api, stack, sale["unit"]["outlet"])
    assert office.post(f"/office/applications/{app_id}/accept").status == 200
    status, after = initiator.call("GET", f"/applications/{app_id}/documents/application_form")
    assert status == 200 and after["signed"] and after["verification_code"] != before["verification_code"]
    text = flat(pdf_text(fetch(stack, after["url"])))
    assert re.search(rf"收件编号SJ{sale['unit']['outlet']}\d{{8}}{app_id[-6:]}", text)
    assert f"收件人{sale['unit']['outlet']}窗口" in text and "（北京时间）" in text
    assert "签署审计记录" in text  # the signed form, signatures and audit page included
    status, again = initiator.call("GET", f"/applications/{app_id}/documents/application_form")
    assert again["verification_code"] == after["verification_code"]  # issued once
    detail = office.get(f"/office/applications/{app_id}").json()
    [form] = [d for d in detail["documents"] if d["doc"] == "application_form"]
    assert form["verification_code"] == after["verification_code"]  # the clerk sees the received form too
    status, original = initiator.call("GET", f"/applications/{app_id}/documents/application_form?version=original")
    assert status == 200 and not original["signed"]


def test_the_filing_number_is_assigned_with_the_first_contract_and_kept_by_every_later_version(pool, as_citizen):
    from local.driver.flows import contract_body, party

    unit = pool.unit("single")
    [seller_person], buyer = pool.owners(unit), pool.citizen()
    seller = as_citizen(seller_person)
    app_id = seller.start(unit, "seller")["id"]
    seller.call("PUT", f"/applications/{app_id}/parties", {
        "sellers": [party(seller_person, "single")], "buyers": [party(buyer, "single")], "holding": {"mode": "single"}})
    status, first = seller.call("PUT", f"/applications/{app_id}/contract", contract_body("380000.00"))
    assert status == 200, first
    assert first["contract"]["filing_number"] == f"YQWQ{app_id[2:]}"
    assert first["contract"]["signing_place"].startswith("山西省") and first["contract"]["breach"]
    status, second = seller.call("PUT", f"/applications/{app_id}/contract", contract_body("390000.00"))
    assert status == 200 and second["contract"]["price"] == "390000.00"
    assert second["contract"]["filing_number"] == first["contract"]["filing_number"]
