"""The audit trail as the auditor reads it: every recorded action has a Chinese label, ID numbers masked."""

from __future__ import annotations

import re
from pathlib import Path

from estate.audit import ACTION_LABELS, entry_view
from estate.store.audit import AuditEntry

ROOT = Path(__file__).resolve().parents[2]


def test_every_action_a_route_records_has_a_chinese_label():
    recorded = set()
    for source in (ROOT / "functions").rglob("*.py"):
        recorded |= set(re.findall(r"audit\.run\(\s*request,\s*\"([a-z_.]+)\"", source.read_text(encoding="utf-8")))
    assert recorded, "no audit.run call found: the pattern is out of date"
    assert sorted(recorded - set(ACTION_LABELS)) == []
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in ACTION_LABELS.values())


def test_an_entry_shows_labels_and_masks_id_numbers_wherever_they_are():
    entry = AuditEntry("2026-12-03", "x", at="2026-12-03T06:57:08+00:00", actor="c-1a2b", action="query.create",
                       target="140302198001010014", outcome="refused:DAILY_QUERY_LIMIT",
                       detail={"owners": ["14030219800101001X"], "query_id": "Q1"})
    view = entry_view(entry)
    assert view["action_label"] == "查询不动产登记信息" and view["outcome_label"] == "被拒绝"
    assert view["target"] == "140302********0014"
    assert view["detail"] == {"owners": ["140302********001X"], "query_id": "Q1"}
    assert entry_view(AuditEntry("d", "y", at="t", action="office.accept", outcome="ok"))["outcome_label"] == "成功"
