"""The local origin answers like the API Gateway stage: unknown routes, missing or bad tokens."""

import json


def test_unknown_route_answers_as_api_gateway(api):
    response = api.get("/no/such/route")
    assert response.status == 403
    assert response.json()["code"] == "ROUTE_NOT_FOUND"


def test_wrong_method_on_a_known_path_is_also_unknown(api):
    assert api.request("DELETE", "/outlets").status == 403


def test_protected_route_without_token_is_401(api):
    response = api.post("/properties/search", {})
    assert response.status == 401
    assert response.json() == {"code": "UNAUTHENTICATED", "message": "请先登录", "details": []}


def test_protected_route_with_a_forged_token_is_401(api):
    from local.identity import LocalIssuer
    forged = LocalIssuer().citizen_token("140302198001010013", "王建国")
    assert api.as_token(forged).post("/properties/search", {}).status == 401


def test_trailing_slash_and_percent_encoded_parameters(api):
    assert api.get("/outlets/").status == 200
    assert api.get("/outlets/%31%34%30%33%30%32").json()["code"] == "140302"


def test_chalice_own_refusals_get_our_error_shape(api, stack, register):
    token = stack.citizen_token(register["people"][0]["id_number"])
    response = api.as_token(token).request("POST", "/properties/search", raw=b"a=b",
                                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 415
    assert response.json()["code"] == "UNSUPPORTED_MEDIA_TYPE"


# ----------------------------------------------------------------------------- over HTTP (local/server.py)
import http.client  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="module")
def origin(stack):
    """The `make run` HTTP front on a free port, in front of the in-process stack."""
    from local.server import serving

    with serving(stack) as port:
        yield port


def _over_http(port: int, method: str, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


ROUTE_NOT_FOUND = {"code": "ROUTE_NOT_FOUND", "message": "请求的接口不存在", "details": []}


@pytest.mark.parametrize("method,path", [("TRACE", "/outlets"), ("TRACE", "/no/such/route"), ("PROPFIND", "/outlets"),
                                         ("BREW", "/"), ("DELETE", "/outlets"), ("GET", "/no/such/route")])
def test_unknown_methods_and_paths_over_http_answer_as_the_stage(origin, method, path):
    """API Gateway answers any verb it has no method for with the MISSING_AUTHENTICATION_TOKEN response
    (template.yaml maps it to our shape) — http.server alone would send an HTML 501."""
    status, content_type, body = _over_http(origin, method, path)
    assert status == 403
    assert content_type.startswith("application/json")
    assert json.loads(body) == ROUTE_NOT_FOUND


def test_a_malformed_request_line_is_refused_in_our_error_shape(origin):
    import socket

    with socket.create_connection(("127.0.0.1", origin), timeout=30) as sock:
        sock.sendall(b"GET /outlets extra HTTP/1.1\r\n\r\n")
        raw = sock.makefile("rb").read()
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b"application/json" in head and json.loads(body)["code"] == "BAD_REQUEST"
