"""The service's notion of now. One place, so tests can move time instead of sleeping."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_override: datetime | None = None


def now() -> datetime:
    return _override or datetime.now(timezone.utc)


def today_in_shanghai():
    return now().astimezone(SHANGHAI).date()


def set_now(value: datetime | None) -> None:
    """Tests only: freeze the clock (None releases it)."""
    global _override
    _override = value
