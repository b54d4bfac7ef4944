"""Who is told what at each step (estate.notify.steps), the outbox's backoff, the SMS adapter's refusal
of an unmasked ID number as a template parameter, and the SNS delivery-status format."""

from __future__ import annotations

import base64
import gzip
import json
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from estate.adapters import sms
from estate.apply import messages as apply_messages
from estate.notify import messages, outbox, steps
from estate.office import messages as office_messages

for table in (messages.TEMPLATES, apply_messages.TEMPLATES, office_messages.TEMPLATES):
    sms.add_templates(table)
NOW = datetime(2026, 12, 3, 1, 30, tzinfo=timezone.utc)  # 09:30 in Beijing
SELLER = {"id_number": "140302197001010011", "name": "张三", "phone": "13900000001"}
SELLER_SPOUSE = {"id_number": "140302197002020022", "name": "李四", "phone": "13900000002"}
BUYER = {"id_number": "140302198003030033", "name": "王五", "phone": "13900000003"}


def application(**overrides):
    fields = {"application_id": "YQ20261203ABCDE12345", "initiator_id": SELLER["id_number"], "outlet": "140302",
              "unit": {"location": "阳泉市城区桃北中街12号院3号楼2单元501室"},
              "parties": {"sellers": [SELLER, SELLER_SPOUSE], "buyers": [BUYER]}}
    return SimpleNamespace(**{**fields, **overrides})


def rendered(notice: steps.Notice) -> str:
    return sms.render(notice.template, **notice.params)


def test_submitted_tells_every_party_once_with_a_masked_location():
    told = steps.submitted(application(), NOW)
    assert [n.recipient_id for n in told] == [SELLER["id_number"], SELLER_SPOUSE["id_number"], BUYER["id_number"]]
    text = rendered(told[0])
    assert "阳泉市城区桃北中街12号…" in text and "501室" not in text and "2026年12月3日" in text


def test_taxes_assessed_tells_each_side_its_own_amount_or_that_it_owes_nothing():
    told = steps.taxes_assessed(application(), {"buyer": ("9000.00", ["契税", "印花税"]), "seller": ("0.00", [])})
    by_id = {n.recipient_id: rendered(n) for n in told}
    assert "买方应缴9000.00元（契税、印花税）" in by_id[BUYER["id_number"]]
    assert "卖方无需缴纳税费" in by_id[SELLER["id_number"]] and "9000" not in by_id[SELLER["id_number"]]


def test_returned_gives_the_initiator_the_reasons_and_informs_the_others():
    told = steps.returned(application(), "买卖合同内容有误")
    assert told[0].recipient_id == SELLER["id_number"] and "原因：买卖合同内容有误" in rendered(told[0])
    assert all("待申请人补正" in rendered(n) and "买卖合同" not in rendered(n) for n in told[1:])
    assert len(told) == 3


def test_approved_sends_buyers_to_collect_and_sellers_to_hand_back():
    registration = {"certificates": [{"certificate_number": "晋(2026)阳泉市不动产权第0000123号", "holders": ["王五"]}]}
    told = {n.recipient_id: n for n in steps.approved(application(), registration, "城区登记大厅")}
    buyer = told[BUYER["id_number"]]
    assert "领取新证" in rendered(buyer) and "0000123" in rendered(buyer)
    assert buyer.action == {"kind": "book", "label": "预约领证", "business": "certificate-pickup", "outlet": "140302"}
    seller = told[SELLER["id_number"]]
    assert "交回原证书" in rendered(seller) and seller.action is None


@pytest.mark.parametrize("audience, during_signing, expected", [
    (None, False, {"application_withdrawn_self": 1}),                         # nobody else knew of it
    ("others", False, {"application_withdrawn_self": 1, "application_withdrawn": 2}),
    ("everyone", True, {"withdrawn_during_signing": 3}),                      # every link died, the initiator's too
])
def test_withdrawn_tells_who_knew_of_the_case(audience, during_signing, expected):
    told = steps.withdrawn(application(), NOW, audience, during_signing)
    counts: dict[str, int] = {}
    for notice in told:
        counts[notice.template] = counts.get(notice.template, 0) + 1
    assert counts == expected


def test_the_adapter_refuses_an_unmasked_id_number_as_a_template_parameter():
    notice = steps.refund(application(), {**BUYER, "name": BUYER["id_number"]}, "100.00", "TK1", "撤销")[0]
    with pytest.raises(sms.SmsError, match="full ID number"):
        rendered(notice)
    assert outbox.entry_text(notice) is None  # and the outbox drops it instead of storing it
    masked = steps.refund(application(), {**BUYER, "name": "140302********0033"}, "100.00", "TK1", "撤销")[0]
    assert "140302********0033" in rendered(masked)


def test_retries_back_off_exponentially_up_to_an_hour():
    assert [outbox.retry_delay(n) for n in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert sum(outbox.retry_delay(n) for n in range(1, outbox.MAX_ATTEMPTS)) >= 2 * 3600 - 600


def test_sns_delivery_status_records_are_read_from_the_log_subscription_event():
    status = {"notification": {"messageId": "abc", "timestamp": "2026-12-03 05:31:10.558"},
              "delivery": {"destination": "+8613900000003", "providerResponse": "Phone is currently unreachable"},
              "status": "FAILURE"}
    payload = {"messageType": "DATA_MESSAGE", "logEvents": [{"id": "1", "timestamp": 0, "message": json.dumps(status)},
                                                            {"id": "2", "timestamp": 0, "message": "not json"}]}
    event = {"awslogs": {"data": base64.b64encode(gzip.compress(json.dumps(payload).encode())).decode()}}
    assert outbox.decode_log_batch(event) == [status]
    assert outbox._receipt_time("2026-12-03 05:31:10.558") == "2026-12-03T05:31:10.558000+00:00"


def test_a_refusal_tells_every_party_the_reason():
    told = steps.refused(application(), "申请材料不真实")
    assert len(told) == 3 and all("不予登记" in rendered(n) and "申请材料不真实" in rendered(n) for n in told)
