"""Who is told what at each step of a case (issue 17), as pure functions of the application.

Each returns Notices: one per recipient, with the SMS template and its parameters (masked: the
location cut to its street, other people's names masked) and the in-app title. The caller hands
them to estate.notify.outbox, which writes them with the change they report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from estate import clock
from estate.adapters.sms import masked_location

SIDE_LABELS = {"buyer": "买方", "seller": "卖方"}
TITLES = {
    "submitted": "申请已提交", "accepted": "申请已受理", "taxes_assessed": "税费已核定", "returned": "申请已退件",
    "refused": "申请未予登记", "approved": "申请已登簿", "completed": "登记已办结", "withdrawn": "申请已撤销",
    "signing_failed": "签署未完成", "refund": "退税申请已提交", "link_reissued": "签署链接已重新发送",
}
BOOK_PICKUP = {"kind": "book", "label": "预约领证", "business": "certificate-pickup"}


@dataclass(frozen=True)
class Notice:
    recipient_id: str
    phone: str | None
    step: str
    template: str
    params: dict[str, Any]
    title: str
    action: dict | None = field(default=None)


def beijing_date(moment: datetime) -> str:
    local = moment.astimezone(clock.SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日"


def parties_of(application) -> list[tuple[str, dict]]:
    """(side, person) for every seller and buyer, each person once."""
    seen, out = set(), []
    for side, key in (("seller", "sellers"), ("buyer", "buyers")):
        for person in (application.parties or {}).get(key, []):
            if person.get("id_number") and person["id_number"] not in seen:
                seen.add(person["id_number"])
                out.append((side, person))
    return out


def _initiator(application) -> dict:
    found = next((p for _, p in parties_of(application) if p["id_number"] == application.initiator_id), None)
    return found or {"id_number": application.initiator_id, "name": "", "phone": None}


def _common(application) -> dict:
    return {"location": masked_location((application.unit or {}).get("location", "")),
            "application_id": application.application_id}


def _notice(person: dict, step: str, template: str, params: dict, action: dict | None = None,
            title: str | None = None) -> Notice:
    return Notice(person["id_number"], person.get("phone"), step, template,
                  {"name": person.get("name", ""), **params}, title or TITLES[step], action)


def _to(people: Iterable[dict], step: str, template: str, params: dict) -> list[Notice]:
    return [_notice(p, step, template, params) for p in people]


def submitted(application, now: datetime) -> list[Notice]:
    return _to((p for _, p in parties_of(application)), "submitted", "application_submitted",
               {**_common(application), "date": beijing_date(now)})


def accepted(application, now: datetime, due_on_label: str) -> list[Notice]:
    return _to((p for _, p in parties_of(application)), "accepted", "application_accepted",
               {**_common(application), "date": beijing_date(now), "due_on": due_on_label})


def taxes_assessed(application, owed: dict[str, tuple[str, list[str]]]) -> list[Notice]:
    """owed: side → (amount to pay in yuan, the labels of what is owed); each party is told their side's."""
    notices = []
    for side, person in parties_of(application):
        amount, labels = owed.get(side, ("0.00", []))
        if labels:
            notices.append(_notice(person, "taxes_assessed", "taxes_assessed",
                                   {**_common(application), "side_label": SIDE_LABELS[side], "amount": amount,
                                    "items": "、".join(labels)}))
        else:
            notices.append(_notice(person, "taxes_assessed", "taxes_assessed_nothing",
                                   {**_common(application), "side_label": SIDE_LABELS[side]}))
    return notices


def returned(application, reasons: str) -> list[Notice]:
    """The initiator with the reasons (to correct and resubmit); the other parties informed."""
    initiator = _initiator(application)
    others = [p for _, p in parties_of(application) if p["id_number"] != initiator["id_number"]]
    return [_notice(initiator, "returned", "application_returned", {"application_id": application.application_id,
                                                                    "reasons": reasons}),
            *_to(others, "returned", "application_returned_other", _common(application))]


def approved(application, registration: dict, outlet_name: str) -> list[Notice]:
    """Buyers: collect the new certificate (and book the pickup); sellers: hand back the old one."""
    by_holder = {name: c["certificate_number"] for c in registration["certificates"] for name in c["holders"]}
    first = registration["certificates"][0]["certificate_number"]
    notices = []
    for side, person in parties_of(application):
        if side == "buyer":
            notices.append(_notice(person, "approved", "certificate_to_collect",
                                   {**_common(application), "certificate": by_holder.get(person.get("name"), first),
                                    "outlet_name": outlet_name},
                                   action={**BOOK_PICKUP, "outlet": application.outlet}, title="已登簿，请领取新证"))
        else:
            notices.append(_notice(person, "approved", "certificate_to_hand_back",
                                   {**_common(application), "outlet_name": outlet_name}, title="已登簿，请交回原证书"))
    return notices


def refused(application, reason: str) -> list[Notice]:
    """The centre's refusal (不予登记, the staff-desk issue): every party, with the reason; taxes paid
    become refund requests with estate.tax.refunds.plan_refunds(application, "refused", now)."""
    return _to((p for _, p in parties_of(application)), "refused", "application_refused",
               {**_common(application), "reason": reason})


def completed(application, now: datetime) -> list[Notice]:
    return _to((p for _, p in parties_of(application)), "completed", "application_completed",
               {**_common(application), "date": beijing_date(now)})


def withdrawn(application, now: datetime, audience: str | None, during_signing: bool) -> list[Notice]:
    """Who knew of the case hears of its end (estate.domain.application.told_of_withdrawal: `audience`
    everyone | others | None). During signing everyone's link died, the initiator's too: all get that
    message; otherwise the initiator gets a record of what they did and the others the news."""
    initiator = _initiator(application)
    day = now.astimezone(clock.SHANGHAI)
    news = {**_common(application), "date": f"{day.month}月{day.day}日"}
    if audience == "everyone" and during_signing:
        return _to((p for _, p in parties_of(application)), "withdrawn", "withdrawn_during_signing", news)
    notices = [_notice(initiator, "withdrawn", "application_withdrawn_self",
                       {**_common(application), "date": beijing_date(now)})]
    if audience is None:
        return notices
    others = [p for _, p in parties_of(application) if p["id_number"] != initiator["id_number"]]
    template = "withdrawn_during_signing" if during_signing else "application_withdrawn"
    return [*notices, *_to(others, "withdrawn", template, news)]


def signing_failed(application, initiator: dict, template: str, params: dict) -> list[Notice]:
    return [_notice(initiator, "signing_failed", template, {**_common(application), **params})]


def refund(application, payer: dict, amount: str, refund_id: str, ended: str) -> list[Notice]:
    return [_notice(payer, "refund", "refund_requested",
                    {**_common(application), "amount": amount, "refund_id": refund_id, "ended": ended})]


def link_reissued(application, person: dict) -> list[Notice]:
    return [_notice(person, "link_reissued", "signing_link_reissued", _common(application))]
