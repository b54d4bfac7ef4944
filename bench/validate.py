"""Validation cost per request body, warm, median of repeated runs (no AWS: pure checks).

validate.contract.us        PUT …/contract: the body model (estate.schema.parse) and the contract's rules
validate.contract.parse.us  the model's part alone (every field's shape, before any rule that needs the case)
"""

from __future__ import annotations

import statistics
import time
from datetime import date


def _median_us(run, rounds: int = 15, per_round: int = 200) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(per_round):
            run()
        samples.append((time.perf_counter() - started) / per_round * 1e6)
    return statistics.median(samples)


def main() -> None:
    from local.functions import ensure_core_on_path

    ensure_core_on_path()
    from estate.apply.models import ContractForm
    from estate.domain.contract import validate_contract
    from estate.schema import parse
    from local.driver.flows import contract_body

    today = date(2026, 11, 2)
    body = contract_body("600000.00", today)
    unit = {"location": "阳泉市城区", "unit_number": "140302001002GB00001F00010001",
            "certificate_number": "晋(2021)阳泉市不动产权第0001234号", "area_m2": 89.5, "purpose": "住宅"}
    whole = _median_us(lambda: validate_contract(parse(ContractForm, body, ContractForm.form_message), today=today,
                                                 outlet={}, unit=unit))
    shape = _median_us(lambda: parse(ContractForm, body, ContractForm.form_message))
    print(f"validate.contract.us {whole:.0f} us")
    print(f"validate.contract.parse.us {shape:.0f} us")
