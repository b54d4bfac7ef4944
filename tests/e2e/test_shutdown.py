"""`make run` stops cleanly on SIGTERM (CI and ops stop it that way)."""

import signal
import subprocess
import sys
import time

import pytest

from tests.e2e.conftest import READY, ROOT

pytestmark = pytest.mark.e2e


def test_sigterm_stops_the_stack_with_exit_code_zero():
    process = subprocess.Popen([sys.executable, "-m", "local.server", "--port", "0"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if READY.search(line) or not line:
            break
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "stopped" in out
