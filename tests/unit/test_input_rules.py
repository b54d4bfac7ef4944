"""The pure rules behind the input guard: id-shaped keys, sound text, JSON depth, ID-card names."""

from __future__ import annotations

import pytest

from estate.adapters.providers import ProviderNotImplemented, check_selected_providers
from estate.domain.ids import InvalidIdentifier, parse_file_name, parse_key
from estate.apply.models import PartiesForm
from estate.domain.people import parse_person_name, validate_parties
from estate.schema import parse
from estate.domain.register import Owner
from estate.domain.text import forbidden_char
from estate.errors import ValidationError
from estate.http import json_depth_exceeds


@pytest.mark.parametrize("key", ["140302", "YQ20260101ABCDE12345", "bk_AbC-9_x", "ICBC-YQ-CQ", "sale_contract",
                                 "-startswithdash"])
def test_keys_this_service_mints_are_accepted(key):
    assert parse_key(key) == key


@pytest.mark.parametrize("raw, code", [("", "KEY_REQUIRED"), ("  ", "KEY_REQUIRED"), (None, "KEY_REQUIRED"),
                                       ("a#b", "KEY_FORMAT"), ("a b", "KEY_FORMAT"), ("网点", "KEY_FORMAT"),
                                       ("x" * 65, "KEY_FORMAT"), (42, "KEY_FORMAT"), ("a\u0000", "KEY_FORMAT")])
def test_anything_else_is_not_a_key(raw, code):
    with pytest.raises(InvalidIdentifier) as error:
        parse_key(raw)
    assert error.value.code == code


@pytest.mark.parametrize("text, multiline, bad", [
    ("王建国", False, None), ("a\u3000b", False, None), ("line\nline", True, None),
    ("line\nline", False, "\n"), ("tab\there", True, "\t"), ("a\u0000", False, "\u0000"),
    ("a\u202eb", False, "\u202e"), ("a\u2066b", False, "\u2066"), ("a\u200bb", False, "\u200b"),
    ("a\ufeff", False, "\ufeff"), ("a\u2028b", True, "\u2028"), ("a\ud800", False, "\ud800"),
])
def test_control_and_format_characters(text, multiline, bad):
    assert forbidden_char(text, multiline=multiline) == bad


@pytest.mark.parametrize("raw, deep", [
    (b'{"a":[[1]]}', False),
    (b'{"a":' + b"[" * 33 + b"]" * 33 + b"}", True),
    (b'{"a":' + b"[" * 31 + b"]" * 31 + b"}", False),   # 32 levels with the outer object
    (b'{"a":"' + b"[" * 1000 + b'"}', False),           # brackets inside a string are text
    (b'{"a":"\\"' + b"[" * 1000 + b'"}', False),        # ...also after an escaped quote
    (b'{"a":"\\\\",' + b'"b":' + b"[" * 40 + b"]" * 40 + b"}", True),  # an escaped backslash ends the string
])
def test_json_depth_is_counted_outside_strings(raw, deep):
    assert json_depth_exceeds(raw, 32) is deep


@pytest.mark.parametrize("raw, name", [
    ("王建国", "王建国"), (" 欧阳娜娜 ", "欧阳娜娜"), ("买买提·艾力", "买买提·艾力"), ("买买提•艾力", "买买提·艾力"),
    ("买买提・艾力", "买买提·艾力"), ("买买提･艾力", "买买提·艾力"), ("𪚥明", "𪚥明"), ("王〇", "王〇"),
])
def test_id_card_names_are_normalised(raw, name):
    assert parse_person_name(raw) == name


@pytest.mark.parametrize("raw, code", [
    ("王", "NAME_LENGTH"), ("王" * 31, "NAME_LENGTH"), ("<img src=x onerror=alert(1)>", "NAME_FORMAT"),
    ("Wang", "NAME_FORMAT"), ("王 建国", "NAME_FORMAT"), ("·艾力", "NAME_FORMAT"), ("艾力·", "NAME_FORMAT"),
    ("买买提··艾力", "NAME_FORMAT"), ("王1", "NAME_FORMAT"),
])
def test_names_not_as_on_an_id_card_are_refused(raw, code):
    with pytest.raises(InvalidIdentifier) as error:
        parse_person_name(raw)
    assert error.value.code == code


SELLER = {"name": "王建国", "id_number": "140111200012310666", "phone": "13979287070", "address": "阳泉市",
          "marital_status": "married"}
BUYER = {"name": "买买提•艾力", "id_number": "11010519491231002X", "phone": "13800000000", "address": "阳泉市",
         "marital_status": "single"}
RECORDS = {"140111200012310666": "王建国", "11010519491231002X": "买买提·艾力"}


def _form(body: dict) -> PartiesForm:
    return parse(PartiesForm, body)


def test_parties_match_the_real_name_record_whatever_dot_was_typed():
    parties = validate_parties(_form({"sellers": [SELLER], "buyers": [BUYER], "holding": {"mode": "single"}}),
                               (Owner("王建国", "140111200012310666"),), RECORDS.get)
    assert parties["buyers"][0]["name"] == "买买提·艾力" and parties["holding"]["holders"] == ["买买提·艾力"]


def test_a_name_the_record_does_not_hold_is_a_field_error():
    with pytest.raises(ValidationError) as error:
        validate_parties(_form({"sellers": [SELLER], "buyers": [{**BUYER, "name": "买买提"}], "holding": {"mode": "single"}}),
                         (Owner("王建国", "140111200012310666"),), RECORDS.get)
    assert ("buyers[0].name", "NAME_ID_MISMATCH") in [(d.field, d.code) for d in error.value.details]


def test_an_unknown_id_number_is_not_refused_for_its_name():
    parties = validate_parties(_form({"sellers": [SELLER], "buyers": [{**BUYER, "name": "李四"}], "holding": {"mode": "single"}}),
                               (Owner("王建国", "140111200012310666"),), {}.get)
    assert parties["buyers"][0]["name"] == "李四"


def test_the_provincial_real_name_service_cannot_be_selected_in_this_build():
    check_selected_providers({"realname_provider": "people"})
    with pytest.raises(ProviderNotImplemented, match="REALNAME_PROVIDER='province'"):
        check_selected_providers({"realname_provider": "province"})


@pytest.mark.parametrize("value, expected", [("sale", True), ("gift", False), ([], False), ({}, False), (None, False)])
def test_only_a_string_can_be_a_choice(value, expected):
    from estate.domain.ids import is_choice

    assert is_choice(value, {"sale": "买卖"}) is expected


def test_a_share_that_is_not_a_number_is_a_field_error():
    body = {"sellers": [SELLER], "buyers": [BUYER, {**BUYER, "name": "李四", "id_number": "140303196602271929"}],
            "holding": {"mode": "shares", "shares": {BUYER["id_number"]: "NaN", "140303196602271929": "50"}}}
    with pytest.raises(ValidationError) as error:
        validate_parties(_form(body), (Owner("王建国", "140111200012310666"),))
    assert ("holding.shares", "SHARE_RANGE") in [(d.field, d.code) for d in error.value.details]


@pytest.mark.parametrize("name", ["signing.js", "pdf.worker.min.mjs", "signing.3f2a9c0d.css", "desk.js"])
def test_static_asset_names_are_file_names(name):
    assert parse_file_name(name) == name


@pytest.mark.parametrize("name", ["", "..", "../x.js", ".env", "a/b.js", "a..js", "x.js.", "a\\b.js", "x" * 200])
def test_a_path_or_hidden_file_is_not_a_file_name(name):
    with pytest.raises(InvalidIdentifier):
        parse_file_name(name)


def test_a_buyer_that_is_not_an_object_beside_separate_certificates_is_a_field_error():
    # Found by the strict type check: the refused buyer had no name, and sorting [None, "name"] raised.
    body = {"sellers": [SELLER], "buyers": ["not a person", BUYER],
            "holding": {"mode": "joint", "separate_certificates": True, "holders": [BUYER["name"]]}}
    with pytest.raises(ValidationError) as error:
        _form(body)
    assert ("buyers[0]", "NOT_OBJECT") in [(d.field, d.code) for d in error.value.details]
