"""What one deployed function reacts to and requires, declared in its `app.py` and applied there.

A Lambda function loads only its own `app.py` and what that imports, so a registry filled by some
module's import side effect is complete in the test process (which loads every app) and can be
incomplete in AWS. Each function therefore calls `declare(...)` once, naming every domain-event
subscriber, every submission requirement and every SMS template table it uses; the call registers
them and returns the table, which the contract test (tests/contract/test_wiring.py) checks against
the registries of that function loaded alone in a fresh interpreter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from estate import events
from estate.adapters import sms


@dataclass(frozen=True)
class Wiring:
    function: str
    subscribers: Mapping[str, tuple[Callable[..., object], ...]] = field(default_factory=dict)
    requirements: tuple[Callable, ...] = ()
    sms_templates: tuple[str, ...] = ()


def declare(function: str, *, subscribers: Mapping[str, list[Callable[..., object]]] | None = None,
            requirements: list[Callable] | None = None,
            sms_templates: list[Mapping[str, str]] | None = None) -> Wiring:
    """Register everything the function uses (idempotent: the tests load every app in one process)."""
    for event, handlers in (subscribers or {}).items():
        for handler in handlers:
            events.subscribe(event, handler)
    if requirements:
        # Only the functions that submit an application carry the completeness registry.
        from estate.apply import completeness

        for check in requirements:
            completeness.add_requirement(check)
    names: list[str] = []
    for table in sms_templates or []:
        sms.add_templates(table)
        names.extend(table)
    return Wiring(function, {e: tuple(h) for e, h in (subscribers or {}).items()}, tuple(requirements or ()),
                  tuple(names))
