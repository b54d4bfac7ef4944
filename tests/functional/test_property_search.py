"""POST /properties/search: the seller's unit and everything that blocks an online transfer."""

import json

import pytest

from tests.conftest import unit_of
from estate.apply.models import PropertySearchAnswer
from tests.support.contract import assert_answers


def search_body(unit: dict, owner_index: int = 0, **overrides) -> dict:
    owner = unit["right"]["owners"][owner_index]
    body = {"seller_name": owner["name"], "seller_id_number": owner["id_number"],
            "certificate_number": unit["right"]["certificate_number"], "outlet": unit["outlet"]}
    body.update(overrides)
    return body


@pytest.fixture(scope="module")
def citizen(api, stack, register):
    buyer = next(p for p in register["people"] if p["role"] == "citizen")
    return api.as_token(stack.citizen_token(buyer["id_number"]))


def test_an_eligible_single_owner_unit(citizen, pool):
    unit = pool.unit("single")  # one no application test has locked (the session shares the register)
    response = citizen.post("/properties/search", search_body(unit))
    assert response.status == 200
    assert_answers(PropertySearchAnswer, response.json())
    [found] = response.json()["units"]
    assert found["unit_number"] == unit["unit_number"]
    assert found["eligible"] is True and found["blockers"] == []
    assert found["area_m2"] == unit["building_area"]
    assert found["owners"][0]["name"] == unit["right"]["owners"][0]["name"]
    assert "*" in found["owners"][0]["id_number"]  # never echoed in full


def test_full_width_brackets_and_unit_number_are_accepted(citizen, pool):
    unit = pool.unit("joint")
    cert = unit["right"]["certificate_number"].replace("(", "（").replace(")", "）")
    body = search_body(unit, 1, certificate_number=cert, unit_number=unit["unit_number"].lower())
    [found] = citizen.post("/properties/search", body).json()["units"]
    assert found["holding_mode"] == "joint" and found["holding_mode_label"] == "共同共有"
    assert found["eligible"] is True


@pytest.mark.parametrize("scenario, code", [
    ("seized", "SEIZED"), ("three_owners", "TOO_MANY_OWNERS"), ("mortgage_banned", "MORTGAGE_TRANSFER_BANNED"),
    ("advance_notice", "ADVANCE_NOTICE"), ("legacy", "LEGACY_CERTIFICATE"), ("in_flight", "CASE_IN_PROGRESS"),
    ("affordable", "RESTRICTED_HOUSE_NATURE"), ("commercial", "NOT_RESIDENTIAL"),
])
def test_blocked_units_say_why(citizen, register, scenario, code):
    [found] = citizen.post("/properties/search", search_body(unit_of(register, scenario))).json()["units"]
    assert found["eligible"] is False
    assert code in [b["code"] for b in found["blockers"]]
    assert all(b["message"] for b in found["blockers"])


@pytest.mark.parametrize("scenario, code", [
    ("mortgage_allowed", "MORTGAGED"), ("objection", "OBJECTION"), ("residence_right", "RESIDENCE_RIGHT"),
])
def test_notices_do_not_block(citizen, register, scenario, code):
    [found] = citizen.post("/properties/search", search_body(unit_of(register, scenario))).json()["units"]
    assert found["eligible"] is True
    assert [n["code"] for n in found["notices"]] == [code]


@pytest.mark.parametrize("change", [
    {"seller_id_number": "11010519491231002X"},             # someone else's valid ID
    {"outlet": "140303"},                                   # another outlet
    {"unit_number": "140302001002GB00001F00010001"},        # another unit
    {"certificate_number": "晋(2099)阳泉市不动产权第0000001号"},  # no such certificate
])
def test_anything_not_matching_returns_an_empty_list(citizen, register, change):
    unit = unit_of(register, "single")
    if change.get("outlet") == unit["outlet"]:
        change = {"outlet": "140322"}
    response = citizen.post("/properties/search", search_body(unit, **change))
    assert response.status == 200
    assert response.json() == {"units": []}


def test_co_owner_of_another_unit_cannot_read_this_one(citizen, register):
    mine, other = unit_of(register, "joint"), unit_of(register, "single")
    owner = mine["right"]["owners"][0]
    body = search_body(other, seller_name=owner["name"], seller_id_number=owner["id_number"])
    assert citizen.post("/properties/search", body).json() == {"units": []}


@pytest.mark.parametrize("change, field, code", [
    ({"seller_id_number": "140302198001010014"}, "seller_id_number", "ID_NUMBER_CHECKSUM"),
    ({"certificate_number": "第123号"}, "certificate_number", "CERTIFICATE_NUMBER_FORMAT"),
    ({"outlet": "999999"}, "outlet", "UNKNOWN_OUTLET"),
    ({"unit_number": "12345"}, "unit_number", "UNIT_NUMBER_FORMAT"),
    ({"seller_name": ""}, "seller_name", "REQUIRED"),
    ({"seller_name": 42}, "seller_name", "NOT_TEXT"),
    # the real-name record knows the ID: another name is a typo to fix, not a silent empty list
    ({"seller_name": "张三"}, "seller_name", "NAME_ID_MISMATCH"),
    ({"seller_name": "<img src=x onerror=alert(1)>"}, "seller_name", "NAME_FORMAT"),
    ({"seller_name": "王\u202e建国"}, "seller_name", "TEXT_CONTROL_CHAR"),
    ({"outlet": ""}, "outlet", "KEY_REQUIRED"),
    ({"outlet": "../x"}, "outlet", "KEY_FORMAT"),
])
def test_bad_input_gets_field_details(citizen, register, change, field, code):
    response = citizen.post("/properties/search", search_body(unit_of(register, "single"), **change))
    assert response.status == 400
    body = response.json()
    assert body["code"] == "VALIDATION_FAILED" and body["message"]
    assert {"field": field, "code": code} == {k: body["details"][0][k] for k in ("field", "code")}


def test_all_field_errors_are_reported_at_once(citizen):
    body = citizen.post("/properties/search", {"seller_id_number": "123"}).json()
    assert {d["field"] for d in body["details"]} == {"seller_name", "seller_id_number", "certificate_number", "outlet"}


@pytest.mark.parametrize("raw", [b"", b"{not json", b"[1, 2]", "\"文本\"".encode()])
def test_malformed_bodies_are_400(citizen, raw):
    response = citizen.request("POST", "/properties/search", raw=raw)
    assert response.status == 400
    assert response.json()["code"] in ("EMPTY_BODY", "MALFORMED_JSON")


def test_staff_tokens_cannot_search_as_citizens(api, stack, register):
    clerk = api.as_token(stack.issuer.clerk_token("140302"))
    # the body is validated before the use-case checks the caller: a well-formed one reaches the check
    response = clerk.post("/properties/search", search_body(unit_of(register, "single")))
    assert response.status == 403 and response.json()["code"] == "CITIZEN_ONLY"


def test_the_lookup_logs_no_id_number_or_phone(citizen, register, log_output):
    unit = unit_of(register, "single")
    owner = unit["right"]["owners"][0]
    citizen.post("/properties/search", search_body(unit))
    citizen.post("/properties/search", search_body(unit, seller_id_number="140302198001010014"))
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    assert any(line["message"] == "property search" for line in lines)
    everything = log_output.getvalue()
    assert owner["id_number"] not in everything
    assert "140302198001010014" not in everything
    phones = [p["phone"] for p in register["people"]]
    assert not any(phone in everything for phone in phones)
