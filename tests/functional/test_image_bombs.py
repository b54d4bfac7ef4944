"""Hostile images sent inside JSON bodies: a 30000x30000 PNG bomb (~110 KB) as a drawn signature
(a data: URL, as the signing page sends it) is a 400 with IMAGE_TOO_LARGE (图片尺寸过大),
never a 500; a broken image is a 400 too. (Material uploads: test_materials.py.)"""

from __future__ import annotations

import base64
import json

import pytest

from local.driver.flows import signature_png
from tests.support.images import bomb_png
from local.driver.signing import gateway_request, prepare_sale, tokens_for


@pytest.fixture(scope="module")
def signing_link(pool, as_citizen, stack):
    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    return tokens_for(stack, sale["people"][1])[0]


def post_signature(stack, token: str, image: str):
    return gateway_request(stack)("POST", f"/sign/{token}/signature", {"Content-Type": "application/json"},
                                  json.dumps({"image": image}).encode())


def test_a_bomb_as_a_signature_is_400_image_too_large(stack, signing_link):
    status, body = post_signature(stack, signing_link, "data:image/png;base64," + base64.b64encode(bomb_png()).decode())
    assert status == 400 and body["code"] == "IMAGE_TOO_LARGE" and body["message"] == "图片尺寸过大", body
    assert body["details"] == [{"field": "image", "code": "IMAGE_TOO_LARGE", "message": "图片尺寸过大"}]


def test_a_truncated_signature_is_400_not_png(stack, signing_link):
    whole = signature_png()
    status, body = post_signature(stack, signing_link, base64.b64encode(whole[: len(whole) // 2]).decode())
    assert status == 400 and body["details"][0]["code"] == "NOT_PNG" and "损坏" in body["details"][0]["message"]


