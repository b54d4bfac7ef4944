"""The local origin answers like the API Gateway stage: unknown routes, missing or bad tokens."""


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
