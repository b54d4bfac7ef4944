"""The notification outbox: entries and SMS written with the change they report, sent off the request.

  1. stage(notices): the in-app entries and one outbox message per SMS, as writes the use case adds
     to its own transaction (the change and what it tells people stand or fall together);
  2. dispatch(staged): after the commit, one SQS message per outbox message (a failure here only
     delays it: sweep() finds every queued message whose time has come and queues it again);
  3. deliver(message_id): the queue's worker claims the message (queued → sending, conditional: a
     repeated queue message sends nothing), sends it, and records sent — or, on a provider outage,
     puts it back with exponential backoff, until MAX_ATTEMPTS, then failed;
  4. receipts → delivered / failed: record_receipts(event) reads SNS SMS delivery status (CloudWatch
     Logs); a provider without such a feed (Alibaba Cloud: polls_receipts) is asked instead, by
     check_receipt() from delayed queue messages after the send (RECEIPT_CHECK_DELAYS_S).
"""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterable

from estate import clock
from estate.adapters import queue as sms_queue
from estate.adapters import sms
from estate.notify.steps import Notice
from estate.observability import count_event, logger, mask_phone
from estate.store import notifications as store
from estate.store.base import Put, Write

MAX_ATTEMPTS = 8            # with the backoff below: about 2 hours of provider outage before a message fails
RETRY_BASE_S = 60
RETRY_CAP_S = 3600


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failed attempt: 60, 120, 240 … capped at an hour."""
    return min(RETRY_BASE_S * 2 ** max(0, attempts - 1), RETRY_CAP_S)


@dataclass
class Staged:
    writes: list[Write] = field(default_factory=list)
    message_ids: list[str] = field(default_factory=list)

    def __add__(self, other: "Staged") -> "Staged":
        return Staged([*self.writes, *other.writes], [*self.message_ids, *other.message_ids])


def entry_text(notice: Notice) -> str | None:
    """The notice's words (the SMS without its signature); None if the template refuses the parameters."""
    try:
        return sms.render(notice.template, **notice.params).removeprefix(sms.SIGNATURE)
    except sms.SmsError as error:
        logger.error("notice not rendered", template=notice.template, step=notice.step, reason=str(error))
        return None


def stage(notices: Iterable[Notice], application_id: str | None, now: datetime | None = None) -> Staged:
    """The entries and outbox messages for `notices`, as writes for the caller's transaction. A notice
    whose template refuses its parameters (e.g. a full ID number) is dropped, logged, never stored."""
    now = now or clock.now()
    staged = Staged()
    for offset, notice in enumerate(notices):
        text = entry_text(notice)
        if text is None:
            continue
        moment = now + timedelta(microseconds=offset)  # distinct sort keys, in the order given
        message = None
        if notice.phone:
            message = store.new_message(notice.phone, notice.template, dict(notice.params), moment,
                                        application_id=application_id, step=notice.step)
            staged.writes.append(Put(message))
            staged.message_ids.append(message.message_id)
        staged.writes.append(Put(store.new_notification(
            notice.recipient_id, moment, step=notice.step, title=notice.title, text=text,
            application_id=application_id, action=notice.action,
            message_id=message.message_id if message else None)))
    return staged


def dispatch(staged: Staged | list[str]) -> None:
    """Wake the sender for each message (after the commit). Never raises: an unqueued message is
    still in the outbox, and sweep() queues it."""
    for message_id in staged.message_ids if isinstance(staged, Staged) else staged:
        try:
            sms_queue.enqueue_sms(message_id)
        except Exception as error:  # noqa: BLE001 - the committed change stands; the sweeper catches up
            logger.warning("sms not queued, the sweeper will", message_id=message_id, reason=type(error).__name__)


def notify(notices: list[Notice], application_id: str | None) -> None:
    """For a notice that reports no state change of its own: write it, then dispatch."""
    staged = stage(notices, application_id)
    if staged.writes:
        store.record_alone([w.item for w in staged.writes])  # type: ignore[misc]
        dispatch(staged)


# --- the sender ------------------------------------------------------------------------------------

def deliver(message_id: str, now: datetime | None = None, sender: sms.SmsSender | None = None) -> str:
    """Send one outbox message if it is due and nobody else is sending it; returns what happened."""
    now = now or clock.now()
    message = store.get_message(message_id)
    if message is None:
        return "unknown"
    if message.state != store.QUEUED:
        return "skipped"  # sent, delivered, failed or being sent: a repeated queue message
    due = datetime.fromisoformat(message.next_attempt_at)
    if due > now:  # its backoff is longer than SQS can delay: wait again
        sms_queue.enqueue_sms(message_id, int((due - now).total_seconds()) + 1)
        return "waiting"
    attempts = message.attempts + 1
    if not store.claim(message, now):
        return "skipped"
    try:
        provider_id = (sender or sms.default_sender()).send(message.phone, message.template, **message.params)
    except sms.ProviderUnavailable as error:
        if attempts >= MAX_ATTEMPTS:
            store.mark_failed(message, now, f"provider: {error}")
            count_event("SmsFailed")
            logger.error("sms failed after retries", message_id=message_id, attempts=attempts)
            return "failed"
        delay = retry_delay(attempts)
        store.mark_retry(message, now + timedelta(seconds=delay), f"provider: {error}")
        try:
            sms_queue.enqueue_sms(message_id, delay)
        except Exception:  # noqa: BLE001 - the sweeper queues it when due
            logger.warning("sms retry not queued, the sweeper will", message_id=message_id)
        count_event("SmsRetried")
        logger.warning("sms provider failed, will retry", message_id=message_id, attempts=attempts, delay_s=delay)
        return "retrying"
    except sms.SmsError as error:  # the message itself is wrong (template, phone): retrying cannot help
        store.mark_failed(message, now, str(error))
        count_event("SmsFailed")
        logger.error("sms refused", message_id=message_id, phone=mask_phone(message.phone), reason=str(error))
        return "failed"
    store.mark_sent(message, provider_id, now)
    count_event("SmsSent")
    if getattr(sender or sms.default_sender(), "polls_receipts", False):
        _ask_for_receipt(message_id, 1)
    return "sent"


# Carriers answer within seconds to minutes; Alibaba keeps send details for 30 days. Checks after
# 1, 3, 8, 23, 38 and 53 minutes; a message still without a receipt then stays "sent".
RECEIPT_CHECK_DELAYS_S = (60, 120, 300, 900, 900, 900)


def _ask_for_receipt(message_id: str, check: int) -> None:
    try:
        sms_queue.enqueue_sms(message_id, RECEIPT_CHECK_DELAYS_S[check - 1], receipt_check=check)
    except Exception:  # noqa: BLE001 - the SMS went; only its receipt will be missing
        logger.warning("sms receipt check not queued", message_id=message_id, check=check)


def check_receipt(message_id: str, check: int = 1, sender=None) -> str:
    """Ask the provider whether a sent message arrived (the `check`-th time); record what it says."""
    message = store.get_message(message_id)
    if message is None or message.state != store.SENT or not message.provider_message_id or not message.sent_at:
        return "skipped"  # already delivered or failed (a repeated queue message), or never sent
    try:
        receipt = (sender or sms.default_sender()).receipt(message.provider_message_id, message.phone,
                                                           message.sent_at)
    except sms.SmsError as error:  # provider busy: try again at the next check
        logger.warning("sms receipt not read", message_id=message_id, check=check, reason=str(error))
        receipt = None
    if receipt is not None and receipt.state != "waiting":
        return _record_receipt(message, receipt.state == "delivered", receipt.at or clock.now().isoformat(),
                               receipt.reason or "delivery failed")
    if check < len(RECEIPT_CHECK_DELAYS_S):
        _ask_for_receipt(message_id, check + 1)
        return "waiting"
    logger.warning("sms receipt never came", message_id=message_id, checks=check)
    return "no receipt"


def _record_receipt(message: store.OutboxMessage, delivered: bool, at: str, reason: str) -> str:
    """sent → delivered | failed, once (a repeated receipt changes nothing)."""
    if delivered:
        if store.mark_delivered(message, at):
            count_event("SmsDelivered")
            return "delivered"
    elif store.mark_failed(message, datetime.fromisoformat(at), f"receipt: {reason}", from_states=(store.SENT,)):
        count_event("SmsDeliveryFailed")
        return "failed"
    return "skipped"


def handle_queue_event(event: dict, sender: sms.SmsSender | None = None) -> dict:
    """Lambda's SQS event (ReportBatchItemFailures): a record whose outbox could not be read or
    written is handed back to the queue; everything else was decided and recorded."""
    failures = []
    for record in event.get("Records", []):
        try:
            body = json.loads(record["body"])
            if body.get("receipt_check"):
                check_receipt(body["message_id"], int(body["receipt_check"]), sender=sender)
                continue
            deliver(body["message_id"], sender=sender)
        except Exception:  # noqa: BLE001 - this record only; SQS redelivers it
            logger.exception("sms delivery step failed", queue_message=record.get("messageId"))
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def sweep(now: datetime | None = None) -> int:
    """Queue again every message still waiting whose time has come (a dispatch lost after its commit,
    a retry whose queue message was lost). A duplicate queue message is harmless (deliver claims)."""
    now = now or clock.now()
    count = 0
    for message in store.due_messages(now):
        sms_queue.enqueue_sms(message.message_id)
        count += 1
    if count:
        logger.info("outbox swept", queued=count)
    return count


# --- delivery receipts -----------------------------------------------------------------------------
# Amazon SNS logs the delivery status of every SMS published to a phone number to CloudWatch Logs
# (account setting DeliveryStatusIAMRole; log groups sns/<region>/<account>/DirectPublishToPhoneNumber
# and …/DirectPublishToPhoneNumber/Failure). A subscription filter hands each batch to this function
# as {"awslogs": {"data": base64(gzip(JSON))}}; the JSON's logEvents[].message is one status record:
#   {"notification": {"messageId": "<the MessageId Publish returned>", "timestamp": "2026-12-03 05:31:10.558"},
#    "delivery": {"destination": "+86138…", "smsType": "Transactional", "providerResponse": "…",
#                 "dwellTimeMs": 599, "priceInUSD": 0.00645, …},
#    "status": "SUCCESS" | "FAILURE"}

def decode_log_batch(event: dict) -> list[dict]:
    data = json.loads(gzip.decompress(base64.b64decode(event["awslogs"]["data"])))
    records = []
    for log_event in data.get("logEvents", []):
        try:
            records.append(json.loads(log_event["message"]))
        except (KeyError, ValueError):
            logger.warning("sms delivery status not understood", log_event_id=log_event.get("id"))
    return records


def record_receipts(event: dict) -> dict:
    counts = {"delivered": 0, "failed": 0, "unknown": 0}
    for status in decode_log_batch(event):
        provider_id = (status.get("notification") or {}).get("messageId")
        message = store.message_for_provider_id(provider_id) if provider_id else None
        if message is None:  # an SMS not sent through the outbox (signing links, bookings)
            counts["unknown"] += 1
            continue
        at = _receipt_time((status.get("notification") or {}).get("timestamp"))
        reason = str((status.get("delivery") or {}).get("providerResponse") or "delivery failed")
        recorded = _record_receipt(message, status.get("status") == "SUCCESS", at, reason)
        if recorded in counts:
            counts[recorded] += 1
    logger.info("sms receipts recorded", **counts)
    return counts


def _receipt_time(timestamp: str | None) -> str:
    """SNS writes UTC as 'YYYY-MM-DD HH:MM:SS.mmm'."""
    try:
        return datetime.fromisoformat(f"{timestamp.replace(' ', 'T')}+00:00").isoformat() if timestamp else \
            clock.now().isoformat()
    except ValueError:
        return clock.now().isoformat()
