"""Bearer-token verification: the single authorizer used by API Gateway and by the local stack.

Tokens are RS256 JWTs we issue ourselves at sign-in (estate.signin: staff through the centre's
identity provider, citizens through 三晋通), signed by a KMS key whose public half verifies them here
(fetched once per container). The local stack also trusts its dev issuer's keys (JWKS_JSON) for the
tokens of POST /_dev/login. Claims:
  sub        opaque account id
  role       citizen | clerk | bank
  name       real name
  id_number  resident ID number (citizens: the real-name anchor)
  outlet     clerks: the outlet (county code) they work at
  branch     bank officers: their branch code
  roles      optional extra roles, comma separated (editor, auditor)
"""

from __future__ import annotations

import functools
import json

import jwt

from estate.config import get_settings
from estate.observability import logger

ALGORITHMS = ["RS256"]
VALID_ROLES = {"citizen", "clerk", "bank"}
CONTEXT_CLAIMS = ("role", "name", "id_number", "outlet", "branch", "roles")


class InvalidToken(Exception):
    """The token is missing, malformed, expired, or not signed by our identity provider."""


class TokenVerifier:
    def __init__(self, issuer: str, audience: str, *, jwks: dict | None = None, public_keys: dict | None = None):
        """`public_keys`: key id → public key (our KMS key); `jwks`: further keys as a JWK Set (local dev)."""
        self._issuer = issuer
        self._audience = audience
        self._keys = dict(public_keys or {})
        for key in (jwt.PyJWKSet.from_dict(jwks).keys if jwks else []):
            self._keys[key.key_id] = key.key
        if not self._keys:
            raise ValueError("at least one verification key is required")

    def _signing_key(self, token: str):
        kid = jwt.get_unverified_header(token).get("kid")
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        if kid in self._keys:
            return self._keys[kid]
        raise InvalidToken("unknown key id")

    def verify(self, token: str) -> dict:
        try:
            claims = jwt.decode(token, self._signing_key(token), algorithms=ALGORITHMS,
                                audience=self._audience, issuer=self._issuer,
                                options={"require": ["exp", "iat", "sub", "role"]})
        except (jwt.PyJWTError, InvalidToken) as error:
            raise InvalidToken(type(error).__name__) from None
        if claims.get("role") not in VALID_ROLES:
            raise InvalidToken("unknown role")
        if claims["role"] == "citizen" and not claims.get("id_number"):
            raise InvalidToken("citizen without id_number")
        if claims["role"] == "clerk" and not claims.get("outlet"):
            raise InvalidToken("clerk without outlet")
        if claims["role"] == "bank" and not claims.get("branch"):
            raise InvalidToken("bank officer without branch")
        return claims


@functools.cache
def default_verifier() -> TokenVerifier:
    settings = get_settings()
    jwks = json.loads(settings.jwks_json) if settings.jwks_json else None
    public_keys = {}
    if settings.token_signing_key:
        from estate.adapters.tokens import default_signer

        signer = default_signer()
        public_keys[signer.key_id] = signer.public_key()
    return TokenVerifier(settings.jwt_issuer, settings.jwt_audience, jwks=jwks, public_keys=public_keys)


def bearer_token(header_value: str | None) -> str:
    if not header_value:
        raise InvalidToken("missing")
    scheme, _, token = header_value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("not a bearer token")
    return token.strip()


def _api_wide_resource(method_arn: str) -> str:
    """Allow the whole API stage: the result is cached per token, and views decide per route."""
    # arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<method>/<path...>
    prefix, _, rest = method_arn.partition("/")
    stage = rest.split("/", 1)[0] if rest else "*"
    return f"{prefix}/{stage}/*/*"


def authorize_token_event(event: dict, verifier: TokenVerifier | None = None) -> dict:
    """API Gateway TOKEN authorizer. Raises Exception('Unauthorized') → API Gateway answers 401."""
    try:
        claims = (verifier or default_verifier()).verify(bearer_token(event.get("authorizationToken")))
    except InvalidToken as error:
        logger.info("token refused", reason=str(error))
        raise Exception("Unauthorized") from None  # noqa: TRY002 - the exact text API Gateway expects
    context = {name: str(claims[name]) for name in CONTEXT_CLAIMS if claims.get(name) not in (None, "")}
    return {
        "principalId": str(claims["sub"]),
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow",
                           "Resource": _api_wide_resource(event.get("methodArn", "*"))}],
        },
        "context": context,
    }
