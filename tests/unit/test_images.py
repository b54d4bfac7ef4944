"""The image guard: a decompression bomb, a truncated file or a non-image is refused from its
header or its bytes, never decoded at full size and never an unexpected exception (a 500)."""

from __future__ import annotations

import time

import pytest

from estate import images
from estate.errors import ValidationError
from local.driver.flows import image_bytes
from tests.support.images import bomb_png, png_declaring


def reason(data: bytes, **kwargs) -> str:
    with pytest.raises(images.ImageRejected) as refused:
        images.inspect_image(data, **kwargs)
    return refused.value.reason


def test_the_bomb_is_small_and_declares_900_megapixels():
    bomb = bomb_png()
    assert len(bomb) < 150_000 and bomb.startswith(images.PNG_MAGIC)
    assert int.from_bytes(bomb[16:20], "big") == int.from_bytes(bomb[20:24], "big") == 30000


def test_a_bomb_is_refused_from_its_header_at_once():
    started = time.perf_counter()
    assert reason(bomb_png()) == "TOO_MANY_PIXELS"
    assert time.perf_counter() - started < 1  # decoding 900 MP would take minutes and gigabytes


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")  # as images.pillow() sets it
def test_pillows_warning_between_its_limit_and_twice_it_is_a_refusal():
    assert reason(png_declaring(7000, 7000)) == "TOO_MANY_PIXELS"  # 49 MP > 40 MP


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_our_own_check_refuses_above_the_limit_even_if_pillows_warning_is_ignored():
    assert reason(png_declaring(7000, 7000)) == "TOO_MANY_PIXELS"


def test_the_limit_is_the_configured_one_and_an_explicit_one_wins():
    assert images.inspect_image(png_declaring(6000, 6000)).width == 6000  # 36 MP
    assert reason(png_declaring(1000, 1000), max_pixels=999_999) == "TOO_MANY_PIXELS"


def test_a_sane_jpeg_and_png_give_type_and_size():
    assert images.inspect_image(image_bytes("JPEG", (1600, 1200))) == images.ImageInfo("image/jpeg", 1600, 1200)
    assert images.inspect_image(image_bytes("PNG", (800, 600))) == images.ImageInfo("image/png", 800, 600)


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_a_truncated_image_is_corrupt(kind):
    whole = image_bytes(kind, (800, 600))
    assert reason(whole[: len(whole) // 2]) == "CORRUPT"


@pytest.mark.parametrize("data, expected", [
    (images.PNG_MAGIC + b"garbage" * 20, "CORRUPT"),
    (images.JPEG_MAGIC + b"\xe0garbage" * 20, "CORRUPT"),
    (b"%PDF-1.7\n" + b"0" * 100, "NOT_AN_IMAGE"),
    (b"", "NOT_AN_IMAGE"),
])
def test_garbage_and_non_images_are_refused(data, expected):
    assert reason(data) == expected


def test_a_decoding_error_inside_the_callers_block_is_corrupt_too():
    whole = image_bytes("PNG", (800, 600))
    with pytest.raises(images.ImageRejected) as refused:
        with images.open_image(whole[:-40]) as image:
            image.load()
    assert refused.value.reason == "CORRUPT"


def test_a_refusal_becomes_a_400_with_a_code_on_the_field():
    error = images.ImageRejected("TOO_MANY_PIXELS").as_validation_error("image")
    assert isinstance(error, ValidationError) and error.status == 400
    assert error.code == "IMAGE_TOO_LARGE" and error.message == "图片尺寸过大"
    assert error.body()["details"] == [{"field": "image", "code": "IMAGE_TOO_LARGE", "message": "图片尺寸过大"}]
