"""Print an environment's parameters (infra/params/<stage>.json) as `Key=Value` arguments for
`aws cloudformation deploy --parameter-overrides` or `sam deploy --parameter-overrides`.

    aws cloudformation deploy ... --parameter-overrides $(python tools/params.py infra/params/prod.json)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def overrides(path: Path) -> list[str]:
    """Values never contain whitespace (a test checks), so the shell's word splitting is safe."""
    return [f"{key}={value}" for key, value in json.loads(path.read_text()).items()]


if __name__ == "__main__":
    print(" ".join(overrides(Path(sys.argv[1]))))
