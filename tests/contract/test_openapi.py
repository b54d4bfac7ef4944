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
    for path in ("/office/console", "/bank/console"):
        assert set(paths[path]["get"]["responses"]["200"]["content"]) == {"text/html"}, path
    # the SMS link and a scanned QR code open the citizen app
    assert "200" not in paths["/sign/{token}"]["get"]["responses"]
    assert "Location" in paths["/sign/{token}"]["get"]["responses"]["303"]["headers"]
    assert {"200", "303"} <= set(paths["/tax/pay/{token}"]["get"]["responses"])
    assert "410" in paths["/sign/{token}/session"]["get"]["responses"]
    notify = paths["/tax/notify/{channel}"]["post"]
    assert set(notify["requestBody"]["content"]) == {"application/x-www-form-urlencoded"}
    assert set(notify["responses"]["400"]["content"]) == {"text/plain", "application/json"}
    for item in paths.values():
        for operation in item.values():
            # the gateway's unknown route, Chalice's media-type check, and any use-case's refusal
            assert {"400", "403", "404", "409", "413", "415", "429", "500"} <= set(operation["responses"])


def test_retired_codes_are_listed_as_aliases_of_a_code_still_answered():
    aliases = DOCUMENT["x-error-code-aliases"]
    assert aliases["BANK_ONLY"] == aliases["CLERK_ONLY"] == "ROLE_REQUIRED"
    assert set(aliases.values()) <= set(DOCUMENT["x-error-codes"])
    assert not set(aliases) & set(DOCUMENT["x-error-codes"])
