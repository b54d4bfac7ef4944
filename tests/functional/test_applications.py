"""Transfer applications end to end through the gateway: the seed guide's steps 3–11 and 17–18."""

from __future__ import annotations

import threading

import pytest

from estate.apply.models import ApplicationList, ApplicationView, FaceCheckAnswer, MaterialDetail, MaterialList
from tests.support.contract import assert_answers
from local.driver.flows import contract_body, declaration_body, inquiry_body, party

REQUIRED_UPLOADS = ("original_certificate", "id_card_seller", "id_card_buyer", "household_register",
                    "marriage_certificate")


def sale_parties(sellers, buyers, shares=("60", "40")):
    return {"sellers": [party(s, "married") for s in sellers], "buyers": [party(b, "married") for b in buyers],
            "holding": {"mode": "shares", "shares": {b["id_number"]: s for b, s in zip(buyers, shares, strict=False)},
                        "separate_certificates": True}}


@pytest.fixture(scope="module")
def joint_sale(pool, as_citizen):
    """Two joint sellers, two buyers by shares, the first seller initiating."""
    unit = pool.unit("joint")
    sellers, buyers = pool.owners(unit), [pool.citizen(), pool.citizen()]
    seller = as_citizen(sellers[0])
    application = seller.start(unit, "seller")
    return {"unit": unit, "sellers": sellers, "buyers": buyers, "initiator": seller, "id": application["id"]}


def test_a_face_check_returns_a_short_lived_id(pool, as_citizen):
    citizen = as_citizen(pool.citizen())
    status, body = citizen.call("POST", "/identity/face-checks", {"session": citizen.liveness()})
    assert status == 201 and body["face_check"].startswith("fc_") and body["expires_at"]
    assert_answers(FaceCheckAnswer, body)


@pytest.mark.parametrize("body, code", [
    ({}, "KEY_REQUIRED"), ({"session": "%%%"}, "KEY_FORMAT"), ({"session": 12}, "KEY_FORMAT"),
])
def test_face_check_bad_input(pool, as_citizen, body, code):
    status, answer = as_citizen(pool.citizen()).call("POST", "/identity/face-checks", body)
    assert status == 400 and answer["details"][0]["code"] == code


def test_full_sale_reaches_inquiry_saved_with_materials_accepted(joint_sale):
    seller, app_id = joint_sale["initiator"], joint_sale["id"]
    sellers, buyers = joint_sale["sellers"], joint_sale["buyers"]
    status, body = seller.call("PUT", f"/applications/{app_id}/parties", sale_parties(sellers, buyers))
    assert status == 200 and body["status"] == "PARTIES_SET", body
    assert_answers(ApplicationView, body)
    status, body = seller.call("PUT", f"/applications/{app_id}/contract", contract_body("520000.00"))
    assert status == 200 and body["contract"]["price_in_words"] == "人民币伍拾贰万元整"
    assert_answers(ApplicationView, body)
    assert body["contract"]["dispute_resolution"]["commission"] == "阳泉仲裁委员会"
    status, body = seller.call("PUT", f"/applications/{app_id}/tax-declaration", declaration_body(sellers, buyers))
    assert status == 200 and body["status"] == "TAX_DECLARED", body
    assert_answers(ApplicationView, body)
    status, body = seller.call("PUT", f"/applications/{app_id}/inquiry", inquiry_body(sellers, buyers))
    # the inquiry saved and signing started in one transaction: the answer shows both
    assert status == 200 and body["status"] == "SIGNING", body
    assert_answers(ApplicationView, body)
    assert [(e["action"], e["status_to"]) for e in body["timeline"][-2:]] == [
        ("inquiry_saved", "INQUIRY_SAVED"), ("signing_started", "SIGNING")]
    for category in REQUIRED_UPLOADS:
        material_id, upload_status, _ = seller.upload(app_id, category)
        assert upload_status == 204
        status, material = seller.call("GET", f"/applications/{app_id}/materials/{material_id}")
        assert status == 200 and material["status"] == "accepted", material
        assert_answers(MaterialDetail, material)
    status, body = seller.call("GET", f"/applications/{app_id}/materials")
    assert status == 200 and assert_answers(MaterialList, body)
    status, body = seller.call("GET", "/applications")
    assert status == 200 and assert_answers(ApplicationList, body)
    status, body = seller.call("GET", f"/applications/{app_id}")
    assert_answers(ApplicationView, body)
    statuses = [e["status_to"] for e in body["timeline"]]
    assert statuses[1:5] == ["PARTIES_SET", "CONTRACT_SAVED", "TAX_DECLARED", "INQUIRY_SAVED"]
    assert statuses[5:] in ([], ["SIGNING"])  # saving the inquiry starts signing
    assert {m["status"] for m in body["materials"]} == {"accepted"}
    # other parties' ID numbers and phones are masked, the caller's own are not
    assert body["parties"]["buyers"][0]["id_number"].count("*") == 8
    assert body["parties"]["sellers"][0]["id_number"] == sellers[0]["id_number"]


def test_the_three_documents_carry_names_unit_number_and_price_in_words(joint_sale, stack):
    from tests.support.pdf import wait_for_documents

    texts = wait_for_documents(stack, joint_sale["initiator"], joint_sale["id"])
    unit_number = joint_sale["unit"]["unit_number"]
    grouped = f"{unit_number[:6]} {unit_number[6:12]} {unit_number[12:19]} {unit_number[19:]}"
    for doc, text in texts.items():
        for person in joint_sale["sellers"] + joint_sale["buyers"]:
            assert person["name"] in text, (doc, person["name"])
    for doc in ("application_form", "sale_contract"):
        assert grouped in texts[doc] or unit_number in texts[doc].replace(" ", ""), doc
    assert "人民币伍拾贰万元整" in texts["sale_contract"]
    assert "阳泉仲裁委员会" in texts["sale_contract"]


def test_every_party_sees_it_in_my_applications(joint_sale, as_citizen):
    for person in joint_sale["sellers"][1:] + joint_sale["buyers"]:
        status, body = as_citizen(person).call("GET", "/applications")
        assert status == 200 and joint_sale["id"] in [a["id"] for a in body["applications"]]


def test_only_the_initiator_edits(joint_sale, as_citizen):
    other_seller = as_citizen(joint_sale["sellers"][1])
    status, body = other_seller.call("PUT", f"/applications/{joint_sale['id']}/contract", contract_body())
    assert status == 403 and body["code"] == "ONLY_INITIATOR"


def test_a_stranger_gets_404_on_every_application_route(joint_sale, pool, as_citizen):
    stranger = as_citizen(pool.citizen())
    app_id = joint_sale["id"]
    # A route with a body model validates the body before it looks the case up: a stranger sends a
    # well-formed body (a malformed one is a 400 that says nothing about the case either).
    calls = [("GET", f"/applications/{app_id}", None),
             ("PUT", f"/applications/{app_id}/parties", sale_parties(joint_sale["sellers"], joint_sale["buyers"])),
             ("PUT", f"/applications/{app_id}/contract", contract_body()),
             ("PUT", f"/applications/{app_id}/tax-declaration", declaration_body(joint_sale["sellers"], joint_sale["buyers"])),
             ("PUT", f"/applications/{app_id}/inquiry", inquiry_body(joint_sale["sellers"], joint_sale["buyers"])),
             ("POST", f"/applications/{app_id}/materials", {"category": "original_certificate"}),
             ("GET", f"/applications/{app_id}/materials", None), ("GET", f"/applications/{app_id}/materials/m_x", None),
             ("DELETE", f"/applications/{app_id}/materials/m_x", None), ("POST", f"/applications/{app_id}/submit", {}),
             ("POST", f"/applications/{app_id}/withdraw", {}), ("POST", f"/applications/{app_id}/bank-push", {"bank": "ICBC", "branch": "ICBC-YQ-KQ"})]
    for method, path, body in calls:
        status, answer = stranger.call(method, path, body)
        assert status == 404 and answer["code"] == "APPLICATION_NOT_FOUND", (method, path, answer)


def test_submit_lists_every_missing_item_then_succeeds(pool, as_citizen):
    unit = pool.unit("single")
    [seller_person], buyer = pool.owners(unit), pool.citizen()
    seller = as_citizen(seller_person)
    app_id = seller.start(unit, "seller")["id"]
    status, body = seller.call("POST", f"/applications/{app_id}/submit", {})
    assert status == 409 and body["code"] == "WRONG_STATE"
    seller.call("PUT", f"/applications/{app_id}/parties", {
        "sellers": [party(seller_person, "single")], "buyers": [party(buyer, "single")],
        "holding": {"mode": "single"}})
    seller.call("PUT", f"/applications/{app_id}/contract", contract_body("380000.00"))
    seller.call("PUT", f"/applications/{app_id}/tax-declaration", declaration_body([seller_person], [buyer]))
    seller.call("PUT", f"/applications/{app_id}/inquiry", inquiry_body([seller_person], [buyer]))
    status, body = seller.call("POST", f"/applications/{app_id}/submit", {})
    assert status == 400 and body["code"] == "APPLICATION_INCOMPLETE"
    missing = {d["field"] for d in body["details"] if d["code"] == "MATERIAL_MISSING"}
    assert missing == {"materials.original_certificate", "materials.id_card_seller", "materials.id_card_buyer",
                       "materials.household_register"}  # nobody married: no marriage certificate
    for category in ("original_certificate", "id_card_seller", "id_card_buyer", "household_register"):
        seller.upload(app_id, category)
    status, body = seller.call("POST", f"/applications/{app_id}/submit", {}, headers={"Idempotency-Key": "submit-1-abc"})
    if status == 400:  # another capability (signing) may add its own requirement
        assert all(d["code"] != "MATERIAL_MISSING" for d in body["details"]), body
    else:
        assert status == 200 and body["status"] == "SUBMITTED"


def test_steps_out_of_order_name_the_expected_state(pool, as_citizen):
    unit = pool.unit("single")
    seller = as_citizen(pool.owners(unit)[0])
    app_id = seller.start(unit, "seller")["id"]
    status, body = seller.call("PUT", f"/applications/{app_id}/contract", contract_body())
    assert status == 409 and body["code"] == "STEP_OUT_OF_ORDER"
    assert body["status"] == "DRAFT" and "PARTIES_SET" in body["expected"]


@pytest.fixture(scope="module")
def draft(pool, as_citizen):
    unit = pool.unit("single")
    [seller_person] = pool.owners(unit)
    seller = as_citizen(seller_person)
    return {"unit": unit, "seller": seller_person, "client": seller, "id": seller.start(unit, "seller")["id"]}


def parties_with(draft, buyers, holding):
    return {"sellers": [party(draft["seller"], "single")], "buyers": buyers, "holding": holding}


def test_three_buyers_are_refused(draft, pool):
    buyers = [party(pool.citizen()) for _ in range(3)]
    status, body = draft["client"].call("PUT", f"/applications/{draft['id']}/parties",
                                        parties_with(draft, buyers, {"mode": "joint"}))
    assert status == 400 and "TOO_MANY_BUYERS" in [d["code"] for d in body["details"]]


def test_shares_must_sum_to_exactly_100(draft, pool):
    buyers = [party(pool.citizen()), party(pool.citizen())]
    holding = {"mode": "shares", "shares": {buyers[0]["id_number"]: "60", buyers[1]["id_number"]: "39"}}
    status, body = draft["client"].call("PUT", f"/applications/{draft['id']}/parties",
                                        parties_with(draft, buyers, holding))
    assert status == 400 and "SHARES_NOT_100" in [d["code"] for d in body["details"]]


def test_a_seller_who_is_not_an_owner_is_refused(draft, pool):
    impostor = pool.citizen()
    body = {"sellers": [party(impostor)], "buyers": [party(pool.citizen())], "holding": {"mode": "single"}}
    status, answer = draft["client"].call("PUT", f"/applications/{draft['id']}/parties", body)
    assert status == 400 and "SELLER_NOT_OWNER" in [d["code"] for d in answer["details"]]


def test_a_company_cannot_buy(draft):
    company = {"name": "阳泉某某有限公司", "id_number": "91140300MA0K3X7Q2B", "phone": "13812345678",
               "address": "阳泉市", "marital_status": "single"}
    status, body = draft["client"].call("PUT", f"/applications/{draft['id']}/parties",
                                        parties_with(draft, [company], {"mode": "single"}))
    assert status == 400
    assert {"field": "buyers[0].id_number", "code": "NOT_INDIVIDUAL"} in [
        {k: d[k] for k in ("field", "code")} for d in body["details"]]


def test_bad_parties_change_nothing(draft, as_citizen):
    status, body = draft["client"].call("GET", f"/applications/{draft['id']}")
    assert body["status"] == "DRAFT" and body["parties"] is None


def test_concurrent_starts_on_one_unit_let_exactly_one_win(pool, as_citizen):
    unit = pool.unit("shares")
    owners = pool.owners(unit)
    clients = [as_citizen(owners[0]), as_citizen(owners[1])] * 3
    checks = [c.face_check() for c in clients]
    results = []

    def start(client, check):
        results.append(client.call("POST", "/applications", {
            "business": "sale", "role": "seller", "outlet": unit["outlet"], "unit": unit["unit_number"],
            "face_check": check, "notice_accepted": True}))

    threads = [threading.Thread(target=start, args=pair) for pair in zip(clients, checks, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 1, results
    assert all(body["code"] == "UNIT_LOCKED" for status, body in results if status == 409), results
    assert statuses.count(409) == 5


def test_a_face_check_is_bound_to_its_person_and_used_once(pool, as_citizen):
    unit, other_unit = pool.unit("single"), pool.unit("single")
    owner = as_citizen(pool.owners(unit)[0])
    stranger = as_citizen(pool.citizen())
    check = stranger.face_check()
    request = {"business": "sale", "role": "seller", "outlet": unit["outlet"], "unit": unit["unit_number"],
               "face_check": check, "notice_accepted": True}
    status, body = owner.call("POST", "/applications", request)
    assert status == 403 and body["code"] == "FACE_CHECK_NOT_YOURS"
    own_check = owner.face_check()
    assert owner.call("POST", "/applications", {**request, "face_check": own_check})[0] == 201
    other_owner = as_citizen(pool.owners(other_unit)[0])
    status, body = other_owner.call("POST", "/applications", {
        **request, "outlet": other_unit["outlet"], "unit": other_unit["unit_number"], "face_check": own_check})
    assert status == 403  # still not theirs


def test_start_refuses_non_owner_sellers_and_ineligible_units(pool, as_citizen, register):
    unit = pool.unit("single")
    stranger = as_citizen(pool.citizen())
    status, body = stranger.call("POST", "/applications", {
        "business": "sale", "role": "seller", "outlet": unit["outlet"], "unit": unit["unit_number"],
        "face_check": stranger.face_check(), "notice_accepted": True})
    assert status == 403 and body["code"] == "NOT_AN_OWNER"
    seized = pool.unit("seized")
    owner = as_citizen(pool.owners(seized)[0])
    status, body = owner.call("POST", "/applications", {
        "business": "sale", "role": "seller", "outlet": seized["outlet"], "unit": seized["unit_number"],
        "face_check": owner.face_check(), "notice_accepted": True})
    assert status == 409 and body["code"] == "UNIT_NOT_ELIGIBLE" and body["blockers"][0]["code"] == "SEIZED"


@pytest.mark.parametrize("change, field", [
    ({"business": "gift"}, "business"), ({"role": "agent"}, "role"), ({"outlet": "999999"}, "outlet"),
    ({"unit": "123"}, "unit"), ({"notice_accepted": False}, "notice_accepted"), ({"face_check": ""}, "face_check"),
])
def test_start_bad_input(pool, as_citizen, change, field):
    unit = pool.unit("single") if field == "business" else next(iter(pool.register["units"]))
    client = as_citizen(pool.citizen())
    request = {"business": "sale", "role": "buyer", "outlet": unit["outlet"], "unit": unit["unit_number"],
               "face_check": "fc_x", "notice_accepted": True, **change}
    status, body = client.call("POST", "/applications", request)
    assert status == 400 and field in [d["field"] for d in body["details"]]


def test_withdraw_releases_the_unit_and_twice_is_409(pool, as_citizen):
    unit = pool.unit("single")
    seller = as_citizen(pool.owners(unit)[0])
    app_id = seller.start(unit, "seller")["id"]
    status, body = seller.call("POST", f"/applications/{app_id}/withdraw", {"reason": "买方放弃购买"})
    assert status == 200 and body["status"] == "WITHDRAWN"
    # The answer is what a fresh read returns: the withdrawal is on the timeline it carries.
    assert body["timeline"] == seller.call("GET", f"/applications/{app_id}")[1]["timeline"]
    assert body["timeline"][-1]["action"] == "withdrawn"
    status, body = seller.call("POST", f"/applications/{app_id}/withdraw", {})
    assert status == 409 and body["code"] == "WRONG_STATE"
    assert seller.start(unit, "seller")["status"] == "DRAFT"  # the lock is gone


def test_withdraw_takes_an_optional_body_and_validates_one_that_is_sent(pool, as_citizen):
    """No body, or `{}`, withdraws without a reason; a body that is sent is held to its model."""
    unit = pool.unit("single")
    seller = as_citizen(pool.owners(unit)[0])
    app_id = seller.start(unit, "seller")["id"]
    status, body = seller.call("POST", f"/applications/{app_id}/withdraw", {"reason": "长" * 201})
    assert status == 400 and [(d["field"], d["code"]) for d in body["details"]] == [("reason", "TOO_LONG")]
    status, body = seller.call("POST", f"/applications/{app_id}/withdraw", {"reason": 7})
    assert status == 400 and [(d["field"], d["code"]) for d in body["details"]] == [("reason", "NOT_TEXT")]
    status, body = seller.call("POST", f"/applications/{app_id}/withdraw", raw=b"[]")
    assert status == 400 and body["code"] == "MALFORMED_JSON"
    status, body = seller.call("POST", f"/applications/{app_id}/withdraw")  # no body at all
    assert status == 200 and body["status"] == "WITHDRAWN", body


def test_idempotency_key_replays_the_first_start(pool, as_citizen):
    unit = pool.unit("single")
    seller = as_citizen(pool.owners(unit)[0])
    request = {"business": "sale", "role": "seller", "outlet": unit["outlet"], "unit": unit["unit_number"],
               "face_check": seller.face_check(), "notice_accepted": True}
    first = seller.call("POST", "/applications", request, headers={"Idempotency-Key": "start-once-123"})
    second = seller.call("POST", "/applications", request, headers={"Idempotency-Key": "start-once-123"})
    assert first[0] == 201 and second[0] == 201 and first[1]["id"] == second[1]["id"]
    assert seller.call("POST", "/applications", request, headers={"Idempotency-Key": "bad"})[0] == 400


def test_loan_sale_reaches_pushed_to_bank(pool, as_citizen):
    unit = pool.unit("single", outlet="140302")
    [seller_person], buyer_person = pool.owners(unit), pool.citizen()
    buyer = as_citizen(buyer_person)
    app_id = buyer.start(unit, "buyer", business="loan-sale")["id"]
    status, body = buyer.call("PUT", f"/applications/{app_id}/parties", {
        "sellers": [party(seller_person, "single")], "buyers": [party(buyer_person, "single")],
        "holding": {"mode": "single"}})
    assert status == 200, body
    status, body = buyer.call("PUT", f"/applications/{app_id}/contract", contract_body())
    assert status == 409 and body["code"] == "BANK_CONTINUES"
    status, banks = buyer.call("GET", "/banks?outlet=140302")
    assert status == 200 and all(br["outlet"] == "140302" for b in banks["banks"] for br in b["branches"])
    status, body = buyer.call("POST", f"/applications/{app_id}/bank-push", {"bank": "YQCCB", "branch": "YQCCB-KQ"})
    assert status == 400 and body["details"][0]["code"] == "BRANCH_NOT_IN_OUTLET"
    status, body = buyer.call("POST", f"/applications/{app_id}/bank-push", {"bank": "CCB", "branch": "CCB-YQ-CQ"})
    assert status == 200 and body["status"] == "PUSHED_TO_BANK" and body["bank"]["branch"] == "CCB-YQ-CQ"


def test_the_test_pool_writes_fresh_single_units_once_the_seeded_ones_are_used(register, as_citizen):
    """Suites outgrow the seed's 40 single-owner units and 130 people; the pool then writes new ones."""
    from local.driver.api import PeoplePool
    from local.driver.signing import prepare_sale

    pool = PeoplePool(register)
    pool.used_units.update(u["unit_number"] for u in register["units"] if u["scenario"] == "single")
    pool.used_people.update(p["id_number"] for p in register["people"])  # nobody another test signs with
    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    assert sale["unit"]["unit_number"][12:15] == "GB9"
    assert all(p["name"].startswith("测试") for p in sale["people"])  # seller and buyer from outside the seed
    status, body = sale["initiator"].call("GET", f"/applications/{sale['id']}")
    assert status == 200 and body["status"] in ("INQUIRY_SAVED", "SIGNING"), body


def test_a_person_one_pool_wrote_is_never_handed_out_by_another(register):
    """Two pools over the session's register (a test's own pool beside the shared one): once the seed's
    citizens are used up, the person one pool writes is its own — the other pool writing its own too,
    not reusing them (it would read the signing links the first pool's sale sent to that phone)."""
    from local.driver.api import PeoplePool

    known = {p["id_number"] for p in register["people"]}
    first, second = PeoplePool(register), PeoplePool(register)
    for pool in (first, second):
        pool.used_people.update(known)
    written = first.citizen()
    assert written["id_number"] not in known
    assert second.citizen()["id_number"] != written["id_number"]
