"""The unit tier: pure rules and adapters in isolation. It opens no socket (pytest-socket fails any
attempt, loopback included) and starts no stack (a test that needs AWS belongs in tests/functional)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_network(socket_disabled: None) -> None:
    """pytest-socket's fixture: socket.socket raises SocketBlockedError for the test's duration."""


@pytest.fixture(scope="session")
def stack() -> None:
    pytest.fail("the unit tier starts no stack: move this test to tests/functional")
