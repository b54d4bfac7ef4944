"""Sign-in use cases: start a sign-in at an identity provider, finish it with the code it handed back.

Two doors, one shape (OpenID Connect authorization code + PKCE S256):
  staff    the registration centre's identity provider → clerks and loan officers (/office/, /bank/)
  citizen  the provincial app 三晋通 → citizens (the H5 app at /app/)

Start: the browser keeps its code_verifier and sends only the challenge (the staff door also the desk
signing in, from an allow-list: each desk has its own registered return address); we choose state and
nonce and sign them with the challenge and the return address into a short-lived `flow` ticket (a JWT of our own key, audience
FLOW_AUDIENCE, so it can never pass as an API token). Nothing is stored: no table, nothing half-written.
Finish: the token exchange uses the return address the ticket carries; the ticket (ours, not expired), the state (the one we chose), the verifier (hashes to the
challenge) are checked before the provider is called; the provider exchanges the code (and checks
the verifier itself, and that the code is fresh and unused); its ID token is verified (signature,
iss, aud, exp, our nonce); roles and unit come from its claims; we issue our own RS256 token.
"""

from __future__ import annotations

import functools
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Callable

import jwt

from estate.adapters.identity import CodeRefused, InvalidIdToken, OidcProvider
from estate.adapters.tokens import TokenSigner, default_signer, encode_jwt
from estate.config import get_settings
from estate.errors import NotFound, ValidationError
from estate.observability import logger
from estate.signin.claims import citizen_claims, staff_claims, verifier_matches
from estate.signin.models import DESK_UNKNOWN_MESSAGE, STAFF_DESKS, SignInFinish

FLOW_AUDIENCE = "estate-signin-flow"
FLOW_TTL_S = 600


@dataclass(frozen=True)
class Door:
    name: str                                 # staff | citizen
    provider: OidcProvider
    redirect_uri: str                         # the page the provider sends the browser back to
    claims: Callable[[dict], dict]            # ID token claims → our token's claims (or 403)
    desks: dict[str, str] = field(default_factory=dict)  # desk → its registered return address (staff)

    def return_address(self, desk: str | None) -> str:
        """The desk's registered return address (the door's own without a desk); an unknown desk is refused."""
        if desk is None:
            return self.redirect_uri
        if desk not in self.desks:
            raise ValidationError(DESK_UNKNOWN_MESSAGE, code="DESK_UNKNOWN")
        return self.desks[desk]

    def registered(self, redirect_uri: str) -> bool:
        return redirect_uri == self.redirect_uri or redirect_uri in self.desks.values()


def _again(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def start(door: Door, code_challenge: str, *, desk: str | None = None, signer: TokenSigner | None = None) -> dict:
    signer = signer or default_signer()
    settings = get_settings()
    redirect_uri = door.return_address(desk)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    url = door.provider.authorization_url(redirect_uri=redirect_uri, state=state, nonce=nonce,
                                          code_challenge=code_challenge)
    now = int(time.time())
    flow = encode_jwt(signer, {"iss": settings.jwt_issuer, "aud": FLOW_AUDIENCE, "iat": now, "exp": now + FLOW_TTL_S,
                               "door": door.name, "state": state, "nonce": nonce, "cc": code_challenge, "ru": redirect_uri})
    return {"authorization_url": url, "state": state, "flow": flow, "expires_in": FLOW_TTL_S}


def _flow_claims(flow: str, door: Door, signer: TokenSigner) -> dict:
    try:
        header = jwt.get_unverified_header(flow)
        if header.get("kid") != signer.key_id:
            raise jwt.InvalidKeyError("not our key")
        claims = jwt.decode(flow, signer.public_key(), algorithms=["RS256"], audience=FLOW_AUDIENCE,
                            issuer=get_settings().jwt_issuer,
                            options={"require": ["exp", "iat", "state", "nonce", "cc", "door", "ru"]})
    except jwt.PyJWTError:
        raise _again("登录已超时，请重新登录", "SIGNIN_EXPIRED") from None
    if claims["door"] != door.name or not door.registered(claims["ru"]):
        raise _again("登录已超时，请重新登录", "SIGNIN_EXPIRED")
    return claims


def finish(door: Door, form: SignInFinish, *, signer: TokenSigner | None = None) -> dict:
    signer = signer or default_signer()
    flow = _flow_claims(form.flow, door, signer)
    if not secrets.compare_digest(form.state, flow["state"]):
        raise _again("登录请求校验未通过，请重新登录", "STATE_MISMATCH")
    if not verifier_matches(form.code_verifier, flow["cc"]):
        raise _again("登录请求校验未通过，请重新登录", "PKCE_MISMATCH")
    try:
        answer = door.provider.exchange_code(code=form.code, redirect_uri=flow["ru"],
                                             code_verifier=form.code_verifier)
        id_claims = door.provider.verify_id_token(answer["id_token"], nonce=flow["nonce"])
    except CodeRefused as refused:
        logger.info("sign-in code refused", door=door.name, error=refused.error)
        raise _again("登录授权已失效或已被使用，请重新登录", "CODE_INVALID") from None
    except InvalidIdToken as invalid:
        logger.warning("sign-in id token refused", door=door.name, reason=str(invalid))
        raise _again("身份认证结果未通过核验，请重新登录", "ID_TOKEN_INVALID") from None
    ours = door.claims(id_claims)
    ttl = get_settings().session_ttl_s
    now = int(time.time())
    token = encode_jwt(signer, {"iss": get_settings().jwt_issuer, "aud": get_settings().jwt_audience,
                                "iat": now, "exp": now + ttl, **ours})
    logger.info("signed in", door=door.name, role=ours["role"])
    unit_and_duties = {k: ours[k] for k in ("outlet", "branch", "roles") if k in ours}
    return {"token": token, "token_type": "Bearer", "expires_in": ttl, "role": ours["role"], "name": ours["name"],
            **unit_and_duties}


# ---------------------------------------------------------------- the configured doors

@functools.cache
def _client_secrets() -> dict:
    settings = get_settings()
    if settings.idp_secrets_json:
        return json.loads(settings.idp_secrets_json)
    if settings.idp_secret_arn:
        from estate.adapters.aws import client

        return json.loads(client("secretsmanager").get_secret_value(SecretId=settings.idp_secret_arn)["SecretString"])
    return {}


@functools.cache
def door(name: str) -> Door:
    settings = get_settings()
    if name == "staff":
        if not settings.staff_idp_issuer:
            raise NotFound("工作人员统一身份认证尚未配置", code="SIGNIN_NOT_CONFIGURED")
        provider = OidcProvider(settings.staff_idp_issuer, settings.staff_idp_client_id, label="统一身份认证",
                                client_secret=lambda: str(_client_secrets().get("staff") or ""))
        desks = {desk: f"{settings.public_base_url}/{desk}/signin/callback" for desk in STAFF_DESKS}
        return Door("staff", provider, desks["office"], staff_claims, desks)
    if not settings.citizen_idp_issuer:
        raise NotFound("三晋通登录尚未配置", code="SIGNIN_NOT_CONFIGURED")
    provider = OidcProvider(settings.citizen_idp_issuer, settings.citizen_idp_client_id, label="三晋通",
                            client_secret=lambda: str(_client_secrets().get("citizen") or ""))
    return Door("citizen", provider, settings.app_base_url + "/signin/callback", citizen_claims)
