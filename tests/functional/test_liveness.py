"""A face check is a liveness session (issue 18): started for one person and one use, completed on
the provider's page (locally the simulated page, local/liveness.py), its result read once. Every
refusal has its code and a Chinese message; the photo upload is gone."""

from __future__ import annotations

import base64
import json

import pytest

from estate.apply.models import LivenessSessionView
from local.driver.flows import complete_liveness, image_bytes
from tests.support.contract import assert_answers


def start(citizen, **body):
    status, started = citizen.call("POST", "/identity/liveness-sessions", body)
    assert status == 201, started
    return started


def finish(citizen, session: str):
    return citizen.call("POST", "/identity/face-checks", {"session": session})


def test_a_session_sends_the_phone_to_the_liveness_page_and_back_to_the_app(pool, as_citizen, stack):
    citizen = as_citizen(pool.citizen())
    started = start(citizen, purpose="query", return_to="/query")
    assert_answers(LivenessSessionView, started)
    assert started["provider"] == "simulated" and "/_dev/liveness/" in started["url"]
    assert "大厅" in started["no_camera_hint"]
    path = started["url"][started["url"].index("/_dev/"):].split("?")[0]
    page = stack.gateway.handle("GET", path + "?return=%2Fapp%2Fquery", {})
    assert page.status == 200 and "活体检测" in page.text and "非活体" in page.text and "超时" in page.text
    status, body = finish(citizen, started["session"])
    assert status == 409 and body["code"] == "FACE_SESSION_PENDING" and "完成" in body["message"]
    complete_liveness(citizen._request, started, "live")
    status, body = finish(citizen, started["session"])
    assert status == 201 and body["face_check"].startswith("fc_"), body


def test_the_return_address_stays_inside_the_app(pool, as_citizen):
    citizen = as_citizen(pool.citizen())
    started = start(citizen, return_to="/transfer/start")
    assert "/app/transfer/start?liveness=" + started["session"] in started["url"].replace("%2F", "/").replace(
        "%3A", ":").replace("%3F", "?").replace("%3D", "=")
    for bad in ("https://evil.example/", "//evil.example/x", "/a/../../x", "relative"):
        status, body = citizen.call("POST", "/identity/liveness-sessions", {"return_to": bad})
        assert status == 400 and body["details"][0]["code"] == "RETURN_PATH_INVALID", (bad, body)


def test_not_live_is_refused_and_counts_towards_the_lock(pool, as_citizen):
    citizen = as_citizen(pool.citizen())
    status, body = citizen.face_check_attempt("not_live")
    assert status == 400 and body["code"] == "FACE_NOT_LIVE" and "活体" in body["message"], body


def test_a_timed_out_session_is_refused_with_its_own_code(pool, as_citizen):
    citizen = as_citizen(pool.citizen())
    status, body = citizen.face_check_attempt("timeout")
    assert status == 400 and body["code"] == "FACE_SESSION_TIMEOUT" and "超时" in body["message"], body


def test_a_session_not_finished_in_time_is_refused(pool, as_citizen):
    from datetime import timedelta

    from estate import clock

    citizen = as_citizen(pool.citizen())
    started = start(citizen)
    complete_liveness(citizen._request, started, "live")
    clock.set_now(clock.now() + timedelta(minutes=11))
    try:
        status, body = finish(citizen, started["session"])
    finally:
        clock.set_now(None)
    assert status == 400 and body["code"] == "FACE_SESSION_TIMEOUT", body


def test_a_result_is_read_once_a_replay_is_refused(pool, as_citizen):
    citizen = as_citizen(pool.citizen())
    session = citizen.liveness()
    assert finish(citizen, session)[0] == 201
    status, body = finish(citizen, session)
    assert status == 409 and body["code"] == "FACE_SESSION_USED" and "已使用" in body["message"]


def test_another_persons_session_is_refused(pool, as_citizen):
    owner, stranger = as_citizen(pool.citizen()), as_citizen(pool.citizen())
    session = owner.liveness()
    status, body = finish(stranger, session)
    assert status == 403 and body["code"] == "FACE_SESSION_NOT_YOURS"
    assert finish(owner, session)[0] == 201   # the refusal did not use it up


def test_an_unknown_session_is_refused_like_someone_elses(pool, as_citizen):
    status, body = finish(as_citizen(pool.citizen()), "ls_doesnotexist")
    assert status == 403 and body["code"] == "FACE_SESSION_NOT_YOURS"


def test_a_result_the_provider_gives_for_another_session_is_refused(pool, as_citizen, monkeypatch):
    from estate.adapters import liveness
    from estate.services import face_checks

    citizen = as_citizen(pool.citizen())
    session = citizen.liveness()
    provider = face_checks.liveness_provider()
    monkeypatch.setattr(provider, "result", lambda provider_session, subject: liveness.LivenessResult(
        None, "sim-someone-elses", 99.0, 99.0))
    status, body = finish(citizen, session)
    assert status == 403 and body["code"] == "FACE_SESSION_MISMATCH", body


def test_a_result_the_provider_verified_for_another_person_is_refused(pool, as_citizen, monkeypatch):
    from estate.adapters import liveness
    from estate.services import face_checks

    citizen = as_citizen(pool.citizen())
    session = citizen.liveness()
    provider = face_checks.liveness_provider()
    monkeypatch.setattr(provider, "result", lambda provider_session, subject: liveness.LivenessResult(
        None, provider_session, 99.0, 99.0, verified_person="140302199001010011"))
    status, body = finish(citizen, session)
    assert status == 403 and body["code"] == "FACE_SESSION_OTHER_PERSON", body


def test_a_provider_error_code_is_shown_with_a_chinese_message(pool, as_citizen, monkeypatch):
    from estate.adapters import liveness
    from estate.services import face_checks

    citizen = as_citizen(pool.citizen())
    session = citizen.liveness()
    provider = face_checks.liveness_provider()
    monkeypatch.setattr(provider, "result", lambda provider_session, subject: liveness.LivenessResult(
        liveness.PROVIDER_ERROR, provider_session, provider_code="3007"))
    status, body = finish(citizen, session)
    assert status == 400 and body["code"] == "FACE_PROVIDER_ERROR" and body["provider_code"] == "3007"
    assert "3007" in body["message"] and "大厅" in body["message"]


def test_a_signing_session_cannot_be_used_to_apply(pool, as_citizen, stack):
    from local.driver.signing import gateway_request, prepare_sale, tokens_for

    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    signer = sale["people"][1]
    token = tokens_for(stack, signer)[0]
    request = gateway_request(stack)
    status, started = request("POST", f"/sign/{token}/liveness-sessions", {"Content-Type": "application/json"}, b"{}")
    assert status == 201, started
    complete_liveness(request, started)
    status, body = finish(as_citizen(signer), started["session"])
    assert status == 409 and body["code"] == "FACE_SESSION_OTHER_USE", body


def test_a_photo_is_no_longer_a_face_check(pool, as_citizen):
    """The file-upload path is gone: an image in place of a session is refused, not compared."""
    photo = base64.b64encode(image_bytes("JPEG", (320, 320))).decode()
    status, body = as_citizen(pool.citizen()).call("POST", "/identity/face-checks", {"image": photo})
    assert status == 400 and body["details"][0]["field"] == "session", body


@pytest.mark.parametrize("outcome", ["maybe", ""])
def test_the_simulator_refuses_an_unknown_outcome(pool, as_citizen, outcome):
    citizen = as_citizen(pool.citizen())
    started = start(citizen)
    path = started["url"][started["url"].index("/_dev/liveness/"):].split("?")[0]
    status, body = citizen._request("POST", path, {"Content-Type": "application/json"},
                                    json.dumps({"outcome": outcome}).encode())
    assert status == 400 and body["code"] == "OUTCOME_INVALID"
