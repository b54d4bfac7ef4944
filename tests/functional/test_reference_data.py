"""Reference data the app shows before or beside a case (the banks' branches, the inquiry's questions):
the same for everyone and nothing personal, so it is public and a phone may keep it a few minutes."""

import pytest

from estate.apply.models import BankList, QuestionBank
from estate.http import REFERENCE_CACHE
from tests.support.contract import assert_answers

REFERENCE = [("/banks", BankList), ("/banks?outlet=140302", BankList), ("/inquiry/questions", QuestionBank)]


@pytest.mark.parametrize(("path", "model"), REFERENCE)
def test_reference_data_answers_without_sign_in_and_may_be_cached(api, path, model):
    response = api.as_token(None).get(path)
    assert response.status == 200, response.text
    assert response.headers["Cache-Control"] == REFERENCE_CACHE == "public, max-age=300"
    assert_answers(model, response.json())


def test_the_branch_filter_still_applies_without_sign_in(api):
    banks = api.as_token(None).get("/banks?outlet=140302").json()["banks"]
    assert banks and all(branch["outlet"] == "140302" for bank in banks for branch in bank["branches"])


def test_a_refused_reference_request_is_never_cached(api):
    refused = api.as_token(None).get("/banks?outlet=%00")
    assert refused.status == 400, refused.text
    assert "Cache-Control" not in refused.headers


def test_case_routes_beside_them_still_need_sign_in(api):
    assert api.as_token(None).get("/applications").status == 401
