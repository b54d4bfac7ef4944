"""estate.domain.money: fen rounding and amounts in Chinese financial capitals."""

from decimal import Decimal, localcontext

import pytest

from estate.domain.money import amount_in_chinese, to_fen


# --- to_fen ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (Decimal("1.005"), Decimal("1.01")),
    (Decimal("0.125"), Decimal("0.13")),
    (Decimal("28571.428571"), Decimal("28571.43")),
    (Decimal("1048.5436"), Decimal("1048.54")),
    (Decimal("-1.005"), Decimal("-1.01")),
    (5, Decimal("5.00")),
    ("520000", Decimal("520000.00")),
])
def test_to_fen_rounds_half_up_to_two_places(raw, expected):
    result = to_fen(raw)
    assert result == expected
    assert result.as_tuple().exponent == -2


def test_to_fen_reads_a_float_through_its_decimal_text_not_its_binary_value():
    # Binary 2.675 is 2.67499999…; the user typed 2.675, which rounds half up to 2.68.
    assert to_fen(2.675) == Decimal("2.68")


@pytest.mark.parametrize("raw", ["abc", Decimal("NaN"), Decimal("Infinity"), True])
def test_to_fen_rejects_non_numbers(raw):
    with pytest.raises(ValueError):
        to_fen(raw)


# --- amount_in_chinese: the examples of the brief --------------------------------------------------

@pytest.mark.parametrize("amount, words", [
    ("520000.00", "人民币伍拾贰万元整"),
    ("28571.43", "人民币贰万捌仟伍佰柒拾壹元肆角叁分"),
    ("1005.00", "人民币壹仟零伍元整"),
    ("100000.50", "人民币壹拾万元伍角"),
])
def test_amount_in_chinese_matches_the_contract_examples(amount, words):
    assert amount_in_chinese(Decimal(amount)) == words


# --- amount_in_chinese: one test per rule -----------------------------------------------------------

@pytest.mark.parametrize("amount, words", [
    ("10", "人民币壹拾元整"),
    ("15", "人民币壹拾伍元整"),
    ("100000", "人民币壹拾万元整"),
    ("1000000000", "人民币壹拾亿元整"),
])
def test_ten_is_always_written_with_its_digit_as_on_bank_forms(amount, words):
    assert amount_in_chinese(Decimal(amount)) == words


@pytest.mark.parametrize("amount, words", [
    ("1005", "人民币壹仟零伍元整"),
    ("1010", "人民币壹仟零壹拾元整"),
    ("100700", "人民币壹拾万零柒佰元整"),
    ("100005000", "人民币壹亿零伍仟元整"),
    ("105000000", "人民币壹亿零伍佰万元整"),
    ("1000000001", "人民币壹拾亿零壹元整"),
    ("1409.50", "人民币壹仟肆佰零玖元伍角"),
])
def test_a_run_of_zeros_between_digits_is_written_as_one_ling(amount, words):
    assert amount_in_chinese(Decimal(amount)) == words


@pytest.mark.parametrize("amount, words", [
    ("107000.53", "人民币壹拾万柒仟元伍角叁分"),
    ("1100000", "人民币壹佰壹拾万元整"),
    ("250000000", "人民币贰亿伍仟万元整"),
])
def test_zeros_ending_a_wan_or_yi_group_are_not_written(amount, words):
    assert amount_in_chinese(Decimal(amount)) == words


def test_no_zheng_after_jiao_and_no_ling_when_only_the_yuan_digit_is_zero():
    assert amount_in_chinese(Decimal("1680.32")) == "人民币壹仟陆佰捌拾元叁角贰分"
    assert amount_in_chinese(Decimal("1680.30")) == "人民币壹仟陆佰捌拾元叁角"


@pytest.mark.parametrize("amount, words", [
    ("325.04", "人民币叁佰贰拾伍元零肆分"),
    ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
])
def test_ling_is_written_after_yuan_when_jiao_is_zero_and_fen_is_not(amount, words):
    assert amount_in_chinese(Decimal(amount)) == words


@pytest.mark.parametrize("amount, words", [
    ("0", "人民币零元整"),
    ("0.50", "人民币伍角"),
    ("0.04", "人民币肆分"),
    ("0.56", "人民币伍角陆分"),
])
def test_amounts_below_one_yuan_have_no_yuan_part(amount, words):
    assert amount_in_chinese(Decimal(amount)) == words


def test_amount_in_chinese_rounds_to_the_fen_first():
    assert amount_in_chinese(Decimal("0.995")) == "人民币壹元整"
    assert amount_in_chinese(Decimal("5714.285")) == "人民币伍仟柒佰壹拾肆元贰角玖分"


def test_amount_in_chinese_accepts_the_largest_amount_with_yi_groups():
    assert amount_in_chinese(Decimal("999999999999.99")) == (
        "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分")


@pytest.mark.parametrize("amount", [
    Decimal("1000000000000"), Decimal("999999999999.995"), Decimal("-0.01"), Decimal("-0.001"),
    Decimal("NaN"), Decimal("-Infinity"),
])
def test_amount_in_chinese_rejects_negative_too_large_and_non_numbers(amount):
    with pytest.raises(ValueError):
        amount_in_chinese(amount)


def test_results_do_not_depend_on_the_callers_decimal_context():
    with localcontext() as context:
        context.prec = 4
        assert to_fen(Decimal("28571.428571")) == Decimal("28571.43")
        assert amount_in_chinese(Decimal("28571.43")) == "人民币贰万捌仟伍佰柒拾壹元肆角叁分"


@pytest.mark.parametrize("amount, places", [("12", 0), ("12.50", 2), ("0.0001", 4), ("1E+2", 0)])
def test_decimal_places_as_written(amount, places):
    from estate.domain.money import decimal_places

    assert decimal_places(Decimal(amount)) == places


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_decimal_places_refuses_what_is_not_finite(amount):
    from estate.domain.money import decimal_places

    with pytest.raises(ValueError):
        decimal_places(Decimal(amount))
