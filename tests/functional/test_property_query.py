"""个人不动产登记信息查询 (issue 7): the result certificate lists the person's units (or 无登记记录),
verifies, is the person's own; a stranger's face check is refused; a daily limit."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from urllib.parse import urlsplit


from tests.support.booking import Booker
from local.driver.office import fresh_people


def citizen(stack, person):
    from local.driver.api import decode

    return Booker(lambda method, path, headers, body: decode(stack.gateway.handle(method, path, headers, body)),
                  stack.issuer.citizen_token(person["id_number"], person["name"]))


def query_body(caller, **overrides) -> dict:
    captcha_id, answer = caller.captcha()
    body = {"notice_accepted": True, "outlet": "140302", "scope": "city", "purpose": "办理贷款需提供房产证明",
            "captcha_id": captcha_id, "captcha_answer": answer, "face_check": caller.face_check()}
    return {**body, **overrides}


def pdf_text(stack, url: str, tmp_path) -> tuple[bytes, str]:
    parts = urlsplit(url)
    response = stack.gateway.handle("GET", f"{parts.path}?{parts.query}", {}, b"")
    assert response.status == 200 and response.body.startswith(b"%PDF-")
    if not shutil.which("pdftotext"):
        return response.body, ""
    (tmp_path / "q.pdf").write_bytes(response.body)
    return response.body, subprocess.run(["pdftotext", str(tmp_path / "q.pdf"), "-"], capture_output=True,
                                         text=True).stdout


def test_an_owner_gets_a_certificate_listing_the_units_with_restrictions_and_it_verifies(stack, pool, tmp_path):
    unit = pool.unit("mortgage_allowed")
    owner = pool.owners(unit)[0]
    caller = citizen(stack, owner)
    status, body = caller.call("POST", "/queries", query_body(caller))
    assert status == 201, body
    assert unit["unit_number"] in [u["unit_number"] for u in body["units"]]
    row = next(u for u in body["units"] if u["unit_number"] == unit["unit_number"])
    assert row["certificate_number"] == unit["right"]["certificate_number"] and row["location"] == unit["location"]
    assert [r["kind"] for r in row["restrictions"]] == [r["kind"] for r in unit["restrictions"]]
    assert body["purpose"] == "办理贷款需提供房产证明" and body["scope"] == "city"
    assert body["document"] is None and body["document_status"] == "pending"  # rendered off the POST
    status, opened = caller.call("GET", f"/queries/{body['id']}")
    assert status == 200 and opened["document_status"] == "issued"
    pdf, text = pdf_text(stack, opened["document"]["pdf_url"], tmp_path)
    status, verified = caller.call("GET", urlsplit(opened["document"]["verify_url"]).path)
    assert status == 200 and verified["valid"] and verified["document_type"] == "query_certificate"
    assert verified["sha256"] == hashlib.sha256(pdf).hexdigest()
    if text:
        assert "查询结果证明" in text.replace(" ", "") and "办理贷款需提供房产证明" in text
        assert unit["unit_number"] in text.replace(" ", "") and "抵押" in text
    status, again = caller.call("GET", f"/queries/{body['id']}")
    assert status == 200 and again["units"] == body["units"]
    assert again["document"]["code"] == opened["document"]["code"]  # issued once
    stranger = citizen(stack, fresh_people()[0])
    assert stranger.call("GET", f"/queries/{body['id']}")[0] == 404


def test_scope_outlet_leaves_out_units_elsewhere_and_nobody_has_no_record(stack, pool, tmp_path):
    unit = pool.unit("single", outlet="140303")
    owner = pool.owners(unit)[0]
    caller = citizen(stack, owner)
    status, body = caller.call("POST", "/queries", query_body(caller, scope="outlet", outlet="140302"))
    assert status == 201, body
    assert unit["unit_number"] not in [u["unit_number"] for u in body["units"]]
    newcomer = citizen(stack, fresh_people()[0])
    status, body = newcomer.call("POST", "/queries", query_body(newcomer))
    assert status == 201 and body["units"] == [] and body["result"] == "无登记记录"
    status, body = newcomer.call("GET", f"/queries/{body['id']}")
    _, text = pdf_text(stack, body["document"]["pdf_url"], tmp_path)
    if text:
        assert "无登记记录" in text


def test_a_stranger_face_check_is_403_and_bad_input_400(stack, pool):
    caller, stranger = citizen(stack, fresh_people()[0]), citizen(stack, fresh_people()[0])
    status, body = caller.call("POST", "/queries", query_body(caller, face_check=stranger.face_check()))
    assert status == 403 and body["code"] == "FACE_CHECK_NOT_YOURS"
    status, body = caller.call("POST", "/queries", {"scope": "everywhere"})
    assert status == 400
    assert {d["field"] for d in body["details"]} >= {"notice_accepted", "outlet", "scope", "purpose", "captcha_id",
                                                     "face_check"}
    status, body = caller.call("POST", "/queries", query_body(caller, captcha_answer="WRONG"))
    assert status == 400 and body["code"] == "CAPTCHA_WRONG"


def test_over_the_daily_limit_is_429_in_chinese(stack, pool):
    from estate.config import get_settings

    caller = citizen(stack, fresh_people()[0])
    for _ in range(get_settings().query_daily_limit):
        status, body = caller.call("POST", "/queries", query_body(caller))
        assert status == 201, body
    status, body = caller.call("POST", "/queries", query_body(caller))
    assert status == 429 and body["code"] == "DAILY_QUERY_LIMIT" and "今日的查询次数已达上限" in body["message"]


def test_queries_are_audited(api, stack, pool):
    caller = citizen(stack, fresh_people()[0])
    status, body = caller.call("POST", "/queries", query_body(caller))
    assert status == 201
    auditor = api.as_token(stack.issuer.clerk_token("140302", "审计员", "auditor"))
    entries = auditor.get("/office/audit?action=query.create").json()["entries"]
    assert any(e["detail"] and e["detail"]["query_id"] == body["id"] and e["actor_role"] == "citizen"
               for e in entries)


def test_unknown_queries_are_404(stack, pool):
    caller = citizen(stack, fresh_people()[0])
    assert caller.call("GET", "/queries/Q2099NOPE")[0] == 404


def test_a_key_of_another_item_kind_is_not_an_id(stack, pool):
    caller = citizen(stack, fresh_people()[0])
    status, body = caller.call("GET", "/queries/LIMIT%23x%232026-01-01")[:2]
    assert status == 400 and body["details"][0]["field"] == "id" and body["details"][0]["code"] == "KEY_FORMAT"
