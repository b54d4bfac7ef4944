"""Every custom error name a state machine retries or catches is a class of the error vocabulary
(estate/errors.py) that the code actually raises (or sends as a task failure's error name).

Lambda reports an uncaught exception by its class name; a name in ErrorEquals that nothing raises is
a Retry or Catch that can never fire."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from estate import errors

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for p in (ROOT / "functions").rglob("*.py") if "assets" not in p.parts]
BUILT_IN_PREFIXES = ("States.", "Lambda.")


def _error_names(node: object) -> set[str]:
    names: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "ErrorEquals":
                names.update(value)
            else:
                names |= _error_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _error_names(value)
    return names


def custom_error_names() -> list[str]:
    names: set[str] = set()
    for path in (ROOT / "statemachine").glob("*.asl.json"):
        names |= _error_names(json.loads(path.read_text(encoding="utf-8")))
    return sorted(n for n in names if not n.startswith(BUILT_IN_PREFIXES))


def test_the_state_machines_name_custom_errors():
    assert "TransientError" in custom_error_names()


@pytest.mark.parametrize("name", custom_error_names())
def test_each_custom_error_is_a_class_of_the_vocabulary_and_is_raised(name):
    cls = getattr(errors, name, None)
    assert isinstance(cls, type) and issubclass(cls, Exception), f"estate/errors.py has no exception {name}"
    defined = [p.relative_to(ROOT) for p in SOURCES if re.search(rf"^class {name}\b", p.read_text(), re.M)]
    assert defined == [Path("functions/core/estate/errors.py")], f"{name} is defined in {defined}"
    used = re.compile(rf"raise {name}\b|error={name}\.__name__")
    raised_in = [p for p in SOURCES if used.search(p.read_text())]
    assert raised_in, f"nothing raises {name} (or sends it as a task failure), so its Retry/Catch never fires"
