"""Sign-in over HTTP on the local stack, through the dev identity providers (local/oidc.py) and the real
sign-in routes (functions/auth): a clerk, a loan officer and a citizen get our token and use the API;
a replayed code, a wrong state, a wrong verifier and an account without a role are refused."""

from __future__ import annotations

import re
import secrets
import urllib.error
import urllib.parse
import urllib.request

import jwt

from estate.signin.claims import s256


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def _send(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
    try:
        with OPENER.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def start(http, door: str) -> dict:
    verifier = secrets.token_urlsafe(48)
    status, body = http.json("POST", f"/auth/{door}/authorize", {"code_challenge": s256(verifier)})
    assert status == 200, body
    return {**body, "verifier": verifier}


def pick(flow: dict, account: str) -> dict:
    """What a person does on the provider's page: open it, choose an account; the provider redirects back."""
    status, _, page = _send(flow["authorization_url"])
    assert status == 200 and "请选择登录的账号" in page.decode("utf-8")
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(flow["authorization_url"]).query))
    endpoint = flow["authorization_url"].split("?")[0]
    status, headers, _ = _send(endpoint, urllib.parse.urlencode({**params, "account": account}).encode())
    assert status == 302, status
    location = headers["Location"]
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query)) | {"location": location}


def finish(http, door: str, flow: dict, back: dict, **changes):
    body = {"code": back["code"], "state": back["state"], "code_verifier": flow["verifier"], "flow": flow["flow"],
            **changes}
    return http.json("POST", f"/auth/{door}/token", body)


def test_a_clerk_signs_in_through_the_centres_provider_and_uses_the_api(http):
    flow = start(http, "staff")
    assert flow["authorization_url"].startswith(http.base_url + "/_dev/oidc/staff/authorize?")
    assert "code_challenge_method=S256" in flow["authorization_url"]
    back = pick(flow, "clerk-140302")
    assert back["location"].startswith(http.base_url + "/office/signin/callback?")
    assert back["state"] == flow["state"]
    status, signed_in = finish(http, "staff", flow, back)
    assert status == 200, signed_in
    assert signed_in | {"token": "…"} == {"token": "…", "token_type": "Bearer", "expires_in": 3600, "role": "clerk",
                                          "name": "城区窗口受理员", "outlet": "140302", "roles": "editor"}
    assert jwt.get_unverified_header(signed_in["token"])["alg"] == "RS256"   # signed by KMS (RSASSA_PKCS1_V1_5_SHA_256)
    status, queue = http.json("GET", "/office/applications", token=signed_in["token"])
    assert status == 200, queue

    # The code was used: a second exchange (a replay) is refused, nothing issued.
    status, refused = finish(http, "staff", flow, back)
    assert (status, refused["code"]) == (400, "CODE_INVALID")
    assert refused["message"] == "登录授权已失效或已被使用，请重新登录"


def test_a_loan_officer_gets_a_bank_token(http):
    flow = start(http, "staff")
    status, signed_in = finish(http, "staff", flow, pick(flow, "bank-CCB-YQ-CQ"))
    assert status == 200 and signed_in["role"] == "bank" and signed_in["branch"] == "CCB-YQ-CQ"
    status, _ = http.json("GET", "/bank/applications", token=signed_in["token"])
    assert status == 200


def test_a_citizen_signs_in_through_sanjintong(http):
    person = http.json("GET", "/_dev/people")[1]["people"][0]
    flow = start(http, "citizen")
    back = pick(flow, person["id_number"])
    assert back["location"].startswith(http.base_url + "/app/signin/callback?")
    status, signed_in = finish(http, "citizen", flow, back)
    assert status == 200, signed_in
    assert signed_in["role"] == "citizen" and signed_in["name"] == person["name"]
    status, mine = http.json("GET", "/applications", token=signed_in["token"])
    assert status == 200, mine


def test_wrong_state_wrong_verifier_and_a_ticket_from_the_other_door_are_refused(http):
    flow = start(http, "staff")
    back = pick(flow, "clerk-140302")
    status, refused = finish(http, "staff", flow, back, state="forged-state")
    assert (status, refused["code"]) == (400, "STATE_MISMATCH")
    status, refused = finish(http, "staff", flow, back, code_verifier=secrets.token_urlsafe(48))
    assert (status, refused["code"]) == (400, "PKCE_MISMATCH")
    status, refused = finish(http, "citizen", flow, back)       # a staff ticket at the citizens' door
    assert (status, refused["code"]) == (400, "SIGNIN_EXPIRED")
    status, refused = http.json("POST", "/auth/staff/token", {"code": "x", "state": "y"})
    assert status == 400 and {d["field"] for d in refused["details"]} == {"code_verifier", "flow"}
    # The checks above stopped before the provider: the code is still good for the right verifier.
    status, signed_in = finish(http, "staff", flow, back)
    assert status == 200 and signed_in["outlet"] == "140302"


def test_an_account_without_a_role_is_refused_in_chinese(http):
    flow = start(http, "staff")
    status, refused = finish(http, "staff", flow, pick(flow, "no-role"))
    assert (status, refused["code"]) == (403, "ROLE_CLAIM_MISSING")
    assert "岗位" in refused["message"]


def test_the_dev_provider_refuses_a_foreign_redirect_and_a_bad_challenge(http):
    flow = start(http, "staff")
    forged = re.sub(r"redirect_uri=[^&]+", "redirect_uri=" + urllib.parse.quote("https://evil.example/cb", safe=""),
                    flow["authorization_url"])
    status, _, page = _send(forged)
    assert status == 400 and "回调地址" in page.decode("utf-8")
    status, refused = http.json("POST", "/auth/staff/authorize", {"code_challenge": "short"})
    assert status == 400 and refused["details"][0]["field"] == "code_challenge"
