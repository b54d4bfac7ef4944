"""The caller's identity and the one staff gate (estate.principal): one code for one condition."""

import pytest

from estate.errors import Forbidden
from estate.principal import ROLE_BANK, ROLE_CITIZEN, ROLE_CLERK, Principal, require_staff

CLERK = Principal(subject="c1", role=ROLE_CLERK, outlet="140302")
OFFICER = Principal(subject="b1", role=ROLE_BANK, branch="ICBC-YQ-CQ")
CITIZEN = Principal(subject="p1", role=ROLE_CITIZEN, id_number="140302199001011234")


@pytest.mark.parametrize("caller, role", [(CLERK, ROLE_CLERK), (OFFICER, ROLE_BANK)])
def test_staff_of_the_role_with_their_unit_pass(caller, role):
    assert require_staff(caller, role) is caller


@pytest.mark.parametrize("caller, role, label", [
    (CITIZEN, ROLE_CLERK, "登记中心窗口工作人员"),
    (OFFICER, ROLE_CLERK, "登记中心窗口工作人员"),
    (CITIZEN, ROLE_BANK, "贷款银行信贷人员"),
    (CLERK, ROLE_BANK, "贷款银行信贷人员"),
    (Principal(subject="c2", role=ROLE_CLERK), ROLE_CLERK, "登记中心窗口工作人员"),    # no outlet in the token
    (Principal(subject="b2", role=ROLE_BANK), ROLE_BANK, "贷款银行信贷人员"),           # no branch in the token
])
def test_every_staff_refusal_has_one_code_and_names_the_role(caller, role, label):
    with pytest.raises(Forbidden) as refused:
        require_staff(caller, role)
    body = refused.value.body()
    assert refused.value.status == 403
    assert body["code"] == "ROLE_REQUIRED" and body["required_role"] == role
    assert label in body["message"]


def test_only_a_real_name_citizen_is_a_citizen():
    assert CITIZEN.require_citizen() is CITIZEN
    for caller in (CLERK, Principal(subject="p2", role=ROLE_CITIZEN)):
        with pytest.raises(Forbidden) as refused:
            caller.require_citizen()
        assert refused.value.code == "CITIZEN_ONLY"


def test_the_authorizer_context_becomes_a_principal():
    ctx = {"principalId": "b1", "role": "bank", "branch": "ICBC-YQ-CQ", "roles": "editor,"}
    assert Principal.from_authorizer_context(ctx) == Principal(subject="b1", role="bank", branch="ICBC-YQ-CQ",
                                                               roles=("editor",))
    assert Principal.from_authorizer_context({"role": "bank"}) is None
    assert Principal.from_authorizer_context(None) is None
