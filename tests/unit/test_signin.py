"""Sign-in (estate.signin) with the identity provider faked at the HTTP layer, from its documented formats:
OIDC discovery, the RFC 6749 token endpoint (form in, JSON out, §5.2 errors), a JWK Set (RFC 7517) and
RS256 ID tokens. Our own key is an in-memory RSA key standing in for KMS (same RS256 signature)."""

from __future__ import annotations

import base64
import json
import secrets
import time
import urllib.error
import urllib.parse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives import hashes

from estate.adapters.identity import OidcProvider
from estate.adapters.tokens import encode_jwt
from estate.auth import TokenVerifier
from estate.config import get_settings
from estate.errors import DomainError
from estate.signin import service
from estate.signin.claims import citizen_claims, citizen_subject, s256, staff_claims, verifier_matches
from estate.schema import parse
from estate.signin.models import SignInFinish, StaffSignInStart

ISSUER = "https://sso.test/realms/estate"
CLIENT_ID = "estate-desk"
REDIRECT = "https://estate.test/office/signin/callback"
BANK_REDIRECT = "https://estate.test/bank/signin/callback"
OFFICER = {"sub": "b-1", "name": "工行矿区支行信贷员", "role": "bank", "branch": "ICBC-YQ-KQ"}
CLERK = {"sub": "u-1", "name": "城区窗口受理员", "role": "clerk", "outlet": "140302", "roles": ["editor", "admin"]}
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


class MemorySigner:
    """KMS's Sign with RSASSA_PKCS1_V1_5_SHA_256, in memory."""

    key_id = "test-key"

    def __init__(self, key=RSA_KEY):
        self._key = key

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message, padding.PKCS1v15(), hashes.SHA256())

    def public_key(self):
        return self._key.public_key()


OURS = MemorySigner(rsa.generate_private_key(public_exponent=65537, key_size=2048))


class FakeIdp:
    """The provider's HTTP side. `claims`, `signing_key`, `kid` shape the next ID token; `down` and
    `status` break it; codes are issued by `approve` and used once."""

    def __init__(self):
        self.claims: dict = {}
        self.signing_key = RSA_KEY
        self.down = False
        self.status = 200
        self.client_error = ""
        self.codes: dict[str, dict] = {}
        self.requests: list[tuple[str, str, dict, bytes | None]] = []

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(RSA_KEY.public_key()))
        return {"keys": [{**public, "kid": "idp-1", "use": "sig", "alg": "RS256"}]}

    def approve(self, authorization_url: str, claims: dict) -> dict:
        params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorization_url).query))
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"claims": claims, "nonce": params["nonce"], "challenge": params["code_challenge"],
                            "redirect_uri": params["redirect_uri"]}
        return {"code": code, "state": params["state"]}

    def id_token(self, claims: dict) -> str:
        now = int(time.time())
        payload = {"iss": ISSUER, "aud": CLIENT_ID, "iat": now, "exp": now + 300, **claims, **self.claims}
        return jwt.encode(payload, self.signing_key, algorithm="RS256", headers={"kid": "idp-1"})

    def __call__(self, method: str, url: str, headers: dict, body: bytes | None) -> tuple[int, bytes]:
        self.requests.append((method, url, headers, body))
        if self.down:
            raise urllib.error.URLError("connection refused")
        if self.status != 200:
            return self.status, b"<html>Bad Gateway</html>"
        if url == ISSUER + "/.well-known/openid-configuration":
            return 200, json.dumps({"issuer": ISSUER, "authorization_endpoint": ISSUER + "/auth",
                                    "token_endpoint": ISSUER + "/token", "jwks_uri": ISSUER + "/certs"}).encode()
        if url == ISSUER + "/certs":
            return 200, json.dumps(self.jwks()).encode()
        if url == ISSUER + "/token" and method == "POST":
            form = dict(urllib.parse.parse_qsl(body.decode()))
            if self.client_error:
                return 401, json.dumps({"error": self.client_error}).encode()
            grant = self.codes.pop(form.get("code", ""), None)
            if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                return 400, json.dumps({"error": "invalid_grant", "error_description": "Code not valid"}).encode()
            if s256(form.get("code_verifier", "")) != grant["challenge"]:
                return 400, json.dumps({"error": "invalid_grant", "error_description": "PKCE verification failed"}).encode()
            return 200, json.dumps({"access_token": "at", "token_type": "Bearer", "expires_in": 300,
                                    "id_token": self.id_token({**grant["claims"], "nonce": grant["nonce"]})}).encode()
        return 404, b"{}"


@pytest.fixture
def idp() -> FakeIdp:
    return FakeIdp()


def staff_door(idp: FakeIdp, secret: str = "") -> service.Door:
    return service.Door("staff", OidcProvider(ISSUER, CLIENT_ID, label="统一身份认证", transport=idp,
                                              client_secret=lambda: secret), REDIRECT, staff_claims,
                        {"office": REDIRECT, "bank": BANK_REDIRECT})


def sign_in(idp: FakeIdp, door: service.Door, claims: dict, desk: str | None = None, **changes):
    verifier = secrets.token_urlsafe(48)
    started = service.start(door, s256(verifier), desk=desk, signer=OURS)
    back = idp.approve(started["authorization_url"], claims)
    form = {"code": back["code"], "state": back["state"], "code_verifier": verifier, "flow": started["flow"], **changes}
    return service.finish(door, SignInFinish(**form), signer=OURS)


def refusal(call) -> tuple[int, str, str]:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.status, caught.value.code, caught.value.message


# ---------------------------------------------------------------- the pure rules

def test_pkce_s256_matches_rfc_7636_appendix_b():
    assert s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert verifier_matches("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    assert not verifier_matches("short", s256("short"))   # under 43 characters is no verifier


def test_staff_claims_keep_role_unit_and_only_known_duties():
    assert staff_claims(CLERK) == {"sub": "staff-u-1", "role": "clerk", "outlet": "140302", "name": "城区窗口受理员",
                                   "roles": "editor"}
    assert staff_claims({"sub": "b", "role": "bank", "branch": "CCB-YQ-CQ", "roles": "auditor editor"})["roles"] == \
        "editor,auditor"


@pytest.mark.parametrize("claims, code", [
    ({"sub": "u"}, "ROLE_CLAIM_MISSING"),
    ({"sub": "u", "role": "admin", "outlet": "140302"}, "ROLE_CLAIM_UNKNOWN"),
    ({"sub": "u", "role": "clerk"}, "UNIT_CLAIM_MISSING"),
    ({"sub": "u", "role": "bank", "outlet": "140302"}, "UNIT_CLAIM_MISSING"),
])
def test_staff_without_a_usable_role_claim_are_refused(claims, code):
    status, got, message = refusal(lambda: staff_claims(claims))
    assert (status, got) == (403, code) and message


def test_citizen_claims_need_a_valid_id_number():
    claims = citizen_claims({"sub": "sjt-1", "name": "王建国", "id_number": "11010519491231002x"})
    assert claims == {"sub": citizen_subject("11010519491231002X"), "role": "citizen",
                      "id_number": "11010519491231002X", "name": "王建国"}
    for bad in ({"sub": "s"}, {"sub": "s", "id_number": "110105194912310021"}):
        assert refusal(lambda bad=bad: citizen_claims(bad))[:2] == (403, "REALNAME_CLAIM_MISSING")


# ---------------------------------------------------------------- the flow

def test_a_clerk_signs_in_and_our_token_passes_the_authorizer(idp):
    signed_in = sign_in(idp, staff_door(idp), CLERK)
    assert signed_in["role"] == "clerk" and signed_in["outlet"] == "140302" and signed_in["expires_in"] == 3600
    settings = get_settings()
    verifier = TokenVerifier(settings.jwt_issuer, settings.jwt_audience, public_keys={OURS.key_id: OURS.public_key()})
    claims = verifier.verify(signed_in["token"])
    assert claims["sub"] == "staff-u-1" and claims["exp"] - claims["iat"] == 3600
    authorize = idp.requests[0][1]
    assert authorize.endswith("/.well-known/openid-configuration")


def test_the_authorization_url_carries_pkce_state_and_nonce(idp):
    started = service.start(staff_door(idp), s256("v" * 43), signer=OURS)
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(started["authorization_url"]).query))
    assert params["code_challenge"] == s256("v" * 43) and params["code_challenge_method"] == "S256"
    assert params["state"] == started["state"] and len(params["nonce"]) >= 32
    assert params["redirect_uri"] == REDIRECT and params["client_id"] == CLIENT_ID and params["response_type"] == "code"


def test_the_client_secret_goes_as_basic_auth_and_not_in_the_form(idp):
    sign_in(idp, staff_door(idp, secret="s3cr:t"), CLERK)
    token_call = next(r for r in idp.requests if r[1].endswith("/token"))
    assert token_call[2]["Authorization"] == "Basic " + base64.b64encode(b"estate-desk:s3cr%3At").decode()
    assert b"s3cr" not in token_call[3]


# ---------------------------------------------------------------- which desk is signing in

def test_the_staff_door_sends_each_desk_back_to_its_own_registered_address(idp):
    door = staff_door(idp)
    for desk, address in ((None, REDIRECT), ("office", REDIRECT), ("bank", BANK_REDIRECT)):
        started = service.start(door, s256("v" * 43), desk=desk, signer=OURS)
        params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(started["authorization_url"]).query))
        assert params["redirect_uri"] == address
        assert jwt.decode(started["flow"], options={"verify_signature": False})["ru"] == address


def test_the_token_exchange_uses_the_address_the_ticket_carries(idp):
    signed_in = sign_in(idp, staff_door(idp), OFFICER, desk="bank")
    assert signed_in["role"] == "bank" and signed_in["branch"] == "ICBC-YQ-KQ"
    token_call = next(r for r in idp.requests if r[1].endswith("/token"))
    assert dict(urllib.parse.parse_qsl(token_call[3].decode()))["redirect_uri"] == BANK_REDIRECT


@pytest.mark.parametrize("desk", ["app", "admin", "https://evil.test/cb", ""])
def test_an_unknown_desk_is_refused_before_the_provider_is_asked(idp, desk):
    status, code, message = refusal(lambda: service.start(staff_door(idp), s256("v" * 43), desk=desk, signer=OURS))
    assert (status, code, message) == (400, "DESK_UNKNOWN", "登录入口不正确，请从工作台的登录页重新登录")
    assert idp.requests == []


def test_the_staff_start_body_takes_only_a_listed_desk():
    challenge = s256("v" * 43)
    assert parse(StaffSignInStart, {"code_challenge": challenge}).desk == "office"
    assert parse(StaffSignInStart, {"code_challenge": challenge, "desk": "bank"}).desk == "bank"
    with pytest.raises(DomainError) as caught:
        parse(StaffSignInStart, {"code_challenge": challenge, "desk": "app"})
    field = caught.value.body()["details"][0]
    assert (field["field"], field["code"], field["message"]) == ("desk", "DESK_UNKNOWN", "登录入口不正确，请从工作台的登录页重新登录")


def test_a_ticket_naming_an_unregistered_address_is_refused(idp):
    door = staff_door(idp)
    now = int(time.time())
    ticket = encode_jwt(OURS, {"iss": get_settings().jwt_issuer, "aud": service.FLOW_AUDIENCE, "iat": now,
                               "exp": now + 60, "door": "staff", "state": "s", "nonce": "n", "cc": s256("v" * 43),
                               "ru": "https://evil.test/cb"})
    form = SignInFinish(code="c", state="s", code_verifier="v" * 43, flow=ticket)
    assert refusal(lambda: service.finish(door, form, signer=OURS))[:2] == (400, "SIGNIN_EXPIRED")
    assert idp.requests == []


def test_a_wrong_state_is_refused_before_the_code_is_spent(idp):
    door = staff_door(idp)
    assert refusal(lambda: sign_in(idp, door, CLERK, state="attacker"))[:2] == (400, "STATE_MISMATCH")
    assert not any(r[1].endswith("/token") for r in idp.requests)


def test_a_verifier_that_is_not_the_challenges_is_refused(idp):
    door = staff_door(idp)
    assert refusal(lambda: sign_in(idp, door, CLERK, code_verifier=secrets.token_urlsafe(48)))[:2] == (400, "PKCE_MISMATCH")


def test_a_replayed_or_unknown_code_is_refused(idp):
    door = staff_door(idp)
    verifier = secrets.token_urlsafe(48)
    started = service.start(door, s256(verifier), signer=OURS)
    back = idp.approve(started["authorization_url"], CLERK)
    form = SignInFinish(code=back["code"], state=back["state"], code_verifier=verifier, flow=started["flow"])
    assert service.finish(door, form, signer=OURS)["role"] == "clerk"
    status, code, message = refusal(lambda: service.finish(door, form, signer=OURS))
    assert (status, code, message) == (400, "CODE_INVALID", "登录授权已失效或已被使用，请重新登录")


def test_an_expired_or_forged_flow_ticket_is_refused(idp):
    door = staff_door(idp)
    now = int(time.time())
    expired = encode_jwt(OURS, {"iss": get_settings().jwt_issuer, "aud": service.FLOW_AUDIENCE, "iat": now - 700,
                                "exp": now - 100, "door": "staff", "state": "s", "nonce": "n", "cc": s256("v" * 43)})
    form = SignInFinish(code="c", state="s", code_verifier="v" * 43, flow=expired)
    assert refusal(lambda: service.finish(door, form, signer=OURS))[:2] == (400, "SIGNIN_EXPIRED")
    forged = encode_jwt(MemorySigner(OTHER_KEY), jwt.decode(expired, options={"verify_signature": False}) | {"exp": now + 60})
    form = SignInFinish(code="c", state="s", code_verifier="v" * 43, flow=forged)
    assert refusal(lambda: service.finish(door, form, signer=OURS))[:2] == (400, "SIGNIN_EXPIRED")


@pytest.mark.parametrize("spoil", [
    lambda idp: setattr(idp, "signing_key", OTHER_KEY),                      # not the provider's signature
    lambda idp: idp.claims.update(aud="another-client"),                     # issued to another client
    lambda idp: idp.claims.update(iss="https://evil.test"),                  # another issuer
    lambda idp: idp.claims.update(exp=int(time.time()) - 3600),              # expired (beyond the skew)
    lambda idp: idp.claims.update(nonce="from-another-sign-in"),             # not this sign-in's nonce
], ids=["bad-signature", "wrong-aud", "wrong-iss", "expired", "wrong-nonce"])
def test_an_id_token_that_fails_verification_is_refused(idp, spoil):
    spoil(idp)
    status, code, message = refusal(lambda: sign_in(idp, staff_door(idp), CLERK))
    assert (status, code) == (400, "ID_TOKEN_INVALID") and message == "身份认证结果未通过核验，请重新登录"


def test_an_id_token_without_a_role_claim_is_refused(idp):
    claims = {k: v for k, v in CLERK.items() if k != "role"}
    assert refusal(lambda: sign_in(idp, staff_door(idp), claims))[:2] == (403, "ROLE_CLAIM_MISSING")


@pytest.mark.parametrize("breakage", ["down", "500"])
def test_a_provider_that_is_down_is_a_503_in_chinese(idp, breakage):
    door = staff_door(idp)
    verifier = secrets.token_urlsafe(48)
    started = service.start(door, s256(verifier), signer=OURS)
    back = idp.approve(started["authorization_url"], CLERK)
    if breakage == "down":
        idp.down = True
    else:
        idp.status = 502
    form = SignInFinish(code=back["code"], state=back["state"], code_verifier=verifier, flow=started["flow"])
    status, code, message = refusal(lambda: service.finish(door, form, signer=OURS))
    assert (status, code, message) == (503, "IDP_UNAVAILABLE", "统一身份认证登录服务暂时无法访问，请稍后再试")
    # and when it cannot even start
    fresh = FakeIdp()
    fresh.down = True
    assert refusal(lambda: service.start(staff_door(fresh), s256(verifier), signer=OURS))[:2] == (503, "IDP_UNAVAILABLE")


def test_a_rotated_provider_key_is_fetched_again(idp):
    door = staff_door(idp)
    sign_in(idp, door, CLERK)
    rotated = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rotated.public_key()))
    idp.jwks = lambda: {"keys": [{**public, "kid": "idp-2", "use": "sig", "alg": "RS256"}]}
    original = idp.id_token
    idp.id_token = lambda claims: jwt.encode(jwt.decode(original(claims), options={"verify_signature": False}),
                                             rotated, algorithm="RS256", headers={"kid": "idp-2"})
    assert sign_in(idp, door, CLERK)["role"] == "clerk"


def test_our_jwt_encoding_is_standard_rs256():
    token = encode_jwt(OURS, {"sub": "x", "名字": "王"})
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "typ": "JWT", "kid": "test-key"}
    assert jwt.decode(token, OURS.public_key(), algorithms=["RS256"])["名字"] == "王"


def test_a_refused_client_is_a_configuration_problem_not_the_persons(idp):
    idp.client_error = "invalid_client"
    status, code, _ = refusal(lambda: sign_in(idp, staff_door(idp, secret="wrong"), CLERK))
    assert (status, code) == (503, "IDP_UNAVAILABLE")
