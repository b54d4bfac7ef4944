"""Which AWS failures the signing workflow's tasks report as TransientError (the ASL retries those)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from pynamodb.exceptions import PutError

from estate.adapters.aws import is_transient, reraise_transient
from estate.adapters.sms import SmsError
from estate.errors import TransientError


def client_error(code: str, **extra: object) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "x"}, **extra}, "PutItem")


@pytest.mark.parametrize("code", ["ThrottlingException", "ProvisionedThroughputExceededException",
                                  "RequestLimitExceeded", "ServiceUnavailable", "SlowDown"])
def test_throttling_and_outages_are_transient(code):
    assert is_transient(client_error(code))


@pytest.mark.parametrize("code", ["ConditionalCheckFailedException", "ResourceNotFoundException",
                                  "AccessDeniedException", "ValidationException", "TaskDoesNotExist"])
def test_refusals_are_not(code):
    assert not is_transient(client_error(code))


def test_pynamodb_errors_are_judged_by_their_botocore_cause():
    assert is_transient(PutError("put failed", cause=client_error("ProvisionedThroughputExceededException")))
    assert not is_transient(PutError("put failed", cause=client_error("ConditionalCheckFailedException")))


def test_an_error_our_code_renamed_keeps_its_meaning():
    # The SMS adapter's SmsError leads the ASL to "could not be invited"; a retried invitation task
    # would find the party already marked invited and send nothing.
    sms_failure = SmsError("Throttling")
    sms_failure.__cause__ = client_error("Throttling")  # as `raise SmsError(...) from error` sets it
    assert not is_transient(sms_failure)


def test_timeouts_are_transient():
    assert is_transient(ReadTimeoutError(endpoint_url="https://dynamodb"))


def test_a_transaction_cancelled_by_throttling_is_transient_but_not_by_a_condition():
    throttled = client_error("TransactionCanceledException",
                             CancellationReasons=[{"Code": "None"}, {"Code": "ThrottlingError"}])
    refused = client_error("TransactionCanceledException",
                           CancellationReasons=[{"Code": "ConditionalCheckFailed"}, {"Code": "None"}])
    assert is_transient(throttled) and not is_transient(refused)


def test_reraise_transient_renames_only_what_a_retry_helps():
    with pytest.raises(TransientError) as raised:
        with reraise_transient():
            raise client_error("ThrottlingException")
    assert raised.type.__name__ == "TransientError"  # the name the ASL's Retry matches
    assert isinstance(raised.value.__cause__, ClientError)
    with pytest.raises(ClientError):
        with reraise_transient():
            raise client_error("ConditionalCheckFailedException")
    with pytest.raises(KeyError):
        with reraise_transient():
            raise KeyError("application_id")


def test_a_signing_task_that_is_throttled_raises_transient_error(monkeypatch):
    from estate.signing import workflow

    def throttled(event):
        raise PutError("put failed", cause=client_error("ThrottlingException"))

    monkeypatch.setattr(workflow, "render_documents", throttled)
    with pytest.raises(TransientError):
        workflow.task({"action": "render", "application_id": "A1", "document_version": 1})
