"""The back office's pure rules: the 30-working-day deadline, return reasons, what approval enters."""

from __future__ import annotations

from datetime import date

import pytest

from estate.domain.calendar import WorkingCalendar
from estate.domain.registration import (Deadline, certificate_numbers, entry_from_parties, legal_deadline,
                                        return_reasons)
from estate.errors import ValidationError
from estate.office.models import ReturnForm
from estate.schema import parse

CALENDAR = WorkingCalendar()


def test_the_deadline_counts_chinese_working_days_across_the_national_day_holiday():
    # Accepted Monday 2026-09-28: 09-29, 09-30, then the holiday until 10-07, 10-10 (Sat) is 调休.
    deadline = legal_deadline(CALENDAR, date(2026, 9, 28), 30)
    assert deadline.due_on == CALENDAR.add_working_days(date(2026, 9, 28), 30)
    assert deadline.due_on > date(2026, 9, 28).replace(day=28, month=10)  # longer than six calendar weeks of Mon-Fri
    assert deadline.days_left(CALENDAR, date(2026, 9, 28)) == 30
    assert deadline.days_left(CALENDAR, deadline.due_on) == 0


def test_days_left_turns_negative_once_overdue():
    deadline = Deadline(date(2026, 6, 1), date(2026, 6, 5))  # a Friday
    assert deadline.days_left(CALENDAR, date(2026, 6, 8)) == -1  # the next Monday


def parse_return(body):
    form = parse(ReturnForm, body, ReturnForm.form_message)  # as the edge does (estate.http)
    return return_reasons(form.reasons, form.note)


def test_return_reasons_all_at_once_in_list_order_with_the_note():
    reasons, note = parse_return({"reasons": ["CONTRACT_DEFECT", "MATERIAL_UNCLEAR"], "note": " 请补充 "})
    assert [r["code"] for r in reasons] == ["MATERIAL_UNCLEAR", "CONTRACT_DEFECT"] and note == "请补充"


@pytest.mark.parametrize("body, field, code", [
    ({}, "reasons", "REQUIRED"), ({"reasons": []}, "reasons", "REQUIRED"), ({"reasons": "X"}, "reasons", "NOT_LIST"),
    ({"reasons": ["MATERIAL_MISSING", "X"]}, "reasons[1]", "UNKNOWN_REASON"), ({"reasons": ["OTHER"]}, "note", "REQUIRED"),
    ({"reasons": ["OTHER"], "note": "  "}, "note", "REQUIRED"),
    ({"reasons": ["OTHER"], "note": "长" * 501}, "note", "TOO_LONG"),
    ({"reasons": ["MATERIAL_MISSING"], "note": 5}, "note", "NOT_TEXT")])
def test_return_refusals_name_the_field(body, field, code):
    with pytest.raises(ValidationError) as refused:
        parse_return(body)
    assert (field, code) in [(d.field, d.code) for d in refused.value.details]
    assert refused.value.message == "退件信息有误，请检查后重新提交"


def buyers(*names):
    return [{"name": n, "id_number": f"ID{n}"} for n in names]


def test_joint_holding_one_certificate_for_the_named_holder():
    entry = entry_from_parties({"buyers": buyers("甲", "乙"),
                                "holding": {"mode": "joint", "separate_certificates": False, "holders": ["乙"]}})
    assert entry.certificates == 1 and entry.holding_mode == "joint"
    assert [(h.name, h.certificate_index, h.share) for h in entry.holders] == [("甲", None, None), ("乙", 0, None)]


def test_shares_with_separate_certificates_one_each_and_fractions():
    entry = entry_from_parties({"buyers": buyers("甲", "乙"), "holding": {
        "mode": "shares", "separate_certificates": True, "shares": {"ID甲": "62.5", "ID乙": "37.5"}}})
    assert entry.certificates == 2
    assert [(h.certificate_index, h.share) for h in entry.holders] == [(0, "0.625"), (1, "0.375")]


def test_certificate_numbers_follow_the_series_without_gap():
    assert certificate_numbers("不动产权", 2026, 41, 2) == ["晋(2026)阳泉市不动产权第0000042号",
                                                        "晋(2026)阳泉市不动产权第0000043号"]
    assert certificate_numbers("不动产证明", 2026, 0, 1) == ["晋(2026)阳泉市不动产证明第0000001号"]


def test_who_is_told_of_a_withdrawal():
    from estate.domain import application as lifecycle

    assert lifecycle.told_of_withdrawal(lifecycle.SIGNING) == "everyone"
    for status in (lifecycle.SIGNED, lifecycle.SUBMITTED, lifecycle.RETURNED):
        assert lifecycle.told_of_withdrawal(status) == "others"
    for status in (lifecycle.DRAFT, lifecycle.PARTIES_SET, lifecycle.INQUIRY_SAVED, lifecycle.PUSHED_TO_BANK):
        assert lifecycle.told_of_withdrawal(status) is None


def test_a_voided_link_says_why_in_beijing_time():
    from estate.signing.ceremony import VOID_DEFAULT, void_notice

    # 17:30 UTC on the 1st is already the 2nd in Beijing
    assert "申请人已于2026年10月2日撤销" in void_notice("withdrawn", "2026-10-01T17:30:00+00:00")
    assert "修改" in void_notice("edited", "2026-10-01T17:30:00+00:00")
    assert void_notice(None, None) == VOID_DEFAULT


# --- the application's lifecycle: transition, and "does this save start signing?" -------------------

@pytest.mark.parametrize("event, status, expected", [
    ("withdraw", "SIGNING", "WITHDRAWN"), ("submit", "SIGNED", "SUBMITTED"), ("submit", "RETURNED", "SUBMITTED"),
    ("accept", "SUBMITTED", "ACCEPTED"), ("return", "TAX_PAID", "RETURNED"), ("approve", "ACCEPTED", "APPROVED"),
    ("approve", "TAX_PAID", "APPROVED"), ("hand_over", "APPROVED", "COMPLETED"),
    ("start_signing", "INQUIRY_SAVED", "SIGNING"), ("start_signing", "RETURNED", "SIGNING"),
    ("refuse", "ACCEPTED", "REFUSED"), ("refuse", "TAX_PAID", "REFUSED"),
])
def test_a_lifecycle_event_moves_the_application_on(event, status, expected):
    from estate.domain.application import transition

    assert transition(status, event) == expected


@pytest.mark.parametrize("event, status", [
    ("withdraw", "COMPLETED"), ("withdraw", "ACCEPTED"), ("submit", "DRAFT"), ("accept", "ACCEPTED"),
    ("return", "DRAFT"), ("approve", "SUBMITTED"), ("approve", "APPROVED"), ("hand_over", "ACCEPTED"),
    ("start_signing", "SIGNING"), ("start_signing", "TAX_DECLARED"),
    # 不予登记 is a review outcome: not before acceptance (that is a return), not once entered or ended
    ("refuse", "SUBMITTED"), ("refuse", "RETURNED"), ("refuse", "APPROVED"), ("refuse", "CERTIFICATE_READY"),
    ("refuse", "COMPLETED"), ("refuse", "REFUSED"), ("refuse", "WITHDRAWN"), ("refuse", "SIGNED"),
])
def test_a_lifecycle_event_out_of_its_states_is_a_409_naming_them(event, status):
    from estate.domain.application import transition
    from estate.errors import Conflict

    with pytest.raises(Conflict) as refused:
        transition(status, event)
    assert refused.value.code == "WRONG_STATE" and refused.value.extra["status"] == status
    assert refused.value.extra["expected"]


@pytest.mark.parametrize("status, taxes_paid, expected", [
    ("SUBMITTED", False, ["accept", "return"]),
    ("ACCEPTED", False, ["return", "refusal"]),            # 登簿 waits for the taxes
    ("ACCEPTED", True, ["return", "refusal", "approve"]),  # every item exempt or paid before acceptance
    ("TAX_PAID", True, ["return", "refusal", "approve"]),
    ("APPROVED", True, ["handover"]), ("CERTIFICATE_READY", True, ["handover"]),
    ("RETURNED", False, []), ("REFUSED", True, []), ("COMPLETED", True, []), ("SIGNING", False, []),
])
def test_the_desk_is_offered_exactly_the_decisions_the_use_cases_take_now(status, taxes_paid, expected):
    from estate.domain.application import OFFICE_DECISIONS, office_decisions, transition
    from estate.errors import Conflict

    assert office_decisions(status, taxes_paid) == expected
    for decision, event in OFFICE_DECISIONS.items():  # the same rule as the transitions, not a copy of it
        if decision in expected:
            transition(status, event)
        elif decision != "approve" or taxes_paid:
            with pytest.raises(Conflict):
                transition(status, event)


def test_signing_starts_only_from_a_ready_application_and_a_deployed_workflow():
    from estate.domain.application import after_signing_ended, starts_signing

    assert starts_signing("INQUIRY_SAVED", True) and starts_signing("RETURNED", True)
    assert not starts_signing("INQUIRY_SAVED", False)            # no state machine deployed: nothing to start
    assert not starts_signing("TAX_DECLARED", True) and not starts_signing("SIGNING", True)
    assert after_signing_ended("SIGNING") == "INQUIRY_SAVED"      # back to the initiator
    assert after_signing_ended("WITHDRAWN") == "WITHDRAWN"        # a run outliving its withdrawal changes nothing


def test_a_refused_case_is_final_and_the_office_sees_it():
    from estate.domain.application import FINAL, OFFICE_STATUSES, STATUS_LABELS, WITHDRAWABLE

    assert "REFUSED" in FINAL and "REFUSED" in OFFICE_STATUSES and "REFUSED" not in WITHDRAWABLE
    assert STATUS_LABELS["REFUSED"] == "不予登记"


def test_the_queue_waits_from_acceptance_while_the_legal_clock_runs():
    from estate.domain.application import waiting_since

    accepted, entered = "2026-11-10T02:00:00+00:00", "2026-11-20T02:00:00+00:00"
    assert waiting_since("TAX_PAID", entered, accepted) == accepted  # paying taxes does not restart the wait
    assert waiting_since("ACCEPTED", entered, accepted) == accepted
    assert waiting_since("RETURNED", entered, accepted) == entered  # back with the citizens: a new wait
    assert waiting_since("SUBMITTED", entered, None) == entered
    assert waiting_since("ACCEPTED", entered, None) == entered


def test_a_refusal_names_its_legal_ground_and_needs_a_written_reason():
    from estate.domain.registration import REFUSAL_REASONS, refusal
    from estate.errors import ValidationError

    assert refusal("SEIZED", "  已被法院查封，不得转移  ") == {
        "code": "SEIZED", "label": REFUSAL_REASONS["SEIZED"], "text": "已被法院查封，不得转移"}
    assert all("第二十二条" in label for label in REFUSAL_REASONS.values())
    with pytest.raises(ValidationError) as refused:
        refusal("SEIZED", "  查封 ")
    assert [(d.field, d.code) for d in refused.value.details] == [("text", "TOO_SHORT")]
