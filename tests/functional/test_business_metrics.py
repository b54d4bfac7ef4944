"""Business events leave the function as EMF metrics, flushed at the end of the request that caused them."""

import json

from estate.observability import count_event, flush_metrics, metrics
from tests.functional.test_property_search import search_body


def _emf_lines(text: str) -> list[dict]:
    found = []
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and "_aws" in record:
            found.append(record)
    return found


def test_a_counted_event_is_printed_as_one_emf_line_and_then_forgotten(capsys):
    count_event("ApplicationStarted")
    count_event("ApplicationStarted")
    flush_metrics()
    [record] = _emf_lines(capsys.readouterr().out)
    assert record["ApplicationStarted"] == [1.0, 1.0]
    directive = record["_aws"]["CloudWatchMetrics"][0]
    assert {"Name": "ApplicationStarted", "Unit": "Count"} in directive["Metrics"]
    assert not metrics.metric_set


def test_flushing_with_nothing_counted_prints_nothing(capsys):
    flush_metrics()
    assert _emf_lines(capsys.readouterr().out) == []


def test_a_property_search_request_emits_its_metric(api, stack, register, pool, capsys):
    buyer = next(p for p in register["people"] if p["role"] == "citizen")
    citizen = api.as_token(stack.citizen_token(buyer["id_number"]))
    capsys.readouterr()
    assert citizen.post("/properties/search", search_body(pool.unit("single"))).status == 200
    records = _emf_lines(capsys.readouterr().out)
    assert any("PropertySearched" in record for record in records)
