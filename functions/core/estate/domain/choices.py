"""Choice fields: a value the app picks from a fixed list (business, scope, payment method, ...)."""

from __future__ import annotations

from collections.abc import Container


def is_choice(value: object, choices: Container[str]) -> bool:
    """Whether a value from a request body is one of `choices` (a dict of labels, a set, a tuple).

    Only a string can be: asking a dict or a set whether it holds a list or an object from the JSON
    raises TypeError (unhashable), which turned a wrong answer into a 500.
    """
    return isinstance(value, str) and value in choices
