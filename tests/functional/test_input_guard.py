"""No input crashes a route (issue 12, items 3 and 5): bounded bodies, sound text, id-shaped keys,
names as on the ID card and as the real-name record holds them. Each case was a 500 or was stored."""

from __future__ import annotations

import json

import pytest

from local.driver.flows import contract_body, new_person_id, party

DEEP = b'{"a":' + b"[" * 5000 + b"]" * 5000 + b"}"


def field_codes(body: dict) -> list[tuple[str, str]]:
    return [(d["field"], d["code"]) for d in body.get("details", [])]


# --- bodies -----------------------------------------------------------------------------------

def test_deep_json_on_the_public_calculator_is_400(api):
    response = api.as_token(None).request("POST", "/tax/estimate", raw=DEEP)
    assert response.status == 400
    body = response.json()
    assert body["code"] == "BODY_INVALID" and body["message"]
    assert field_codes(body) == [("body", "JSON_TOO_DEEP")]


def test_deep_json_on_an_authenticated_route_is_400(pool, as_citizen):
    client = as_citizen(pool.citizen())
    status, body = client.call("POST", "/applications", raw=DEEP)
    assert status == 400 and field_codes(body) == [("body", "JSON_TOO_DEEP")]


def test_brackets_inside_strings_do_not_count_as_depth(api):
    body = {"transaction_date": "2021-04-15", "price": "520000.00", "area_m2": "95.00", "note_ignored": "[" * 100 + '\\"{'}
    response = api.as_token(None).post("/tax/estimate", body)
    assert response.status == 200, response.text


def test_an_oversized_body_is_400_before_parsing(api):
    raw = json.dumps({"price": "1", "padding": "x" * (300 * 1024)}).encode()
    response = api.as_token(None).request("POST", "/tax/estimate", raw=raw)
    assert response.status == 400
    assert response.json()["code"] == "BODY_INVALID"
    assert field_codes(response.json()) == [("body", "BODY_TOO_LARGE")]


def test_a_body_of_countless_tiny_values_is_refused_before_parsing(api):
    raw = b'{"price":"1","x":[' + b'"a",' * 60_000 + b'"a"]}'   # 240 KB: under the size limit
    response = api.as_token(None).request("POST", "/tax/estimate", raw=raw)
    assert response.status == 400 and field_codes(response.json()) == [("body", "BODY_TOO_LARGE")]


def test_a_string_longer_than_any_field_is_refused_with_its_path(api):
    response = api.as_token(None).post("/tax/estimate", {"price": "1", "x": ["ok", "字" * 10001]})
    assert response.status == 400 and field_codes(response.json()) == [("x[1]", "TEXT_TOO_LONG")]


# --- ids --------------------------------------------------------------------------------------

def _start(client, **change) -> tuple[int, dict]:
    body = {"business": "sale", "role": "buyer", "outlet": "140302", "unit": "140302001002GB00001F00010001",
            "face_check": "fc_x", "notice_accepted": True, **change}
    return client.call("POST", "/applications", body)


@pytest.mark.parametrize("outlet, code", [("", "KEY_REQUIRED"), ("   ", "KEY_REQUIRED"), (None, "KEY_REQUIRED"),
                                          ("140302#x", "KEY_FORMAT"), (42, "KEY_FORMAT"),
                                          ("999999", "UNKNOWN_OUTLET")])
def test_start_with_an_empty_or_malformed_outlet_is_a_field_error(pool, as_citizen, outlet, code):
    status, body = _start(as_citizen(pool.citizen()), outlet=outlet)
    assert status == 400 and ("outlet", code) in field_codes(body)


QUERY = {"notice_accepted": True, "scope": "outlet", "purpose": "购房资格审查", "captcha_answer": "1", "face_check": "fc_x"}


@pytest.mark.parametrize("outlet, code", [("", "KEY_REQUIRED"), ("a b", "KEY_FORMAT")])
def test_query_with_an_empty_or_malformed_outlet_is_a_field_error(pool, as_citizen, outlet, code):
    client = as_citizen(pool.citizen())
    status, body = client.call("POST", "/queries", {**QUERY, "outlet": outlet, "captcha_id": ""})
    assert status == 400
    assert ("outlet", code) in field_codes(body) and ("captcha_id", "KEY_REQUIRED") in field_codes(body)


def test_query_with_an_unknown_outlet_is_a_field_error(pool, as_citizen):
    """Whether the outlet is published is checked once the body fits QueryForm, so it comes alone."""
    status, body = as_citizen(pool.citizen()).call("POST", "/queries", {**QUERY, "outlet": "999999", "captcha_id": "c"})
    assert status == 400 and field_codes(body) == [("outlet", "UNKNOWN_OUTLET")]


@pytest.mark.parametrize("path, field, code", [("/bookings/%20", "id", "KEY_REQUIRED"),
                                               ("/applications/a%23b", "id", "KEY_FORMAT"),
                                               ("/outlets/%E2%80%AE140302", "code", "KEY_FORMAT"),
                                               ("/applications/x/materials/m%00", "mid", "KEY_FORMAT")])
def test_malformed_path_ids_are_400_naming_the_parameter(api, stack, pool, path, field, code):
    client = api.as_token(stack.citizen_token(pool.citizen()["id_number"]))
    response = client.get(path)
    assert response.status == 400 and (field, code) in field_codes(response.json())


def test_query_string_control_characters_are_refused(api):
    response = api.as_token(None).get("/booking/slots?outlet=140302&business=sale%E2%80%AE")
    assert response.status == 400 and ("business", "TEXT_CONTROL_CHAR") in field_codes(response.json())


def test_slots_with_an_empty_outlet_are_a_field_error(api):
    response = api.as_token(None).get("/booking/slots?outlet=&business=sale")
    assert response.status == 400 and ("outlet", "KEY_REQUIRED") in field_codes(response.json())


# --- names and text on the application --------------------------------------------------------

@pytest.fixture(scope="module")
def draft(pool, as_citizen):
    unit = pool.unit("single")
    [seller] = pool.owners(unit)
    client = as_citizen(seller)
    return {"seller": seller, "client": client, "id": client.start(unit, "seller")["id"]}


def put_parties(draft, buyer: dict) -> tuple[int, dict]:
    body = {"sellers": [party(draft["seller"], "single")], "buyers": [buyer], "holding": {"mode": "single"}}
    return draft["client"].call("PUT", f"/applications/{draft['id']}/parties", body)


@pytest.mark.parametrize("name, code", [
    ("<img src=x onerror=alert(1)>", "NAME_FORMAT"),
    ("张\u0000三", "TEXT_CONTROL_CHAR"),
    ("张\u202e三", "TEXT_CONTROL_CHAR"),
    ("张三\n", "TEXT_CONTROL_CHAR"),
    ("·张三", "NAME_FORMAT"),
    ("Zhang San", "NAME_FORMAT"),
    ("张", "NAME_LENGTH"),
])
def test_a_buyer_name_not_as_on_an_id_card_is_refused(draft, pool, name, code):
    status, body = put_parties(draft, {**party(pool.citizen()), "name": name})
    assert status == 400 and ("buyers[0].name", code) in field_codes(body)


def test_a_name_not_matching_the_real_name_record_is_refused(draft, pool):
    buyer = pool.citizen()
    status, body = put_parties(draft, {**party(buyer), "name": "张冒名"})
    assert status == 400 and ("buyers[0].name", "NAME_ID_MISMATCH") in field_codes(body)


def test_nothing_was_stored_by_the_refusals(draft):
    status, body = draft["client"].call("GET", f"/applications/{draft['id']}")
    assert status == 200 and body["parties"] is None


def test_a_middle_dot_name_matching_its_record_is_accepted_and_normalised(draft):
    from estate.store.people import Person

    id_number = new_person_id(9901, birth="19850312")
    Person(id_number, name="买买提·艾力", phone="13600009901", address="阳泉市城区测试路9号").save()
    buyer = {"name": "买买提•艾力", "id_number": id_number, "phone": "13600009901", "address": "阳泉市城区测试路9号",
             "marital_status": "single"}   # typed with U+2022, as Chinese phone keyboards offer it
    status, body = put_parties(draft, buyer)
    assert status == 200, body
    assert body["parties"]["buyers"][0]["name"] == "买买提·艾力"


@pytest.mark.parametrize("change, field", [
    ({"handover": "交付钥匙\u0000两把"}, "handover"),
    ({"handover": "交付钥匙\u202e两把"}, "handover"),
    ({"house": {"fixtures": "橱柜", "lease_status": "未出\u2066租"}}, "house.lease_status"),
])
def test_control_characters_in_contract_text_are_refused_with_the_path(draft, change, field):
    status, body = draft["client"].call("PUT", f"/applications/{draft['id']}/contract", {**contract_body(), **change})
    assert status == 400 and (field, "TEXT_CONTROL_CHAR") in field_codes(body)


def test_real_names_are_accepted_and_a_line_break_is_text_in_a_multi_line_field(draft, pool):
    status, body = put_parties(draft, party(pool.citizen()))
    assert status == 200, body
    status, body = draft["client"].call("PUT", f"/applications/{draft['id']}/contract",
                                        {**contract_body(), "handover": "钥匙两把\n水电气表结清"})
    assert status == 200, body


@pytest.mark.parametrize("query, code", [("", "KEY_REQUIRED"), ("?business=", "KEY_REQUIRED"),
                                         ("?business=sale%23x", "KEY_FORMAT")])
def test_the_materials_checklist_needs_a_business_code(api, query, code):
    response = api.as_token(None).get(f"/info/materials{query}")
    assert response.status == 400 and ("business", code) in field_codes(response.json())


# --- a list or an object where a choice is expected (`[] in {...}` raised TypeError: 500) --------

@pytest.mark.parametrize("change, field", [({"business": []}, "business"), ({"business": {}}, "business"),
                                           ({"role": [["buyer"]]}, "role")])
def test_a_container_where_a_choice_belongs_is_a_field_error(pool, as_citizen, change, field):
    status, body = _start(as_citizen(pool.citizen()), **change)
    assert status == 400 and field in [d["field"] for d in body["details"]]


def test_a_container_as_the_query_scope_is_a_field_error(pool, as_citizen):
    status, body = as_citizen(pool.citizen()).call("POST", "/queries", {"scope": {}, "outlet": "140302"})
    assert status == 400 and ("scope", "INVALID_CHOICE") in field_codes(body)


@pytest.mark.parametrize("body, field", [
    ({"amount": 1e308, "term_months": 12, "mortgage": {"contract_number": "DY1"}}, "amount"),
    ({"amount": "100", "term_months": 12, "loan_type": [], "mortgage": {"contract_number": "DY1"}}, "loan_type"),
])
def test_the_bank_desk_loan_refuses_absurd_values_per_field(api, stack, body, field):
    officer = api.as_token(stack.issuer.bank_token("ICBC-YQ-CQ"))
    response = officer.request("PUT", "/bank/applications/YQ20260101AAAAAAAAAA/loan", body)
    assert response.status == 400 and field in [d["field"] for d in response.json()["details"]]


def test_a_return_reason_that_is_not_a_code_is_a_field_error(api, stack):
    clerk = api.as_token(stack.issuer.clerk_token("140302"))
    response = clerk.post("/office/applications/YQ20260101AAAAAAAAAA/return", {"reasons": [{}], "note": "x"})
    assert response.status == 400 and ("reasons[0]", "UNKNOWN_REASON") in field_codes(response.json())
