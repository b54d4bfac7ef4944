"""Multi-party e-signing over the API: SMS links, face checks, document views, signatures, the
signed packet, extraction and submit (issue 4), plus the refusals."""

from __future__ import annotations

import re
import threading

import pytest

from estate.signing import models
from local.driver.flows import fetch_document, image_bytes, open_document, sign_through_link, signature_png
from local.driver.signing import gateway_request as _gateway_request
from local.driver.signing import prepare_sale, tokens_for, wait_until
from tests.support.contract import assert_answers

ANSWERS = [("GET", r"/sign/[^/]+/session", models.SigningSessionView), ("POST", r"/sign/[^/]+/face", models.SigningFaceView),
           ("GET", r"/sign/[^/]+/documents/[^/]+", models.SigningDocumentView),
           ("POST", r"/sign/[^/]+/documents/[^/]+/viewed", models.SigningViewedView),
           ("POST", r"/sign/[^/]+/signature", models.SigningSignedView), ("POST", r"/sign/[^/]+/decline", models.SigningDeclinedView)]


def gateway_request(stack):
    """The gateway as the signing page calls it, every success answer held to its route's answers= model."""
    request = _gateway_request(stack)

    def checked(method: str, path: str, headers: dict, body: bytes) -> tuple[int, object]:
        status, answer = request(method, path, headers, body)
        model = next((m for verb, shape, m in ANSWERS if verb == method and re.fullmatch(shape, path)), None)
        if status < 300 and model is not None:
            assert_answers(model, answer)
        return status, answer

    return checked


@pytest.fixture(scope="module")
def four_party_sale(pool, as_citizen, stack):
    sale = prepare_sale(pool, as_citizen)
    sale["tokens"] = {p["id_number"]: tokens_for(stack, p)[0] for p in sale["people"]}
    return sale


def test_every_party_gets_a_personal_link_and_no_sms_carries_an_id_number(four_party_sale, stack):
    tokens = four_party_sale["tokens"]
    assert len(set(tokens.values())) == 4 and all(len(t) >= 32 for t in tokens.values())
    texts = [m["message"] for m in stack.sms_outbox()]
    for person in four_party_sale["people"]:
        assert not any(person["id_number"] in text for text in texts)


def test_signature_before_face_check_or_document_views_is_409(four_party_sale, stack):
    request = gateway_request(stack)
    token = four_party_sale["tokens"][four_party_sale["people"][1]["id_number"]]
    payload = b'{"image": "' + __import__("base64").b64encode(signature_png()) + b'"}'
    status, body = request("POST", f"/sign/{token}/signature", {"Content-Type": "application/json"}, payload)
    assert status == 409 and body["code"] == "FACE_CHECK_REQUIRED"
    from local.driver.flows import signing_face_body
    request("POST", f"/sign/{token}/face", {}, signing_face_body(request, token))
    open_document(request, token, "sale_contract")
    status, body = request("POST", f"/sign/{token}/signature", {"Content-Type": "application/json"}, payload)
    assert status == 409 and body["code"] == "DOCUMENTS_NOT_VIEWED"
    assert set(body["unviewed"]) == {"不动产登记申请书", "不动产登记询问笔录"}


@pytest.mark.parametrize("image, code", [
    ("", "REQUIRED"), ("bm90IGEgcG5n", "NOT_PNG"),
    (__import__("base64").b64encode(image_bytes("JPEG")).decode(), "NOT_PNG"),
])
def test_bad_signature_images_are_refused(four_party_sale, stack, image, code):
    import json
    token = four_party_sale["tokens"][four_party_sale["people"][2]["id_number"]]
    status, body = gateway_request(stack)("POST", f"/sign/{token}/signature", {"Content-Type": "application/json"},
                                          json.dumps({"image": image}).encode())
    assert status == 400 and body["details"][0]["code"] == code


def test_an_empty_canvas_is_not_a_signature(four_party_sale, stack):
    import base64
    import io
    import json

    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGBA", (480, 160), (0, 0, 0, 0)).save(buffer, "PNG")
    token = four_party_sale["tokens"][four_party_sale["people"][2]["id_number"]]
    status, body = gateway_request(stack)("POST", f"/sign/{token}/signature", {"Content-Type": "application/json"},
                                          json.dumps({"image": base64.b64encode(buffer.getvalue()).decode()}).encode())
    assert status == 400 and body["details"][0]["code"] == "EMPTY_SIGNATURE"


def test_fetching_a_document_is_not_viewing_it_and_a_wrong_report_is_refused(four_party_sale, stack):
    import hashlib
    import json
    from urllib.parse import urlsplit

    request = gateway_request(stack)
    token = four_party_sale["tokens"][four_party_sale["people"][2]["id_number"]]
    document = fetch_document(request, token, "sale_contract")
    url = urlsplit(document["url"])
    pdf = stack.gateway.handle("GET", f"{url.path}?{url.query}", {})
    assert pdf.status == 200 and hashlib.sha256(pdf.body).hexdigest() == document["sha256"]
    assert pdf.headers["Content-Disposition"] == ("inline; filename=\"document.pdf\"; filename*=UTF-8''"
                                                  "%E5%AD%98%E9%87%8F%E6%88%BF%E4%B9%B0%E5%8D%96%E5%90%88%E5%90%8C.pdf")

    def viewed() -> bool:
        session = request("GET", f"/sign/{token}/session", {}, b"")[1]
        return next(d["viewed"] for d in session["documents"] if d["doc"] == "sale_contract")

    def report(body, doc="sale_contract") -> tuple[int, dict]:
        return request("POST", f"/sign/{token}/documents/{doc}/viewed", {"Content-Type": "application/json"},
                       json.dumps(body).encode())

    assert document["pages"] >= 1 and not viewed()   # the URL was fetched; nothing was shown yet
    for wrong in ({"sha256": "0" * 64, "pages": document["pages"]},
                  {"sha256": document["sha256"], "pages": document["pages"] - 1},
                  {"sha256": document["sha256"], "pages": document["pages"] + 1}):
        status, body = report(wrong)
        assert status == 400 and body["code"] == "VIEW_MISMATCH" and "存量房买卖合同" in body["message"], body
    for malformed, field in (({"sha256": "xyz", "pages": 1}, "sha256"), ({"sha256": document["sha256"]}, "pages"),
                             ({"sha256": document["sha256"], "pages": "3"}, "pages"),
                             ({"sha256": document["sha256"], "pages": True}, "pages")):
        status, body = report(malformed)
        assert status == 400 and body["code"] == "VALIDATION_FAILED" and body["details"][0]["field"] == field, body
    assert report({"sha256": document["sha256"], "pages": 1}, "mortgage_contract")[1]["code"] == "DOCUMENT_NOT_FOUND"
    assert not viewed()   # no refusal recorded anything
    status, body = report({"sha256": document["sha256"].upper(), "pages": document["pages"]})
    assert status == 200 and body == {"doc": "sale_contract", "viewed": True} and viewed()


@pytest.mark.parametrize("path, body, field, code", [
    ("decline", {}, "reason", "REQUIRED"), ("decline", {"reason": "  "}, "reason", "REQUIRED"),
    ("decline", {"reason": "长" * 201}, "reason", "TOO_LONG"), ("decline", {"reason": ["x"]}, "reason", "NOT_TEXT"),
    ("face", {}, "session", "KEY_REQUIRED"), ("face", {"image": "x"}, "session", "KEY_REQUIRED"),
    ("liveness-sessions", {"return_to": "https://evil.example/"}, "return_to", "RETURN_PATH_INVALID"),
    ("signature", {"image": 42}, "image", "NOT_TEXT"),
    ("documents/sale_contract/viewed", {"sha256": "a" * 64, "pages": 0}, "pages", "INVALID"),
])
def test_a_malformed_body_is_refused_before_the_link_is_touched(four_party_sale, stack, path, body, field, code):
    import json
    token = four_party_sale["tokens"][four_party_sale["people"][1]["id_number"]]
    status, answer = gateway_request(stack)("POST", f"/sign/{token}/{path}", {"Content-Type": "application/json"},
                                            json.dumps(body).encode())
    assert status == 400 and [(d["field"], d["code"]) for d in answer["details"]] == [(field, code)], answer
    assert gateway_request(stack)("GET", f"/sign/{token}/session", {}, b"")[1]["me"]["status"] == "invited"


def test_unknown_links_open_the_app_which_is_told_404(stack):
    request = gateway_request(stack)
    opened = stack.gateway.handle("GET", "/sign/not-a-real-link-token-000000000000", {"Accept": "text/html"}, b"")
    assert opened.status == 303 and opened.headers["Location"].endswith("/app/sign/not-a-real-link-token-000000000000")
    status, body = request("GET", "/sign/not-a-real-link-token-000000000000/session", {}, b"")
    assert status == 404 and body["code"] == "LINK_UNKNOWN"


def test_all_four_sign_then_the_packet_is_extracted_verified_and_submitted(four_party_sale, stack):
    request = gateway_request(stack)
    people, tokens = four_party_sale["people"], four_party_sale["tokens"]
    opened = stack.gateway.handle("GET", f"/sign/{tokens[people[0]['id_number']]}", {}, b"")
    assert opened.status == 303 and "/app/sign/" in opened.headers["Location"]   # the app's signing screen
    initiator, app_id = four_party_sale["initiator"], four_party_sale["id"]
    status, body = initiator.call("POST", f"/applications/{app_id}/signing/extract")
    assert status == 409 and body["code"] == "NOT_ALL_SIGNED"
    # two concurrent submissions by the same party: one signature
    token = tokens[people[3]["id_number"]]
    results = []
    from local.driver.flows import signing_face_body
    import json
    request("POST", f"/sign/{token}/face", {}, signing_face_body(request, token))
    for doc in ("application_form", "sale_contract", "inquiry_record"):
        open_document(request, token, doc)
    payloads = [json.dumps({"image": __import__("base64").b64encode(signature_png(seed)).decode()}).encode()
                for seed in (7, 8)]
    threads = [threading.Thread(target=lambda p=p: results.append(
        request("POST", f"/sign/{token}/signature", {"Content-Type": "application/json"}, p))) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in results) == [200, 409]
    for index, person in enumerate(people[:3]):
        status, body = sign_through_link(request, tokens[person["id_number"]], seed=index)
        assert status == 200 and body["status"] == "signed", body
    again = json.dumps({"image": __import__("base64").b64encode(signature_png(0)).decode()}).encode()
    other = json.dumps({"image": __import__("base64").b64encode(signature_png(5)).decode()}).encode()
    token = tokens[people[0]["id_number"]]
    assert request("POST", f"/sign/{token}/signature", {"Content-Type": "application/json"}, again)[0] == 200
    status, body = request("POST", f"/sign/{token}/signature", {"Content-Type": "application/json"}, other)
    assert status == 409 and body["code"] == "ALREADY_SIGNED"
    status_view = wait_until(lambda: (s := initiator.call("GET", f"/applications/{app_id}/signing")[1])
                             and s["packet_ready"] and s)
    assert status_view["all_signed"] and all(p["status"] == "signed" for p in status_view["parties"])
    assert_answers(models.SigningStatusView, status_view)
    status, body = initiator.call("POST", f"/applications/{app_id}/signing/extract")
    assert status == 200 and sorted(body["extracted"]) == ["application_form", "inquiry_record", "sale_contract"]
    assert_answers(models.SigningExtractView, body)
    for document in body["documents"]:
        status, verified = request("GET", f"/verify/{document['code']}?sha256={document['sha256']}", {}, b"")
        assert status == 200 and verified["valid"] and verified["sha256_matches"], verified
    from tests.support.pdf import wait_for_documents
    texts = wait_for_documents(stack, initiator, app_id, signed=True)
    assert "签署审计记录" in texts["sale_contract"] and people[2]["name"] in texts["sale_contract"]
    status, body = initiator.call("POST", f"/applications/{app_id}/submit", {})
    assert status == 200 and body["status"] == "SUBMITTED", body



def test_a_submitted_case_withdrawn_is_told_to_the_other_parties(four_party_sale, stack):
    """After the previous test: the case is submitted; withdrawing it tells everyone but the initiator."""
    initiator, app_id, people = four_party_sale["initiator"], four_party_sale["id"], four_party_sale["people"]
    status, body = initiator.call("POST", f"/applications/{app_id}/withdraw", {"reason": "不卖了"})
    assert status == 200 and body["status"] == "WITHDRAWN", body
    told = {m["phone"][-11:] for m in stack.sms_outbox() if f"（申请号{app_id}）已由申请人于" in m["message"]}
    assert told == {p["phone"] for p in people[1:]}  # people[0] is the initiator


def test_submit_requires_the_signed_documents(pool, as_citizen):
    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    status, body = sale["initiator"].call("POST", f"/applications/{sale['id']}/submit", {})
    assert status == 409 or {d["code"] for d in body["details"]} == {"SIGNED_DOCUMENT_MISSING"}


def test_withdraw_during_signing_stops_it_voids_the_links_and_tells_every_party(pool, as_citizen, stack):
    import json

    from estate import clock

    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    seller, buyer = sale["people"]
    token = tokens_for(stack, buyer)[0]
    seller_token = tokens_for(stack, seller)[0]
    request = gateway_request(stack)
    assert request("GET", f"/sign/{token}/session", {}, b"")[0] == 200
    from local.driver.calls import recorded_calls
    with recorded_calls("states") as calls:
        status, body = sale["initiator"].call("POST", f"/applications/{sale['id']}/withdraw", {"reason": "不卖了"})
    assert status == 200 and body["status"] == "WITHDRAWN"
    today = clock.today_in_shanghai()
    said = f"申请人已于{today.year}年{today.month}月{today.day}日撤销"
    # every route of the link: 410 LINK_VOID saying why, not "unknown link"
    json_headers = {"Content-Type": "application/json"}
    for method, path, payload in [("GET", "/session", b""), ("GET", "/documents/contract", b""),
                                  ("POST", "/face", json.dumps({"session": "ls_x"}).encode()),
                                  ("POST", "/liveness-sessions", b"{}"),
                                  ("POST", "/signature", json.dumps({"image": "x"}).encode()),
                                  ("POST", "/decline", json.dumps({"reason": "不签"}).encode())]:
        status, body = request(method, f"/sign/{token}{path}", json_headers, payload)
        assert (status, body["code"]) == (410, "LINK_VOID"), (path, body)
        assert said in body["message"]
    status, body = request("GET", f"/sign/{seller_token}/session", {}, b"")   # what the app's screen shows
    assert status == 410 and body["code"] == "LINK_VOID" and said in body["message"]
    # every party (the initiator too) is told by SMS, masked like the other signing messages
    told = [m for m in stack.sms_outbox() if "已由申请人于" in m["message"] and "签署链接已作废" in m["message"]
            and any(m["phone"].endswith(p["phone"]) for p in sale["people"])]
    assert {m["phone"][-11:] for m in told} == {p["phone"] for p in sale["people"]}
    assert not any(p["id_number"] in m["message"] for m in told for p in sale["people"])
    view = sale["initiator"].call("GET", f"/applications/{sale['id']}/signing")[1]
    assert view["outcome"] == "withdrawn" and {p["status"] for p in view["parties"]} == {"void"}
    from estate.store.applications import Application
    arn = Application.get(*Application.key(sale["id"])).signing["execution_arn"]
    # moto leaves an execution blocked in a callback wait RUNNING after StopExecution (AWS aborts it at
    # once), so the test holds the code to the call it makes.
    assert ("StopExecution", {"executionArn": arn, "error": "SigningStopped", "cause": "withdrawn"}) in calls


def test_a_run_that_outlives_the_withdrawal_ends_quietly(pool, as_citizen, stack):
    """If the stopped run still reaches its failure step (a wait answered meanwhile), it neither reopens
    the case nor sends a second, contradicting SMS."""
    from estate.signing import workflow
    from estate.store.applications import Application

    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    tokens_for(stack, sale["people"][1])
    assert sale["initiator"].call("POST", f"/applications/{sale['id']}/withdraw", {})[0] == 200
    before = len(stack.sms_outbox())
    version = Application.get(*Application.key(sale["id"])).signing["document_version"]
    workflow.signing_failed({"application_id": sale["id"], "document_version": version,
                             "error": {"Error": "SignatureDeclined"}})
    application = Application.get(*Application.key(sale["id"]))
    assert application.status == "WITHDRAWN" and application.signing["outcome"] == "withdrawn"
    assert not [m for m in stack.sms_outbox()[before:] if "签署未完成" in m["message"]]


def test_a_decline_ends_signing_with_a_reason_and_tells_everyone(pool, as_citizen, stack):
    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    buyer = sale["people"][1]
    token = tokens_for(stack, buyer)[0]
    import json
    status, body = gateway_request(stack)("POST", f"/sign/{token}/decline", {"Content-Type": "application/json"},
                                          json.dumps({"reason": "价格有误"}).encode())
    assert status == 200 and body["status"] == "declined"
    view = wait_until(lambda: (s := sale["initiator"].call("GET", f"/applications/{sale['id']}/signing")[1])
                      and s["outcome"] and s)
    assert view["outcome"] == "SignatureDeclined" and view["status"] == "INQUIRY_SAVED"
    assert_answers(models.SigningStatusView, view)
    masked = buyer["name"][0] + "*" * (len(buyer["name"]) - 1)
    # the initiator learns who declined (masked name, role) and why: in the signing view, the timeline, the SMS
    assert view["reason"] == f"买方{masked}拒绝签署，原因：价格有误"
    assert view["declines"] == [{"name": masked, "role": "buyer", "reason": "价格有误"}]
    timeline = sale["initiator"].call("GET", f"/applications/{sale['id']}")[1]["timeline"]
    assert any(e["action"] == "signing_failed" and e["note"] == view["reason"] for e in timeline), timeline
    failed = wait_until(lambda: (f := [m for m in stack.sms_outbox() if "签署未完成" in m["message"]
                                       and any(m["phone"].endswith(p["phone"]) for p in sale["people"])])
                        and len({m["phone"] for m in f}) == 2 and f)
    initiator_sms = [m["message"] for m in failed if m["phone"].endswith(sale["people"][0]["phone"])]
    assert initiator_sms and f"买方{masked}拒绝签署，原因：“价格有误”" in initiator_sms[0]
    assert buyer["name"] not in initiator_sms[0]
    buyer_sms = [m["message"] for m in failed if m["phone"].endswith(buyer["phone"])]
    assert "（有当事人拒绝签署）" in buyer_sms[0]
    # and the initiator's notifications hold it too (issue 17: signing failed, with the reason)
    entries = sale["initiator"].call("GET", "/me/notifications")[1]["notifications"]
    entry = next(n for n in entries if n["application_id"] == sale["id"] and n["step"] == "signing_failed")
    assert entry["title"] == "签署未完成" and "价格有误" in entry["text"]


def test_a_long_decline_reason_is_cut_short_in_the_sms_only(pool, as_citizen, stack):
    import json

    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    token = tokens_for(stack, sale["people"][1])[0]
    reason = "房屋面积与合同约定不一致" * 10  # 120 characters
    status, _ = gateway_request(stack)("POST", f"/sign/{token}/decline", {"Content-Type": "application/json"},
                                       json.dumps({"reason": reason}).encode())
    assert status == 200
    view = wait_until(lambda: (s := sale["initiator"].call("GET", f"/applications/{sale['id']}/signing")[1])
                      and s["outcome"] and s)
    assert view["declines"][0]["reason"] == reason
    sms = wait_until(lambda: [m["message"] for m in stack.sms_outbox() if "拒绝签署，原因" in m["message"]
                              and m["phone"].endswith(sale["people"][0]["phone"])])
    quoted = sms[0].split("“")[1].split("”")[0]
    assert len(quoted) == 30 and quoted.endswith("…") and reason.startswith(quoted[:-1])


def test_an_edit_after_the_first_signature_voids_all_and_reinvites_everyone(pool, as_citizen, stack):
    from local.driver.flows import contract_body

    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    request = gateway_request(stack)
    seller, buyer = sale["people"]
    old_seller_token = tokens_for(stack, seller)[0]
    assert sign_through_link(request, old_seller_token)[0] == 200
    status, body = sale["initiator"].call("PUT", f"/applications/{sale['id']}/contract", contract_body("610000.00"))
    assert status == 200, body
    assert request("GET", f"/sign/{old_seller_token}/session", {}, b"")[0] in (404, 410)
    new_token = wait_until(lambda: (t := tokens_for(stack, seller, count=2)) and t[-1] != old_seller_token and t[-1])
    status, session = request("GET", f"/sign/{new_token}/session", {}, b"")
    assert status == 200 and session["me"]["status"] == "invited"  # the earlier signature no longer counts
    view = sale["initiator"].call("GET", f"/applications/{sale['id']}/signing")[1]
    assert view["document_version"] == 2 and view["status"] == "SIGNING"
    assert "人民币陆拾壹万元整" in sale["initiator"].call("GET", f"/applications/{sale['id']}")[1]["contract"]["price_in_words"]


def test_face_mismatches_lock_the_link_after_five_in_a_day(pool, as_citizen, stack, monkeypatch):

    import boto3
    from botocore.stub import Stubber

    from estate.adapters.faces import FaceComparer
    from estate.services import face_checks as identity
    from local.driver.flows import signing_face_body

    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    token = tokens_for(stack, sale["people"][1])[0]
    client = boto3.client("rekognition", region_name="us-east-1")
    stubber = Stubber(client)
    for _ in range(5):
        stubber.add_response("compare_faces", {"FaceMatches": [], "UnmatchedFaces": [
            {"BoundingBox": {"Width": 0.5, "Height": 0.5, "Left": 0.2, "Top": 0.2}, "Confidence": 99.0}]})
    stubber.activate()
    monkeypatch.setattr(identity, "face_comparer", lambda: FaceComparer(client, threshold=90))
    request = gateway_request(stack)
    for _ in range(5):
        status, body = request("POST", f"/sign/{token}/face", {}, signing_face_body(request, token))
        assert status == 400 and body["code"] == "FACE_MISMATCH"
    status, body = request("POST", f"/sign/{token}/liveness-sessions", {}, b"")
    assert status == 429 and body["code"] == "LINK_LOCKED"
    stubber.assert_no_pending_responses()


def test_an_expired_link_opens_the_app_which_is_told_it_expired(pool, as_citizen, stack):
    from datetime import timedelta

    from estate import clock

    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    token = tokens_for(stack, sale["people"][1])[0]
    clock.set_now(clock.now() + timedelta(days=8))
    try:
        response = stack.gateway.handle("GET", f"/sign/{token}", {"Accept": "text/html"}, b"")
        assert response.status == 303 and response.headers["Location"].endswith(f"/app/sign/{token}")
        assert response.headers["Referrer-Policy"] == "no-referrer"
        status, body = gateway_request(stack)("GET", f"/sign/{token}/session", {}, b"")
        assert status == 410 and body["code"] == "LINK_EXPIRED"
    finally:
        clock.set_now(None)


def test_the_end_of_a_run_is_recorded_even_when_the_render_step_writes_at_the_same_moment(pool, as_citizen, stack,
                                                                                           monkeypatch):
    """AWS lets the render branch's invocation finish after a decline failed the run: the cleanup task
    then saves over a changed application and must read it again rather than fail and leave it SIGNING."""
    from estate.signing import workflow
    from estate.store.applications import Application, update_fields

    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    tokens_for(stack, sale["people"][1])
    version = Application.get(*Application.key(sale["id"])).signing["document_version"]
    real_read, reads = workflow._application, []

    def stale_read(application_id):
        application = real_read(application_id)
        if not reads:  # the render step writes right after the cleanup's first read
            update_fields(application, [Application.updated_at.set("2026-01-01T00:00:00+00:00")])
        reads.append(application_id)
        return application

    monkeypatch.setattr(workflow, "_application", stale_read)
    result = workflow.signing_failed({"application_id": sale["id"], "document_version": version,
                                      "error": {"Error": "SignatureDeclined"}})
    assert result == {"reason": "有当事人拒绝签署"} and len(reads) == 2
    application = Application.get(*Application.key(sale["id"]))
    assert application.status == "INQUIRY_SAVED" and application.signing["outcome"] == "SignatureDeclined"


def test_signing_starts_even_when_a_late_render_of_the_previous_run_writes_at_the_same_moment(pool, as_citizen,
                                                                                              stack, monkeypatch):
    """Saving the inquiry and starting signing is one transaction on the version read; a late render of
    the previous run writing in between makes it lose, and the save is redone on the fresh record."""
    from estate.apply import steps
    from estate.store.applications import Application, update_fields
    from local.driver.flows import inquiry_body

    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    tokens_for(stack, sale["people"][1])
    first = Application.get(*Application.key(sale["id"]))
    # the run ended (a decline); the application is back with its initiator, who saves the inquiry again
    update_fields(first, [Application.status.set("INQUIRY_SAVED"),
                          Application.signing.set({**first.signing, "outcome": "SignatureDeclined"})])
    real_load, reads = steps.load_for_editor, []

    def stale_read(caller, application_id):
        editor = real_load(caller, application_id)
        if not reads:  # the previous run's render writes right after the save's read
            update_fields(editor.application, [Application.updated_at.set("2026-01-01T00:00:00+00:00")])
        reads.append(application_id)
        return editor

    monkeypatch.setattr(steps, "load_for_editor", stale_read)
    status, body = sale["initiator"].call("PUT", f"/applications/{sale['id']}/inquiry",
                                          inquiry_body(sale["people"][:1], sale["people"][1:]))
    assert status == 200 and body["status"] == "SIGNING", body
    # At least one redo; the previous run's own steps (still winding down in the local Step
    # Functions thread) may write once more under load, and the save redoes again: still one run.
    assert len(reads) >= 2
    version = first.signing["document_version"] + 1
    application = Application.get(*Application.key(sale["id"]))
    assert application.status == "SIGNING" and application.signing["document_version"] == version
    assert application.signing["execution_arn"].endswith(f"-v{version}")


def test_the_packet_is_composed_once_and_reads_each_signature_once(pool, as_citizen, stack, monkeypatch):
    """The last signature's wait (signing.packet_ready.s) is the compose step: one packet per run, each
    signature image read from S3 once for the packet, not once per document that shows it."""
    from estate.documents import application as documents

    composed, reads = [], []
    compose, read = documents.compose_signed_packet, documents._signature_image
    monkeypatch.setattr(documents, "compose_signed_packet", lambda *a: composed.append(1) or compose(*a))
    monkeypatch.setattr(documents, "_signature_image", lambda key: reads.append(key) or read(key))
    sale = prepare_sale(pool, as_citizen)
    request, initiator = gateway_request(stack), sale["initiator"]
    for index, person in enumerate(sale["people"]):
        status, body = sign_through_link(request, tokens_for(stack, person)[0], seed=index)
        assert status == 200, body
    wait_until(lambda: initiator.call("GET", f"/applications/{sale['id']}/signing")[1]["packet_ready"])
    assert len(composed) == 1
    assert len(reads) == len(set(reads)) == 4  # four signers, three documents each shows them
