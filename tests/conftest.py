"""Shared fixtures. The local stack object is built at import time, before any test imports
`estate`, because the functions read their configuration once (as on a Lambda cold start)."""

from __future__ import annotations

import os

import pytest

from local.driver.api import Api, PeoplePool, decode
from local.stack import LocalStack

STACK = LocalStack(base_url="http://127.0.0.1:8000")
os.environ.setdefault("ESTATE_TEST", "1")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items) -> None:
    """`make test` runs the suite in pytest-xdist workers, which know a test by its node id: of two
    tests with one id, only one would run, silently. Refuse the run instead."""
    from collections import Counter

    twice = sorted(nodeid for nodeid, count in Counter(item.nodeid for item in items).items() if count > 1)
    if twice:
        raise pytest.UsageError("tests sharing a node id (pytest-xdist would run one of each): " + ", ".join(twice[:5]))


def pytest_configure(config) -> None:
    """In the xdist controller of a `--dist loadfile` run: time each work unit for the next run's order."""
    if getattr(config.option, "dist", "no") == "loadfile" and not hasattr(config, "workerinput"):
        from tests.support.schedule import UnitSeconds

        config.pluginmanager.register(UnitSeconds(config), "estate-unit-seconds")


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, refined: the fuzz file in two parts, the longest units dealt first
    (tests/support/schedule.py)."""
    if config.getvalue("dist") == "loadfile":
        from tests.support.schedule import LongestFirstFileScheduling

        return LongestFirstFileScheduling(config, log)
    return None


def pytest_sessionfinish(session) -> None:
    """The process's shared Chromium (tests/support/browser.py), if a test started it."""
    import sys

    browser = sys.modules.get("tests.support.browser")
    if browser is not None:
        browser.stop_shared_chromium()


@pytest.fixture(scope="session")
def stack() -> LocalStack:
    """The whole system in-process on moto, seeded. Shared by the session: tests use distinct data."""
    STACK.start()
    yield STACK
    STACK.stop()


@pytest.fixture(scope="session")
def api(stack) -> Api:
    return Api(stack)


@pytest.fixture(scope="session")
def register(stack) -> dict:
    return stack.register_data


def unit_of(register: dict, scenario: str) -> dict:
    return next(u for u in register["units"] if u["scenario"] == scenario)


def person(register: dict, id_number: str) -> dict:
    return next(p for p in register["people"] if p["id_number"] == id_number)


@pytest.fixture
def log_output():
    """Everything the service logs during the test, formatted exactly as in Lambda (masking included)."""
    import io
    import logging

    from estate.observability import logger

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    logger._logger.addHandler(handler)
    yield stream
    logger._logger.removeHandler(handler)


@pytest.fixture(scope="session")
def as_citizen(stack):
    """as_citizen(person) → a Citizen driving the API in-process with that person's token."""
    from local.driver.flows import Citizen

    def request(method, path, headers, body):
        return decode(stack.gateway.handle(method, path, headers, body))

    def make(person: dict) -> "Citizen":
        return Citizen(request, stack.citizen_token(person["id_number"]))
    return make


@pytest.fixture(scope="session")
def pool(register) -> PeoplePool:
    return PeoplePool(register)
