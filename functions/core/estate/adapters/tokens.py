"""The key that signs our own tokens: a KMS asymmetric key (RSA_2048, SIGN_VERIFY).

KMS signs the JWT's signing input with RSASSA_PKCS1_V1_5_SHA_256, which is exactly JWS RS256, so the
private key never exists outside KMS (not in code, not in an environment variable, not in a secret).
The authorizer verifies with the public half (GetPublicKey, once per container). The header's `kid`
is the KMS key id, so a rotation to a new key is visible in every token.
"""

from __future__ import annotations

import base64
import functools
import json
from typing import Any, Protocol

from estate.config import get_settings

KMS_ALGORITHM = "RSASSA_PKCS1_V1_5_SHA_256"


class TokenSigner(Protocol):
    """Signs bytes with RS256 and names its public key (a fake in the unit tests, KMS otherwise)."""

    key_id: str

    def sign(self, message: bytes) -> bytes: ...

    def public_key(self) -> Any: ...


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def encode_jwt(signer: TokenSigner, claims: dict) -> str:
    """An RS256 JWT whose signature comes from `signer` (PyJWT needs the private key, KMS never gives it)."""
    header = {"alg": "RS256", "typ": "JWT", "kid": signer.key_id}
    signing_input = ".".join(b64url(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
                             for part in (header, claims))
    return f"{signing_input}.{b64url(signer.sign(signing_input.encode('ascii')))}"


class KmsTokenSigner:
    def __init__(self, key: str):
        self._key = key
        self._public: tuple[str, Any] | None = None

    def _load_public(self) -> tuple[str, Any]:
        if self._public is None:
            from cryptography.hazmat.primitives.serialization import load_der_public_key

            from estate.adapters.aws import client

            answer = client("kms").get_public_key(KeyId=self._key)
            key_id = answer["KeyId"].rsplit("/", 1)[-1]  # the ARN's last part: the key's UUID
            self._public = (key_id, load_der_public_key(answer["PublicKey"]))
        return self._public

    @property
    def key_id(self) -> str:
        return self._load_public()[0]

    def public_key(self) -> Any:
        return self._load_public()[1]

    def sign(self, message: bytes) -> bytes:
        from estate.adapters.aws import client

        return client("kms").sign(KeyId=self._key, Message=message, MessageType="RAW",
                                  SigningAlgorithm=KMS_ALGORITHM)["Signature"]


@functools.cache
def default_signer() -> TokenSigner:
    key = get_settings().token_signing_key
    if not key:
        raise RuntimeError("TOKEN_SIGNING_KEY is not configured")
    return KmsTokenSigner(key)
