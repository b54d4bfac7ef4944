"""Approval (登簿) on the local stack (in-process, moto): the one-transaction entry in the register
and the certificate counter under concurrent approvals of different cases.

office.approve.dynamodb          DynamoDB requests made by one POST /office/applications/{id}/approve
office.approve.serial_ms         latency of one approval, nobody else approving
office.approve.concurrent_ok     approvals that succeeded out of CASES started at the same moment (must be all)
office.approve.serial_gaps       missing or repeated serials among the certificates they issued (must be 0)
office.approve.concurrent_p95_ms 95th percentile latency within that burst (retries on the counter included)
"""

from __future__ import annotations

import os
import threading
import time

CASES = int(os.environ.get("BENCH_OFFICE_CASES", "8"))


def main() -> None:
    from local.driver.api import Api, PeoplePool
    from local.driver.calls import counting_requests
    from local.stack import LocalStack

    stack = LocalStack().start()
    try:
        from estate.domain.registration import TITLE_SERIES
        from local.driver.office import assess_taxes, mark_taxes_paid, write_submitted_application

        api, pool = Api(stack), PeoplePool(stack.register_data)

        def ready_case() -> dict:
            case = write_submitted_application(pool)
            office = api.as_token(stack.issuer.clerk_token(case["outlet"], "bench"))
            assert office.post(f"/office/applications/{case['id']}/accept").status == 200
            assess_taxes(api, case)
            mark_taxes_paid(case["id"])
            return {**case, "office": office}

        first = ready_case()
        with counting_requests("dynamodb") as counted:
            started = time.perf_counter()
            response = first["office"].post(f"/office/applications/{first['id']}/approve")
            serial_ms = (time.perf_counter() - started) * 1000
        assert response.status == 200, response.text

        cases = [ready_case() for _ in range(CASES)]
        barrier, results = threading.Barrier(len(cases)), []

        def approve(case):
            barrier.wait()
            began = time.perf_counter()
            answer = case["office"].post(f"/office/applications/{case['id']}/approve")
            results.append((answer, (time.perf_counter() - began) * 1000))

        threads = [threading.Thread(target=approve, args=(c,)) for c in cases]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ok = [r for r, _ in results if r.status == 200]
        serials = sorted(int(c["certificate_number"][-8:-1]) for r in ok
                         for c in r.json()["registration"]["certificates"]
                         if TITLE_SERIES in c["certificate_number"])
        expected = list(range(serials[0], serials[0] + len(serials))) if serials else []
        gaps = len(set(expected) ^ set(serials)) + (len(serials) - len(set(serials)))
        latencies = sorted(ms for _, ms in results)
        p95 = latencies[max(0, int(round(0.95 * len(latencies))) - 1)]
        print(f"office.approve.dynamodb {counted['n']} requests")
        print(f"office.approve.serial_ms {serial_ms:.1f} ms")
        print(f"office.approve.concurrent_ok {len(ok)}/{len(cases)} approvals")
        print(f"office.approve.serial_gaps {gaps} serials")
        print(f"office.approve.concurrent_p95_ms {p95:.1f} ms")
    finally:
        stack.stop()
