"""API calls made per request, measured on the local stack (in-process, moto).

calls.get_application.dynamodb   DynamoDB requests made by GET /applications/{id} (goal 1)
calls.start_application.dynamodb DynamoDB requests made by POST /applications
"""

from __future__ import annotations

import json
from contextlib import contextmanager


@contextmanager
def counting_requests(service_prefix: str):
    """Counts the botocore requests of one service made while the block runs (every client)."""
    from botocore.client import BaseClient

    counts = {"n": 0, "operations": []}
    original = BaseClient._make_api_call

    def counted(self, operation_name, api_params):
        if self.meta.service_model.endpoint_prefix == service_prefix:
            counts["n"] += 1
            counts["operations"].append(operation_name)
        return original(self, operation_name, api_params)

    BaseClient._make_api_call = counted
    try:
        yield counts
    finally:
        BaseClient._make_api_call = original


def main() -> None:
    from local.stack import LocalStack

    stack = LocalStack().start()
    try:
        from tests.support.flows import selfie_body

        unit = next(u for u in stack.register_data["units"] if u["scenario"] == "single")
        owner = unit["right"]["owners"][0]
        headers = {"Authorization": "Bearer " + stack.citizen_token(owner["id_number"]),
                   "Content-Type": "application/json"}

        def call(method, path, body=None):
            response = stack.gateway.handle(method, path, headers, json.dumps(body).encode() if body else b"")
            return response.json()

        check = call("POST", "/identity/face-checks", selfie_body())["face_check"]
        request = {"business": "sale", "role": "seller", "outlet": unit["outlet"], "unit": unit["unit_number"],
                   "face_check": check, "notice_accepted": True}
        with counting_requests("dynamodb") as started:
            application = call("POST", "/applications", request)
        call("GET", f"/applications/{application['id']}")  # warm: the authorizer result is cached
        with counting_requests("dynamodb") as fetched:
            call("GET", f"/applications/{application['id']}")
        print(f"calls.get_application.dynamodb {fetched['n']} requests")
        print(f"calls.start_application.dynamodb {started['n']} requests")
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
