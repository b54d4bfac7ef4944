"""Validation figures: what the request models cost per request, in-process, no stack.

validate.contract.us   median time to validate one sale-contract body (PUT /applications/{id}/contract)
                       with its model (estate.schema.parse: the field walk, then msgspec building the
                       typed value), over 2,000 parses after 200 warm-ups
validate.contract.errors_us   the same for a body with five wrong fields (every error collected)
"""

from __future__ import annotations

import statistics
import time

PARSES = 2000
WARMUP = 200
CONTRACT = {
    "price": "600000.00", "deposit": "50000.00", "payment_method": "lump_sum",
    "payment_schedule": [{"stage": "定金", "amount": "50000.00", "due_date": "2026-12-20"},
                         {"stage": "尾款", "amount": "550000.00", "due_date": "2027-01-20"}],
    "delivery_date": "2027-01-31", "registration_deadline": "2027-02-28", "handover": "钥匙及水电燃气过户",
    "taxes_borne_by": "statutory", "dispute_resolution": {"method": "court"},
    "house": {"fixtures": "空调两台", "lease_status": "未出租"},
}
WRONG = {**CONTRACT, "price": None, "payment_method": "cash", "handover": "", "taxes_borne_by": ["buyer"],
         "payment_schedule": [{"stage": "定金"}]}


def _median_us(model, body) -> float:
    from estate.errors import ValidationError
    from estate.schema import parse

    times = []
    for i in range(WARMUP + PARSES):
        start = time.perf_counter()
        try:
            parse(model, body)
        except ValidationError:
            pass
        if i >= WARMUP:
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main() -> None:
    from estate.apply.models import ContractForm

    print(f"validate.contract.us {_median_us(ContractForm, CONTRACT):.1f} us")
    print(f"validate.contract.errors_us {_median_us(ContractForm, WRONG):.1f} us")


if __name__ == "__main__":
    main()
