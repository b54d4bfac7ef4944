"""OpenAPI 3 for the mobile app, generated from template.yaml (paths, methods, which routes need the
bearer token) and the Chalice apps (path parameters, view docs, the `body=`/`answers=` models), each
operation's refusal codes per status (tools/refusals.py reads them from the raise sites) and examples
built from the seed (tools/examples.py).

    python tools/openapi.py            # writes docs/openapi.json
    python tools/openapi.py --check    # exit 1 if docs/openapi.json is stale

Deterministic (sorted, no timestamps), so the checked-in file changes only when the API does.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUTPUT = ROOT / "docs/openapi.json"


def _enum(values) -> dict:
    return {"type": "string", "enum": sorted(values)}


def _error_schemas() -> dict:
    return {
        "Error": {
            "type": "object", "required": ["code", "message", "details"],
            "description": "Every 4xx/5xx body. `code` is stable (switch on it); `message` is Chinese, shown as is.",
            "properties": {
                "code": {"type": "string", "example": "VALIDATION_FAILED",
                         "description": "See x-error-codes for every code the service can return."},
                "message": {"type": "string", "example": "提交的信息有误，请检查后重新提交"},
                "details": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
            },
            "additionalProperties": True,
        },
        "FieldError": {
            "type": "object", "required": ["field", "code", "message"],
            "properties": {"field": {"type": "string", "example": "price"},
                           "code": {"type": "string", "example": "REQUIRED"},
                           "message": {"type": "string", "example": "请填写成交价格"}},
        },
    }


def _route_schemas() -> dict[tuple[str, str], dict]:
    """Request/response schemas for the forms the app builds; enums come from the code's own constants."""
    from estate.office.queue import QUERY_PARAMETERS as QUEUE_QUERY

    day = {"type": "string", "format": "date"}
    return {
        ("GET", "/booking/slots"): {
            "query": {"outlet": (True, {"type": "string"}), "business": (True, {"type": "string"}),
                      "from": (False, day), "to": (False, day)},
        },
        # Query parameters the use-cases read (each optional: a filter, or a default when absent).
        ("GET", "/banks"): {"query": {"outlet": (False, {"type": "string"})}},
        ("GET", "/info/materials"): {"query": {"business": (False, {"type": "string"})}},
        ("GET", "/info/guides"): {"query": {"business": (False, {"type": "string"})}},
        ("GET", "/info/faqs"): {"query": {"category": (False, {"type": "string"})}},
        ("GET", "/office/applications"): {"query": {name: (False, schema) for name, schema in QUEUE_QUERY.items()}},
        ("GET", "/booking/day"): {"query": {"date": (False, day)}},
        ("GET", "/office/audit"): {"query": {"date": (False, day), "action": (False, {"type": "string"}),
                                             "actor": (False, {"type": "string"}),
                                             "target": (False, {"type": "string"})}},
        ("GET", "/applications/{id}/documents/{doc}"): {"query": {"version": (False, _enum(["original"]))}},
        ("GET", "/verify/{code}"): {"query": {"sha256": (False, {
            "type": "string", "description": "the SHA-256 of the copy in hand, to compare"})}},
    }


def _error_codes() -> list[str]:
    """Every stable code: the DomainError classes' defaults and each `code="..."` the code raises."""
    codes = set()
    for source in (ROOT / "functions/core/estate").rglob("*.py"):
        text = source.read_text()
        codes |= set(re.findall(r'\bcode\s*=\s*"([A-Z][A-Z0-9_]+)"', text))
    return sorted(codes)


def _error_code_aliases() -> dict[str, str]:
    """Codes the service no longer answers, each with the code that now answers the same condition:
    one code for one condition (the staff gates answered BANK_ONLY / CLERK_ONLY before they became
    one gate answering ROLE_REQUIRED with `required_role`)."""
    from estate.principal import RETIRED_STAFF_CODES

    return dict(sorted(RETIRED_STAFF_CODES.items()))


JSON = "application/json"
# The contract's version: minor for additions, major for a change that breaks a generated client
# (README, "API changes", lists each).
API_VERSION = "4.0.0"
HTML = "text/html"
FORM = "application/x-www-form-urlencoded"


def _gateway_refusals(template) -> dict[int, list[tuple[str, str]]]:
    """The gateway's own answers (bad token, denied, throttled, unknown route) from template.yaml."""
    api = next(iter(template.of_type("AWS::Serverless::Api").values()))["Properties"]
    found: dict[int, list[tuple[str, str]]] = {}
    for kind, spec in sorted((api.get("GatewayResponses") or {}).items()):
        if kind != "DEFAULT_5XX" and "StatusCode" in spec:
            body = json.loads(spec["ResponseTemplates"][JSON])
            found.setdefault(int(spec["StatusCode"]), []).append((body["code"], body["message"]))
    return found


def _error_responses(refusals, media_errors: dict[int, list[str]]) -> dict[str, dict]:
    """One response per status, its `code` values as an enum on the Error body (a generated client
    gets a union of literals to switch on; schemathesis holds every answer to it) and a table of the
    codes with their Chinese messages. A retired code stays in the enum beside its successor."""
    aliases = _error_code_aliases()
    by_status: dict[int, dict[str, str]] = {}
    for refusal in sorted(refusals):
        messages = by_status.setdefault(refusal.status, {})
        if refusal.code not in messages or (refusal.message and not messages[refusal.code]):
            messages[refusal.code] = refusal.message
    responses: dict[str, dict] = {}
    for status, messages in sorted(by_status.items()):
        retired = {old: new for old, new in aliases.items() if new in messages}
        codes = sorted({*messages, *retired})
        rows = [f"| `{code}` | {messages[code] or '—'} |" if code in messages else
                f"| `{code}` | 已停用，同 `{retired[code]}` |" for code in codes]
        schema = {"allOf": [{"$ref": "#/components/schemas/Error"},
                            {"type": "object", "properties": {"code": {"type": "string", "enum": codes}}}]}
        content = {kind: {"schema": schema if kind == JSON else {"type": "string"}}
                   for kind in media_errors.get(status, [JSON])}
        responses[str(status)] = {"description": "| code | message |\n|---|---|\n" + "\n".join(rows),
                                  "x-error-codes": codes, "content": content}
    return responses


def _media_types() -> dict[tuple[str, str], dict]:
    """Routes that answer something other than JSON, as their code builds the response: the retired
    staff consoles' addresses, the addresses people open in a browser that redirect to the citizen app
    (the SMS signing link always; a scanned payment QR code or a document's verify QR code when the
    browser asks for HTML), the calendar file, and the payment providers' notifications (a form in,
    their plain-text acknowledgement out)."""
    return {
        ("GET", "/sign/{token}"): {"redirect": "the citizen app's signing screen", "only": True},
        ("GET", "/tax/pay/{token}"): {"redirect": "the citizen app's cashier screen (Accept: text/html)"},
        ("GET", "/verify/{code}"): {"redirect": "the citizen app's verify screen (Accept: text/html)"},
        ("GET", "/office/console"): {"redirect": "the clerk's desk (/office/), the console it replaced", "only": True,
                                     "status": 301},
        ("GET", "/bank/console"): {"redirect": "the bank desk (/bank/), the console it replaced", "only": True,
                                   "status": 301},
        ("GET", "/bookings/{id}/ics"): {"success": "text/calendar"},
        ("POST", "/tax/notify/{channel}"): {
            "success": "text/plain", "errors": {400: ["text/plain", JSON]},
            "request": (FORM, {"type": "object", "additionalProperties": {"type": "string"},
                               "description": "the provider's signed notification fields"})},
    }


def _view_doc(view) -> str:
    return inspect.getdoc(view) or ""


def build() -> dict:
    from chalice import Chalice

    from local.functions import load_module
    from local.template import load_template

    template = load_template()
    apps = {spec.logical_id: module.app for spec in template.functions()
            if spec.attribute == "app" and isinstance(getattr(module := load_module(spec), "app", None), Chalice)}
    schemas = _route_schemas()
    gateway = _gateway_refusals(template)
    media_types = _media_types()
    event_names = {}
    for res in template.of_type("AWS::Serverless::Function").values():
        for name, event in (res["Properties"].get("Events") or {}).items():
            if event["Type"] == "Api":
                event_names[(event["Properties"]["Path"], event["Properties"]["Method"].upper())] = name

    from estate.schema import json_schemas  # importable once local.functions has set the path
    from tools import refusals as refusal_walk

    models = _route_models(apps, template)
    model_refs = dict(zip(models, json_schemas(models)[0], strict=True))
    paths: dict[str, dict] = {}
    for route in sorted(template.routes(), key=lambda r: (r.path, r.method)):
        app = apps.get(route.function)
        entry = app.routes[route.path][route.method] if app else None
        doc = _view_doc(entry.view_function) if entry else ""
        tag = route.function.removesuffix("Function").lower()
        operation: dict = {"operationId": event_names[(route.path, route.method)], "tags": [tag],
                           "summary": doc.splitlines()[0] if doc else _words(event_names[(route.path, route.method)])}
        if doc and len(doc.splitlines()) > 1:
            operation["description"] = doc
        parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                      for name in re.findall(r"{(\w+)}", route.path)]
        extra = schemas.get((route.method, route.path), {})
        for name, (required, schema) in (extra.get("query") or {}).items():
            parameters.append({"name": name, "in": "query", "required": required, "schema": schema})
        if entry and _source_calls(entry.view_function, "once("):
            parameters.append({"name": "Idempotency-Key", "in": "header", "required": False,
                               "schema": {"type": "string", "maxLength": 128},
                               "description": "Send the same key to repeat the request safely: the first answer is replayed."})
        if parameters:
            operation["parameters"] = parameters
        media = media_types.get((route.method, route.path), {})
        if "request" in media:
            request_type, request_schema = media["request"]
            operation["requestBody"] = {"required": True, "content": {request_type: {"schema": request_schema}}}
        elif entry and getattr(entry.view_function, "estate_body", None):
            operation["requestBody"] = {"required": getattr(entry.view_function, "estate_body_required", True),
                                        "content": {JSON: _with_example({"schema": model_refs[entry.view_function.estate_body]},
                                                                        entry.view_function.estate_body)}}
        elif "request" in extra or (entry and _source_calls(entry.view_function, "request.json()")):
            operation["requestBody"] = {"required": True,
                                        "content": {JSON: {"schema": extra.get("request", {"type": "object"})}}}
        success = "201" if entry and _source_calls(entry.view_function, "created(") else "200"
        success_type = media.get("success", JSON)
        answers = getattr(entry.view_function, "estate_answers", None) if entry else None
        response_schema = (model_refs[answers] if answers is not None else
                           extra.get("response", {"type": "object"} if success_type == JSON else {"type": "string"}))
        operation["responses"] = _success_responses(media, success, success_type,
                                                    _with_example({"schema": response_schema}, answers))
        refusals = refusal_walk.edge_refusals(public=route.public, takes_body="requestBody" in operation,
                                              gateway=gateway)
        if entry:
            refusals |= refusal_walk.view_refusals(entry.view_function)
        operation["responses"].update(_error_responses(refusals, media.get("errors", {})))
        operation["responses"]["500"] = {"$ref": "#/components/responses/Status500"}
        operation["security"] = [] if route.public else [{"bearerAuth": []}]
        paths.setdefault(route.path, {})[route.method.lower()] = operation

    responses = {"Status500": {"description": "INTERNAL_ERROR",
                               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}
    components_schemas = _error_schemas()
    components_schemas.update(json_schemas(models)[1])
    components_schemas["Notice"] = {"type": "object", "properties": {"code": {"type": "string"},
                                                                      "message": {"type": "string"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "互联网+不动产登记 API", "version": API_VERSION,
                 "description": "Generated by tools/openapi.py from template.yaml and the Chalice apps; do not edit."},
        "servers": [{"url": "https://{host}/{stage}", "variables": {
            "host": {"default": "api.estate.example.invalid"},
            "stage": {"default": "prod", "enum": ["dev", "staging", "prod"]}}}],
        "x-error-codes": _error_codes(),
        "x-error-code-aliases": _error_code_aliases(),
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                                               "description": "RS256 token of the provincial identity provider."}},
            "schemas": components_schemas,
            "responses": responses,
        },
        "security": [{"bearerAuth": []}],
    }


def _with_example(media: dict, model) -> dict:
    """A media type object with an example of `model` built from the seed (tools/examples.py)."""
    from tools.examples import example

    value = example(model) if model is not None else None
    return media if value is None else {**media, "example": value}


def _success_responses(media: dict, success: str, success_type: str, content: dict) -> dict:
    """The success answer; a redirect to the citizen app beside it, or instead of it (`only`)."""
    answered = {success: {"description": "OK", "content": {success_type: content}}}
    if "redirect" not in media:
        return answered
    status = media.get("status", 303)
    see_other = {"description": ("Moved Permanently: " if status == 301 else "See Other: ") + media["redirect"],
                 "headers": {"Location": {"schema": {"type": "string", "format": "uri"}}}}
    return {str(status): see_other} if media.get("only") else {**answered, str(status): see_other}


def _route_models(apps: dict, template) -> list:
    """Every request (body=) and response (answers=) model the routes declare, in route order."""
    models: list = []
    for route in sorted(template.routes(), key=lambda r: (r.path, r.method)):
        app = apps.get(route.function)
        if app is None:
            continue
        view = app.routes[route.path][route.method].view_function
        for model in (getattr(view, "estate_body", None), getattr(view, "estate_answers", None)):
            if model is not None and model not in models:
                models.append(model)
    return models


def _source_calls(view, call: str) -> bool:
    """Whether a view calls created( (201) or once( (Idempotency-Key): read from its source."""
    try:
        return call in inspect.getsource(view)
    except (OSError, TypeError):
        return False


def _words(camel: str) -> str:
    """EstimateTaxes -> Estimate taxes (the template's event names are the operation ids)."""
    words = re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", camel)
    return " ".join([words[0]] + [w.lower() for w in words[1:]]) if words else camel


def render() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text() != text:
            print(f"{OUTPUT.relative_to(ROOT)} is stale: run make openapi", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(json.loads(text)['paths'])} paths)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
