"""The back office's rules, pure: the legal deadline, return reasons, and what approval enters.

Acceptance (受理) starts the legal clock: a transfer must be entered in the register within 30
working days (不动产登记暂行条例 Art. 20), counted on the Chinese working-day calendar. Approval
(登簿) passes the right to the buyers as they chose to hold it (holding mode, shares, 分别持证)
under new certificate numbers of the year's series.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from estate.domain.calendar import WorkingCalendar
from estate.domain.ids import format_certificate_number
from estate.errors import FieldErrors

PROVINCE, PLACE = "晋", "阳泉市"
TITLE_SERIES = "不动产权"        # 不动产权证书: the owners' title certificates
CERTIFICATION_SERIES = "不动产证明"  # 不动产登记证明: e.g. the mortgagee's proof of a mortgage

# 退件 reasons: the coded list the clerk ticks (all at once), plus free text.
RETURN_REASONS = {
    "MATERIAL_UNCLEAR": "申请材料照片不清晰或不完整",
    "MATERIAL_MISSING": "缺少必要的申请材料",
    "IDENTITY_MISMATCH": "当事人身份信息与证件不一致",
    "CONTRACT_DEFECT": "买卖合同内容有误或不完整",
    "TAX_DECLARATION_DEFECT": "纳税申报信息有误",
    "REGISTER_MISMATCH": "申请内容与登记簿记载不一致",
    "MARITAL_STATUS": "婚姻状况或共有人同意证明材料不足",
    "OTHER": "其他原因（见说明）",
}
MAX_NOTE = 500

# 不予登记: the grounds of 不动产登记暂行条例 Art. 22 (items 1 to 4), with the cases DOMAIN §1.9/§4
# names under item 4 ("other cases set by law") coded on their own so they can be counted.
REFUSAL_REASONS = {
    "VIOLATES_LAW": "违反法律、行政法规规定（第二十二条第一项）",
    "OWNERSHIP_DISPUTE": "存在尚未解决的权属争议（第二十二条第二项）",
    "RIGHT_EXPIRED": "申请登记的不动产权利超过规定期限（第二十二条第三项）",
    "SEIZED": "不动产已被依法查封（第二十二条第四项）",
    "ADVANCE_NOTICE_NOT_CONSENTED": "未经预告登记权利人同意（第二十二条第四项）",
    "OTHER_BY_LAW": "法律、行政法规规定不予登记的其他情形（第二十二条第四项）",
}
MIN_REFUSAL_TEXT, MAX_REFUSAL_TEXT = 5, 500


@dataclass(frozen=True)
class Deadline:
    accepted_on: date
    due_on: date
    # Counted over a year whose holiday schedule is not published: an estimate (预计) until it is.
    provisional: bool = False

    def label(self) -> str:
        """The due date as people read it: "2027-01-15", or "预计2027-01-15" while provisional."""
        return ("预计" if self.provisional else "") + self.due_on.isoformat()

    def days_left(self, calendar: WorkingCalendar, today: date) -> int:
        """Working days still available after today; negative once overdue."""
        if today <= self.due_on:
            return calendar.working_days_between(today, self.due_on)
        return -calendar.working_days_between(self.due_on, today)


def legal_deadline(calendar: WorkingCalendar, accepted_on: date, working_days: int) -> Deadline:
    due_on = calendar.add_working_days(accepted_on, working_days)
    return Deadline(accepted_on, due_on, provisional=calendar.any_provisional(accepted_on, due_on))


def return_reasons(codes: list[str], note: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """(reasons as [{code, label}] in the list's order, the note) of a return whose shape its model
    (estate.office.models.ReturnForm) has checked; "OTHER" needs a note saying what."""
    note = (note or "").strip() or None
    if "OTHER" in codes and not note:
        errors = FieldErrors()
        errors.add("note", "REQUIRED", "选择“其他原因”时请填写说明")
        errors.raise_if_any("退件信息有误，请检查后重新提交")
    return [{"code": c, "label": label} for c, label in RETURN_REASONS.items() if c in codes], note


def refusal(code: str, text: str) -> dict[str, str]:
    """The refusal's written reason (the parties are told it, so it must say something): the coded
    legal ground, its label, and the clerk's text, trimmed; the model has checked the code and length."""
    text = text.strip()
    if len(text) < MIN_REFUSAL_TEXT:
        errors = FieldErrors()
        errors.add("text", "TOO_SHORT", f"请写明不予登记的具体理由（不少于{MIN_REFUSAL_TEXT}字）")
        errors.raise_if_any("不予登记信息有误，请检查后重新提交")
    return {"code": code, "label": REFUSAL_REASONS[code], "text": text}


@dataclass(frozen=True)
class NewHolder:
    name: str
    id_number: str
    share: str | None          # decimal fraction as text ("0.6"), only for 按份共有
    certificate_index: int | None  # which of the new certificates this person holds (None: not a holder)


@dataclass(frozen=True)
class Entry:
    holding_mode: str
    holders: tuple[NewHolder, ...]
    certificates: int          # how many new title certificates approval issues


def entry_from_parties(parties: dict[str, Any]) -> Entry:
    """The right as the buyers chose to hold it: one certificate, or one per buyer when 分别持证."""
    holding = parties.get("holding") or {}
    buyers = parties["buyers"]
    mode = holding.get("mode") or ("single" if len(buyers) == 1 else "joint")
    shares = holding.get("shares") or {}
    separate = bool(holding.get("separate_certificates")) and len(buyers) > 1
    holder_names = holding.get("holders") or [buyers[0]["name"]]
    holders = []
    for index, buyer in enumerate(buyers):
        share = shares.get(buyer["id_number"]) if mode == "shares" else None
        fraction = format((Decimal(share) / 100).normalize(), "f") if share is not None else None
        certificate_index: int | None
        if separate:
            certificate_index = index
        else:
            certificate_index = 0 if buyer["name"] == holder_names[0] else None
        holders.append(NewHolder(buyer["name"], buyer["id_number"], fraction, certificate_index))
    if not separate and all(h.certificate_index is None for h in holders):
        holders[0] = NewHolder(holders[0].name, holders[0].id_number, holders[0].share, 0)
    return Entry(mode, tuple(holders), len(buyers) if separate else 1)


def certificate_numbers(series: str, year: int, last_serial: int, count: int) -> list[str]:
    """The next `count` numbers of a series after `last_serial`: consecutive, no gap."""
    return [format_certificate_number(PROVINCE, year, PLACE, last_serial + i + 1, kind=series)
            for i in range(count)]
