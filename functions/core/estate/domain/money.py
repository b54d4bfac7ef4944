"""Money in fen (分) and amounts in Chinese financial capitals (大写金额).

Every amount of the service is a Decimal rounded to the fen with ROUND_HALF_UP, the rounding
used on tax receipts (DOMAIN.md §2.7 rounds each item this way). Floats never carry money: a
float that reaches here is read through its shortest decimal text, so 2.675 means "2.675".

The capitals follow the People's Bank of China rules for filling in bills and settlement
vouchers (《支付结算办法》附件一《正确填写票据和结算凭证的基本规定》); see amount_in_chinese.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

__all__ = ["FEN", "MAX_CHINESE_AMOUNT", "to_fen", "amount_in_chinese"]

FEN = Decimal("0.01")

# Four-digit groups stop at 亿, so the largest amount with a written form is 9999亿9999万9999元9角9分.
MAX_CHINESE_AMOUNT = Decimal("999999999999.99")

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES_IN_GROUP = ("仟", "佰", "拾", "")
_GROUP_UNITS = ("亿", "万", "")
_GROUP_SIZE = 10_000

# Our own context, so a caller's decimal settings (e.g. a low precision) cannot change an amount.
_MONEY_CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)


def to_fen(value: object) -> Decimal:
    """Round to 0.01 with ROUND_HALF_UP. Accepts Decimal, int, numeric str, or float (via str)."""
    amount = _as_decimal(value)
    try:
        return amount.quantize(FEN, rounding=ROUND_HALF_UP, context=_MONEY_CONTEXT)
    except InvalidOperation:
        # Only numbers with more than 32 integer digits get here.
        raise ValueError(f"amount out of range: {value!r}") from None


def amount_in_chinese(amount: Decimal) -> str:
    """Write an amount the way contracts and receipts do, e.g. 1005.00 → "人民币壹仟零伍元整".

    The amount is first rounded to the fen (to_fen). Rules, from the PBOC rules named in the
    module docstring; where they allow a choice, the choice made here is stated:

    1. Prefix "人民币". Digits 零壹贰叁肆伍陆柒捌玖, places 拾佰仟, groups 万 and 亿.
    2. "拾" always has its digit: 10 → 壹拾元整, 100000 → 壹拾万元整 (the bank-form convention).
    3. Zeros between non-zero digits are written as one "零": 1005 → 壹仟零伍, 100700 → 壹拾万零柒佰,
       100005000 → 壹亿零伍仟 (a whole zero 万 group also counts as zeros in between).
    4. Zeros that end a 万 or 亿 group are not written: the group unit already separates the
       digits, 107000 → 壹拾万柒仟元 (the rules allow either form; this one is the common one).
    5. Ending in 元: add "整" (1005.00 → 壹仟零伍元整). After 角, no "整" (100000.50 → 壹拾万元伍角);
       after 分, never "整".
    6. 元 digit zero but 角 not zero: no "零" (1680.32 → 壹仟陆佰捌拾元叁角贰分; optional in the rules).
    7. 角 zero and 分 not zero: "零" after 元 is required (325.04 → 叁佰贰拾伍元零肆分).
    8. Below one yuan there is no 元 part (0.50 → 人民币伍角, 0.04 → 人民币肆分); zero is 人民币零元整.

    Raises ValueError for negative amounts, non-numbers, and amounts above 9999亿9999万9999元9角9分.
    """
    value = _as_decimal(amount)
    if value < 0:
        raise ValueError(f"amount must not be negative: {amount!r}")
    if to_fen(value) > MAX_CHINESE_AMOUNT:
        raise ValueError(f"amount too large for Chinese capitals (max {MAX_CHINESE_AMOUNT}): {amount!r}")
    with localcontext(_MONEY_CONTEXT):
        fen_total = int(to_fen(value) * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    return "人民币" + _yuan_part(yuan, has_cents=cents > 0) + _cents_part(yuan, jiao, fen)


def decimal_places(amount: Decimal) -> int:
    """Digits after the point of a finite amount as written (12 → 0, 12.50 → 2, 1E+2 → 0)."""
    if not amount.is_finite():  # NaN and infinity have no places (their exponent is 'n', 'N' or 'F')
        raise ValueError(f"not a finite number: {amount!r}")
    return max(0, -int(amount.as_tuple().exponent))


def _as_decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")  # noqa: TRY004 - callers catch ValueError for any unusable amount
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _yuan_part(yuan: int, *, has_cents: bool) -> str:
    if yuan == 0:
        return "" if has_cents else "零元"
    return _integer_in_chinese(yuan) + "元"


def _cents_part(yuan: int, jiao: int, fen: int) -> str:
    if jiao == 0 and fen == 0:
        return "整"
    words = ""
    if jiao:
        words += _DIGITS[jiao] + "角"
    elif yuan:
        words += "零"  # rule 7: without it 元肆分 could be misread as 元肆角
    if fen:
        words += _DIGITS[fen] + "分"
    return words


def _integer_in_chinese(number: int) -> str:
    """A positive integer below 10**12 in capitals, without 元 (rules 2-4 of amount_in_chinese)."""
    groups = (number // _GROUP_SIZE**2, number // _GROUP_SIZE % _GROUP_SIZE, number % _GROUP_SIZE)
    words: list[str] = []
    zeros_since_last_group = False
    for group, unit in zip(groups, _GROUP_UNITS, strict=True):
        if group == 0:
            zeros_since_last_group = bool(words)
            continue
        starts_with_zero = group < 1000
        if words and (zeros_since_last_group or starts_with_zero):
            words.append("零")
        words.append(_group_in_chinese(group) + unit)
        zeros_since_last_group = False
    return "".join(words)


def _group_in_chinese(group: int) -> str:
    """1..9999 without leading or trailing zeros; inner zero runs become one 零."""
    words: list[str] = []
    zero_pending = False
    for digit_char, place in zip(f"{group:04d}", _PLACES_IN_GROUP, strict=True):
        digit = int(digit_char)
        if digit == 0:
            zero_pending = bool(words)
            continue
        if zero_pending:
            words.append("零")
            zero_pending = False
        words.append(_DIGITS[digit] + place)
    return "".join(words)
