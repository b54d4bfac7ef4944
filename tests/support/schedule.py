"""How `make test` deals test files to its pytest-xdist workers (tests/conftest.py installs it for
`--dist loadfile`). Still xdist's loadfile — a file's tests run whole, in order, on one worker — with two
refinements (decision log: "The suite's files dealt longest first"):

- a file listed in SPLIT is dealt as that many parts, each part whole on one worker, so one long file
  (the OpenAPI fuzz, ~40 % of the end-to-end tier) keeps both workers busy instead of one;
- units are dealt longest first (the longest-processing-time rule): what each unit took in the last run
  (kept in pytest's cache, .pytest_cache), else the HINTS measured here, else a guess from its tier and
  test count. The cheap unit-test files come last and fill in while the other worker finishes, instead of
  a two-minute file starting when the other worker has nothing left.
"""

from __future__ import annotations

import zlib
from collections import defaultdict

from xdist.scheduler import LoadScopeScheduling

# file → parts. A part holds the tests whose parameter hashes to it: stable as operations come and go.
SPLIT = {"tests/e2e/test_fuzz_openapi.py": 2}

# Seconds a file took on one worker of the 2-core machine (loaded), for a first run without a cache.
HINTS = {
    "tests/e2e/test_fuzz_openapi.py": 300,
    "tests/e2e/test_signing_browser.py": 130,
    "tests/functional/test_notifications.py": 210,
    "tests/functional/test_legal_documents.py": 100,
    "tests/contract/test_generated_client.py": 100,
    "tests/functional/test_bank_desk.py": 70,
    "tests/contract/test_packaging.py": 60,
    "tests/statemachine/test_signing_workflow.py": 70,
    "tests/functional/test_office.py": 60,
    "tests/contract/test_template_contract.py": 45,
    "tests/e2e/test_desk_bank.py": 60,
    "tests/e2e/test_booking_http.py": 45,
    "tests/contract/test_wiring.py": 35,
    "tests/functional/test_signing.py": 50,
    "tests/contract/test_offline_validation.py": 30,
    "tests/unit/test_pdf_documents.py": 120,
    "tests/unit/test_legal_documents.py": 35,
}
# Per test, when a file is in neither the cache nor HINTS (a new file): by tier.
PER_TEST = {"e2e": 5.0, "statemachine": 5.0, "functional": 1.0, "contract": 1.0, "unit": 0.2}
CACHE_KEY = "estate/xdist-unit-seconds"


def unit_of(nodeid: str) -> str:
    """The work unit a test belongs to: its file, or `file#k` for a file split in SPLIT."""
    path = nodeid.split("::", 1)[0]
    parts = SPLIT.get(path)
    if not parts:
        return path
    return f"{path}#{zlib.crc32(nodeid.encode()) % parts}"


def estimate(unit: str, tests: int, measured: dict[str, float]) -> float:
    if unit in measured:
        return measured[unit]
    path, _, part = unit.partition("#")
    if path in HINTS:
        return HINTS[path] / (SPLIT.get(path, 1) if part else 1)
    tier = path.split("/")[1] if path.count("/") >= 2 else ""
    return tests * PER_TEST.get(tier, 1.0)


class LongestFirstFileScheduling(LoadScopeScheduling):
    def __init__(self, config, log=None):
        super().__init__(config, log)
        cache = getattr(config, "cache", None)
        self.measured: dict[str, float] = (cache.get(CACHE_KEY, {}) if cache else {}) or {}
        self._ordered = False

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)

    def _assign_work_unit(self, node) -> None:
        if not self._ordered:   # the queue is complete by the first deal; sort it once
            units = sorted(self.workqueue.items(), key=lambda unit: -estimate(unit[0], len(unit[1]), self.measured))
            self.workqueue.clear()
            self.workqueue.update(units)
            self._ordered = True
        super()._assign_work_unit(node)


class UnitSeconds:
    """In the controller: what each unit took this run (every phase of every test, as the reports
    arrive from the workers), merged into the cache at the end for the next run's order."""

    def __init__(self, config):
        self.config = config
        self.seconds: dict[str, float] = defaultdict(float)
        # A selection (-k, -m, file::test) times part of a unit: it would misplace the unit next run.
        self.whole = not (config.option.keyword or config.option.markexpr
                          or any("::" in arg for arg in config.args))

    def pytest_runtest_logreport(self, report) -> None:
        self.seconds[unit_of(report.nodeid)] += report.duration

    def pytest_sessionfinish(self, session, exitstatus) -> None:
        cache = getattr(self.config, "cache", None)
        if cache is None or not self.whole or not self.seconds:
            return
        merged = {**(cache.get(CACHE_KEY, {}) or {}), **{k: round(v, 1) for k, v in self.seconds.items()}}
        cache.set(CACHE_KEY, merged)
