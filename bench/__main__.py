"""Run every benchmark (or those named on the command line) and print `name value unit` lines."""

from __future__ import annotations

import importlib
import sys

BENCHES = ["coldstart", "applications", "signing", "tax", "booking", "office"]


def main(argv: list[str]) -> int:
    for name in argv or BENCHES:
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
