"""API calls made per request, measured on the local stack (in-process, moto).

calls.get_application.dynamodb   DynamoDB requests made by GET /applications/{id} (goal 1)
calls.start_application.dynamodb DynamoDB requests made by POST /applications
"""

from __future__ import annotations

import json

from local.driver.calls import counting_requests


def main() -> None:
    from local.stack import LocalStack

    stack = LocalStack().start()
    try:
        from local.driver.flows import Citizen

        unit = next(u for u in stack.register_data["units"] if u["scenario"] == "single")
        owner = unit["right"]["owners"][0]
        headers = {"Authorization": "Bearer " + stack.citizen_token(owner["id_number"]),
                   "Content-Type": "application/json"}

        def call(method, path, body=None):
            response = stack.gateway.handle(method, path, headers, json.dumps(body).encode() if body else b"")
            return response.json()

        def request(method, path, request_headers, body):
            response = stack.gateway.handle(method, path, request_headers, body)
            return response.status, response.json()

        check = Citizen(request, headers["Authorization"].split(" ", 1)[1]).face_check()
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
