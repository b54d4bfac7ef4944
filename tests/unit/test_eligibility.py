from dataclasses import replace

from estate.domain.eligibility import assess_eligibility
from estate.domain.register import InFlightCase, Owner, Restriction, UnitFacts

BASE = UnitFacts(
    unit_number="140302001002GB00001F00010001", outlet="140302", location="阳泉市城区桃北中街1号",
    building_area="89.50", purpose="住宅", house_nature="商品房", holding_mode="single",
    owners=(Owner("王建国", "140302198001010013"),), certificate_number="晋(2021)阳泉市不动产权第0001234号",
    certificate_type="不动产权证书", registered_on="2021-03-01", acquired_on="2021-03-01",
)


def codes(findings):
    return [f.code for f in findings]


def test_a_clean_single_owner_unit_is_eligible():
    result = assess_eligibility(BASE)
    assert result.eligible and result.blockers == () and result.notices == ()


def test_seizure_blocks_and_names_the_court():
    unit = replace(BASE, restrictions=(Restriction("seizure", holder="阳泉市城区人民法院", document_number="(2024)晋0302执1号"),))
    result = assess_eligibility(unit)
    assert not result.eligible
    assert codes(result.blockers) == ["SEIZED"]
    assert "阳泉市城区人民法院" in result.blockers[0].message


def test_mortgage_blocks_only_with_an_agreed_transfer_ban():
    banned = replace(BASE, restrictions=(Restriction("mortgage", holder="某银行", transfer_banned=True),))
    allowed = replace(BASE, restrictions=(Restriction("mortgage", holder="某银行"),))
    assert codes(assess_eligibility(banned).blockers) == ["MORTGAGE_TRANSFER_BANNED"]
    assert assess_eligibility(allowed).eligible
    assert codes(assess_eligibility(allowed).notices) == ["MORTGAGED"]


def test_objection_and_residence_right_are_notices_advance_notice_blocks():
    unit = replace(BASE, restrictions=(Restriction("objection"), Restriction("residence_right"),
                                       Restriction("advance_notice")))
    result = assess_eligibility(unit)
    assert codes(result.blockers) == ["ADVANCE_NOTICE"]
    assert codes(result.notices) == ["OBJECTION", "RESIDENCE_RIGHT"]


def test_online_limits_of_the_yangquan_notice():
    three = replace(BASE, holding_mode="shares", owners=(Owner("甲", "1"), Owner("乙", "2"), Owner("丙", "3")))
    two = replace(BASE, holding_mode="joint", owners=(Owner("甲", "1"), Owner("乙", "2")))
    legacy = replace(BASE, certificate_type="房屋所有权证")
    company = replace(BASE, owners=(Owner("某公司", "91140300MA0K3X7Q2B", owner_type="organisation"),))
    assert codes(assess_eligibility(three).blockers) == ["TOO_MANY_OWNERS"]
    assert assess_eligibility(two).eligible
    assert codes(assess_eligibility(legacy).blockers) == ["LEGACY_CERTIFICATE"]
    assert codes(assess_eligibility(company).blockers) == ["NOT_INDIVIDUAL"]


def test_in_flight_case_and_non_residential_and_affordable_housing_block():
    assert codes(assess_eligibility(replace(BASE, in_flight=InFlightCase("X", "mortgage", "2026-11-25"))).blockers) \
        == ["CASE_IN_PROGRESS"]
    assert codes(assess_eligibility(replace(BASE, purpose="商业服务")).blockers) == ["NOT_RESIDENTIAL"]
    assert codes(assess_eligibility(replace(BASE, house_nature="经济适用房")).blockers) == ["RESTRICTED_HOUSE_NATURE"]


def test_every_blocker_is_reported_at_once():
    unit = replace(BASE, certificate_type="房屋所有权证", restrictions=(Restriction("seizure"),),
                   in_flight=InFlightCase("X", "mortgage", "2026-11-25"))
    assert set(codes(assess_eligibility(unit).blockers)) == {"SEIZED", "CASE_IN_PROGRESS", "LEGACY_CERTIFICATE"}


def test_has_owner_needs_name_and_id_number_together():
    assert BASE.has_owner("王建国", "140302198001010013")
    assert not BASE.has_owner("王建国", "140302198001010021")
    assert not BASE.has_owner("王建华", "140302198001010013")
