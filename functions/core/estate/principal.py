"""Who is asking, and the gates a use case puts in front of its work: citizen, or staff of one role.

The authorizer (estate.auth) vouches for the caller; the HTTP edge turns its context into a
Principal and hands it to the use case. Use cases only ever see this module, never the transport,
so a queue or a test can call them with a Principal of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from estate.errors import Forbidden

ROLE_CITIZEN = "citizen"
ROLE_CLERK = "clerk"
ROLE_BANK = "bank"

# A staff member always acts for one unit, named in their token: a clerk for an outlet (登记网点), a
# loan officer for a bank branch. A staff token without its unit is refused like a wrong role.
STAFF_UNIT = {ROLE_CLERK: "outlet", ROLE_BANK: "branch"}
STAFF_LABELS = {ROLE_CLERK: "登记中心窗口工作人员", ROLE_BANK: "贷款银行信贷人员"}

# Codes the staff gate answered before it was one gate; the OpenAPI document lists them as aliases
# of ROLE_REQUIRED so a client that switched on them knows what to switch on now.
RETIRED_STAFF_CODES = {"BANK_ONLY": "ROLE_REQUIRED", "CLERK_ONLY": "ROLE_REQUIRED"}


@dataclass(frozen=True)
class Principal:
    """Who is asking, as the authorizer vouched for it (API Gateway requestContext.authorizer)."""

    subject: str
    role: str
    name: str = ""
    id_number: str = ""
    outlet: str = ""
    branch: str = ""
    roles: tuple[str, ...] = ()

    @classmethod
    def from_authorizer_context(cls, ctx: dict | None) -> "Principal | None":
        if not ctx or not ctx.get("role") or not ctx.get("principalId"):
            return None
        extra_roles = tuple(r for r in str(ctx.get("roles", "")).split(",") if r)
        return cls(subject=str(ctx["principalId"]), role=str(ctx["role"]), name=str(ctx.get("name", "")),
                   id_number=str(ctx.get("id_number", "")), outlet=str(ctx.get("outlet", "")),
                   branch=str(ctx.get("branch", "")), roles=extra_roles)

    @property
    def is_citizen(self) -> bool:
        return self.role == ROLE_CITIZEN and bool(self.id_number)

    def require_citizen(self) -> "Principal":
        if not self.is_citizen:
            raise Forbidden("该功能仅限实名认证的个人用户使用", code="CITIZEN_ONLY")
        return self


def require_staff(principal: Principal, role: str) -> Principal:
    """The one staff gate: `principal` holds `role` and the unit that role acts for; otherwise 403
    ROLE_REQUIRED with `required_role`, the same code whichever role was required."""
    if principal.role != role or not getattr(principal, STAFF_UNIT[role]):
        raise Forbidden(f"该功能仅限{STAFF_LABELS[role]}使用", code="ROLE_REQUIRED", extra={"required_role": role})
    return principal
