"""The HTTP edge shared by every Chalice app: routing helper, request parsing, error mapping.

Chalice middleware never sees a view's exception, so the mapping of DomainError to an HTTP
response lives in the `route` decorator. Every 4xx has one shape:
    {"code": "STABLE_CODE", "message": "<Chinese>", "details": [{"field", "code", "message"}]}
Unexpected exceptions become a 500 with a generic Chinese message and a logged stack trace.
"""

from __future__ import annotations

import array
import functools
import itertools
import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from chalice import Chalice, Response

from estate.errors import DomainError, FieldError, FieldErrors, Unauthenticated, ValidationError
from estate.adapters.providers import check_selected_providers
from estate.config import get_settings
from estate.domain.ids import InvalidIdentifier, parse_file_name, parse_key
from estate.domain.text import forbidden_char
from estate.observability import flush_metrics, logger
from estate.principal import Principal
from estate.results import Content, Created
from estate.schema import parse

JSON_TYPES = ["application/json", "application/json; charset=utf-8", "text/plain"]


@dataclass
class ApiRequest:
    """What a view needs from the request, already parsed; views never touch Chalice directly."""

    principal: Principal | None
    query: dict[str, str]
    headers: dict[str, str]
    raw_body: bytes
    request_id: str
    source_ip: str = ""
    user_agent: str = ""
    lambda_context: Any = field(default=None, repr=False)
    image_fields: tuple[str, ...] = ()   # top-level fields carrying a base64 image (a larger body allowed)
    body: Any = None   # the route's body model, parsed and validated (estate.schema) before the view runs
    _json: Any = field(default=None, repr=False)

    def prefers_html(self) -> bool:
        """A browser opening the address itself (a scanned QR code), not the app's fetch (Accept: */*)."""
        return "text/html" in self.headers.get("accept", "")

    def json(self) -> dict:
        """The body as a JSON object whose every string is sound text; a clear 400 for anything else.

        Size and nesting are bounded before parsing (json.loads recurses: 5,000 nested brackets
        raise RecursionError), then every string and key is checked once here, so no use-case
        ever sees a control character or a megabyte of text."""
        if self._json is None:
            if not self.raw_body:
                raise ValidationError("请求内容不能为空", code="EMPTY_BODY")
            settings = get_settings()
            limit = settings.json_image_max_body_bytes if self.image_fields else settings.json_max_body_bytes
            if len(self.raw_body) > limit:
                _refuse_body("BODY_TOO_LARGE", f"提交的内容过大（不能超过{limit // 1024}KB）")
            if json_value_marks(self.raw_body) > MAX_JSON_VALUE_MARKS:
                _refuse_body("BODY_TOO_LARGE", "提交的内容项目过多")
            if json_depth_exceeds(self.raw_body, settings.json_max_depth):
                _refuse_body("JSON_TOO_DEEP", "提交的内容层级过深")
            try:
                parsed = json.loads(self.raw_body.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise ValidationError("请求内容不是有效的JSON", code="MALFORMED_JSON") from None
            except RecursionError:  # unreachable after the depth bound; never a 500 if that changes
                _refuse_body("JSON_TOO_DEEP", "提交的内容层级过深")
            if not isinstance(parsed, dict):
                raise ValidationError("请求内容必须是JSON对象", code="MALFORMED_JSON")
            errors = FieldErrors()
            check_json_text(errors, parsed, settings.text_max_chars, self.image_fields)
            errors.raise_if_any("提交的内容包含无法识别的字符或过长的文字，请检查后重新提交")
            self._json = parsed
        return self._json

    @property
    def caller(self) -> Principal:
        if self.principal is None:
            raise Unauthenticated()
        return self.principal


def _refuse_body(code: str, message: str) -> None:
    raise ValidationError(message, code="BODY_INVALID", details=[FieldError("body", code, message)])


# Quotes and opening brackets bound the strings, arrays and objects of a body: a real form has a few
# hundred; the cap keeps every pass below (and the walk after parsing) short on a 7 MB photo route.
MAX_JSON_VALUE_MARKS = 50_000


def json_value_marks(raw: bytes) -> int:
    return raw.count(b'"') + raw.count(b"[") + raw.count(b"{")


_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_DEPTH_STEP = bytes.maketrans(b"[{]}", bytes([1, 1, 255, 255]))   # as signed bytes: +1 / -1


def json_depth_exceeds(raw: bytes, max_depth: int) -> bool:
    """Whether the brackets of `raw` nest deeper than max_depth, counted without parsing or recursion,
    in linear passes that run in C (a 7 MB photo body costs milliseconds, so does 256 KB of "[],"):
    escaped backslashes and quotes are dropped first, so every quote left opens or closes a string
    and the text between odd and even quotes (where "[" is just text) can be cut out by a split."""
    if raw.count(b"[") + raw.count(b"{") <= max_depth:
        return False
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = b"".join(unescaped.split(b'"')[0::2]).translate(None, _NOT_BRACKETS)
    # Balanced JSON no deeper than max_depth vanishes in max_depth passes of removing empty pairs.
    rest = brackets
    for _ in range(max_depth):
        shorter = rest.replace(b"[]", b"").replace(b"{}", b"")
        if len(shorter) == len(rest):
            break
        rest = shorter
    if not rest:
        return False
    # Too deep, or unbalanced (malformed: json.loads says so, unless it is also deep): count exactly.
    depth = 0
    steps = array.array("b", brackets.translate(_DEPTH_STEP))
    for start in range(0, len(steps), 4096):
        running = itertools.accumulate(steps[start:start + 4096], initial=depth)  # depth carries over chunks
        for depth in running:
            if depth > max_depth:
                return True
    return False


# Fields whose text may span lines: reasons, notes, free answers, published bodies. A path is
# multi-line when any of its keys is one of these (respondents[0].answers.S3, data.body).
MULTILINE_FIELDS = frozenset({"reason", "note", "handover", "fixtures", "answers", "answer", "body", "content"})
MAX_KEY_CHARS = 100


def check_json_text(errors: FieldErrors, document: dict, max_chars: int, image_fields: tuple[str, ...] = ()) -> None:
    """Add a field error for every string (and key) with a control/format character or over max_chars.

    Iterative (a stack of (path, value, multiline)), so the walk itself cannot overflow either."""
    pending: list[tuple[str, Any, bool]] = [("", document, False)]
    while pending:
        path, value, multiline = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if _text_problem(errors, path or "body", key, MAX_KEY_CHARS, False):  # the key itself is unsafe to echo
                    continue
                if not path and key in image_fields:
                    continue  # base64, decoded strictly by estate.images; bounded by the body limit
                pending.append((child, item, multiline or key in MULTILINE_FIELDS))
        elif isinstance(value, list):
            pending.extend((f"{path}[{i}]", item, multiline) for i, item in enumerate(value))
        elif isinstance(value, str):
            _text_problem(errors, path, value, max_chars, multiline)


def _text_problem(errors: FieldErrors, path: str, text: str, max_chars: int, multiline: bool) -> bool:
    if len(text) > max_chars:
        errors.add(path, "TEXT_TOO_LONG", f"内容过长，不能超过{max_chars}个字")
        return True
    if not text.isprintable() and forbidden_char(text, multiline=multiline) is not None:
        errors.add(path, "TEXT_CONTROL_CHAR", "不能包含控制字符或不可见的格式字符，请重新输入")
        return True
    return False


MAX_QUERY_CHARS = 200


def check_request_params(path_params: dict[str, str], query: dict[str, str],
                         file_params: tuple[str, ...] = ()) -> None:
    """Every path parameter is id-shaped (parse_key), or a file name where the route says so
    (parse_file_name); every query value is short, sound text."""
    errors = FieldErrors()
    for name, value in path_params.items():
        try:
            (parse_file_name if name in file_params else parse_key)(value)
        except InvalidIdentifier as error:
            errors.add(name, error.code, error.message)
    for name, value in query.items():
        if not _text_problem(errors, "query", name, MAX_KEY_CHARS, False):
            _text_problem(errors, name, value, MAX_QUERY_CHARS, False)
    errors.raise_if_any()


JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
# Reference data that is the same for everyone and changes only when staff publish (route(cache=...)).
REFERENCE_CACHE = "public, max-age=300"


def json_body(data: Any) -> str:
    """UTF-8 JSON with Chinese kept readable (Chalice's own encoder escapes it)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


def json_response(data: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(body=json_body(data), status_code=status, headers={**JSON_HEADERS, **(headers or {})})


def error_response(error: DomainError) -> Response:
    return json_response(error.body(), error.status)


_INTERNAL = {"code": "INTERNAL_ERROR", "message": "系统繁忙，请稍后再试", "details": []}

# Chalice answers a few requests itself, before any view runs; give those our shape too.
_CHALICE_ERRORS = {
    "UnsupportedMediaType": ("UNSUPPORTED_MEDIA_TYPE", "不支持的内容类型，请使用application/json"),
    "MethodNotAllowedError": ("METHOD_NOT_ALLOWED", "不支持的请求方法"),
    "BadRequest": ("NOT_ACCEPTABLE", "请求的Accept头与响应类型不符"),
    "BadRequestError": ("BAD_REQUEST", "请求有误"),
    "InternalServerError": ("INTERNAL_ERROR", "系统繁忙，请稍后再试"),
}


class EstateChalice(Chalice):
    """A Chalice app whose every response, including Chalice's own refusals, has our error shape."""

    def __call__(self, event: Any, context: Any) -> dict:
        ctx = (event or {}).get("requestContext") or {}
        logger.thread_safe_append_keys(correlation_id=ctx.get("requestId") or str(uuid.uuid4()),
                                       route=f'{ctx.get("httpMethod", "")} {ctx.get("resourcePath", "")}')
        try:
            response = super().__call__(event, context)
        finally:
            flush_metrics()
        return _translate_chalice_error(response)


def _translate_chalice_error(response: dict) -> dict:
    if response.get("statusCode", 200) < 400 or response.get("isBase64Encoded"):
        return response
    try:
        body = json.loads(response.get("body") or "{}")
    except (TypeError, json.JSONDecodeError):
        return response
    if not isinstance(body, dict) or "Code" not in body:
        return response
    code, message = _CHALICE_ERRORS.get(body["Code"], ("BAD_REQUEST", "请求有误"))
    if response["statusCode"] >= 500:
        code, message = _INTERNAL["code"], _INTERNAL["message"]
    response = dict(response)
    response["body"] = json.dumps({"code": code, "message": message, "details": []}, ensure_ascii=False)
    headers = dict(response.get("headers") or {})
    headers["Content-Type"] = "application/json; charset=utf-8"
    response["headers"] = headers
    return response


def create_app(name: str) -> EstateChalice:
    check_selected_providers()  # a stack configured with an unimplemented SMS/face provider fails here, at cold start
    app = EstateChalice(app_name=name)
    app.log.disabled = True  # our route decorator logs failures, with masking
    return app


def create_plain_app(name: str) -> Chalice:
    """A Chalice app for a function that serves no HTTP route (the token authorizer): Chalice is
    imported here only, and such a function needs none of create_app's cold-start checks."""
    return Chalice(app_name=name)


def route(app: Chalice, path: str, methods: list[str] | None = None, *, public: bool = False,
          content_types: list[str] | None = None, image_fields: tuple[str, ...] = (),
          file_params: tuple[str, ...] = (), body: type | None = None, body_required: bool = True,
          answers: Any = None, cache: str | None = None) -> Callable:
    """Register a view. The view is called as view(request: ApiRequest, **path_params).

    Non-public views refuse a request without a verified principal even if API Gateway let it
    through: every route checks who is asking. `public=True` is the one explicit list of open
    routes; a contract test holds template.yaml to it. `image_fields` names the top-level body
    fields that carry a base64 image: only such routes accept a body larger than a form.
    `file_params` names the path parameters that are static file names (dots allowed) instead of ids.
    `body` is the request's model (estate.schema.Model): the view finds it parsed in request.body,
    every field error answered before the view runs. `body_required=False` makes the body optional: none
    (or `{}`) is the model's defaults, one that is sent is validated as usual. `answers` is the success
    response's model. Both go into docs/openapi.json (tools/openapi.py reads them from the view).
    `cache` is the Cache-Control of a successful answer (public reference data a phone may keep a
    while; the distribution's API behaviour caches nothing itself); refusals are never cached.
    """

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def chalice_view(**path_params: str) -> Response:
            response = _run_view(app, view, path_params, public, image_fields, file_params, body, body_required)
            if cache and response.status_code == 200:
                response.headers["Cache-Control"] = cache
            return response

        chalice_view.estate_public = public  # read by the contract tests
        chalice_view.estate_body = body  # read by tools/openapi.py
        chalice_view.estate_body_required = body_required
        chalice_view.estate_answers = answers
        app.route(path, methods=methods or ["GET"], content_types=content_types or JSON_TYPES)(chalice_view)
        return view

    return decorator


def _run_view(app: Chalice, view: Callable, path_params: dict, public: bool,
              image_fields: tuple[str, ...] = (), file_params: tuple[str, ...] = (),
              body: type | None = None, body_required: bool = True) -> Response:
    chalice_request = app.current_request
    ctx = chalice_request.context or {}
    request = ApiRequest(
        principal=Principal.from_authorizer_context(ctx.get("authorizer")),
        query=dict(chalice_request.query_params or {}),
        headers={k.lower(): v for k, v in (chalice_request.headers or {}).items()},
        raw_body=chalice_request.raw_body or b"",
        request_id=str(ctx.get("requestId", "")),
        source_ip=str((ctx.get("identity") or {}).get("sourceIp", "")),
        user_agent=str((ctx.get("identity") or {}).get("userAgent", "")),
        lambda_context=getattr(app, "lambda_context", None),
        image_fields=image_fields,
    )
    try:
        result = _call_view(view, request, path_params, public=public, file_params=file_params, body=body,
                            body_required=body_required)
    except DomainError as error:
        logger.info("request refused", status=error.status, code=error.code)
        return error_response(error)
    except Exception:  # noqa: BLE001 - the one place unexpected errors become a 500
        logger.exception("unhandled error")
        return json_response(_INTERNAL, 500)
    return to_response(result)


def to_response(result: Any) -> Response:
    """The one mapping of a use case's answer to HTTP: estate.results values, or JSON with 200."""
    if isinstance(result, Content):
        return Response(body=result.body, status_code=result.status,
                        headers={"Content-Type": result.content_type, **result.headers})
    if isinstance(result, Created):
        return json_response(result.body, 201, {"Location": result.location} if result.location else None)
    return json_response(result)


def _call_view(view: Callable, request: ApiRequest, path_params: dict, *, public: bool,
               file_params: tuple[str, ...] = (), body: type | None = None, body_required: bool = True) -> Any:
    """The gate checks and the view itself: every refusal here is a DomainError for `_run_view` to map."""
    if not public and request.principal is None:
        raise Unauthenticated()
    check_request_params(path_params, request.query, file_params)
    if body is not None:
        if not body_required and not request.raw_body.strip():
            request.body = body()  # an optional body left out: the model's defaults
        else:
            request.body = parse(body, request.json(), getattr(body, "form_message", None) or ValidationError.message)
    return view(request, **path_params)


def created(body: dict, location: str | None = None) -> Created:
    return Created(body, location)
