"""The unit tier's own guarantees (tests/unit/conftest.py)."""

import socket

import pytest
from pytest_socket import SocketBlockedError


@pytest.mark.filterwarnings("ignore:A test tried to use socket.socket")
def test_the_unit_tier_opens_no_socket():
    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_the_unit_tier_starts_no_stack():
    import tests.unit.conftest as unit_conftest

    with pytest.raises(pytest.fail.Exception, match="starts no stack"):
        unit_conftest.stack.__wrapped__()
