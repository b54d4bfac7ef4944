"""What free text may contain (DESIGN: names and notes go into legal PDFs and official SMS).

Refused everywhere: control characters (Unicode Cc, tab included), format characters (Cf: the bidi
overrides U+202A–202E and isolates U+2066–2069 that can make "123" print as "321", zero-width marks,
BOM), lone surrogates (Cs: not valid UTF-8, DynamoDB refuses them) and the line/paragraph separators
U+2028/2029. A line break (\\n) only in fields that are genuinely multi-line (reasons, notes).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from estate.errors import FieldErrors

_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def forbidden_char(text: str, *, multiline: bool = False) -> str | None:
    """The first character `text` must not contain, or None if it is sound."""
    for char in text:
        if char == "\n" and multiline:
            continue
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            return char
    return None


def form_text(errors: FieldErrors, field: str, raw: Any, *, required: bool = True,
              required_message: str = "此项为必填项") -> str:
    """A form's text field, stripped; "" with the field's error added when it is missing (REQUIRED,
    only if `required`) or not a string (NOT_TEXT). Each form adds its own limits on the result."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            errors.add(field, "REQUIRED", required_message)
        return ""
    if not isinstance(raw, str):
        errors.add(field, "NOT_TEXT", "此项应为文本")
        return ""
    return raw.strip()
