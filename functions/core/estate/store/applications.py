"""Transfer applications. One table, items per application share the partition:
  APP#<id> / APP              the application (status, parties, contract, declaration, inquiry, …)
  APP#<id> / EVENT#<time>#<n> its timeline, append-only
  APP#<id> / MAT#<material>   an uploaded material and its check result
  PARTY#<id number> / APP#<id>  who is a party (for "my applications")
GET /applications/{id} is one Query on the APP#<id> partition.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Iterable

from pynamodb.attributes import (DiscriminatorAttribute, JSONAttribute, ListAttribute, NumberAttribute, UnicodeAttribute,
                                 VersionAttribute)

from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from estate.config import get_settings
from estate.domain import application as lifecycle
from estate.store.base import BaseModel, Put, TransactionConflict, Write, meta, write_together


class OutletIndex(GlobalSecondaryIndex["Application"]):
    """The back office's queue: an outlet's applications by creation time (only APP items carry `outlet`)."""

    class Meta:
        index_name = "outlet-index"
        projection = AllProjection()

    outlet = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class OfficeQueueIndex(GlobalSecondaryIndex["Application"]):
    """The clerk's queue, a page at a time (decision log: the office queue's key): an outlet's cases
    the office sees, by how long they have waited. Sparse: drafts carry no `queue_outlet`."""

    class Meta:
        index_name = "office-queue-index"
        projection = AllProjection()

    queue_outlet = UnicodeAttribute(hash_key=True)
    waiting_since = UnicodeAttribute(range_key=True)


class BranchIndex(GlobalSecondaryIndex["Application"]):
    """The bank desk: loan sales pushed to a branch (sparse: only pushed applications carry `bank_branch`)."""

    class Meta:
        index_name = "branch-index"
        projection = AllProjection()

    bank_branch = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class ApplicationItem(BaseModel):
    Meta = meta(get_settings().applications_table)
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()  # application | event | material | party


class Application(ApplicationItem, discriminator="application"):
    application_id = UnicodeAttribute()
    business = UnicodeAttribute()            # sale | loan-sale
    outlet = UnicodeAttribute()
    unit_number = UnicodeAttribute()
    status = UnicodeAttribute()
    initiator_id = UnicodeAttribute()
    initiator_role = UnicodeAttribute()      # buyer | seller
    party_ids = ListAttribute(of=UnicodeAttribute, default=list)
    unit = JSONAttribute()                   # the register facts at start (location, area, owners, certificate…)
    parties = JSONAttribute(null=True)
    contract = JSONAttribute(null=True)
    tax_declaration = JSONAttribute(null=True)
    inquiry = JSONAttribute(null=True)
    bank = JSONAttribute(null=True)
    notices = JSONAttribute(null=True)       # eligibility notices acknowledged at start
    return_reasons = JSONAttribute(null=True)
    documents = JSONAttribute(null=True)     # generated PDFs: {doc: {key, sha256, version}}
    signing = JSONAttribute(null=True)       # the current signing run: execution, version, outcome
    signed_documents = JSONAttribute(null=True)  # the signed packet: {doc: {key, sha256, code}}
    document_version = NumberAttribute(default=0)
    bank_branch = UnicodeAttribute(null=True)    # set when pushed to a bank (branch-index)
    loan = JSONAttribute(null=True)              # the bank desk's loan and mortgage data
    office = JSONAttribute(null=True)            # back office: accepted_at/by, legal deadline, handover
    registration = JSONAttribute(null=True)      # what approval (登簿) entered: certificates, holders
    received_form = JSONAttribute(null=True)     # the signed form with its 收件 block, issued after acceptance
    queue_outlet = UnicodeAttribute(null=True)   # office-queue-index: the outlet, once the office sees the case
    waiting_since = UnicodeAttribute(null=True)  # office-queue-index: lifecycle.waiting_since
    created_at = UnicodeAttribute()
    updated_at = UnicodeAttribute()
    version = VersionAttribute()
    outlet_index = OutletIndex()  # no longer queried (the queue pages office_queue_index); dropped in a later deploy
    office_queue_index = OfficeQueueIndex()
    branch_index = BranchIndex()

    @staticmethod
    def key(application_id: str) -> tuple[str, str]:
        return f"APP#{application_id}", "APP"

    def place_in_queue(self, entered_at: str) -> None:
        """The office-queue-index keys for the present status, which it entered at `entered_at`."""
        if self.status in lifecycle.OFFICE_STATUSES:
            self.queue_outlet = self.outlet
            self.waiting_since = lifecycle.waiting_since(self.status, entered_at, (self.office or {}).get("accepted_at"))
        else:
            self.queue_outlet = self.waiting_since = None


class TimelineEvent(ApplicationItem, discriminator="event"):
    at = UnicodeAttribute()
    action = UnicodeAttribute()
    status_from = UnicodeAttribute(null=True)
    status_to = UnicodeAttribute(null=True)
    actor_role = UnicodeAttribute()
    note = UnicodeAttribute(null=True)


class Material(ApplicationItem, discriminator="material"):
    material_id = UnicodeAttribute()
    category = UnicodeAttribute()
    status = UnicodeAttribute()              # pending | accepted | rejected | expired (the upload never came)
    object_key = UnicodeAttribute()
    uploaded_by = UnicodeAttribute()
    created_at = UnicodeAttribute()
    size = NumberAttribute(null=True)
    content_type = UnicodeAttribute(null=True)
    width = NumberAttribute(null=True)
    height = NumberAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    source = UnicodeAttribute(default="upload")  # upload | signed (extracted signed documents)


class Membership(ApplicationItem, discriminator="party"):
    application_id = UnicodeAttribute()
    role = UnicodeAttribute()
    created_at = UnicodeAttribute()

    @staticmethod
    def key(id_number: str, application_id: str) -> tuple[str, str]:
        return f"PARTY#{id_number}", f"APP#{application_id}"


def update_fields(application: Application, actions: list[Any]) -> None:
    """A targeted update by a background step (the workflow), without reading the whole item first.

    It bumps the version too, so a user's concurrent full save (optimistic lock) fails with 409
    instead of silently overwriting what this step wrote.
    """
    # PynamoDB's public update() adds the version condition, which this step must not have.
    connection = Application._get_connection()  # noqa: SLF001
    connection.update_item(application.pk, range_key=application.sk, actions=[*actions, Application.version.add(1)])


def record_received_form(application: Application, entry: dict[str, Any]) -> bool:
    """Keep the form issued after acceptance, unless another request kept one first (False). Bumps the
    version like update_fields, so a clerk's save read before it fails instead of dropping it."""
    from pynamodb.exceptions import UpdateError

    connection = Application._get_connection()  # noqa: SLF001
    try:
        connection.update_item(application.pk, range_key=application.sk,
                               actions=[Application.received_form.set(entry), Application.version.add(1)],
                               condition=Application.received_form.does_not_exist())
    except UpdateError:
        return False
    application.received_form = entry
    return True


@dataclass(frozen=True)
class Change:
    """One step of the application's lifecycle, as its timeline records it."""

    action: str
    to_status: str
    actor_role: str
    note: str | None = None


def apply_changes(application: Application, changes: list[Change], now: datetime,
                  extra: Iterable[Write] = ()) -> list[TimelineEvent]:
    """THE writer of an application's status: the record (conditional on the version it was read at)
    with `changes[-1].to_status`, one timeline event per change (each from the status before it) and
    the use case's `extra` writes, in one transaction. The statuses come from the rules in
    estate.domain.application; raises TransactionConflict (and leaves `application` as it was) when
    anything changed meanwhile."""
    before = (application.status, application.updated_at, application.queue_outlet, application.waiting_since)
    timeline, status = [], application.status
    for offset, change in enumerate(changes):
        # distinct times keep the events in order (their sort key starts with the time)
        timeline.append(event_item(application.application_id, now + timedelta(microseconds=offset), change.action,
                                   change.actor_role, status, change.to_status, change.note))
        status = change.to_status
    changed = status != application.status
    application.status, application.updated_at = status, now.isoformat()
    application.place_in_queue(now.isoformat() if changed else (application.waiting_since or before[1]))
    try:
        write_together([Put(application), *(Put(e) for e in timeline), *extra])
    except TransactionConflict:
        application.status, application.updated_at, application.queue_outlet, application.waiting_since = before
        raise
    return timeline


def apply_change(application: Application, change: Change, now: datetime, extra: Iterable[Write] = ()) -> TimelineEvent:
    return apply_changes(application, [change], now, extra)[0]


def create_application(application: Application, event: TimelineEvent, extra: Iterable[Write] = ()) -> None:
    """A new application (its id unused), its first timeline event and what starting it claims, together."""
    write_together([Put(application, Application.pk.does_not_exist()), Put(event), *extra])


def new_application_id(now: datetime) -> str:
    """YQ + date + random: sortable by day, unguessable (no sequential IDs to probe)."""
    return f"YQ{now:%Y%m%d}{secrets.token_hex(5).upper()}"


def event_item(application_id: str, now: datetime, action: str, actor_role: str, status_from: str | None,
               status_to: str | None, note: str | None = None) -> TimelineEvent:
    return TimelineEvent(f"APP#{application_id}", f"EVENT#{now.isoformat()}#{secrets.token_hex(3)}",
                         at=now.isoformat(), action=action, actor_role=actor_role, status_from=status_from,
                         status_to=status_to, note=note)


def load_case(application_id: str) -> tuple[Application | None, list[TimelineEvent], list[Material]]:
    """The application, its timeline and materials in one Query."""
    application, events, materials = None, [], []
    for item in ApplicationItem.query(f"APP#{application_id}"):
        if isinstance(item, Application):
            application = item
        elif isinstance(item, TimelineEvent):
            events.append(item)
        elif isinstance(item, Material):
            materials.append(item)
    return application, events, materials


def applications_of(id_number: str) -> list[str]:
    return [m.application_id for m in Membership.query(f"PARTY#{id_number}", scan_index_forward=False)]


@dataclass(frozen=True)
class QueuePage:
    applications: list[Application]
    after: tuple[str, str] | None  # (waiting_since, application id) the next page starts after; None: no more
    requests: int                  # DynamoDB Query requests it took


def office_queue(outlet: str, *, want: int, newest_first: bool = False, waiting_before: str | None = None,
                 statuses: Iterable[str] | None = None, business: str | None = None,
                 after: tuple[str, str] | None = None, max_requests: int = 3) -> QueuePage:
    """One page of an outlet's queue from office-queue-index (a Query, never a Scan): up to `want`
    cases, oldest wait first unless `newest_first`, those waiting since before `waiting_before` only.
    Status and business are filters on the page read, so a filtered page reads more per request and
    stops after `max_requests` with what it found (the next page continues where it stopped)."""
    statuses = list(statuses or [])
    condition: Any = None
    if statuses:
        condition = Application.status.is_in(*statuses)
    if business:
        condition = Application.business == business if condition is None else condition & (Application.business == business)
    read = want if condition is None else min(max(want * 4, 50), 400)
    start = None
    if after is not None:
        start = {"queue_outlet": {"S": outlet}, "waiting_since": {"S": after[0]},
                 "pk": {"S": f"APP#{after[1]}"}, "sk": {"S": "APP"}}
    results = Application.office_queue_index.query(
        outlet, Application.waiting_since < waiting_before if waiting_before else None, filter_condition=condition,
        scan_index_forward=not newest_first, page_size=read, last_evaluated_key=start)
    pages, requests = results.page_iter, 0
    found: list[Application] = []
    while requests < max_requests:
        try:
            page = next(pages)
        except StopIteration:
            return QueuePage(found, None, requests)
        requests += 1
        raw = page.get("Items", [])
        for index, item in enumerate(raw):
            found.append(Application.from_raw_data(item))
            if len(found) == want:
                last_of_all = index == len(raw) - 1 and pages.last_evaluated_key is None
                return QueuePage(found, None if last_of_all else _queue_position(found[-1]), requests)
        if pages.last_evaluated_key is None:
            return QueuePage(found, None, requests)
    key = pages.last_evaluated_key or {}  # set: the loop ends on a page that has a next one
    return QueuePage(found, (key["waiting_since"]["S"], key["pk"]["S"].removeprefix("APP#")), requests)


def _queue_position(application: Application) -> tuple[str, str]:
    return application.waiting_since, application.application_id
