"""The clerk's queue on the local stack (in-process, moto) with 1,000 cases at one outlet.

office.queue.dynamodb           DynamoDB requests made by one GET /office/applications page (goal <= 2:
                                the Query on office-queue-index and the audit entry)
office.queue.page_ms            median latency of that page (20 rows), over PAGES requests
office.queue.last_page_ms       median latency of a page deep in the list (following `next`)
office.queue.filtered_dynamodb  DynamoDB requests for a page filtered to a status 10% of the cases have
office.queue.query_ms           median latency of the page's bare Query on the embedded DynamoDB (moto
                                reads every item of the table for an index Query: most of page_ms here;
                                a DynamoDB Query of 20 items is milliseconds)
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import datetime, timedelta, timezone

CASES = int(os.environ.get("BENCH_QUEUE_CASES", "1000"))
PAGES = int(os.environ.get("BENCH_QUEUE_PAGES", "20"))
OUTLET = "149990"  # an outlet of the bench's own: the queue holds exactly its cases


def main() -> None:
    from local.driver.api import Api
    from local.driver.calls import counting_requests
    from local.stack import LocalStack

    stack = LocalStack().start()
    try:
        from local.driver.office import write_queue_cases  # the stack puts the estate package on the path

        start = datetime.now(timezone.utc) - timedelta(days=40)
        mix = [("SUBMITTED", "sale", 0.55), ("ACCEPTED", "sale", 0.25), ("ACCEPTED", "loan-sale", 0.05),
               ("TAX_PAID", "sale", 0.10), ("RETURNED", "sale", 0.05)]
        for index, (status, business, share) in enumerate(mix):
            write_queue_cases(OUTLET, round(CASES * share), status=status, business=business,
                              since=start + timedelta(seconds=index), step_s=3000)
        office = Api(stack).as_token(stack.issuer.clerk_token(OUTLET, "bench"))
        assert len(office.get("/office/applications?limit=100").json()["applications"]) == 100  # warm

        with counting_requests("dynamodb") as counted:
            response = office.get("/office/applications?limit=20")
        assert response.status == 200 and len(response.json()["applications"]) == 20, response.text
        timings = []
        for _ in range(PAGES):
            began = time.perf_counter()
            assert office.get("/office/applications?limit=20").status == 200
            timings.append((time.perf_counter() - began) * 1000)

        cursor, deep = None, []
        for _ in range(CASES // 20 - 1):  # walk to the last page
            page = office.get("/office/applications?limit=20" + (f"&next={cursor}" if cursor else "")).json()
            cursor = page["next"]
        for _ in range(PAGES):
            began = time.perf_counter()
            assert office.get(f"/office/applications?limit=20&next={cursor}").status == 200
            deep.append((time.perf_counter() - began) * 1000)

        with counting_requests("dynamodb") as filtered:
            response = office.get("/office/applications?limit=20&status=TAX_PAID")
        assert response.status == 200 and len(response.json()["applications"]) == 20, response.text

        from estate.store.applications import office_queue

        bare = []
        for _ in range(PAGES):
            began = time.perf_counter()
            office_queue(OUTLET, want=20)
            bare.append((time.perf_counter() - began) * 1000)

        print(f"office.queue.dynamodb {counted['n']} requests")
        print(f"office.queue.page_ms {statistics.median(timings):.1f} ms")
        print(f"office.queue.last_page_ms {statistics.median(deep):.1f} ms")
        print(f"office.queue.filtered_dynamodb {filtered['n']} requests")
        print(f"office.queue.query_ms {statistics.median(bare):.1f} ms")
    finally:
        stack.stop()
