"""estate.domain.tax: the worked examples of DOMAIN.md §2.7 and the boundaries of §2.2-§2.6."""

import re
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal, localcontext

import pytest

from estate.domain.tax import (
    Assessment,
    TaxCase,
    TaxInputError,
    TaxRates,
    anniversary,
    assess,
    deed_tax_rate,
    held_at_least,
    vat_rate,
    years_between,
)

D = Decimal
HALVED = TaxRates(surcharge_relief=D("0.5"))


def item(assessment: Assessment, tax: str, payer: str | None = None):
    matches = [i for i in assessment.items if i.tax == tax and (payer is None or i.payer == payer)]
    assert len(matches) == 1, f"expected one {tax} item, got {matches}"
    return matches[0]


def amount(assessment: Assessment, tax: str) -> Decimal:
    return item(assessment, tax).amount


def case(**changes) -> TaxCase:
    """An unremarkable sale: first home for the buyer, seller held 3 years, VAT exempt."""
    defaults = TaxCase(transaction_date=date(2023, 6, 1), price=D(500000), area_m2=D(80),
                       seller_years_held=D(3))
    return replace(defaults, **changes)


# --- §2.7 A: April 2021 ------------------------------------------------------------------------------

def example_a(**changes) -> TaxCase:
    facts = TaxCase(transaction_date=date(2021, 4, 15), price=D(520000), area_m2=D("95.00"),
                    assessed_price=D(500000), buyer_family_homes_before=0, seller_years_held=D("3.0"),
                    seller_family_only_home=False, city_tier="urban")
    return replace(facts, **changes)


def test_example_a_base_is_the_higher_declared_price():
    assert assess(example_a()).base == D("520000.00")


def test_example_a_deed_tax_above_90_m2_is_one_and_a_half_percent():
    deed = item(assess(example_a()), "deed_tax")
    assert (deed.base, deed.rate, deed.amount) == (D("520000.00"), D("0.015"), D("7800.00"))


def test_example_a_under_the_2024_rule_95_m2_is_within_140_so_one_percent():
    assert amount(assess(example_a(transaction_date=date(2024, 12, 1))), "deed_tax") == D("5200.00")


def test_example_a_vat_and_surcharges_are_exempt_after_three_years():
    result = assess(example_a())
    assert item(result, "vat").exempt and amount(result, "vat") == D("0.00")
    assert item(result, "vat_surcharges").exempt and amount(result, "vat_surcharges") == D("0.00")


def test_example_a_deemed_income_tax_is_one_percent_of_the_full_price():
    assert amount(assess(example_a()), "income_tax") == D("5200.00")


def test_example_a_actual_gain_income_tax_deducts_cost_with_deed_tax_and_fees():
    result = assess(example_a(pit_method="actual", seller_original_cost=D(380000 + 3800),
                              seller_reasonable_fees=D(2000)))
    pit = item(result, "income_tax")
    assert (pit.base, pit.rate, pit.amount) == (D("134200.00"), D("0.20"), D("26840.00"))


def test_example_a_stamp_duty_and_land_vat_are_present_exempt_and_zero():
    result = assess(example_a())
    for tax, payer in (("stamp_duty", "buyer"), ("stamp_duty", "seller"), ("land_vat", "seller")):
        exempt_item = item(result, tax, payer)
        assert exempt_item.exempt and exempt_item.amount == D("0.00")


def test_example_a_registration_fee_is_80_or_90_with_separate_certificates():
    assert amount(assess(example_a()), "registration_fee") == D("80.00")
    assert amount(assess(example_a(extra_certificates=1)), "registration_fee") == D("90.00")


def test_example_a_totals_per_side():
    assert assess(example_a(extra_certificates=1)).totals() == {"buyer": D("7890.00"), "seller": D("5200.00")}


# --- §2.7 B: held 1 year, 600,000, 2021-2025 rules -------------------------------------------------------

def example_b(**changes) -> TaxCase:
    facts = TaxCase(transaction_date=date(2025, 6, 1), price=D(600000), area_m2=D(90),
                    seller_years_held=D(1))
    return replace(facts, **changes)


def test_example_b_vat_is_five_percent_of_the_price_net_of_vat():
    vat = item(assess(example_b()), "vat")
    assert (vat.rate, vat.amount, vat.exempt) == (D("0.05"), D("28571.43"), False)


def test_example_b_surcharges_are_twelve_percent_of_the_vat():
    surcharges = item(assess(example_b()), "vat_surcharges")
    assert (surcharges.base, surcharges.rate, surcharges.amount) == (D("28571.43"), D("0.12"), D("3428.57"))


def test_example_b_halved_surcharges():
    surcharges = item(assess(example_b(), HALVED), "vat_surcharges")
    assert (surcharges.rate, surcharges.amount) == (D("0.06"), D("1714.29"))


def test_example_b_deemed_income_tax_is_one_percent_of_income_net_of_vat():
    pit = item(assess(example_b()), "income_tax")
    assert (pit.base, pit.amount) == (D("571428.57"), D("5714.29"))


def test_example_b_actual_gain_income_tax_deducts_the_surcharges():
    result = assess(example_b(pit_method="actual", seller_original_cost=D(406000)))
    pit = item(result, "income_tax")
    assert (pit.base, pit.amount) == (D("162000.00"), D("32400.00"))


def test_example_b_deed_tax_base_excludes_vat():
    assert item(assess(example_b()), "deed_tax").base == D("571428.57")


# --- §2.7 C: same as B, sold in 2026 ----------------------------------------------------------------------

def example_c(**changes) -> TaxCase:
    return example_b(transaction_date=date(2026, 3, 1), **changes)


def test_example_c_vat_is_three_percent_from_2026():
    vat = item(assess(example_c()), "vat")
    assert (vat.rate, vat.amount) == (D("0.03"), D("17475.73"))


def test_example_c_surcharges_are_twelve_percent_of_the_vat():
    assert amount(assess(example_c()), "vat_surcharges") == D("2097.09")


def test_example_c_halved_surcharges_are_rounded_once_not_after_halving():
    # Halving the rounded 2,097.09 would give 1,048.545 → 1,048.55; DOMAIN says 1,048.54.
    assert amount(assess(example_c(), HALVED), "vat_surcharges") == D("1048.54")


def test_example_c_deemed_income_tax():
    assert amount(assess(example_c()), "income_tax") == D("5825.24")


# --- §2.7 D: buyer's second home, 130 m², 800,000 ----------------------------------------------------------

def example_d(**changes) -> TaxCase:
    # D gives the deed tax on the full 800,000, so the seller is VAT-exempt (held ≥ 2 years).
    facts = TaxCase(transaction_date=date(2024, 12, 1), price=D(800000), area_m2=D(130),
                    buyer_family_homes_before=1, seller_years_held=D(4))
    return replace(facts, **changes)


def test_example_d_second_home_within_140_m2_pays_one_percent_after_the_change():
    assert amount(assess(example_d()), "deed_tax") == D("8000.00")


def test_example_d_second_home_above_90_m2_paid_two_percent_before_the_change():
    assert amount(assess(example_d(transaction_date=date(2024, 11, 30))), "deed_tax") == D("16000.00")


# --- deed tax boundaries (§2.2) ----------------------------------------------------------------------------

@pytest.mark.parametrize("day, homes, area, rate", [
    (date(2024, 11, 30), 0, "90", "0.01"),
    (date(2024, 11, 30), 0, "90.01", "0.015"),
    (date(2024, 11, 30), 1, "90", "0.01"),
    (date(2024, 11, 30), 1, "90.01", "0.02"),
    (date(2024, 11, 30), 0, "140", "0.015"),
    (date(2024, 12, 1), 0, "90.01", "0.01"),
    (date(2024, 12, 1), 0, "140", "0.01"),
    (date(2024, 12, 1), 0, "140.01", "0.015"),
    (date(2024, 12, 1), 1, "140", "0.01"),
    (date(2024, 12, 1), 1, "140.01", "0.02"),
    (date(2024, 11, 30), 2, "60", "0.03"),
    (date(2024, 12, 1), 5, "60", "0.03"),
])
def test_deed_tax_rate_by_family_homes_area_and_date(day, homes, area, rate):
    assert deed_tax_rate(day, homes, D(area)) == D(rate)
    assert item(assess(case(transaction_date=day, buyer_family_homes_before=homes, area_m2=D(area))),
                "deed_tax").rate == D(rate)


def test_third_home_uses_the_configured_province_rate():
    result = assess(case(buyer_family_homes_before=2), TaxRates(province_deed_rate=D("0.04")))
    assert item(result, "deed_tax").amount == D("20000.00")


def test_deed_tax_basis_names_the_law_and_relief_in_force():
    before_law = item(assess(case(transaction_date=date(2021, 8, 31))), "deed_tax").basis
    under_2016_relief = item(assess(case(transaction_date=date(2024, 11, 30))), "deed_tax").basis
    under_2024_relief = item(assess(case(transaction_date=date(2024, 12, 1))), "deed_tax").basis
    assert "契税暂行条例" in before_law and "财税〔2016〕23号" in before_law
    assert "《中华人民共和国契税法》" in under_2016_relief and "财税〔2016〕23号" in under_2016_relief
    assert under_2024_relief.startswith("《中华人民共和国契税法》；财政部 税务总局 住房城乡建设部公告2024年第16号")


# --- VAT boundaries (§2.3) ---------------------------------------------------------------------------------

@pytest.mark.parametrize("years, exempt", [("2", True), ("2.0", True), ("1.99", False), ("0", False)])
def test_vat_is_exempt_from_exactly_two_years_held(years, exempt):
    vat = item(assess(case(seller_years_held=D(years))), "vat")
    assert vat.exempt is exempt
    assert (vat.amount == 0) is exempt


@pytest.mark.parametrize("day, rate", [
    (date(2025, 12, 31), "0.05"), (date(2026, 1, 1), "0.03"), (date(2016, 5, 1), "0.05"),
])
def test_vat_rate_switches_on_2026_01_01(day, rate):
    assert vat_rate(day, D(1)) == D(rate)
    assert item(assess(case(transaction_date=day, seller_years_held=D(1))), "vat").rate == D(rate)


def test_vat_amount_and_sales_net_of_vat_add_up_to_the_price():
    vat = item(assess(case(price=D("500000.42"), seller_years_held=D(1))), "vat")
    assert vat.base + vat.amount == D("500000.42")


@pytest.mark.parametrize("tier, rate, amount", [
    ("urban", "0.12", "3428.57"), ("county", "0.10", "2857.14"), ("other", "0.06", "1714.29"),
])
def test_surcharge_rate_depends_on_the_city_tier(tier, rate, amount):
    surcharges = item(assess(example_b(city_tier=tier)), "vat_surcharges")
    assert (surcharges.rate, surcharges.amount) == (D(rate), D(amount))


def test_surcharge_basis_mentions_the_relief_only_when_it_applies():
    assert "公告2023年第12号" not in item(assess(example_b()), "vat_surcharges").basis
    assert "公告2023年第12号" in item(assess(example_b(), HALVED), "vat_surcharges").basis


# --- income tax boundaries (§2.4) ----------------------------------------------------------------------------

@pytest.mark.parametrize("years, only_home, exempt", [
    ("5", True, True), ("5.0", True, True), ("4.99", True, False), ("5", False, False), ("8", False, False),
])
def test_income_tax_is_exempt_only_for_five_years_and_the_family_only_home(years, only_home, exempt):
    pit = item(assess(case(seller_years_held=D(years), seller_family_only_home=only_home)), "income_tax")
    assert pit.exempt is exempt
    assert pit.amount == (D("0.00") if exempt else D("5000.00"))


def test_actual_gain_income_tax_is_zero_when_sold_at_a_loss():
    pit = item(assess(case(pit_method="actual", seller_original_cost=D(600000))), "income_tax")
    assert (pit.base, pit.amount, pit.exempt) == (D("0.00"), D("0.00"), False)


def test_deemed_income_tax_rate_is_configurable():
    assert amount(assess(case(), TaxRates(deemed_pit_rate=D("0.02"))), "income_tax") == D("10000.00")


# --- taxable base (§2.5) --------------------------------------------------------------------------------------

@pytest.mark.parametrize("declared, assessed, base", [
    ("500000", "550000", "550000.00"),
    ("520000", "500000", "520000.00"),
    ("500000", "500000", "500000.00"),
    ("500000", None, "500000.00"),
])
def test_taxable_base_is_the_higher_of_declared_and_assessed_price(declared, assessed, base):
    result = assess(case(price=D(declared), assessed_price=None if assessed is None else D(assessed)))
    assert result.base == D(base)
    assert item(result, "deed_tax").base == D(base)


# --- registration fee (§2.1) ------------------------------------------------------------------------------------

@pytest.mark.parametrize("extra, fee", [(0, "80.00"), (1, "90.00"), (3, "110.00")])
def test_registration_fee_is_80_per_case_plus_10_per_extra_certificate(extra, fee):
    fee_item = item(assess(case(extra_certificates=extra)), "registration_fee")
    assert (fee_item.payer, fee_item.amount, fee_item.exempt) == ("buyer", D(fee), False)


def test_registration_fee_does_not_depend_on_price_or_area():
    small = assess(case(price=D(100000), area_m2=D(40)))
    large = assess(case(price=D(3000000), area_m2=D(200)))
    assert amount(small, "registration_fee") == amount(large, "registration_fee") == D("80.00")


# --- shape, rounding, determinism -------------------------------------------------------------------------------

def test_every_item_amount_is_in_fen_and_equals_its_base_times_rate_rounded_once():
    for tax_case, rates in ((example_b(), HALVED), (example_c(), HALVED), (example_a(), TaxRates()),
                            (case(price=D("500000.42"), seller_years_held=D(1)), TaxRates())):
        for each in assess(tax_case, rates).items:
            assert each.amount.as_tuple().exponent == -2
            if each.tax != "vat":  # VAT's base is the amount net of VAT, derived from it
                assert each.amount == (each.base * each.rate).quantize(D("0.01"), rounding="ROUND_HALF_UP")


def test_items_are_listed_once_per_tax_and_payer_in_a_stable_order():
    assert [(i.tax, i.payer) for i in assess(case()).items] == [
        ("deed_tax", "buyer"), ("vat", "seller"), ("vat_surcharges", "seller"), ("income_tax", "seller"),
        ("stamp_duty", "buyer"), ("stamp_duty", "seller"), ("land_vat", "seller"),
        ("registration_fee", "buyer"),
    ]


def test_as_dict_is_json_ready_with_two_decimal_money_and_plain_rates():
    data = assess(example_b(extra_certificates=1), HALVED).as_dict()
    assert set(data) == {"base", "items", "totals"}
    assert data["base"] == "600000.00"
    deed, vat, surcharges = data["items"][:3]
    assert deed == {"tax": "deed_tax", "payer": "buyer", "base": "571428.57", "rate": "0.01",
                    "amount": "5714.29", "exempt": False, "basis": deed["basis"]}
    assert (vat["rate"], vat["amount"]) == ("0.05", "28571.43")
    assert (surcharges["rate"], surcharges["amount"]) == ("0.06", "1714.29")
    assert data["items"][-1]["rate"] == "1"
    assert data["totals"] == {"buyer": "5804.29", "seller": "36000.01"}


def test_as_dict_rate_of_first_home_above_threshold_is_written_plainly():
    assert assess(example_a()).as_dict()["items"][0]["rate"] == "0.015"


def test_assessment_does_not_depend_on_the_callers_decimal_context():
    expected = assess(example_c(), HALVED)
    with localcontext() as context:
        context.prec = 6
        assert assess(example_c(), HALVED) == expected


def test_numbers_given_as_text_or_int_are_accepted():
    result = assess(replace(example_b(), price="600000", area_m2=90, seller_years_held=1.0))
    assert amount(result, "vat") == D("28571.43")


# Every document a basis may name: those named in DOMAIN.md §2 (and the Civil Code, §2.1).
DOCUMENTS_NAMED_IN_DOMAIN = {
    "《中华人民共和国契税法》", "《中华人民共和国契税暂行条例》", "《中华人民共和国民法典》",
    "财税〔2016〕23号", "财税〔2016〕36号", "财税〔2016〕43号", "财税〔2016〕79号", "财税〔2008〕137号",
    "财税字〔1994〕20号", "国税发〔2006〕108号",
    "公告2021年第23号", "公告2022年第10号", "公告2023年第12号", "公告2024年第16号",
}
DOCUMENT_REFERENCE = re.compile(r"《[^》]+》|[\u4e00-\u9fff]+〔\d{4}〕\d+号|公告\d{4}年第\d+号")


def test_every_basis_names_only_documents_from_domain_md():
    cases = [example_a(), example_a(pit_method="actual", seller_original_cost=D(1)), example_b(), example_c(),
             example_d(), case(buyer_family_homes_before=3), case(transaction_date=date(2021, 8, 31),
             buyer_family_homes_before=2), case(seller_years_held=D(6), seller_family_only_home=True)]
    for tax_case in cases:
        for each in assess(tax_case, HALVED).items:
            assert each.basis
            for reference in DOCUMENT_REFERENCE.findall(each.basis):
                assert reference in DOCUMENTS_NAMED_IN_DOMAIN, (each.tax, reference)


# --- input errors ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("changes, field, code", [
    ({"price": D(-1)}, "price", "TAX_NEGATIVE"),
    ({"assessed_price": D("-0.01")}, "assessed_price", "TAX_NEGATIVE"),
    ({"area_m2": D(-90)}, "area_m2", "TAX_NEGATIVE"),
    ({"area_m2": D(0)}, "area_m2", "TAX_NOT_POSITIVE"),
    ({"price": "abc"}, "price", "TAX_NOT_A_NUMBER"),
    ({"price": D("NaN")}, "price", "TAX_NOT_A_NUMBER"),
    ({"seller_years_held": D(-1)}, "seller_years_held", "TAX_NEGATIVE"),
    ({"seller_reasonable_fees": D(-5)}, "seller_reasonable_fees", "TAX_NEGATIVE"),
    ({"pit_method": "actual"}, "seller_original_cost", "TAX_REQUIRED"),
    ({"pit_method": "actual", "seller_original_cost": D(-1)}, "seller_original_cost", "TAX_NEGATIVE"),
    ({"pit_method": "estimate"}, "pit_method", "TAX_UNKNOWN_CHOICE"),
    ({"city_tier": "village"}, "city_tier", "TAX_UNKNOWN_CHOICE"),
    ({"buyer_family_homes_before": -1}, "buyer_family_homes_before", "TAX_NEGATIVE"),
    ({"buyer_family_homes_before": 1.5}, "buyer_family_homes_before", "TAX_NOT_AN_INTEGER"),
    ({"extra_certificates": -1}, "extra_certificates", "TAX_NEGATIVE"),
    ({"extra_certificates": True}, "extra_certificates", "TAX_NOT_AN_INTEGER"),
    ({"seller_family_only_home": "false"}, "seller_family_only_home", "TAX_NOT_A_BOOLEAN"),
    ({"transaction_date": date(2016, 4, 30)}, "transaction_date", "TAX_DATE_NOT_COVERED"),
    ({"transaction_date": datetime(2024, 12, 1, 9, 0)}, "transaction_date", "TAX_DATE_INVALID"),
    ({"transaction_date": "2024-12-01"}, "transaction_date", "TAX_DATE_INVALID"),
])
def test_impossible_input_raises_tax_input_error_naming_the_field(changes, field, code):
    with pytest.raises(TaxInputError) as raised:
        assess(case(**changes))
    assert isinstance(raised.value, ValueError)
    assert (raised.value.field, raised.value.code) == (field, code)
    assert re.search(r"[\u4e00-\u9fff]", raised.value.message)


@pytest.mark.parametrize("knob", ["surcharge_relief", "deemed_pit_rate", "province_deed_rate"])
def test_tax_rates_outside_zero_to_one_are_a_configuration_error(knob):
    with pytest.raises(ValueError):
        TaxRates(**{knob: D("1.5")})


# --- holding period helpers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("acquired, sold, years, expected", [
    (date(2022, 3, 15), date(2024, 3, 15), 2, True),
    (date(2022, 3, 15), date(2024, 3, 14), 2, False),
    (date(2019, 3, 15), date(2024, 3, 15), 5, True),
    (date(2019, 3, 15), date(2024, 3, 14), 5, False),
    (date(2020, 2, 29), date(2022, 2, 28), 2, True),
    (date(2020, 2, 29), date(2022, 2, 27), 2, False),
    (date(2019, 3, 1), date(2021, 2, 28), 2, False),
    (date(2024, 1, 1), date(2024, 1, 1), 0, True),
])
def test_held_at_least_counts_from_calendar_anniversaries(acquired, sold, years, expected):
    assert held_at_least(acquired, sold, years) is expected


@pytest.mark.parametrize("acquired, sold, years", [
    (date(2022, 3, 15), date(2024, 3, 15), 2),
    (date(2022, 3, 15), date(2024, 3, 14), 1),
    (date(2020, 2, 29), date(2025, 2, 28), 5),
    (date(2020, 2, 29), date(2024, 2, 28), 3),
    (date(2020, 2, 29), date(2024, 2, 29), 4),
    (date(2024, 6, 1), date(2024, 6, 1), 0),
])
def test_years_between_counts_completed_years(acquired, sold, years):
    assert years_between(acquired, sold) == D(years)


def test_years_between_on_the_second_anniversary_makes_the_sale_vat_exempt():
    held = years_between(date(2022, 3, 15), date(2024, 3, 15))
    assert item(assess(case(transaction_date=date(2024, 3, 15), seller_years_held=held)), "vat").exempt


def test_anniversary_of_29_february_in_a_common_year_is_28_february():
    assert anniversary(date(2020, 2, 29), 1) == date(2021, 2, 28)
    assert anniversary(date(2020, 2, 29), 4) == date(2024, 2, 29)


def test_holding_period_refuses_a_sale_before_the_acquisition():
    with pytest.raises(TaxInputError) as raised:
        years_between(date(2024, 1, 2), date(2024, 1, 1))
    assert raised.value.code == "TAX_DATE_ORDER"
    with pytest.raises(TaxInputError):
        held_at_least(date(2024, 1, 2), date(2024, 1, 1), 2)
