"""The SMS adapter (templates, no full ID numbers, E.164, SNS call) and the calendar file format."""

from __future__ import annotations

from datetime import datetime

import pytest
from botocore.stub import Stubber

from estate.adapters import sms
from estate.domain import ics
from estate.domain.calendar import SHANGHAI

PARAMS = {"name": "王伟", "date": "9月29日", "weekday": "周二", "period_label": "上午", "start": "08:30", "end": "12:00",
          "outlet_name": "城区登记大厅", "business_name": "抵押权首次登记", "number": "20260929A-7KQ3M",
          "cutoff": "9月28日17:00", "address": "德胜东街"}


def test_templates_render_with_the_signature():
    text = sms.render("booking_confirmed", **PARAMS)
    assert text.startswith("【阳泉不动产登记】王伟您好") and "20260929A-7KQ3M" in text and "{" not in text


def test_a_full_id_number_is_never_sent_but_a_masked_one_is():
    with pytest.raises(sms.SmsError):
        sms.render("booking_cancelled", **{**PARAMS, "name": "王伟 140302199001010014"})
    assert "140302********0014" in sms.render("booking_cancelled", **{**PARAMS, "name": "140302********0014"})


def test_unknown_template_and_missing_parameters_are_errors():
    with pytest.raises(sms.SmsError):
        sms.render("no_such_template")
    with pytest.raises(sms.SmsError, match="number"):
        sms.render("booking_cancelled", **{k: v for k, v in PARAMS.items() if k != "number"})


@pytest.mark.parametrize("raw, expected", [("13912345678", "+8613912345678"), ("+86 139-1234-5678", "+8613912345678"),
                                           ("8613912345678", "+8613912345678")])
def test_mainland_mobiles_become_e164(raw, expected):
    assert sms.e164(raw) == expected


def test_a_landline_is_refused():
    with pytest.raises(sms.SmsError):
        sms.e164("0353-2026158")


def test_sender_publishes_to_the_phone_number_as_transactional():
    import boto3

    client = boto3.client("sns", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(client)
    stubber.add_response("publish", {"MessageId": "m-1"}, {
        "PhoneNumber": "+8613912345678", "Message": sms.render("booking_cancelled", **PARAMS),
        "MessageAttributes": {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}})
    stubber.add_client_error("publish", "Throttling")
    with stubber:
        sender = sms.SmsSender(client)
        assert sender.send("13912345678", "booking_cancelled", **PARAMS) == "m-1"
        with pytest.raises(sms.SmsError):
            sender.send("13912345678", "booking_cancelled", **PARAMS)


EVENT = ics.CalendarEvent(uid="bk_1@estate", summary="不动产登记预约：抵押权首次登记",
                          location="阳泉市不动产登记中心城区登记大厅，阳泉市城区德胜东街阳泉市政务服务中心一层不动产登记区",
                          description="预约号：1; 第二行\n请带身份证, 谢谢",
                          start=datetime(2026, 9, 29, 8, 30, tzinfo=SHANGHAI),
                          end=datetime(2026, 9, 29, 12, 0, tzinfo=SHANGHAI),
                          stamp=datetime(2026, 9, 28, 9, 0, tzinfo=SHANGHAI), alarm_minutes_before=60)


def test_ics_lines_are_crlf_and_at_most_75_octets():
    text = ics.render(EVENT)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))


def test_ics_times_are_utc_and_text_is_escaped():
    unfolded = ics.render(EVENT).replace("\r\n ", "")
    assert "DTSTART:20260929T003000Z" in unfolded and "DTEND:20260929T040000Z" in unfolded
    assert "DESCRIPTION:预约号：1\\; 第二行\\n请带身份证\\, 谢谢" in unfolded
    assert "TRIGGER:-PT60M" in unfolded


def test_ics_refuses_naive_times():
    with pytest.raises(ValueError):
        ics.render(ics.CalendarEvent("u", "s", "l", "d", datetime(2026, 9, 29, 8), datetime(2026, 9, 29, 9),
                                     datetime(2026, 9, 28)))
