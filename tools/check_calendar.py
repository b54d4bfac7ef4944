"""Check a calendar override file before it ships: it must load (the same parser the service uses),
and each year's entry must close every weekday the law itself gives off (全国年节及纪念日放假办法:
元旦, 除夕–初三, 清明, 5-1/5-2, 端午, 中秋, 10-1..10-3), which catches a forgotten or mistyped day.

    .venv/bin/python tools/check_calendar.py [functions/core/estate/data/calendar-overrides.json]

Prints one line per year and exits 1 on the first problem.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "functions" / "core"))

from estate.domain.calendar import InvalidOverrides, WorkingCalendar  # noqa: E402
from estate.domain.statutory_holidays import statutory_holidays  # noqa: E402
from estate.services.working_calendar import CALENDAR_OVERRIDES  # noqa: E402


def problems(path: Path) -> list[str]:
    try:
        calendar = WorkingCalendar.from_file(path)
    except (InvalidOverrides, json.JSONDecodeError) as error:
        return [f"{path}: {error}"]
    found = []
    for year in sorted(json.loads(path.read_text(encoding="utf-8")).get("years", {})):
        for holiday in statutory_holidays(int(year)):
            for day in holiday.days:
                if day.weekday() < 5 and calendar.is_working_day(day):
                    found.append(f"{year}: {day.isoformat()} ({holiday.name}) is a statutory day off but is not "
                                 f"in holidays")
    return found


def summary(path: Path) -> list[str]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return [f"{year}: {len(entry.get('holidays', []))} holidays, {len(entry.get('workdays', []))} adjusted working days"
            for year, entry in sorted(document.get("years", {}).items())] or ["no override years"]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else CALENDAR_OVERRIDES
    found = problems(target)
    print("\n".join(found or summary(target)))
    sys.exit(1 if found else 0)
