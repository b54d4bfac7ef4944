"""The SMS outbox's queue (SQS): one queue message per outbox message id, optionally delayed (the
retry backoff). The queue is only a wake-up call: the outbox record in DynamoDB is the truth, so a
lost or repeated queue message neither loses nor doubles an SMS (estate.notify.outbox)."""

from __future__ import annotations

import functools
import json

from estate.adapters.aws import client
from estate.config import get_settings

MAX_DELAY_S = 900  # SQS DelaySeconds cannot exceed 15 minutes; a longer backoff is re-queued on arrival


@functools.cache
def _sqs():
    return client("sqs")


@functools.cache
def sms_queue_url() -> str:
    """SMS_QUEUE_URL is the queue's URL in AWS (!Ref); the local stack resolves the queue by name."""
    value = get_settings().sms_queue_url
    if value.startswith("http"):
        return value
    return _sqs().get_queue_url(QueueName=value)["QueueUrl"]


def enqueue_sms(message_id: str, delay_s: int = 0, receipt_check: int | None = None) -> None:
    """Wake the sender for a message; with `receipt_check` (1, 2 …), ask its provider for the delivery
    receipt instead (providers without a receipt feed, estate.notify.outbox.check_receipt)."""
    body = {"message_id": message_id} if receipt_check is None else {"message_id": message_id,
                                                                      "receipt_check": receipt_check}
    _sqs().send_message(QueueUrl=sms_queue_url(), MessageBody=json.dumps(body),
                        DelaySeconds=max(0, min(int(delay_s), MAX_DELAY_S)))


def receive_sms_batch(max_messages: int = 10) -> list[dict]:
    """The local stack's poller (Lambda's event source mapping does this in AWS): the batch in
    Lambda's SQS event shape; delete_sms_batch() removes what the handler did not report failed."""
    response = _sqs().receive_message(QueueUrl=sms_queue_url(), MaxNumberOfMessages=max_messages,
                                             WaitTimeSeconds=0, VisibilityTimeout=30)
    return [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
             "eventSource": "aws:sqs"} for m in response.get("Messages", [])]


def delete_sms_messages(receipt_handles: list[str]) -> None:
    sqs = _sqs()
    for handle in receipt_handles:
        sqs.delete_message(QueueUrl=sms_queue_url(), ReceiptHandle=handle)
