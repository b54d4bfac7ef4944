"""Schemathesis over docs/openapi.json against a local stack of its own, as a citizen and as a clerk.

Every operation in the document gets generated requests, valid and invalid (wrong types, missing
fields, bodies that are not JSON), and each answer must be: never a 5xx, a status the document
lists for that operation, with a content type it lists for that status. Bounded and repeatable:
fixed seed, derandomized, a fixed number of examples per operation, no deadline; the stack is
started for this module only and thrown away afterwards, so what the fuzzer writes neither leaks
into the other end-to-end tests nor grows past the run.

A failure names the operation and prints a curl command that replays the request (the bearer
token in it is a local demo token: mint a fresh one with POST /_dev/login).
"""

from __future__ import annotations

import zlib

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from tests.e2e.conftest import ROOT, HttpClient, local_stack

pytestmark = pytest.mark.e2e

# The curl printed with a failure keeps the bearer token (a local demo token), so it replays as is.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {"seed": 20240412, "output": {"sanitization": {"enabled": False}}})
SCHEMA = schemathesis.openapi.from_path(ROOT / "docs/openapi.json", config=CONFIG)

# Every answer validates against its documented schema: the error body for 4xx, the route's `answers=`
# model for a success (issue 14).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Generated examples per operation, on top of the coverage phase's explicit cases (missing fields,
# wrong types, empty strings, unknown methods). Wall time measured in the decision log (the fuzz step).
MAX_EXAMPLES = 10

# Known wrong answers that other branches fix: (the issue, which answers exactly). An answer that
# matches is not checked; every other answer of the same operation is. The lead removes each entry
# once the branch that fixes it is merged.
ROLES = ["citizen", "clerk"]


def _role_for(case) -> str:
    """Who sends this request: half the cases of each operation go as the citizen, half as the clerk.
    Derived from the request itself, so a replayed example goes as the same person (unlike a counter),
    and both roles see every operation at the cost of one run (unlike a pytest parameter, which doubles
    the per-operation setup that dominates the wall time)."""
    request = (case.method, case.path_parameters, case.query, case.headers, case.cookies, case.body)
    return ROLES[zlib.crc32(repr(request).encode()) % len(ROLES)]


@pytest.fixture(scope="module")
def fuzz_stack():
    with local_stack() as stack:
        yield stack


@pytest.fixture(scope="module")
def fuzz_tokens(fuzz_stack) -> dict[str, str]:
    http = HttpClient(fuzz_stack["base_url"])
    # A fresh real-name citizen (no homes, no applications) and a clerk of the 城区 hall.
    status, body = http.json("POST", "/_dev/people", {"count": 1})
    assert status == 201, body
    return {"citizen": body["people"][0]["token"], "clerk": http.login(role="clerk", outlet="140302")}


@pytest.fixture(scope="module")
def fuzz_session():
    with requests.Session() as session:
        yield session


@SCHEMA.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
def test_every_operation_answers_as_documented(case, fuzz_stack, fuzz_tokens, fuzz_session):
    role = _role_for(case)
    headers = {"Authorization": f"Bearer {fuzz_tokens[role]}"}  # public routes ignore it
    response = case.call(base_url=fuzz_stack["base_url"], session=fuzz_session, headers=headers, timeout=30)
    case.validate_response(response, checks=CHECKS, headers=headers,
                           transport_kwargs={"base_url": fuzz_stack["base_url"], "session": fuzz_session})
