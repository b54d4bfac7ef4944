"""Our tokens on the embedded AWS: signed by the template's TokenSigningKey through KMS Sign (moto), then
verified by the API's authorizer with the key's public half; a token from another KMS key, or one
we signed for another purpose (the sign-in ticket), is refused."""

from __future__ import annotations

import time

import boto3
import jwt

from local.aws import REGION


def our_token(signer, **claims) -> str:
    from estate.adapters.tokens import encode_jwt
    from estate.config import get_settings

    now = int(time.time())
    settings = get_settings()
    return encode_jwt(signer, {"iss": settings.jwt_issuer, "aud": settings.jwt_audience, "iat": now,
                               "exp": now + 600, **claims})


CLERK = {"sub": "staff-u-1", "role": "clerk", "outlet": "140302", "name": "城区窗口受理员"}


def test_a_kms_signed_token_passes_the_authorizer(api):
    from estate.adapters.tokens import default_signer

    signer = default_signer()
    token = our_token(signer, **CLERK)
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "RS256", "typ": "JWT", "kid": signer.key_id}
    assert len(header["kid"]) == 36   # the KMS key's id, not the alias
    assert api.as_token(token).get("/office/applications").status == 200


def test_a_token_signed_by_another_kms_key_is_refused(api):
    from estate.adapters.tokens import KmsTokenSigner

    kms = boto3.client("kms", region_name=REGION)
    other = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    forged = our_token(KmsTokenSigner(other), **CLERK)
    assert api.as_token(forged).get("/office/applications").status == 401


def test_a_sign_in_ticket_is_no_api_token(api):
    from estate.adapters.tokens import default_signer, encode_jwt
    from estate.config import get_settings
    from estate.signin.service import FLOW_AUDIENCE

    now = int(time.time())
    ticket = encode_jwt(default_signer(), {"iss": get_settings().jwt_issuer, "aud": FLOW_AUDIENCE, "iat": now,
                                           "exp": now + 600, **CLERK})
    assert api.as_token(ticket).get("/office/applications").status == 401
