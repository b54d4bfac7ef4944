"""Who in the back office may see and decide which application: a clerk, for their own outlet."""

from __future__ import annotations

from estate.errors import Forbidden, NotFound
from estate.principal import ROLE_CLERK, Principal, require_staff
from estate.store import signing as _signing  # noqa: F401 - registers the signer items of a case partition
from estate.store.applications import load_case


def load_for_clerk(caller: Principal, application_id: str):
    """(application, events, materials); 403 when the application belongs to another outlet."""
    require_staff(caller, ROLE_CLERK)
    application, events, materials = load_case(application_id)
    if application is None:
        raise NotFound("申请不存在", code="APPLICATION_NOT_FOUND")
    if application.outlet != caller.outlet:
        raise Forbidden("该申请不属于您所在的办理网点", code="OTHER_OUTLET")
    return application, events, materials
