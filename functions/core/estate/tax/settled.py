"""An accepted application whose every tax item is paid moves to TAX_PAID (已缴税), with a timeline event.

Two ways in, one function: the tax function's `taxes_paid` event (the last provider notification
that settles the case), and acceptance (taxes paid before the clerk accepted). It is idempotent and
safe under concurrency: the status change and its timeline event are one transaction conditional on
the application still being ACCEPTED (and on its version), so of two notifications landing at once
one moves it and the other finds it already moved — never two events, never an error. The change
is written by the application's one writer (store.applications.apply_change).
"""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from estate import clock
from estate.domain import application as lifecycle
from estate.observability import count_event, logger
from estate.store.applications import Application, Change, TransactionConflict, apply_change
from estate.store.taxes import UNPAID, get_case

ATTEMPTS = 5


def _all_paid(application_id: str) -> bool:
    case, items = get_case(application_id)
    return case is not None and all(i.status != UNPAID for i in items)


def record_taxes_paid(application_id: str, **_) -> bool:
    """True if this call moved the application to TAX_PAID."""
    for _attempt in range(ATTEMPTS):
        try:
            application = Application.get(*Application.key(application_id))
        except DoesNotExist:
            return False
        target = lifecycle.after_taxes_paid(application.status)
        if target is None or not _all_paid(application_id):
            return False
        try:
            apply_change(application, Change("taxes_paid", target, "system", "税费已全部缴清"), clock.now())
        except TransactionConflict:
            continue  # moved or changed meanwhile: read it again and decide anew
        count_event("ApplicationTaxPaid")
        logger.info("application taxes paid", application_id=application_id)
        return True
    logger.warning("taxes paid not recorded: the application kept changing", application_id=application_id)
    return False
