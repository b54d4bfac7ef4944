"""The local stack over real HTTP: the lookup a citizen makes, with a dev token."""

import pytest

pytestmark = pytest.mark.e2e


def owner_and_unit(people: list[dict], scenario: str) -> tuple[dict, dict]:
    for person in people:
        for unit in person["units"]:
            if unit["scenario"] == scenario:
                return person, unit
    raise AssertionError(f"no seeded unit for {scenario}")


@pytest.fixture(scope="module")
def people(http):
    status, body = http.json("GET", "/_dev/people")
    assert status == 200
    return body["people"]


@pytest.fixture(scope="module")
def token(http, people):
    buyer = next(p for p in people if p["role"] == "citizen")
    return http.login(id_number=buyer["id_number"])


def lookup(http, token, person, unit, **overrides):
    body = {"seller_name": person["name"], "seller_id_number": person["id_number"],
            "certificate_number": unit["certificate_number"], "outlet": unit["outlet"], **overrides}
    return http.json("POST", "/properties/search", body, token)


def test_banner_names_the_base_url_and_demo_accounts(server):
    banner = "".join(server["banner"])
    assert "ready" in banner and server["base_url"] in banner


def test_people_listing_has_the_fields_the_app_relies_on(people):
    assert len(people) >= 60
    owner = next(p for p in people if p["units"])
    assert {"name", "id_number", "phone", "role", "units"} <= set(owner)
    assert {"unit_number", "certificate_number", "outlet"} <= set(owner["units"][0])


def test_an_eligible_unit(http, token, people):
    person, unit = owner_and_unit(people, "single")
    status, body = lookup(http, token, person, unit)
    assert status == 200
    [found] = body["units"]
    assert found["unit_number"] == unit["unit_number"] and found["eligible"] is True


def test_a_seized_unit(http, token, people):
    person, unit = owner_and_unit(people, "seized")
    status, body = lookup(http, token, person, unit)
    assert status == 200 and body["units"][0]["eligible"] is False
    assert body["units"][0]["blockers"][0]["code"] == "SEIZED"


def test_a_three_owner_unit(http, token, people):
    person, unit = owner_and_unit(people, "three_owners")
    status, body = lookup(http, token, person, unit)
    assert [b["code"] for b in body["units"][0]["blockers"]] == ["TOO_MANY_OWNERS"]
    assert len(body["units"][0]["owners"]) == 3


def test_a_name_not_the_ids_real_name_record_is_a_field_error(http, token, people):
    person, unit = owner_and_unit(people, "single")
    status, body = lookup(http, token, person, unit, seller_name=person["name"] + "某")
    assert status == 400
    assert [(d["field"], d["code"]) for d in body["details"]] == [("seller_name", "NAME_ID_MISMATCH")]


def test_a_bad_id_checksum_is_400_with_field_details(http, token, people):
    person, unit = owner_and_unit(people, "single")
    bad = person["id_number"][:17] + ("0" if person["id_number"][17] != "0" else "1")
    status, body = lookup(http, token, person, unit, seller_id_number=bad)
    assert status == 400
    assert body["details"][0]["field"] == "seller_id_number"
    assert body["details"][0]["code"] == "ID_NUMBER_CHECKSUM"


def test_public_routes_and_the_outbox(http):
    status, body = http.json("GET", "/outlets")
    assert status == 200 and len(body["outlets"]) == 5
    status, headers, raw = http.request("GET", "/_dev/sms")
    assert status == 200 and "短信发件箱" in raw.decode()
    status, body = http.json("GET", "/_dev/sms?format=json")
    assert status == 200 and "messages" in body


def test_no_token_is_401_and_unknown_route_is_403(http):
    assert http.json("POST", "/properties/search", {})[0] == 401
    assert http.json("GET", "/nope")[0] == 403


def test_login_refuses_unknown_people(http):
    status, body = http.json("POST", "/_dev/login", {"id_number": "11010519491231002X"})
    assert status == 404 and body["code"] == "PERSON_NOT_FOUND"


def test_staff_logins(http):
    assert http.login(role="clerk", outlet="140302")
    assert http.login(role="bank", branch="CCB-YQ-CQ")
