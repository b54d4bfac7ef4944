"""What legal documents print that is not typed by anyone: dates written in Chinese, the numbers
offices assign (网签备案编号, 收件编号, 税票号码, 非税票据号码), who issues a tax receipt, and how a
party's role is named. Pure functions; the PDFs (estate.documents) and the use cases share them.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

_DIGITS = "〇一二三四五六七八九"

# The county-level divisions of 阳泉市 (GB/T 2260), which are also the outlets' codes and the first six
# digits of a unit number; each has its own tax bureau (国家税务总局 + the division).
DIVISIONS = {"140302": "阳泉市城区", "140303": "阳泉市矿区", "140311": "阳泉市郊区", "140321": "平定县",
             "140322": "盂县"}
CITY_TAX_BUREAU = "国家税务总局阳泉市税务局"
REGISTRATION_CENTRE = "阳泉市不动产登记中心"
FEE_PAYEE = REGISTRATION_CENTRE          # 登记费 is collected by the centre, not by the tax bureau

# Role names: a label stands alone (买方（登记权利人）); inside brackets the standing follows a comma,
# never a second pair of brackets (被询问人：张三（买方，登记权利人）).
ROLES = {"buyer": ("买方", "登记权利人"), "seller": ("卖方", "登记义务人"), "bank": ("抵押权人", "贷款银行")}


def role_label(role: str) -> str:
    name, standing = ROLES[role]
    return f"{name}（{standing}）"


def role_in_brackets(role: str) -> str:
    name, standing = ROLES[role]
    return f"（{name}，{standing}）"


def share_percent(share: str) -> str:
    """A register share (a fraction as text, "0.6") as people read it: 60%, 33.33%."""
    percent = (Decimal(share) * 100).quantize(Decimal("0.01"))
    text = f"{percent:f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _small_number(n: int) -> str:
    """1–31 as written in a date: 三, 十, 十二, 二十, 二十一, 三十一."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def date_in_chinese(day: date | str) -> str:
    """二〇二六年十二月三日: the year digit by digit, month and day as numbers (contracts, forms)."""
    value = date.fromisoformat(day[:10]) if isinstance(day, str) else day
    year = "".join(_DIGITS[int(d)] for d in f"{value.year:04d}")
    return f"{year}年{_small_number(value.month)}月{_small_number(value.day)}日"


def filing_number(application_id: str) -> str:
    """网签备案编号 of the application's sale contract: the city's prefix YQWQ, the date the case started
    and its random part (from the application id, YQ + yyyymmdd + 10 hex), so one per contract, kept
    across edits, never reused."""
    return "YQWQ" + application_id[2:]


def intake_number(outlet: str, accepted_on: date, application_id: str) -> str:
    """收件编号 given at acceptance: outlet, day, and the application's random part."""
    return f"SJ{outlet}{accepted_on:%Y%m%d}{application_id[-6:]}"


def _digits_of(text: str, count: int) -> str:
    return f"{int(hashlib.sha256(text.encode()).hexdigest(), 16) % 10 ** count:0{count}d}"


def tax_ticket_number(division: str, paid_on: date, order_id: str) -> str:
    """税票号码 (20 digits): the division, the day paid (yymmdd) and eight digits derived from the order,
    so the same order always prints the same number."""
    return f"{division}{paid_on:%y%m%d}{_digits_of('tax:' + order_id, 8)}"


def fee_ticket_number(paid_on: date, order_id: str) -> str:
    """非税收入电子票据号码 (10 digits) of the registration fee paid with an order."""
    return f"{paid_on:%y}{_digits_of('fee:' + order_id, 8)}"


def division_of(unit_number: str | None) -> str | None:
    """The county-level division of a unit (its number's first six digits), if it is one of the city's."""
    code = (unit_number or "")[:6]
    return code if code in DIVISIONS else None


def tax_bureau(division: str | None) -> str:
    """The tax bureau that issues a receipt for a home in `division` (国家税务总局阳泉市城区税务局, …)."""
    name = DIVISIONS.get(division or "")
    return f"国家税务总局{name}税务局" if name else CITY_TAX_BUREAU
