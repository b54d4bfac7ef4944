"""Identifiers of the register and of people (DOMAIN.md §3): validated and normalised here only.

Each parser returns the normalised value or raises InvalidIdentifier with a stable code and a
Chinese message; callers collect them into field errors.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:  # the rules stay free of the error vocabulary at run time
    from estate.errors import FieldErrors


class InvalidIdentifier(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(code)
        self.code = code
        self.message = message


# --- resident ID number (GB 11643-1999) -------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


def id_check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: str  # "M" | "F"

    @property
    def area_code(self) -> str:
        return self.number[:6]

    def age_on(self, day: date) -> int:
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)


def parse_resident_id(raw: str, *, today: date | None = None) -> ResidentId:
    """Accept an 18-character resident ID number: real birth date, valid check character.

    Unknown area codes are accepted on purpose: retired codes stay valid for people born earlier.
    """
    value = unicodedata.normalize("NFKC", str(raw or "")).strip().upper()
    if not _ID_SHAPE.match(value):
        raise InvalidIdentifier("ID_NUMBER_FORMAT", "身份证号码应为18位，最后一位可以是数字或X")
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdentifier("ID_NUMBER_BIRTH_DATE", "身份证号码中的出生日期无效") from None
    if birth > (today or date.today()) or birth.year < 1900:
        raise InvalidIdentifier("ID_NUMBER_BIRTH_DATE", "身份证号码中的出生日期无效")
    if id_check_char(value[:17]) != value[17]:
        raise InvalidIdentifier("ID_NUMBER_CHECKSUM", "身份证号码校验位不正确，请核对")
    sex = "M" if int(value[16]) % 2 == 1 else "F"
    return ResidentId(value, birth, sex)


# --- real-estate unit number (GB/T 37346-2019, 28 characters) ----------------------------------

_UNIT_SHAPE = re.compile(r"^\d{12}[GJZ][A-Z]\d{5}[FLQW]\d{8}$")


def parse_unit_number(raw: str) -> str:
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(raw or ""))).upper()
    if not _UNIT_SHAPE.match(value):
        raise InvalidIdentifier("UNIT_NUMBER_FORMAT", "不动产单元号应为28位，例如140302001002GB00001F00010001")
    return value


def format_unit_number(unit_number: str) -> str:
    """The 6-6-7-9 grouping used on screens and certificates."""
    return f"{unit_number[:6]} {unit_number[6:12]} {unit_number[12:19]} {unit_number[19:]}"


# --- certificate numbers -------------------------------------------------------------------------

_CERT_SHAPE = re.compile(
    r"^(?P<province>[\u4e00-\u9fa5])\((?P<year>\d{4})\)(?P<place>[\u4e00-\u9fa5]{1,12}?)"
    r"(?P<kind>不动产权|不动产证明)第(?P<serial>\d{5,9})号$"
)


@dataclass(frozen=True)
class CertificateNumber:
    text: str       # normalised: half-width brackets, no spaces
    province: str
    year: int
    place: str
    kind: str       # 不动产权 (title certificate) | 不动产证明 (registration certification)
    serial: str

    @property
    def is_title_certificate(self) -> bool:
        return self.kind == "不动产权"


def normalise_certificate_text(raw: str) -> str:
    value = unicodedata.normalize("NFKC", str(raw or ""))  # full-width （） become ()
    return re.sub(r"\s+", "", value)


def parse_certificate_number(raw: str) -> CertificateNumber:
    """Parse permissively (full-width brackets, spaces, 5–9 digit serials), store normalised."""
    value = normalise_certificate_text(raw)
    match = _CERT_SHAPE.match(value)
    if not match:
        raise InvalidIdentifier("CERTIFICATE_NUMBER_FORMAT",
                                "不动产权证书号格式不正确，例如：晋(2021)阳泉市不动产权第0001234号")
    return CertificateNumber(value, match["province"], int(match["year"]), match["place"],
                             match["kind"], match["serial"])


# Pre-unification certificates (房屋所有权证 and the like) differ by city: kept as normalised text.
_LEGACY_CERT_SHAPE = re.compile(r"^[\u4e00-\u9fa5()]{2,20}第?\d{3,12}号$")


def parse_any_certificate_number(raw: str) -> tuple[str, bool]:
    """(normalised text, is_legacy) for a unified 不动产权证书 number or a legacy house certificate.

    The lookup accepts both so that a seller holding an old certificate hears why the case must go
    to the hall, instead of being told the number is malformed.
    """
    try:
        return parse_certificate_number(raw).text, False
    except InvalidIdentifier:
        value = normalise_certificate_text(raw)
        if _LEGACY_CERT_SHAPE.match(value) and "不动产" not in value:
            return value, True
        raise


def format_certificate_number(province: str, year: int, place: str, serial: int, kind: str = "不动产权") -> str:
    return f"{province}({year}){place}{kind}第{serial:07d}号"


# --- mainland mobile -----------------------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def parse_mobile(raw: str) -> str:
    value = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", str(raw or "")))
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("86") and len(value) == 13:
        value = value[2:]
    if not _MOBILE.match(value):
        raise InvalidIdentifier("MOBILE_FORMAT", "请输入11位中国大陆手机号码")
    return value


# --- keys: every other id a client echoes back (outlet, application, booking, payment, query, material,
# captcha, document, bank and branch codes, signing tokens) -------------------------------------------

# What this service mints (YQ…, bk_…, m_…, TX…, Q…, cap_…, urlsafe tokens) and what the seed names (140302,
# ICBC-YQ-CQ, sale_contract) all fit this shape; anything else cannot name a stored item, so it is refused
# before it reaches DynamoDB (an empty string is not even a legal DynamoDB key).
KEY_MAX_LENGTH = 64
KEY_PATTERN = r"^[A-Za-z0-9_\-]{1,%d}$" % KEY_MAX_LENGTH
_KEY_SHAPE = re.compile(KEY_PATTERN)


def parse_key(raw: Any) -> str:
    """The id as given if it is id-shaped, else InvalidIdentifier (KEY_REQUIRED / KEY_FORMAT)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise InvalidIdentifier("KEY_REQUIRED", "此项为必填项")
    if not isinstance(raw, str) or not _KEY_SHAPE.match(raw):
        raise InvalidIdentifier("KEY_FORMAT", "编号格式不正确，请重新选择或刷新页面")
    return raw


_FILE_NAME_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]+)*$")


def parse_file_name(raw: Any) -> str:
    """A static asset's name as given (`signing.3f2a9c.js`): id-shaped parts joined by single dots, so
    no slash, no `..` and no leading dot can reach a file look-up; else InvalidIdentifier."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise InvalidIdentifier("KEY_REQUIRED", "此项为必填项")
    if not isinstance(raw, str) or len(raw) > KEY_MAX_LENGTH or not _FILE_NAME_SHAPE.match(raw):
        raise InvalidIdentifier("KEY_FORMAT", "文件名格式不正确")
    return raw


def add_key(errors: FieldErrors, field: str, raw: Any, required_message: str = "此项为必填项") -> str:
    """parse_key for a form (errors: estate.errors.FieldErrors): the field's error added, "" when refused."""
    try:
        return parse_key(raw)
    except InvalidIdentifier as error:
        errors.add(field, error.code, required_message if error.code == "KEY_REQUIRED" else error.message)
        return ""


def is_choice(value: object, options: Collection[object]) -> TypeGuard[str]:
    """`value in options` for a value straight from JSON: a list or an object is never a choice (and
    would make `in` on a dict or set raise TypeError: unhashable)."""
    return isinstance(value, str) and value in options
