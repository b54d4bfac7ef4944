"""Pure rules of sign-in: PKCE (RFC 7636, S256 only) and who a verified ID token says the person is.

Claims we read from the identity providers' ID tokens (documented in README "Sign-in"):

Staff (the centre's identity provider):
  sub     the staff account (our token's sub is "staff-" + it)
  name    the person's name
  role    clerk | bank — required; anything else is refused (ROLE_CLAIM_MISSING / ROLE_CLAIM_UNKNOWN)
  outlet  clerks: the outlet (登记网点, county code) they work at — required for a clerk
  branch  loan officers: their bank branch code — required for a loan officer
  roles   optional extra duties, a list or a space/comma separated string: editor, auditor

Citizens (三晋通, the provincial app, after its real-name check):
  sub        the provincial account
  name       real name
  id_number  resident ID number — required and valid (REALNAME_CLAIM_MISSING otherwise)
"""

from __future__ import annotations

import base64
import hashlib
import re

from estate.domain.ids import InvalidIdentifier, parse_resident_id
from estate.errors import Forbidden
from estate.principal import ROLE_BANK, ROLE_CITIZEN, ROLE_CLERK, STAFF_UNIT

STAFF_ROLES = (ROLE_CLERK, ROLE_BANK)
EXTRA_ROLES = ("editor", "auditor")
VERIFIER_SHAPE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
CHALLENGE_SHAPE = re.compile(r"^[A-Za-z0-9\-_]{43}$")
UNIT_SHAPE = re.compile(r"^[A-Za-z0-9\-]{1,40}$")


def s256(code_verifier: str) -> str:
    """The PKCE S256 challenge of a verifier: BASE64URL(SHA256(ASCII(verifier))) without padding."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verifier_matches(code_verifier: str, code_challenge: str) -> bool:
    return bool(VERIFIER_SHAPE.match(code_verifier)) and s256(code_verifier) == code_challenge


def citizen_subject(id_number: str) -> str:
    """The same account id for a person however they signed in (and in the local dev tokens)."""
    return "c-" + hashlib.sha256(id_number.encode()).hexdigest()[:16]


def _extra_roles(raw: object) -> str:
    values = raw if isinstance(raw, list) else re.split(r"[\s,]+", str(raw or ""))
    return ",".join(r for r in EXTRA_ROLES if r in {str(v).strip() for v in values})


def staff_claims(id_claims: dict) -> dict:
    """Our token's claims for a member of staff, or 403 naming what their account lacks."""
    role = id_claims.get("role")
    if role in (None, ""):
        raise Forbidden("您的账号未分配不动产登记业务岗位，请联系管理员开通", code="ROLE_CLAIM_MISSING")
    if role not in STAFF_ROLES:
        raise Forbidden("您的账号岗位不是窗口受理或银行信贷，不能登录本系统", code="ROLE_CLAIM_UNKNOWN")
    unit_claim = STAFF_UNIT[role]
    unit = str(id_claims.get(unit_claim) or "")
    if not UNIT_SHAPE.match(unit):
        what = "办理网点" if role == ROLE_CLERK else "银行网点"
        raise Forbidden(f"您的账号未设置所属{what}，请联系管理员", code="UNIT_CLAIM_MISSING")
    claims = {"sub": f"staff-{id_claims['sub']}", "role": role, unit_claim: unit,
              "name": str(id_claims.get("name") or "")[:50]}
    extra = _extra_roles(id_claims.get("roles"))
    if extra:
        claims["roles"] = extra
    return claims


def citizen_claims(id_claims: dict) -> dict:
    """Our token's claims for a citizen: the real-name ID number is what every citizen route rests on."""
    try:
        id_number = parse_resident_id(str(id_claims.get("id_number") or "")).number
    except InvalidIdentifier:
        raise Forbidden("您的三晋通账号尚未完成实名认证，请先在三晋通完成实名认证后再办理",
                        code="REALNAME_CLAIM_MISSING") from None
    return {"sub": citizen_subject(id_number), "role": ROLE_CITIZEN, "id_number": id_number,
            "name": str(id_claims.get("name") or "")[:50]}
