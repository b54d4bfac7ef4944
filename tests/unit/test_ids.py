from datetime import date

import pytest

from estate.domain.ids import (InvalidIdentifier, format_certificate_number, format_unit_number, id_check_char,
                               parse_any_certificate_number, parse_certificate_number, parse_mobile,
                               parse_resident_id, parse_unit_number)


def test_check_character_matches_the_standard_worked_examples():
    assert id_check_char("11010519491231002") == "X"
    assert id_check_char("14030219800101001") == "3"


def test_resident_id_parses_birth_date_and_sex():
    rid = parse_resident_id("11010519491231002x")
    assert rid.number == "11010519491231002X"
    assert rid.birth_date == date(1949, 12, 31)
    assert rid.sex == "F"  # sequence 002 is even
    assert parse_resident_id("140302198001010013").sex == "M"


def test_resident_id_accepts_full_width_digits_and_spaces():
    assert parse_resident_id(" １４０３０２１９８００１０１００１３ ").number == "140302198001010013"


@pytest.mark.parametrize("raw, code", [
    ("14030219800101001", "ID_NUMBER_FORMAT"),          # 17 characters
    ("1403021980010100134", "ID_NUMBER_FORMAT"),        # 19 characters
    ("14030219800101001A", "ID_NUMBER_FORMAT"),
    ("140302198002300013", "ID_NUMBER_BIRTH_DATE"),     # 30 February
    ("140302189912310013", "ID_NUMBER_BIRTH_DATE"),     # before 1900
    ("140302198001010014", "ID_NUMBER_CHECKSUM"),
    ("", "ID_NUMBER_FORMAT"),
])
def test_resident_id_rejections_carry_stable_codes(raw, code):
    with pytest.raises(InvalidIdentifier) as caught:
        parse_resident_id(raw)
    assert caught.value.code == code
    assert caught.value.message  # Chinese text for the user


def test_resident_id_rejects_a_birth_date_in_the_future():
    body = "14030220991231001"
    with pytest.raises(InvalidIdentifier) as caught:
        parse_resident_id(body + id_check_char(body), today=date(2026, 11, 29))
    assert caught.value.code == "ID_NUMBER_BIRTH_DATE"


def test_age_on_a_day_counts_birthdays():
    rid = parse_resident_id("140302198001010013")
    assert rid.age_on(date(2025, 12, 31)) == 45
    assert rid.age_on(date(2026, 1, 1)) == 46


def test_unit_number_shape_and_display():
    assert parse_unit_number("140302 001002 gb00001 f00010001") == "140302001002GB00001F00010001"
    assert format_unit_number("140302001002GB00001F00010001") == "140302 001002 GB00001 F00010001"
    for bad in ("140302001002GB00001F0001000", "140302001002XB00001F00010001", "140302001002GB00001K00010001"):
        with pytest.raises(InvalidIdentifier):
            parse_unit_number(bad)


@pytest.mark.parametrize("raw", [
    "晋(2021)阳泉市不动产权第0001234号",
    "晋（2021）阳泉市不动产权第0001234号",
    " 晋 (2021) 阳泉市 不动产权第 0001234 号 ",
])
def test_certificate_numbers_are_normalised(raw):
    parsed = parse_certificate_number(raw)
    assert parsed.text == "晋(2021)阳泉市不动产权第0001234号"
    assert (parsed.province, parsed.year, parsed.place, parsed.serial) == ("晋", 2021, "阳泉市", "0001234")
    assert parsed.is_title_certificate


def test_certificate_variants_seen_in_real_data_parse():
    assert parse_certificate_number("皖(2018)合肥市不动产权第10023999号").serial == "10023999"
    assert parse_certificate_number("甬(2016)宁波市不动产权第158545号").serial == "158545"
    assert not parse_certificate_number("晋(2021)阳泉市不动产证明第0005678号").is_title_certificate


def test_malformed_certificate_number_is_refused():
    for bad in ("晋2021阳泉市不动产权第0001234号", "不动产权第0001234号", "abc", ""):
        with pytest.raises(InvalidIdentifier) as caught:
            parse_certificate_number(bad)
        assert caught.value.code == "CERTIFICATE_NUMBER_FORMAT"


def test_legacy_house_certificates_are_recognised_for_the_lookup():
    assert parse_any_certificate_number("阳房权证城区字第00012345号") == ("阳房权证城区字第00012345号", True)
    assert parse_any_certificate_number("晋（2021）阳泉市不动产权第0001234号") == ("晋(2021)阳泉市不动产权第0001234号", False)
    with pytest.raises(InvalidIdentifier):
        parse_any_certificate_number("hello")


def test_certificate_formatting_pads_the_serial():
    assert format_certificate_number("晋", 2026, "阳泉市", 42) == "晋(2026)阳泉市不动产权第0000042号"


@pytest.mark.parametrize("raw", ["13812345678", "+86 138 1234 5678", "86-13812345678", "１３８１２３４５６７８"])
def test_mobile_numbers_are_normalised(raw):
    assert parse_mobile(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "138123456789", "03533012345", ""])
def test_bad_mobile_numbers_are_refused(raw):
    with pytest.raises(InvalidIdentifier):
        parse_mobile(raw)
