import time

import pytest

from estate.auth import InvalidToken, TokenVerifier, authorize_token_event, bearer_token
from local.identity import AUDIENCE, ISSUER, LocalIssuer

ISSUER_KEYS = LocalIssuer()
OTHER_KEYS = LocalIssuer(key_id="local-1")  # same kid, different key: a forged token
VERIFIER = TokenVerifier(ISSUER, AUDIENCE, jwks=ISSUER_KEYS.jwks())
CITIZEN = {"sub": "c-1", "role": "citizen", "id_number": "140302198001010013", "name": "王建国"}


def test_a_valid_citizen_token_yields_its_claims():
    claims = VERIFIER.verify(ISSUER_KEYS.token(CITIZEN))
    assert claims["id_number"] == "140302198001010013" and claims["role"] == "citizen"


@pytest.mark.parametrize("make", [
    lambda: OTHER_KEYS.token(CITIZEN),                                  # wrong signing key
    lambda: ISSUER_KEYS.token(CITIZEN, lifetime_s=-10),                 # expired
    lambda: ISSUER_KEYS.token({**CITIZEN, "iss": "https://evil.example"}),
    lambda: ISSUER_KEYS.token({**CITIZEN, "aud": "someone-else"}),
    lambda: ISSUER_KEYS.token({**CITIZEN, "role": "admin"}),
    lambda: ISSUER_KEYS.token({"sub": "c-1", "role": "citizen"}),       # citizen without ID number
    lambda: ISSUER_KEYS.token({"sub": "x", "role": "clerk"}),           # clerk without outlet
    lambda: "not.a.jwt",
])
def test_bad_tokens_are_refused(make):
    with pytest.raises(InvalidToken):
        VERIFIER.verify(make())


def test_hs256_tokens_signed_with_the_public_key_are_refused():
    import jwt
    forged = jwt.encode({**CITIZEN, "iss": ISSUER, "aud": AUDIENCE, "iat": int(time.time()),
                         "exp": int(time.time()) + 60}, "secret", algorithm="HS256", headers={"kid": "local-1"})
    with pytest.raises(InvalidToken):
        VERIFIER.verify(forged)


def test_bearer_header_parsing():
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer  abc ") == "abc"
    for bad in (None, "", "Basic abc", "Bearer "):
        with pytest.raises(InvalidToken):
            bearer_token(bad)


def test_authorizer_allows_the_whole_stage_and_passes_claims_as_context():
    event = {"type": "TOKEN", "authorizationToken": "Bearer " + ISSUER_KEYS.token(CITIZEN),
             "methodArn": "arn:aws-cn:execute-api:cn-northwest-1:123:abc/prod/POST/properties/search"}
    policy = authorize_token_event(event, VERIFIER)
    assert policy["principalId"] == "c-1"
    statement = policy["policyDocument"]["Statement"][0]
    assert statement["Effect"] == "Allow"
    assert statement["Resource"] == "arn:aws-cn:execute-api:cn-northwest-1:123:abc/prod/*/*"
    assert policy["context"] == {"role": "citizen", "name": "王建国", "id_number": "140302198001010013"}


def test_authorizer_answers_unauthorized_exactly_as_api_gateway_expects():
    with pytest.raises(Exception, match="^Unauthorized$"):
        authorize_token_event({"authorizationToken": "Bearer nope", "methodArn": "arn:aws:x:y:z:a/b/GET/c"}, VERIFIER)
