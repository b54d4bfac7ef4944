"""Materials: the presigned POST's policy, and the server-side check that is the real guard."""

from __future__ import annotations

import base64
import json

import boto3
import pytest

from local.driver.flows import image_bytes, multipart

ELEVEN_MB = 11 * 1024 * 1024


@pytest.fixture(scope="module")
def case(pool, as_citizen):
    unit = pool.unit("single")
    seller = as_citizen(pool.owners(unit)[0])
    return {"client": seller, "id": seller.start(unit, "seller")["id"]}


def request_upload(case, category="original_certificate"):
    status, body = case["client"].call("POST", f"/applications/{case['id']}/materials", {"category": category})
    assert status == 201, body
    return body


def test_the_post_policy_limits_size_and_type(case):
    upload = request_upload(case)["upload"]
    policy = json.loads(base64.b64decode(upload["fields"]["policy"]))
    assert ["content-length-range", 1, 10 * 1024 * 1024] in policy["conditions"]
    assert ["starts-with", "$Content-Type", "image/"] in policy["conditions"]
    assert upload["max_bytes"] == 10 * 1024 * 1024


def test_an_11_mb_upload_is_refused_by_the_upload_endpoint(case, stack):
    body = request_upload(case)
    form, form_type = multipart(body["upload"]["fields"], b"\xff\xd8\xff" + b"0" * ELEVEN_MB)
    url = body["upload"]["url"]
    response = stack.gateway.handle("POST", url[url.index("/_s3/"):], {"Content-Type": form_type}, form)
    assert response.status == 400 and b"EntityTooLarge" in response.body


def put_directly(stack, body, data: bytes, content_type: str):
    """An upload that slipped past the policy (moto, a misconfigured bucket, a lying client)."""
    bucket = stack.environment["UPLOADS_BUCKET"]
    boto3.client("s3").put_object(Bucket=bucket, Key=body["upload"]["fields"]["key"], Body=data,
                                  ContentType=content_type)


def test_the_server_side_check_rejects_an_11_mb_file_that_got_through(case, stack):
    body = request_upload(case)
    put_directly(stack, body, b"\xff\xd8\xff" + b"0" * ELEVEN_MB, "image/jpeg")
    status, material = case["client"].call("GET", f"/applications/{case['id']}/materials/{body['material']['material_id']}")
    assert status == 200 and material["status"] == "rejected" and material["reason"] == "单张图片不能大于10M"


def test_a_pdf_renamed_jpg_is_rejected(case, stack):
    body = request_upload(case)
    form, form_type = multipart(body["upload"]["fields"], b"%PDF-1.7\n" + b"0" * 5000, "image/jpeg")
    url = body["upload"]["url"]
    assert stack.gateway.handle("POST", url[url.index("/_s3/"):], {"Content-Type": form_type}, form).status == 204
    status, material = case["client"].call("GET", f"/applications/{case['id']}/materials/{body['material']['material_id']}")
    assert material["status"] == "rejected" and "JPG或PNG" in material["reason"]


def test_a_tiny_image_is_rejected_and_a_good_one_accepted(case):
    bad_id, status, _ = case["client"].upload(case["id"], "household_register", image_bytes("PNG", (50, 50)), "image/png")
    assert status == 204
    assert case["client"].call("GET", f"/applications/{case['id']}/materials/{bad_id}")[1]["status"] == "rejected"
    good_id, _, _ = case["client"].upload(case["id"], "household_register", image_bytes("PNG", (800, 600)), "image/png")
    status, material = case["client"].call("GET", f"/applications/{case['id']}/materials/{good_id}")
    assert material["status"] == "accepted" and material["width"] == 800 and material["url"]


def test_list_and_delete(case):
    material_id, _, _ = case["client"].upload(case["id"], "id_card_seller")
    listed = case["client"].call("GET", f"/applications/{case['id']}/materials")[1]["materials"]
    assert material_id in [m["material_id"] for m in listed]
    assert case["client"].call("DELETE", f"/applications/{case['id']}/materials/{material_id}")[0] == 200
    assert case["client"].call("GET", f"/applications/{case['id']}/materials/{material_id}")[0] == 404


def test_unknown_category_is_400(case):
    status, body = case["client"].call("POST", f"/applications/{case['id']}/materials", {"category": "selfie"})
    assert status == 400 and body["details"][0]["code"] == "UNKNOWN_CATEGORY"


def test_submit_checks_uploads_whose_s3_event_has_not_arrived_yet(pool, as_citizen, monkeypatch):
    from local.s3 import LocalS3Endpoint
    from local.driver.signing import prepare_sale

    monkeypatch.setattr(LocalS3Endpoint, "_notify", lambda *args, **kwargs: None)  # S3's events are late
    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    initiator = sale["initiator"]
    status, body = initiator.call("GET", f"/applications/{sale['id']}/materials")
    assert {m["status"] for m in body["materials"]} == {"pending"}
    status, body = initiator.call("POST", f"/applications/{sale['id']}/submit", {})
    assert status == 400 and {d["code"] for d in body["details"]} == {"SIGNED_DOCUMENT_MISSING"}, body
    status, body = initiator.call("GET", f"/applications/{sale['id']}/materials")
    assert {m["status"] for m in body["materials"]} == {"accepted"}


def test_an_upload_that_never_arrives_fails_when_its_post_expires_and_submit_counts_it_missing(pool, as_citizen):
    from datetime import timedelta

    from estate import clock
    from estate.store.applications import Material
    from local.driver.signing import prepare_sale

    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    initiator, materials = sale["initiator"], f"/applications/{sale['id']}/materials"
    certificate = next(m for m in initiator.call("GET", materials)[1]["materials"]
                       if m["category"] == "original_certificate")
    assert initiator.call("DELETE", f"{materials}/{certificate['material_id']}")[0] == 200
    # The new photo is too large: S3 refuses it, so the object never arrives.
    status, body = initiator.call("POST", materials, {"category": "original_certificate"})
    assert status == 201, body
    material_id, expires_in = body["material"]["material_id"], body["upload"]["expires_in"]
    assert body["material"]["status"] == "pending" and body["material"]["status_label"] == "上传中"
    form, form_type = multipart(body["upload"]["fields"], b"\xff\xd8\xff" + b"0" * ELEVEN_MB)
    url = body["upload"]["url"]
    assert initiator.call("POST", url[url.index("/_s3/"):], headers={"Content-Type": form_type}, raw=form)[0] == 400
    status, material = initiator.call("GET", f"{materials}/{material_id}")
    assert status == 200 and material["status"] == "pending"  # still inside the POST's validity
    clock.set_now(clock.now() + timedelta(seconds=expires_in + 121))
    try:
        listed = {m["material_id"]: m for m in initiator.call("GET", materials)[1]["materials"]}
        assert listed[material_id]["status"] == "expired" and listed[material_id]["status_label"] == "上传失败"
        status, material = initiator.call("GET", f"{materials}/{material_id}")
        assert status == 200 and material["status"] == "expired" and "上传失败" in material["reason"]
        assert "url" not in material
        status, body = initiator.call("POST", f"/applications/{sale['id']}/submit", {})
        assert status == 400 and body["code"] == "APPLICATION_INCOMPLETE"
        assert {"field": "materials.original_certificate", "code": "MATERIAL_MISSING",
                "message": "请上传原不动产权证书"} in body["details"], body["details"]
    finally:
        clock.set_now(None)
    # The failure was stored, not only shown: it holds with the clock back, and nothing stays pending.
    assert Material.get(f"APP#{sale['id']}", f"MAT#{material_id}").status == "expired"
    assert initiator.call("GET", f"{materials}/{material_id}")[1]["status"] == "expired"


def test_a_decompression_bomb_is_rejected_as_too_large_and_stays_readable(case):
    from tests.support.images import bomb_png

    material_id, status, _ = case["client"].upload(case["id"], "household_register", bomb_png(), "image/png")
    assert status == 204
    for _ in range(2):  # the verdict is kept: every later read answers the same, never a 500
        status, material = case["client"].call("GET", f"/applications/{case['id']}/materials/{material_id}")
        assert status == 200 and material["status"] == "rejected" and material["reason"] == "图片尺寸过大", material
    listed = case["client"].call("GET", f"/applications/{case['id']}/materials")[1]["materials"]
    assert next(m for m in listed if m["material_id"] == material_id)["status_label"] == "未通过"


def test_a_truncated_photo_is_rejected_as_corrupt(case):
    whole = image_bytes("JPEG", (800, 600))
    material_id, status, _ = case["client"].upload(case["id"], "household_register", whole[: len(whole) // 2])
    assert status == 204
    status, material = case["client"].call("GET", f"/applications/{case['id']}/materials/{material_id}")
    assert status == 200 and material["status"] == "rejected" and material["reason"] == "图片已损坏，无法打开"
