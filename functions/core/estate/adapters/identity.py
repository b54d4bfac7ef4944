"""An OpenID Connect provider as our sign-in sees it: the centre's staff identity provider and the
provincial app (三晋通) have the same shape (authorization code + PKCE, RFC 6749 / 7636, OIDC Core).

- discovery: `{issuer}/.well-known/openid-configuration` (authorization_endpoint, token_endpoint, jwks_uri);
- the code is exchanged at the token endpoint (form-encoded; the client secret, when there is one, as
  HTTP Basic — client_secret_basic), its refusals are RFC 6749 §5.2 JSON `{"error": "invalid_grant", …}`;
- the ID token is verified here: RS256 signature against the provider's JWKS (refetched once for an
  unknown `kid`: the provider rotated), iss, aud, exp, iat and the nonce of this sign-in.

HTTP goes through `transport`, so the unit tests fake the provider at the HTTP layer from these formats.
A provider that cannot be reached or answers 5xx is IDP_UNAVAILABLE (503), never a 500.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Callable

import jwt

from estate.errors import ServiceUnavailable
from estate.observability import logger

# (method, url, headers, body) → (status, body). Raises OSError (URLError, timeouts) when unreachable.
Transport = Callable[[str, str, dict, "bytes | None"], tuple[int, bytes]]
TIMEOUT_S = 5
CACHE_S = 3600
CLOCK_SKEW_S = 60
ID_TOKEN_ALGORITHMS = ["RS256"]
# RFC 6749 §5.2 errors about the client, not the code: a misconfiguration, answered as the provider unavailable.
CLIENT_ERRORS = frozenset({"invalid_client", "unauthorized_client"})


def urllib_transport(method: str, url: str, headers: dict, body: bytes | None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class CodeRefused(Exception):
    """The token endpoint refused the code (invalid_grant: wrong, expired, already used, wrong verifier)."""

    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


class InvalidIdToken(Exception):
    """The ID token is not this provider's, not for us, expired, or not for this sign-in (nonce)."""


class OidcProvider:
    def __init__(self, issuer: str, client_id: str, *, label: str, client_secret: Callable[[], str] = lambda: "",
                 transport: Transport = urllib_transport, clock: Callable[[], float] = time.time):
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.label = label        # how people know it: 统一身份认证 / 三晋通
        self._client_secret = client_secret
        self._transport = transport
        self._clock = clock
        self._lock = threading.Lock()
        self._discovery: tuple[float, dict] | None = None
        self._jwks: tuple[float, jwt.PyJWKSet] | None = None

    # ---------------------------------------------------------------- HTTP
    def _unavailable(self, reason: str) -> ServiceUnavailable:
        logger.warning("identity provider unavailable", provider=self.issuer, reason=reason)
        return ServiceUnavailable(f"{self.label}登录服务暂时无法访问，请稍后再试", code="IDP_UNAVAILABLE")

    def _call(self, method: str, url: str, headers: dict | None = None, body: bytes | None = None) -> tuple[int, dict]:
        try:
            status, raw = self._transport(method, url, {"Accept": "application/json", **(headers or {})}, body)
        except OSError as error:  # URLError, timeouts, refused connections
            raise self._unavailable(type(error).__name__) from None
        if status >= 500 or status == 429:
            raise self._unavailable(f"HTTP {status}")
        try:
            parsed = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise self._unavailable("not JSON") from None
        if not isinstance(parsed, dict):
            raise self._unavailable("not a JSON object")
        return status, parsed

    def _get_document(self, url: str) -> dict:
        status, document = self._call("GET", url)
        if status != 200:
            raise self._unavailable(f"HTTP {status}")
        return document

    # ---------------------------------------------------------------- discovery, keys
    def discovery(self) -> dict:
        with self._lock:
            if self._discovery and self._discovery[0] > self._clock():
                return self._discovery[1]
        document = self._get_document(self.issuer + "/.well-known/openid-configuration")
        needed = ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if document.get("issuer", "").rstrip("/") != self.issuer or not all(document.get(k) for k in needed):
            raise self._unavailable("discovery document does not describe this issuer")
        with self._lock:
            self._discovery = (self._clock() + CACHE_S, document)
        return document

    def _key_set(self, refresh: bool = False) -> jwt.PyJWKSet:
        with self._lock:
            if not refresh and self._jwks and self._jwks[0] > self._clock():
                return self._jwks[1]
        try:
            keys = jwt.PyJWKSet.from_dict(self._get_document(self.discovery()["jwks_uri"]))
        except jwt.PyJWKSetError:
            raise self._unavailable("JWKS without usable keys") from None
        with self._lock:
            self._jwks = (self._clock() + CACHE_S, keys)
        return keys

    def _signing_key(self, kid: str | None):
        for refresh in (False, True):
            for key in self._key_set(refresh).keys:
                if kid is None or key.key_id == kid:
                    return key.key
        raise InvalidIdToken("unknown key id")

    # ---------------------------------------------------------------- the flow
    def authorization_url(self, *, redirect_uri: str, state: str, nonce: str, code_challenge: str,
                          scope: str = "openid profile") -> str:
        params = {"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
                  "scope": scope, "state": state, "nonce": nonce, "code_challenge": code_challenge,
                  "code_challenge_method": "S256"}
        endpoint = self.discovery()["authorization_endpoint"]
        return endpoint + ("&" if "?" in endpoint else "?") + urllib.parse.urlencode(params)

    def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str) -> dict:
        """The token endpoint's answer (id_token, access_token…); CodeRefused for an RFC 6749 §5.2 refusal."""
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "code_verifier": code_verifier, "client_id": self.client_id}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        secret = self._client_secret()
        if secret:
            pair = f"{urllib.parse.quote(self.client_id, safe='')}:{urllib.parse.quote(secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
        status, answer = self._call("POST", self.discovery()["token_endpoint"], headers,
                                    urllib.parse.urlencode(form).encode("ascii"))
        if status != 200:
            error = str(answer.get("error") or f"HTTP {status}")
            if error in CLIENT_ERRORS:  # our registration or secret is wrong: not the person's doing
                raise self._unavailable(error)
            raise CodeRefused(error)
        if not isinstance(answer.get("id_token"), str):
            raise InvalidIdToken("no id_token in the token response")
        return answer

    def verify_id_token(self, id_token: str, *, nonce: str) -> dict:
        try:
            key = self._signing_key(jwt.get_unverified_header(id_token).get("kid"))
            claims = jwt.decode(id_token, key, algorithms=ID_TOKEN_ALGORITHMS, audience=self.client_id,
                                issuer=self.issuer, leeway=CLOCK_SKEW_S,
                                options={"require": ["iss", "aud", "exp", "iat", "sub", "nonce"]})
        except jwt.PyJWTError as error:
            raise InvalidIdToken(type(error).__name__) from None
        if claims.get("nonce") != nonce:
            raise InvalidIdToken("nonce mismatch")
        return claims
