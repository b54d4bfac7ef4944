"""docs/openapi.json is what tools/openapi.py generates from today's template and code."""

from __future__ import annotations

import json
import re

from local.template import ROOT, load_template
from tools import openapi

DOCUMENT = json.loads((ROOT / "docs/openapi.json").read_text())


def test_the_checked_in_openapi_document_is_current():
    assert (ROOT / "docs/openapi.json").read_text() == openapi.render(), "stale: run make openapi"


def test_every_route_is_documented_with_its_path_parameters_and_security():
    routes = load_template().routes()
    documented = {(path, method.upper()) for path, item in DOCUMENT["paths"].items() for method in item}
    assert documented == {(r.path, r.method) for r in routes}
    for route in routes:
        operation = DOCUMENT["paths"][route.path][route.method.lower()]
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"{(\w+)}", route.path)), route
        assert operation["security"] == ([] if route.public else [{"bearerAuth": []}]), route
        assert ("401" in operation["responses"]) != route.public, route


def test_errors_share_one_schema():
    error = DOCUMENT["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "message", "details"]
    assert DOCUMENT["components"]["schemas"]["FieldError"]["required"] == ["field", "code", "message"]
    assert {"VALIDATION_FAILED", "UNAUTHENTICATED", "NOT_FOUND"} <= set(DOCUMENT["x-error-codes"])


def resolved(schema: dict) -> dict:
    """A schema, or the component its $ref names (the models' bodies are components)."""
    ref = schema.get("$ref", "")
    return DOCUMENT["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else schema


def test_the_app_forms_have_schemas():
    paths = DOCUMENT["paths"]
    for path, method in [("/tax/estimate", "post"), ("/properties/search", "post"), ("/applications", "post"),
                         ("/bookings", "post")]:
        assert resolved(paths[path][method]["requestBody"]["content"]["application/json"]["schema"])["properties"], path
    assert "201" in paths["/applications"]["post"]["responses"]
    slots = paths["/booking/slots"]["get"]
    assert {p["name"] for p in slots["parameters"] if p["required"]} == {"outlet", "business"}
    assert resolved(paths["/tax/estimate"]["post"]["responses"]["200"]["content"]["application/json"]["schema"])["required"]


def test_pages_forms_and_refusals_are_documented_as_answered():
    paths = DOCUMENT["paths"]
    for path in ("/office/console", "/bank/console"):   # retired: moved to the desks
        assert "200" not in paths[path]["get"]["responses"]
        assert "Location" in paths[path]["get"]["responses"]["301"]["headers"], path
    # the SMS link and a scanned QR code open the citizen app
    assert "200" not in paths["/sign/{token}"]["get"]["responses"]
    assert "Location" in paths["/sign/{token}"]["get"]["responses"]["303"]["headers"]
    assert {"200", "303"} <= set(paths["/tax/pay/{token}"]["get"]["responses"])
    assert "410" in paths["/sign/{token}/session"]["get"]["responses"]
    notify = paths["/tax/notify/{channel}"]["post"]
    assert set(notify["requestBody"]["content"]) == {"application/x-www-form-urlencoded"}
    assert set(notify["responses"]["400"]["content"]) == {"text/plain", "application/json"}
    for path, item in paths.items():
        for method, operation in item.items():
            # Chalice's media-type and Accept checks, the path/query checks, the gateway's throttling and
            # its 403 for a method the path does not serve
            assert {"400", "403", "415", "429", "500"} <= set(operation["responses"]), (method, path)


def error_codes(operation: dict, status: str) -> set[str]:
    """The codes a response lists, checked to be the enum its JSON schema holds the body's code to."""
    response = operation["responses"][status]
    listed = set(response["x-error-codes"])
    schema = response["content"].get("application/json", {}).get("schema")
    if schema is not None:
        error, codes = schema["allOf"]
        assert error == {"$ref": "#/components/schemas/Error"}
        assert set(codes["properties"]["code"]["enum"]) == listed
    for code in listed:
        assert f"`{code}`" in response["description"]  # the table of codes and Chinese messages
    return listed


def test_every_operation_lists_the_codes_it_can_answer():
    """Per operation and status, the refusals its use-case raises (tools/refusals.py) and the edge's."""
    paths = DOCUMENT["paths"]
    for path, item in paths.items():
        for method, operation in item.items():
            for status in operation["responses"]:
                if status.startswith("4"):
                    assert error_codes(operation, status), (method, path, status)
    contract = paths["/applications/{id}/contract"]["put"]
    assert {"APPLICATION_NOT_FOUND"} <= error_codes(contract, "404")
    assert {"WRONG_STATE", "CONCURRENT_UPDATE"} <= error_codes(contract, "409")
    assert {"VALIDATION_FAILED", "MALFORMED_JSON", "EMPTY_BODY"} <= error_codes(contract, "400")
    assert {"UNAUTHENTICATED"} == error_codes(contract, "401")
    assert "410" not in contract["responses"] and "410" in paths["/sign/{token}/session"]["get"]["responses"]
    assert error_codes(paths["/sign/{token}/session"]["get"], "410") == {"LINK_EXPIRED", "LINK_VOID"}
    assert "LINK_LOCKED" in error_codes(paths["/sign/{token}/face"]["post"], "429")
    outlets = paths["/outlets"]["get"]
    assert "401" not in outlets["responses"] and "409" not in outlets["responses"]
    assert "EMPTY_BODY" not in error_codes(outlets, "400")  # reads no body


def test_a_renamed_code_stays_in_the_enum_beside_its_successor():
    quotas = DOCUMENT["paths"]["/booking/quotas"]["put"]
    assert {"ROLE_REQUIRED", "BANK_ONLY", "CLERK_ONLY"} <= error_codes(quotas, "403")
    assert "已停用，同 `ROLE_REQUIRED`" in quotas["responses"]["403"]["description"]


def test_retired_codes_are_listed_as_aliases_of_a_code_still_answered():
    aliases = DOCUMENT["x-error-code-aliases"]
    assert aliases["BANK_ONLY"] == aliases["CLERK_ONLY"] == "ROLE_REQUIRED"
    assert set(aliases.values()) <= set(DOCUMENT["x-error-codes"])
    assert not set(aliases) & set(DOCUMENT["x-error-codes"])


def test_success_answers_and_bodies_carry_examples_from_the_seed():
    """Every JSON success answer and model body has an example that its model accepts (tools/examples.py
    converts each before use), built from data/seed and data/content."""
    import msgspec

    from local.functions import load_module
    from local.template import load_template as template

    seed = json.loads((ROOT / "data/seed/register.json").read_text())
    views = {}
    for spec in template().functions():
        app = getattr(load_module(spec), "app", None)
        for path, methods in (getattr(app, "routes", None) or {}).items():
            for method, entry in methods.items():
                views[(path, method)] = entry.view_function
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            view = views[(path, method.upper())]
            for status, response in operation["responses"].items():
                media = response.get("content", {}).get("application/json")
                if status.startswith("2") and media and view.estate_answers is not None:
                    msgspec.convert(media["example"], view.estate_answers, strict=False)
            body = (operation.get("requestBody") or {}).get("content", {}).get("application/json")
            if body and view.estate_body is not None:
                msgspec.convert(body["example"], view.estate_body, strict=False)
    outlets = DOCUMENT["paths"]["/outlets"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    assert outlets["outlets"][0] == json.loads((ROOT / "data/content/outlets.json").read_text())["outlets"][0] | {
        "online_services": outlets["outlets"][0]["online_services"]}
    search = DOCUMENT["paths"]["/properties/search"]["post"]["requestBody"]["content"]["application/json"]["example"]
    unit = next(u for u in seed["units"] if u["right"]["certificate_number"] == search["certificate_number"])
    assert {"name": search["seller_name"], "id_number": search["seller_id_number"]} in [
        {"name": o["name"], "id_number": o["id_number"]} for o in unit["right"]["owners"]]
