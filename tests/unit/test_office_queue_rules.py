"""The queue's query parameters and cursor (estate.office.queue): parsed once, every problem named,
a cursor accepted only as this view handed it out."""

from __future__ import annotations

from datetime import date

import pytest

from estate.errors import ValidationError
from estate.office.queue import _waiting_cutoff, decode_cursor, encode_cursor, parse_queue_query

POSITION = ("2026-11-02T01:00:00+00:00", "YQ202611020123456789")


def problems(query: dict) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as refused:
        parse_queue_query(query)
    return [(d.field, d.code) for d in refused.value.details]


def test_defaults_and_a_deadline_order_over_the_running_clock():
    parsed = parse_queue_query({})
    assert (parsed.statuses, parsed.business, parsed.min_waiting_days, parsed.sort, parsed.limit) == (
        (), None, None, "oldest", 20)
    assert parse_queue_query({"sort": "deadline"}).statuses == ("ACCEPTED", "TAX_PAID")
    assert parse_queue_query({"status": "TAX_PAID,ACCEPTED"}).statuses == ("ACCEPTED", "TAX_PAID")


def test_every_bad_parameter_is_named_at_once():
    assert problems({"status": "DRAFT", "business": "lease", "min_waiting_days": "x", "limit": "500"}) == [
        ("status", "INVALID_FILTER"), ("business", "INVALID_FILTER"), ("min_waiting_days", "INVALID_FILTER"),
        ("limit", "INVALID_FILTER")]
    assert problems({"sort": "deadline", "status": "SUBMITTED"}) == [("sort", "INVALID_SORT")]


def test_a_cursor_round_trips_only_within_its_view():
    view = parse_queue_query({"status": "ACCEPTED"})
    cursor = encode_cursor(POSITION, view)
    assert decode_cursor(cursor, view) == POSITION
    assert decode_cursor(cursor, parse_queue_query({"status": "SUBMITTED"})) is None
    assert decode_cursor(cursor, parse_queue_query({"status": "ACCEPTED", "sort": "newest"})) is None
    assert decode_cursor(cursor[:-3], view) is None
    assert parse_queue_query({"status": "ACCEPTED", "next": cursor}).after == POSITION
    assert problems({"next": "garbage"}) == [("next", "INVALID_CURSOR")]


def test_the_waiting_cutoff_counts_working_days_back_in_beijing_time():
    # Monday 2026-10-12; 10-10 (Saturday) is an adjusted working day, 10-01..10-07 the holiday
    assert _waiting_cutoff(1, date(2026, 10, 12)) == "2026-10-11T16:00:00+00:00"   # since before Monday
    assert _waiting_cutoff(2, date(2026, 10, 12)) == "2026-10-09T16:00:00+00:00"   # before Saturday 10-10
    assert _waiting_cutoff(4, date(2026, 10, 12)) == "2026-10-07T16:00:00+00:00"   # before Thursday 10-08
    assert _waiting_cutoff(5, date(2026, 10, 12)) == "2026-09-29T16:00:00+00:00"   # across the holiday
