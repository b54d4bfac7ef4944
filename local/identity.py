"""The local stack's own identity provider: an RSA key made at start-up, its JWKS, and tokens.

In production the provincial real-name login issues the tokens; the authorizer code that
verifies them is the same in both places.
"""

from __future__ import annotations

import hashlib
import json
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

ISSUER = "https://login.local.estate"
AUDIENCE = "estate-api"
TOKEN_LIFETIME_S = 8 * 3600


class LocalIssuer:
    def __init__(self, key_id: str = "local-1"):
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.key_id = key_id

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        public.update({"kid": self.key_id, "use": "sig", "alg": "RS256"})
        return {"keys": [public]}

    def token(self, claims: dict, lifetime_s: int = TOKEN_LIFETIME_S) -> str:
        now = int(time.time())
        payload = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + lifetime_s, **claims}
        return jwt.encode(payload, self._key, algorithm="RS256", headers={"kid": self.key_id})

    def citizen_token(self, id_number: str, name: str) -> str:
        subject = "c-" + hashlib.sha256(id_number.encode()).hexdigest()[:16]
        return self.token({"sub": subject, "role": "citizen", "id_number": id_number, "name": name})

    def clerk_token(self, outlet: str, name: str = "", roles: str = "") -> str:
        claims = {"sub": f"clerk-{outlet}", "role": "clerk", "outlet": outlet, "name": name or f"{outlet}窗口"}
        if roles:
            claims["roles"] = roles
        return self.token(claims)

    def bank_token(self, branch: str, name: str = "") -> str:
        return self.token({"sub": f"bank-{branch}", "role": "bank", "branch": branch, "name": name or branch})
