"""Run every benchmark (or those named on the command line) and print `name value unit` lines."""

from __future__ import annotations

import importlib
import subprocess
import sys

BENCHES = ["coldstart", "validate", "applications", "signing", "tax", "booking", "office", "office_queue", "pdf"]


def main(argv: list[str]) -> int:
    """Each benchmark in a fresh interpreter: they start their own embedded AWS and set its environment."""
    if len(argv) == 1:
        importlib.import_module(f"bench.{argv[0]}").main()
        return 0
    failed = 0
    for name in argv or BENCHES:
        failed |= subprocess.run([sys.executable, "-m", "bench", name], check=False).returncode
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
