"""The bank desk continues a pushed loan sale (issue 7): the loan officer fills the contract, the tax
declaration and the inquiry record with the cash sale's own use-cases, every buyer and seller signs
through their SMS link, the bank seals as mortgagee (抵押权人), the officer submits; the clerk
accepts, the parties pay the taxes assessed from the declaration (→ TAX_PAID), the clerk approves
(transfer + 抵押权首次登记 with a 不动产登记证明) and hands over. Plus each refusal of the bank desk."""

from __future__ import annotations

import re
import threading

import pytest

from tests.functional.test_office import PROOF_NUMBER, TITLE_NUMBER, clerk, pay_everything
from tests.functional.test_tax_payments import Party
from local.driver.flows import Citizen, contract_body, declaration_body, inquiry_body, multipart, image_bytes, party
from local.driver.office import assess_taxes, fresh_people, mark_taxes_paid, write_submitted_application
from local.driver.signing import gateway_request, tokens_for, wait_until

BRANCH, OTHER_BRANCH, OUTLET = "ICBC-YQ-KQ", "YQCCB-KQ", "140303"
LOAN = {"amount": "400000", "term_months": 240, "loan_type": "commercial",
        "mortgage": {"ends_on": "2046-11-30", "transfer_banned": True, "contract_number": "ICBC-KQ-DY-2026-0007"}}
BANK_MATERIALS = ("loan_contract", "bank_license", "bank_agent_authorization")
CITIZEN_MATERIALS = ("original_certificate", "id_card_seller", "id_card_buyer", "household_register",
                     "marriage_certificate")


def officer_upload(stack, officer, application_id: str, category: str) -> None:
    """The officer uploads like the app: ask for a presigned form, then post the image to storage."""
    response = officer.post(f"/bank/applications/{application_id}/materials", {"category": category})
    assert response.status == 201, response.text
    upload = response.json()["upload"]
    form, form_type = multipart(upload["fields"], image_bytes())
    status, body = gateway_request(stack)("POST", upload["url"][upload["url"].index("/_s3/"):],
                                          {"Content-Type": form_type}, form)
    assert status in (200, 201, 204), body


@pytest.fixture
def pushed(stack, pool):
    """A buyer starts a loan sale for two fresh buyers (joint), fills the parties, uploads the
    citizens' materials and pushes it to the ICBC branch of 矿区."""
    unit = pool.unit("single", outlet=OUTLET)
    sellers, buyers = pool.owners(unit), fresh_people(2)
    request = gateway_request(stack)
    citizen = Citizen(request, stack.issuer.citizen_token(buyers[0]["id_number"], buyers[0]["name"]))
    app_id = citizen.start(unit, "buyer", business="loan-sale")["id"]
    status, body = citizen.call("PUT", f"/applications/{app_id}/parties", {
        "sellers": [party(s, "married") for s in sellers], "buyers": [party(b, "married") for b in buyers],
        "holding": {"mode": "joint", "separate_certificates": False}})
    assert status == 200, body
    for category in CITIZEN_MATERIALS:
        citizen.upload(app_id, category)
    status, body = citizen.call("POST", f"/applications/{app_id}/bank-push", {"bank": "ICBC", "branch": BRANCH})
    assert status == 200 and body["status"] == "PUSHED_TO_BANK", body
    return {"id": app_id, "unit": unit, "sellers": sellers, "buyers": buyers, "citizen": citizen}


@pytest.fixture
def held_rendering(monkeypatch):
    """Hold the signing run's rendering step until released (to seal "before the documents exist")."""
    from estate.signing import workflow

    release, original = threading.Event(), workflow.render_documents

    def render_when_released(event):
        release.wait(30)
        return original(event)

    monkeypatch.setattr(workflow, "render_documents", render_when_released)
    yield release
    release.set()


def test_the_bank_desk_takes_a_loan_sale_from_push_to_completion(api, stack, pushed, held_rendering):
    from estate.store.register import Certificate, get_unit
    from local.driver.calls import recorded_calls
    from local.driver.flows import sign_through_link
    from tests.support.pdf import wait_for_documents

    app_id, citizen, sellers, buyers = pushed["id"], pushed["citizen"], pushed["sellers"], pushed["buyers"]
    officer = api.as_token(stack.issuer.bank_token(BRANCH, "工行矿区信贷员"))
    path = f"/bank/applications/{app_id}"

    # The loan, then the contract (the loan goes into its price-and-payment part), declaration, inquiry.
    assert officer.request("PUT", f"{path}/loan", LOAN).status == 200
    cash_terms = officer.request("PUT", f"{path}/contract", contract_body("600000.00"))
    assert cash_terms.status == 400 and cash_terms.json()["details"][0]["code"] == "LOAN_SALE_PAYS_BY_LOAN"
    contract = officer.request("PUT", f"{path}/contract", {**contract_body("600000.00"), "payment_method": "loan"})
    assert contract.status == 200, contract.text
    assert contract.json()["status"] == "CONTRACT_SAVED"
    assert contract.json()["contract"]["loan"] == {
        "bank_name": "中国工商银行", "branch_name": "中国工商银行阳泉矿区支行", "loan_type": "commercial",
        "loan_type_label": "商业贷款", "amount": "400000.00", "amount_in_words": "人民币肆拾万元整",
        "term_months": 240, "down_payment": "200000.00"}
    declared = officer.request("PUT", f"{path}/tax-declaration", declaration_body(sellers, buyers))
    assert declared.status == 200 and declared.json()["status"] == "TAX_DECLARED", declared.text
    early_seal = officer.post(f"{path}/seal")
    assert early_seal.status == 409 and early_seal.json()["code"] == "NOT_SIGNING"
    for category in BANK_MATERIALS:
        officer_upload(stack, officer, app_id, category)
    inquiry = officer.request("PUT", f"{path}/inquiry", inquiry_body(sellers, buyers))
    assert inquiry.status == 200, inquiry.text
    assert [e["actor_role"] for e in inquiry.json()["timeline"] if e["action"] in
            ("loan_saved", "contract_saved", "tax_declared", "inquiry_saved")] == [f"bank:{BRANCH}"] * 4
    wait_until(lambda: officer.get(f"{path}/signing").json()["status"] == "SIGNING")

    # The run is still rendering: no seal on documents that do not exist yet.
    not_ready = officer.post(f"{path}/seal")
    assert not_ready.status == 409 and not_ready.json()["code"] == "DOCUMENTS_NOT_READY", not_ready.text
    held_rendering.set()

    # Every buyer and seller signs through their SMS link; the buyers also open the mortgage contract.
    request = gateway_request(stack)
    for index, person in enumerate(sellers + buyers):
        token = tokens_for(stack, person)[0]
        session = request("GET", f"/sign/{token}/session", {}, b"")[1]
        expected = {"application_form", "sale_contract", "inquiry_record"} | (
            {"mortgage_contract"} if person in buyers else set())
        assert {d["doc"] for d in session["documents"]} == expected
        status, body = sign_through_link(request, token, seed=index)
        assert status == 200, body
    signing = officer.get(f"{path}/signing").json()
    assert [p["status"] for p in signing["parties"] if p["role"] == "bank"] == ["invited"]
    assert not signing["all_signed"] and not signing["packet_ready"]

    # Submitting before the bank's seal names the seal among what is missing.
    early = officer.post(f"{path}/submit")
    assert early.status == 400 and early.json()["code"] == "APPLICATION_INCOMPLETE"
    assert "BANK_SEAL_MISSING" in {d["code"] for d in early.json()["details"]}

    sealed = officer.post(f"{path}/seal")
    assert sealed.status == 200 and sealed.json()["status"] == "signed", sealed.text
    with recorded_calls("states") as calls:
        again = officer.post(f"{path}/seal")
    assert again.status == 409 and again.json()["code"] == "ALREADY_SEALED"
    assert not [name for name, _ in calls if name.startswith("SendTask")]  # the wait is answered once only

    wait_until(lambda: officer.get(f"{path}/signing").json()["packet_ready"])
    extracted = officer.post(f"{path}/signing/extract")
    assert extracted.status == 200, extracted.text
    assert sorted(extracted.json()["extracted"]) == ["application_form", "inquiry_record", "mortgage_contract",
                                                     "sale_contract"]
    texts = wait_for_documents(stack, citizen, app_id, signed=True,
                               docs=("application_form", "sale_contract", "mortgage_contract"))
    flat = {doc: re.sub(r"\s+", "", text) for doc, text in texts.items()}
    assert "抵押权人（贷款银行）" in flat["application_form"] and "中国工商银行阳泉矿区支行" in flat["application_form"]
    assert "电子印章" in flat["application_form"] and "工行矿区信贷员" in flat["application_form"]
    assert "ICBC-KQ-DY-2026-0007" in flat["mortgage_contract"] and "肆拾万元" in flat["mortgage_contract"]
    assert "二〇四六年十一月三十日" in flat["mortgage_contract"] and "未经抵押权人书面同意" in flat["mortgage_contract"]
    assert all(b["name"] in flat["mortgage_contract"] for b in buyers)
    assert not any(s["name"] in flat["mortgage_contract"] for s in sellers)  # the sellers are no party to it
    assert "商业贷款人民币400000.00元" in flat["sale_contract"]

    submitted = officer.post(f"{path}/submit")
    assert submitted.status == 200 and submitted.json()["status"] == "SUBMITTED", submitted.text

    # The clerk accepts; the taxes are assessed from the declaration the officer filled, and paid.
    office = clerk(api, stack, OUTLET)
    assert office.post(f"/office/applications/{app_id}/accept").json()["status"] == "ACCEPTED"
    status, tax = Party(api, stack, buyers[0]).get(f"/applications/{app_id}/tax")
    assert status == 200 and not tax["all_paid"] and tax["items"], tax
    assert tax["transaction_date"] and tax["base"]
    refused = office.post(f"/office/applications/{app_id}/approve")
    assert refused.status == 409 and refused.json()["code"] == "TAXES_NOT_PAID"
    pay_everything(api, stack, app_id, buyers[0], sellers[0])
    detail = office.get(f"/office/applications/{app_id}").json()
    assert detail["status"] == "TAX_PAID" and detail["status_label"] == "已缴税"
    assert [e["action"] for e in detail["timeline"]].count("taxes_paid") == 1

    approved = office.post(f"/office/applications/{app_id}/approve")
    assert approved.status == 200, approved.text
    registration = approved.json()["registration"]
    proof = registration["mortgage_certificate"]
    assert PROOF_NUMBER.match(proof) and TITLE_NUMBER.match(registration["certificates"][0]["certificate_number"])
    unit = get_unit(pushed["unit"]["unit_number"])
    assert [o.id_number for o in unit.right.owners] == [b["id_number"] for b in buyers]
    [mortgage] = [r for r in unit.restrictions if r.document_number == proof]
    assert (mortgage.kind, mortgage.holder, mortgage.amount, mortgage.ends_on, mortgage.transfer_banned) == (
        "mortgage", "中国工商银行", "400000.00", "2046-11-30", True)
    assert Certificate.get(*Certificate.key(proof)).status == "current"
    done = office.post(f"/office/applications/{app_id}/handover")
    assert done.status == 200 and done.json()["status"] == "COMPLETED", done.text
    actions = [e["action"] for e in done.json()["timeline"]]
    assert actions[-5:] == ["submitted", "accepted", "taxes_paid", "approved", "handed_over"], actions


def test_only_the_branch_officer_continues_a_pushed_loan_sale(api, stack, pushed):
    app_id, citizen = pushed["id"], pushed["citizen"]
    path = f"/bank/applications/{app_id}"
    # The citizen can no longer edit it, and cannot use the bank desk.
    status, body = citizen.call("PUT", f"/applications/{app_id}/contract", contract_body("600000.00"))
    assert status == 403 and body["code"] == "BANK_CONTINUES"
    status, body = citizen.call("PUT", f"/applications/{app_id}/inquiry",
                                inquiry_body(pushed["sellers"], pushed["buyers"]))
    assert status == 403 and body["code"] == "BANK_CONTINUES"
    as_citizen_at_desk = api.as_token(citizen.token)
    for method, suffix in (("PUT", "/contract"), ("PUT", "/tax-declaration"), ("PUT", "/inquiry"), ("POST", "/seal"),
                           ("GET", "/signing"), ("POST", "/signing/extract"), ("POST", "/submit"),
                           ("POST", "/materials")):
        response = as_citizen_at_desk.request(method, path + suffix, {} if method != "GET" else None)
        answer = response.json()
        assert response.status == 403 and answer["code"] == "ROLE_REQUIRED", (suffix, response.text)
        assert answer["required_role"] == "bank"
    # An officer of another branch does not even learn it exists.
    stranger = api.as_token(stack.issuer.bank_token(OTHER_BRANCH))
    for method, suffix in (("PUT", "/contract"), ("PUT", "/inquiry"), ("POST", "/seal"), ("GET", "/signing"),
                           ("POST", "/submit"), ("POST", "/materials")):
        body = contract_body("600000.00") if suffix == "/contract" else ({"category": "loan_contract"}
                                                                        if suffix == "/materials" else {})
        response = stranger.request(method, path + suffix, body if method != "GET" else None)
        assert response.status == 404, (suffix, response.text)
    # The officer's contract needs the loan first; the loan must fit in the price.
    officer = api.as_token(stack.issuer.bank_token(BRANCH))
    early = officer.request("PUT", f"{path}/contract", {**contract_body("600000.00"), "payment_method": "loan"})
    assert early.status == 400 and early.json()["details"][0]["field"] == "loan"
    assert officer.request("PUT", f"{path}/loan", {**LOAN, "amount": "590000"}).status == 200
    too_big = officer.request("PUT", f"{path}/contract", {**contract_body("600000.00"), "payment_method": "loan"})
    assert too_big.status == 400 and too_big.json()["details"][0]["code"] == "LOAN_OVER_PRICE"
    bad_type = officer.request("PUT", f"{path}/loan", {**LOAN, "loan_type": "friends"})
    assert bad_type.status == 400 and bad_type.json()["details"][0]["field"] == "loan_type"
    # Parties and the push stay the citizens' steps; the application is unchanged by all of the above.
    seen = officer.get(path).json()
    assert seen["status"] == "PUSHED_TO_BANK" and seen["contract"] is None


def test_taxes_paid_moves_an_accepted_application_once_even_when_notified_twice_at_once(api, stack, pool):
    from estate import events
    from estate.store.applications import load_case
    from estate.tax.settled import record_taxes_paid

    case = write_submitted_application(pool, status="ACCEPTED")
    assess_taxes(api, case)
    assert record_taxes_paid(case["id"]) is False  # nothing paid yet: stays ACCEPTED
    mark_taxes_paid(case["id"])
    results, barrier = [], threading.Barrier(4)

    def notify():
        barrier.wait()
        results.append(record_taxes_paid(case["id"]))

    threads = [threading.Thread(target=notify) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert events.emit("taxes_paid", application_id=case["id"]) == []  # a late replay: no error, no change
    application, timeline, _ = load_case(case["id"])
    assert application.status == "TAX_PAID"
    assert [(e.status_from, e.status_to) for e in timeline if e.action == "taxes_paid"] == [("ACCEPTED", "TAX_PAID")]
    approved = clerk(api, stack, case["outlet"]).post(f"/office/applications/{case['id']}/approve")
    assert approved.status == 200 and approved.json()["status"] == "APPROVED", approved.text


def test_taxes_paid_before_acceptance_move_the_application_on_at_acceptance(api, stack, pool):
    case = write_submitted_application(pool)
    assess_taxes(api, case)
    mark_taxes_paid(case["id"])
    accepted = clerk(api, stack, case["outlet"]).post(f"/office/applications/{case['id']}/accept")
    assert accepted.status == 200 and accepted.json()["status"] == "TAX_PAID", accepted.text
    assert [e["action"] for e in accepted.json()["timeline"]][-2:] == ["accepted", "taxes_paid"]
