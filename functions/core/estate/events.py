"""Domain events inside one function: what happened, and who reacts, without the emitter knowing.

Saving the inquiry record (its transaction already holds the new signing run) emits `inquiry_saved`;
the signing workflow's `start_signing` then starts the state machine.
Who subscribes is declared per function in its `app.py` (`estate.wiring.declare`), never by an
import's side effect, so a function loaded alone in AWS has the same subscribers as in the tests. Handlers
run in the same request, after the state change is committed, so a failing subscriber cannot
leave a half-written application (it is logged and retried by the next save or an operator).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable

from estate.observability import logger

_subscribers: dict[str, list[Callable[..., object]]] = defaultdict(list)


def subscribe(event: str, handler: Callable[..., object]) -> None:
    """Add `handler` to `event`'s subscribers (once: every app in one test process declares its own)."""
    if handler not in _subscribers[event]:
        _subscribers[event].append(handler)


def emit(event: str, **payload) -> list[str]:
    """Run every subscriber; returns the names of those that failed."""
    failed = []
    for handler in list(_subscribers[event]):
        try:
            handler(**payload)
        except Exception:  # noqa: BLE001 - a subscriber must not undo the committed change
            logger.exception("event subscriber failed", domain_event=event, subscriber=handler.__name__)
            failed.append(handler.__name__)
    return failed


def subscribers(event: str) -> list[Callable[..., None]]:
    return list(_subscribers[event])


def subscribed_events() -> dict[str, list[Callable[..., None]]]:
    return {event: list(handlers) for event, handlers in _subscribers.items() if handlers}
