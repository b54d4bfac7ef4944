"""One HTTP origin that answers exactly as the API Gateway stage in template.yaml would.

Routes, which of them are public, the TOKEN authorizer and the gateway's own error bodies all
come from the template. A request becomes the REST (payload 1.0) proxy event Lambda receives.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qsl, unquote, urlsplit

from local.functions import FunctionError, FunctionRegistry
from local.template import ApiRoute, Template


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def json_response(status: int, body, headers: dict | None = None) -> HttpResponse:
    return HttpResponse(status, {"Content-Type": "application/json; charset=utf-8", **(headers or {})},
                        json.dumps(body, ensure_ascii=False).encode("utf-8"))


class _RouteTable:
    def __init__(self, routes: list[ApiRoute]):
        self.by_path: dict[str, dict[str, ApiRoute]] = {}
        for route in routes:
            self.by_path.setdefault(route.path, {})[route.method] = route
        # Literal segments win over parameters, as in API Gateway.
        self.ordered = sorted(self.by_path, key=lambda p: [s.startswith("{") for s in p.split("/")])

    def match(self, path: str) -> tuple[str, dict[str, str]] | None:
        if path != "/" and path.endswith("/"):
            path = path[:-1]
        parts = path.split("/")
        for template_path in self.ordered:
            template_parts = template_path.split("/")
            if len(template_parts) != len(parts):
                continue
            params = {}
            for actual, expected in zip(parts, template_parts, strict=True):
                if expected.startswith("{") and expected.endswith("}"):
                    if not actual:
                        break
                    params[expected[1:-1]] = unquote(actual)
                elif unquote(actual) != expected:
                    break
            else:
                return template_path, params
        return None


class Gateway:
    def __init__(self, template: Template, registry: FunctionRegistry, stage: str = "local",
                 local_routes: Callable[[str, str, dict, bytes, dict], HttpResponse | None] | None = None):
        self.registry = registry
        self.stage = stage
        self.table = _RouteTable(template.routes())
        self.local_routes = local_routes
        api = next(iter(template.of_type("AWS::Serverless::Api").values()))["Properties"]
        self._gateway_responses = api.get("GatewayResponses", {})
        authorizer = api["Auth"]["Authorizers"][api["Auth"]["DefaultAuthorizer"]]
        self._authorizer_function = authorizer["FunctionArn"]["Fn::GetAtt"][0]
        self._authorizer_ttl = int(authorizer.get("Identity", {}).get("ReauthorizeEvery", 300))
        self._auth_cache: dict[str, tuple[float, dict]] = {}
        self._auth_lock = threading.Lock()

    def _gateway_error(self, kind: str, status: int) -> HttpResponse:
        spec = self._gateway_responses.get(kind) or {}
        body = (spec.get("ResponseTemplates") or {}).get("application/json")
        status = int(spec.get("StatusCode", status))
        if body is None:
            return json_response(status, {"message": kind})
        return HttpResponse(status, {"Content-Type": "application/json; charset=utf-8"}, str(body).encode())

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes = b"",
               source_ip: str = "127.0.0.1") -> HttpResponse:
        url = urlsplit(target)
        path = url.path or "/"
        query_pairs = parse_qsl(url.query, keep_blank_values=True)
        if self.local_routes is not None:
            local = self.local_routes(method, path, headers, body, dict(query_pairs))
            if local is not None:
                return local
        matched = self.table.match(path)
        if matched is None or method.upper() not in self.table.by_path[matched[0]]:
            return self._gateway_error("MISSING_AUTHENTICATION_TOKEN", 403)
        resource_path, path_params = matched
        route = self.table.by_path[resource_path][method.upper()]
        authorizer_context = None
        if not route.public:
            outcome = self._authorize(headers, method, resource_path)
            if isinstance(outcome, HttpResponse):
                return outcome
            authorizer_context = outcome
        event = self._proxy_event(method.upper(), path, resource_path, path_params, query_pairs, headers, body,
                                  source_ip, authorizer_context)
        try:
            result = self.registry.invoke(route.function, event)
        except FunctionError:
            return self._gateway_error("DEFAULT_5XX", 502)
        return self._http_response(result)

    def _authorize(self, headers: dict[str, str], method: str, resource_path: str) -> dict | HttpResponse:
        token = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        if not token:
            return self._gateway_error("UNAUTHORIZED", 401)
        now = time.monotonic()
        with self._auth_lock:
            cached = self._auth_cache.get(token)
        if cached and cached[0] > now:
            policy = cached[1]
        else:
            event = {"type": "TOKEN", "authorizationToken": token,
                     "methodArn": f"arn:aws:execute-api:us-east-1:123456789012:local/{self.stage}/{method}{resource_path}"}
            try:
                policy = self.registry.invoke(self._authorizer_function, event)
            except FunctionError as error:
                if error.message == "Unauthorized":
                    return self._gateway_error("UNAUTHORIZED", 401)
                return self._gateway_error("DEFAULT_5XX", 500)
            with self._auth_lock:
                self._auth_cache[token] = (now + self._authorizer_ttl, policy)
        statements = policy.get("policyDocument", {}).get("Statement", [])
        if not any(s.get("Effect") == "Allow" for s in statements):
            return self._gateway_error("ACCESS_DENIED", 403)
        return {**(policy.get("context") or {}), "principalId": policy.get("principalId")}

    def _proxy_event(self, method, path, resource_path, path_params, query_pairs, headers, body, source_ip,
                     authorizer_context) -> dict:
        multi_query: dict[str, list[str]] = {}
        for key, value in query_pairs:
            multi_query.setdefault(key, []).append(value)
        is_text = True
        try:
            text_body = body.decode("utf-8") if body else None
        except UnicodeDecodeError:
            is_text = False
            text_body = base64.b64encode(body).decode("ascii")
        request_id = str(uuid.uuid4())
        return {
            "resource": resource_path, "path": path, "httpMethod": method,
            "headers": dict(headers) or None,
            "multiValueHeaders": {k: [v] for k, v in headers.items()} or None,
            "queryStringParameters": {k: v[-1] for k, v in multi_query.items()} or None,
            "multiValueQueryStringParameters": multi_query or None,
            "pathParameters": path_params or None,
            "stageVariables": None,
            "requestContext": {
                "resourcePath": resource_path, "httpMethod": method, "path": f"/{self.stage}{path}",
                "stage": self.stage, "requestId": request_id, "extendedRequestId": request_id,
                "requestTimeEpoch": int(time.time() * 1000), "protocol": "HTTP/1.1",
                "identity": {"sourceIp": source_ip,
                             "userAgent": next((v for k, v in headers.items() if k.lower() == "user-agent"), "")},
                "authorizer": authorizer_context,
                "accountId": "123456789012", "apiId": "local",
            },
            "body": text_body, "isBase64Encoded": not is_text,
        }

    @staticmethod
    def _http_response(result: dict) -> HttpResponse:
        headers = dict(result.get("headers") or {})
        for key, values in (result.get("multiValueHeaders") or {}).items():
            headers[key] = ", ".join(values)
        raw = result.get("body") or ""
        body = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode("utf-8")
        return HttpResponse(int(result.get("statusCode", 200)), headers, body)
