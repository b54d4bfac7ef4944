"""What a person is told and the SMS that carries it, in the applications table (so an entry and its
SMS are written in the same transaction as the change they report — the transactional outbox):

  INBOX#<id number> / NOTE#<time>#<rand>   one entry of a person's notifications (newest first by sort key)
  OUTBOX#<message id> / OUTBOX             one SMS: template, masked parameters, the phone, its state
                                           queued → sending → sent → delivered | failed, attempts,
                                           next_attempt_at; `due` (sparse, outbox-index) while it waits
  SMSID#<provider message id> / SMSID      the provider's id → the outbox message (delivery receipts)

This module is the one writer of these items; estate.notify decides what goes in them.
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import datetime
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from estate.store.applications import ApplicationItem
from estate.store.base import Put, Update, write_together

QUEUED, SENDING, SENT, DELIVERED, FAILED = "queued", "sending", "sent", "delivered", "failed"
DUE = "due"  # the outbox-index partition of every message still waiting to be sent


class OutboxIndex(GlobalSecondaryIndex["OutboxMessage"]):
    """The sweeper's view: messages waiting to be sent, by when they are due (sparse: only waiting ones carry `due`)."""

    class Meta:
        index_name = "outbox-index"
        projection = AllProjection()

    due = UnicodeAttribute(hash_key=True)
    next_attempt_at = UnicodeAttribute(range_key=True)


class Notification(ApplicationItem, discriminator="notification"):
    recipient_id = UnicodeAttribute()
    note_id = UnicodeAttribute()
    step = UnicodeAttribute()
    title = UnicodeAttribute()
    text = UnicodeAttribute()
    application_id = UnicodeAttribute(null=True)
    action = JSONAttribute(null=True)          # what the app offers next (e.g. book the certificate pickup)
    message_id = UnicodeAttribute(null=True)   # the SMS that carries it (none when the party has no phone)
    created_at = UnicodeAttribute()

    @staticmethod
    def key(id_number: str, created_at: str, note_id: str) -> tuple[str, str]:
        return f"INBOX#{id_number}", f"NOTE#{created_at}#{note_id}"


class OutboxMessage(ApplicationItem, discriminator="outbox"):
    message_id = UnicodeAttribute()
    template = UnicodeAttribute()
    params = JSONAttribute()                   # already masked (estate.notify renders them before queuing)
    phone = UnicodeAttribute()                 # the one unmasked field: where it goes
    state = UnicodeAttribute()                 # queued | sending | sent | delivered | failed
    attempts = NumberAttribute(default=0)
    next_attempt_at = UnicodeAttribute()
    due = UnicodeAttribute(null=True)          # DUE while queued (outbox-index); removed once it left
    application_id = UnicodeAttribute(null=True)
    step = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    sent_at = UnicodeAttribute(null=True)
    provider_message_id = UnicodeAttribute(null=True)
    delivered_at = UnicodeAttribute(null=True)
    failed_at = UnicodeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    outbox_index = OutboxIndex()

    @staticmethod
    def key(message_id: str) -> tuple[str, str]:
        return f"OUTBOX#{message_id}", "OUTBOX"


class ProviderMessage(ApplicationItem, discriminator="smsid"):
    message_id = UnicodeAttribute()

    @staticmethod
    def key(provider_message_id: str) -> tuple[str, str]:
        return f"SMSID#{provider_message_id}", "SMSID"


def new_id() -> str:
    return secrets.token_hex(8)


def new_notification(id_number: str, now: datetime, **fields: Any) -> Notification:
    note_id = new_id()
    return Notification(*Notification.key(id_number, now.isoformat(), note_id), recipient_id=id_number,
                        note_id=note_id, created_at=now.isoformat(), **fields)


def new_message(phone: str, template: str, params: dict[str, Any], now: datetime, **fields: Any) -> OutboxMessage:
    message_id = new_id()
    return OutboxMessage(*OutboxMessage.key(message_id), message_id=message_id, template=template, params=params,
                         phone=phone, state=QUEUED, attempts=0, next_attempt_at=now.isoformat(), due=DUE,
                         created_at=now.isoformat(), **fields)


def record_alone(items: list[Notification | OutboxMessage]) -> None:
    """Entries and messages that report no state change of their own (a reissued link)."""
    write_together([Put(item, type(item).pk.does_not_exist()) for item in items])


# --- the inbox --------------------------------------------------------------------------------------

def _encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(key["sk"]["S"]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str | None:
    """The sort key a cursor stands for; None if it is not one of ours."""
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError:
        return None
    return value if isinstance(value, str) and value.startswith("NOTE#") else None


def inbox(id_number: str, limit: int, after_sk: str | None = None) -> tuple[list[Notification], str | None]:
    """A person's entries, newest first, `limit` at a time; the cursor for the next page (None at the end)."""
    pk = f"INBOX#{id_number}"
    start = {"pk": {"S": pk}, "sk": {"S": after_sk}} if after_sk else None
    result = Notification.query(pk, Notification.sk.startswith("NOTE#"), scan_index_forward=False, limit=limit,
                                last_evaluated_key=start)
    entries = list(result)
    return entries, _encode_cursor(result.last_evaluated_key) if len(entries) == limit else None


# --- the outbox -------------------------------------------------------------------------------------

def get_message(message_id: str) -> OutboxMessage | None:
    try:
        return OutboxMessage.get(*OutboxMessage.key(message_id))
    except DoesNotExist:
        return None


def claim(message: OutboxMessage, now: datetime) -> bool:
    """queued → sending, one attempt more, only if nobody else claimed it since it was read: of two
    deliveries of one queue message (SQS is at-least-once) exactly one sends."""
    try:
        message.update(actions=[OutboxMessage.state.set(SENDING), OutboxMessage.attempts.set(message.attempts + 1),
                                OutboxMessage.due.remove(), OutboxMessage.next_attempt_at.set(now.isoformat())],
                       condition=(OutboxMessage.state == QUEUED) & (OutboxMessage.attempts == message.attempts))
    except UpdateError:
        return False
    return True


def mark_sent(message: OutboxMessage, provider_message_id: str, now: datetime) -> None:
    message.state, message.provider_message_id, message.sent_at = SENT, provider_message_id, now.isoformat()
    write_together([
        Update(message, [OutboxMessage.state.set(SENT), OutboxMessage.provider_message_id.set(provider_message_id),
                         OutboxMessage.sent_at.set(now.isoformat())], OutboxMessage.state == SENDING),
        Put(ProviderMessage(*ProviderMessage.key(provider_message_id), message_id=message.message_id)),
    ])


def mark_retry(message: OutboxMessage, next_attempt_at: datetime, error: str) -> None:
    """Back in the queue, due again at `next_attempt_at`."""
    message.update(actions=[OutboxMessage.state.set(QUEUED), OutboxMessage.due.set(DUE),
                            OutboxMessage.next_attempt_at.set(next_attempt_at.isoformat()),
                            OutboxMessage.last_error.set(error[:200])],
                   condition=OutboxMessage.state == SENDING)


def mark_failed(message: OutboxMessage, now: datetime, error: str, from_states: tuple[str, ...] = (SENDING,)) -> bool:
    try:
        message.update(actions=[OutboxMessage.state.set(FAILED), OutboxMessage.failed_at.set(now.isoformat()),
                                OutboxMessage.due.remove(), OutboxMessage.last_error.set(error[:200])],
                       condition=OutboxMessage.state.is_in(*from_states))
    except UpdateError:
        return False
    return True


def mark_delivered(message: OutboxMessage, at: str) -> bool:
    try:
        message.update(actions=[OutboxMessage.state.set(DELIVERED), OutboxMessage.delivered_at.set(at)],
                       condition=OutboxMessage.state == SENT)
    except UpdateError:
        return False
    return True


def message_for_provider_id(provider_message_id: str) -> OutboxMessage | None:
    try:
        pointer = ProviderMessage.get(*ProviderMessage.key(provider_message_id))
    except DoesNotExist:
        return None
    return get_message(pointer.message_id)


def due_messages(now: datetime, limit: int = 100) -> list[OutboxMessage]:
    """Messages waiting whose time has come (the oldest first)."""
    return list(OutboxMessage.outbox_index.query(DUE, OutboxMessage.next_attempt_at <= now.isoformat(), limit=limit))

