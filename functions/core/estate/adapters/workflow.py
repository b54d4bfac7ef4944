"""Step Functions behind one small adapter: starting and stopping a run, answering its waits.

Callers never see botocore: a run that already exists (a retried start) is the run they wanted, and
a stop of a run that already ended is logged, not raised."""

from __future__ import annotations

import json

from botocore.exceptions import ClientError

from estate.adapters.aws import client
from estate.observability import logger


def start_execution(state_machine_arn: str, name: str, execution_input: dict) -> None:
    try:
        client("stepfunctions").start_execution(stateMachineArn=state_machine_arn, name=name,
                                                input=json.dumps(execution_input))
    except ClientError as error:
        if error.response["Error"]["Code"] != "ExecutionAlreadyExists":
            raise


def execution_arn(state_machine_arn: str, name: str) -> str:
    return state_machine_arn.replace(":stateMachine:", ":execution:") + ":" + name


def stop_execution(arn: str, error: str, cause: str) -> None:
    try:
        client("stepfunctions").stop_execution(executionArn=arn, error=error, cause=cause)
    except ClientError as failure:
        logger.warning("could not stop signing", reason=failure.response["Error"]["Code"])


def send_task_success(token: str, output: dict) -> None:
    client("stepfunctions").send_task_success(taskToken=token, output=json.dumps(output))


def send_task_failure(token: str, error: str, cause: str) -> None:
    client("stepfunctions").send_task_failure(taskToken=token, error=error, cause=cause)


def answer_wait(token: str, *, output: dict | None = None, error: str | None = None, cause: str = "") -> None:
    """Answer an open wait with success (`output`) or failure (`error`). If it already timed out (a
    reminder is being sent), the next wait sees the new status and finishes by itself."""
    try:
        if error is None:
            send_task_success(token, output or {})
        else:
            send_task_failure(token, error, cause)
    except ClientError as failure:
        logger.info("signing wait already closed", reason=failure.response["Error"]["Code"])
