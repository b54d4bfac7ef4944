"""Signing speed on the local stack (in-process; moto runs the real ASL), 4 parties.

signing.invites_sent.s   from the inquiry record saved to every invitation in the SMS outbox (goal ≤ 2 s)
signing.packet_ready.s   from the last signature to the signed packet stored (goal ≤ 3 s)
calls.set_inquiry.dynamodb  DynamoDB requests made by PUT /applications/{id}/inquiry, signing's start and the
                         answer included (goal: 1 read + 1 transaction); the operations follow the figure
pdf.<doc>.ms / .kb       one document rendered and issued, warm, median of 20 (goal ≤ 150 ms, ≤ 150 KB)
"""

from __future__ import annotations

import statistics
import time


def _sale(stack):
    from local.driver.api import PeoplePool, decode
    from local.driver.flows import Citizen, contract_body, declaration_body, party

    pool = PeoplePool(stack.register_data)

    def request(method, path, headers, body):
        return decode(stack.gateway.handle(method, path, headers, body))

    unit = pool.unit("joint")
    sellers, buyers = pool.owners(unit), [pool.citizen(), pool.citizen()]
    initiator = Citizen(request, stack.citizen_token(sellers[0]["id_number"]))
    app_id = initiator.start(unit, "seller")["id"]
    initiator.call("PUT", f"/applications/{app_id}/parties", {
        "sellers": [party(s, "married") for s in sellers], "buyers": [party(b, "married") for b in buyers],
        "holding": {"mode": "joint"}})
    initiator.call("PUT", f"/applications/{app_id}/contract", contract_body("560000.00"))
    initiator.call("PUT", f"/applications/{app_id}/tax-declaration", declaration_body(sellers, buyers))
    return request, initiator, app_id, sellers, buyers


def main() -> None:
    from local.stack import LocalStack

    stack = LocalStack().start()
    try:
        from local.driver.flows import inquiry_body, link_tokens, sign_through_link

        request, initiator, app_id, sellers, buyers = _sale(stack)
        people = sellers + buyers
        from bench.applications import counting_requests

        started = time.perf_counter()
        with counting_requests("dynamodb") as counted:
            initiator.call("PUT", f"/applications/{app_id}/inquiry", inquiry_body(sellers, buyers))
        while not all(link_tokens(stack.sms_outbox(), p["phone"]) for p in people):
            time.sleep(0.01)
        print(f"signing.invites_sent.s {time.perf_counter() - started:.2f} s")
        print(f"calls.set_inquiry.dynamodb {counted['n']} requests ({', '.join(counted['operations'])})")
        tokens = [link_tokens(stack.sms_outbox(), p["phone"])[0] for p in people]
        for token in tokens[:-1]:
            sign_through_link(request, token)
        last = tokens[-1]
        # everything but the last click, so the clock measures only the workflow's part
        import json as _json

        from local.driver.flows import signature_png, signing_face_body
        request("POST", f"/sign/{last}/face", {"Content-Type": "application/json"}, signing_face_body(request, last))
        from local.driver.flows import open_document
        for doc in ("application_form", "sale_contract", "inquiry_record"):
            open_document(request, last, doc)
        import base64
        payload = _json.dumps({"image": base64.b64encode(signature_png()).decode()}).encode()
        signed = time.perf_counter()
        request("POST", f"/sign/{last}/signature", {"Content-Type": "application/json"}, payload)
        while not initiator.call("GET", f"/applications/{app_id}/signing")[1]["packet_ready"]:
            time.sleep(0.01)
        print(f"signing.packet_ready.s {time.perf_counter() - signed:.2f} s")
        _documents(app_id)
    finally:
        stack.stop()


def _documents(app_id: str) -> None:
    from estate.documents.application import _render
    from estate.documents.pdf import Verification
    from estate.domain.signing import documents_of
    from estate.store.applications import Application

    application = Application.get(*Application.key(app_id))
    verification = Verification("ABCD-EFGH-JKLM-NPQR", "http://127.0.0.1:8000/verify/ABCDEFGHJKLMNPQR")
    names = {"application_form": "application_form", "sale_contract": "contract", "inquiry_record": "inquiry"}
    for doc in documents_of(application.business):
        render = _render(doc, application, 1, {})  # {}: the page count it notes is not needed here
        render(verification)  # warm: fonts parsed, modules imported
        times, size = [], 0
        for _ in range(20):
            started = time.perf_counter()
            size = len(render(verification))
            times.append((time.perf_counter() - started) * 1000)
        print(f"pdf.{names[doc]}.ms {statistics.median(times):.1f} ms")
        print(f"pdf.{names[doc]}.kb {size / 1024:.1f} kB")


if __name__ == "__main__":
    main()
