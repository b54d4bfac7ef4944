"""Hall appointments. One table, three item types:
  SLOTS#<outlet>#<business> / <date>#<period>   a half-day's quota: capacity and places booked
  BOOKING#<id> / BOOKING                        a booking (GSIs: by owner, by date for reminders)
  ACCOUNT#<id number> / ACCOUNT                 a person's upcoming bookings, no-shows and block
A booking is one transaction: the slot's `booked < capacity` increment, the booking, and the
person's account under its version (which serialises one person's concurrent attempts).
"""

from __future__ import annotations

from typing import Any

from datetime import datetime

from pynamodb.attributes import (DiscriminatorAttribute, JSONAttribute, ListAttribute, NumberAttribute,
                                 UnicodeAttribute, VersionAttribute)
from pynamodb.exceptions import DoesNotExist, PutError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from estate.config import get_settings
from estate.store.base import BaseModel, Put, Update, meta, write_together

BOOKED = "booked"
CANCELLED = "cancelled"
NO_SHOW = "no_show"
CHECKED_IN = "checked_in"   # recorded by the clerks' check-in (back office)


class BookingItem(BaseModel):
    Meta = meta(get_settings().bookings_table)
    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()


class Slot(BookingItem, discriminator="slot"):
    outlet = UnicodeAttribute()
    business = UnicodeAttribute()
    day = UnicodeAttribute()
    period = UnicodeAttribute()
    capacity = NumberAttribute()
    booked = NumberAttribute(default=0)
    updated_at = UnicodeAttribute(null=True)
    updated_by = UnicodeAttribute(null=True)

    @staticmethod
    def key(outlet: str, business: str, day: str, period: str) -> tuple[str, str]:
        return f"SLOTS#{outlet}#{business}", f"{day}#{period}"

    @property
    def remaining(self) -> int:
        return max(0, int(self.capacity) - int(self.booked))


class OwnerIndex(GlobalSecondaryIndex["Booking"]):
    class Meta:
        index_name = "owner-index"
        projection = AllProjection()

    owner_id = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class DayIndex(GlobalSecondaryIndex["Booking"]):
    class Meta:
        index_name = "day-index"
        projection = AllProjection()

    booking_date = UnicodeAttribute(hash_key=True)
    booking_id = UnicodeAttribute(range_key=True)


class Booking(BookingItem, discriminator="booking"):
    booking_id = UnicodeAttribute()
    number = UnicodeAttribute()               # what the person reads out at the counter
    verification_code = UnicodeAttribute()    # in the QR proof with the id; checked at the counter
    owner_id = UnicodeAttribute()             # the person's ID number
    owner_name = UnicodeAttribute()
    phone = UnicodeAttribute()
    outlet = UnicodeAttribute()
    business = UnicodeAttribute()
    booking_date = UnicodeAttribute()
    period = UnicodeAttribute()
    status = UnicodeAttribute(default=BOOKED)
    created_at = UnicodeAttribute()
    cancelled_at = UnicodeAttribute(null=True)
    reminded_at = UnicodeAttribute(null=True)
    no_show_at = UnicodeAttribute(null=True)
    checked_in_at = UnicodeAttribute(null=True)
    owner_index = OwnerIndex()
    day_index = DayIndex()

    @staticmethod
    def key(booking_id: str) -> tuple[str, str]:
        return f"BOOKING#{booking_id}", "BOOKING"


class Account(BookingItem, discriminator="account"):
    active = JSONAttribute(default=dict)      # booking id → {"business", "date", "period", "outlet"}
    no_shows = ListAttribute(of=UnicodeAttribute, default=list)   # ISO dates
    blocked_until = UnicodeAttribute(null=True)
    version = VersionAttribute()

    @staticmethod
    def key(id_number: str) -> tuple[str, str]:
        return f"ACCOUNT#{id_number}", "ACCOUNT"


def get_slot(outlet: str, business: str, day: str, period: str) -> Slot | None:
    try:
        return Slot.get(*Slot.key(outlet, business, day, period), consistent_read=True)
    except DoesNotExist:
        return None


def slots_between(outlet: str, business: str, first_day: str, last_day: str) -> dict[tuple[str, str], Slot]:
    """Every materialised slot of an outlet and business type in [first_day, last_day], one Query."""
    pk, _ = Slot.key(outlet, business, first_day, "am")
    found = Slot.query(pk, Slot.sk.between(f"{first_day}#", f"{last_day}#~"))
    return {(slot.day, slot.period): slot for slot in found if isinstance(slot, Slot)}


def ensure_slot(outlet: str, business: str, day: str, period: str, default_capacity: int, now: datetime) -> None:
    """Materialise a slot with the default quota the first time anyone books or changes it.
    Conditional: a slot that exists (with its bookings and staff quota) is never overwritten."""
    slot = Slot(*Slot.key(outlet, business, day, period), outlet=outlet, business=business, day=day, period=period,
                capacity=default_capacity, booked=0, updated_at=now.isoformat())
    try:
        slot.save(condition=Slot.pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def get_booking(booking_id: str) -> Booking | None:
    try:
        return Booking.get(*Booking.key(booking_id), consistent_read=True)
    except DoesNotExist:
        return None


def get_account(id_number: str) -> Account:
    try:
        return Account.get(*Account.key(id_number), consistent_read=True)
    except DoesNotExist:
        return Account(*Account.key(id_number), active={}, no_shows=[])


def bookings_of(id_number: str) -> list[Booking]:
    return list(Booking.owner_index.query(id_number, scan_index_forward=False))


def bookings_on(day: str) -> list[Booking]:
    return list(Booking.day_index.query(day))


def take_place(slot: Slot, booking: Booking, account: Account) -> None:
    """A place in the slot (while one is left), the new booking and the person's account (on the
    version read), together; TransactionConflict otherwise."""
    write_together([Update(slot, [Slot.booked.add(1)], Slot.booked < Slot.capacity),
                    Put(booking, Booking.pk.does_not_exist()), Put(account)])


def end_booking(booking: Booking, status: str, stamped: Any, at: str, account: Account, release_place: bool) -> None:
    """The booking (while still booked) to `status` with its time, the account, and — when asked —
    its place back to the slot, together; TransactionConflict otherwise."""
    writes: list[Any] = [Update(booking, [Booking.status.set(status), stamped.set(at)], Booking.status == BOOKED)]
    if release_place:
        slot = Slot(*Slot.key(booking.outlet, booking.business, booking.booking_date, booking.period))
        writes.append(Update(slot, [Slot.booked.add(-1)], Slot.booked > 0))
    writes.append(Put(account))
    write_together(writes)
