"""statemachine/signing.asl.json on moto's ASL interpreter, with deadlines of seconds: reminders
every interval while unsigned, then the deadline ends signing cleanly and everyone is told."""

from __future__ import annotations

import dataclasses

import boto3
import pytest

from local.driver.signing import prepare_sale, tokens_for, wait_until


@pytest.fixture
def short_deadlines(monkeypatch, request):
    """Deadline of seconds (default 4 s; a test may ask for more with @pytest.mark.parametrize indirect)."""
    from estate.config import get_settings
    from estate.signing import workflow

    deadline = getattr(request, "param", 4)
    fast = dataclasses.replace(get_settings(), signing_deadline_s=deadline, signing_reminder_interval_s=1,
                               signing_max_reminders=2)
    monkeypatch.setattr(workflow, "get_settings", lambda: fast)
    return fast


def history_types(arn: str) -> list[str]:
    events = boto3.client("stepfunctions").get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return [e["type"] for e in events]


def test_reminders_then_the_deadline_end_signing_with_a_reason(short_deadlines, pool, as_citizen, stack):
    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    buyer = sale["people"][1]
    # the buyer never signs: invitation, then at most two reminders, each with a working link
    tokens = tokens_for(stack, buyer, count=3)
    view = wait_until(lambda: (s := sale["initiator"].call("GET", f"/applications/{sale['id']}/signing")[1])
                      and s["outcome"] and s, timeout_s=30)
    assert view["outcome"] == "SignatureDeadlinePassed" and view["status"] == "INQUIRY_SAVED"
    assert view["reason"] == "有当事人未在期限内签署"
    assert {p["status"] for p in view["parties"]} == {"expired"}
    reminders = [m for m in stack.sms_outbox() if m["phone"].endswith(buyer["phone"]) and "次提醒" in m["message"]]
    assert len(reminders) == 2  # max_reminders, never more
    from estate.store.applications import Application
    arn = Application.get(*Application.key(sale["id"])).signing["execution_arn"]
    wait_until(lambda: boto3.client("stepfunctions").describe_execution(executionArn=arn)["status"] == "FAILED")
    types = history_types(arn)
    assert types.count("TaskTimedOut") >= 2 and "MapStateFailed" in types
    status, _ = stack.gateway.handle("GET", f"/sign/{tokens[0]}/session", {}, b"").status, None
    assert status in (404, 410)  # the links died with the run
    told = [m for m in stack.sms_outbox() if "签署未完成" in m["message"]]
    assert {p["phone"] for p in sale["people"]} <= {m["phone"][-11:] for m in told}


@pytest.mark.parametrize("short_deadlines", [20], indirect=True)  # time enough to sign after a reminder
def test_a_party_who_signs_after_a_reminder_completes_the_run(short_deadlines, pool, as_citizen, stack):
    from local.driver.api import decode
    from local.driver.flows import sign_through_link

    sale = prepare_sale(pool, as_citizen, scenario="single", buyers=1)
    request = lambda m, p, h, b: decode(stack.gateway.handle(m, p, h, b))  # noqa: E731
    seller, buyer = sale["people"]
    assert sign_through_link(request, tokens_for(stack, seller)[0])[0] == 200
    late_token = tokens_for(stack, buyer, count=2)[-1]  # the reminder's link
    assert sign_through_link(request, late_token)[0] == 200
    view = wait_until(lambda: (s := sale["initiator"].call("GET", f"/applications/{sale['id']}/signing")[1])
                      and s["packet_ready"] and s, timeout_s=30)
    assert view["all_signed"] and view["outcome"] == "signed"


def test_the_template_machine_is_the_one_running(stack):
    """Provisioned from statemachine/signing.asl.json with the template's substitutions."""
    from local.aws import state_machine_definition

    sfn = boto3.client("stepfunctions")
    [machine] = [m for m in sfn.list_state_machines()["stateMachines"] if m["name"] == "SigningStateMachine"]
    deployed = sfn.describe_state_machine(stateMachineArn=machine["stateMachineArn"])["definition"]
    assert deployed == state_machine_definition(stack.template, stack.resolver, "SigningStateMachine")
    assert "${" not in deployed
