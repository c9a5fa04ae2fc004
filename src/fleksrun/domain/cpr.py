"""Danish CPR numbers (personnummer): optional data, checked for format and birth date only.

The modulus-11 check is not a validity test: since 2007 numbers that fail it are issued. A CPR, or
any part of it, never goes into an error: the errors raised here carry a key and no parameters.
"""

from __future__ import annotations

import re
from datetime import date

from fleksrun.errors import InputError

# [0-9], not \d: \d would accept digits of other scripts.
_CPR = re.compile(r"([0-9]{6})-?([0-9]{4})")
MASKED = "xxxxxx-xxxx"
# Ten digits as a CPR number may be written inside other text: 310385-1234, 31.03.85-1234, 3103 85 1234.
_CPR_IN_TEXT = re.compile(r"[0-9]{2}[ .-]?[0-9]{2}[ .-]?[0-9]{2}[ .-]?[0-9]{4}")


def contains_cpr(text: str) -> bool:
    """Whether ``text`` holds what looks like a CPR number (a name must not: names are shown in full)."""
    return _CPR_IN_TEXT.search(text) is not None


def parse_cpr(text: str, today: date | None = None) -> str:
    """A CPR number as "DDMMYY-SSSS", from that form or ten digits; its birth date must exist and,
    given the run's ``today``, must not lie after it (nobody in a programme is born yet)."""
    digits = _digits(text)
    born = _birthdate(digits)
    if today is not None and born > today:
        raise InputError("cpr.future")
    return f"{digits[:6]}-{digits[6:]}"


def cpr_birthdate(cpr: str) -> date:
    """The birth date in a CPR number, its century read from the 7th digit."""
    return _birthdate(_digits(cpr))


def mask_cpr(cpr: str | None) -> str | None:
    """ "310326-1234" → "310326-xxxx"; None stays None; anything unreadable is masked whole."""
    if cpr is None:
        return None
    match = _CPR.fullmatch(cpr.strip())
    return f"{match.group(1)}-xxxx" if match else MASKED


def century(year_in_century: int, seventh_digit: int) -> int:
    """1800, 1900 or 2000, from the two-digit year and the first digit of the serial (CPR rules)."""
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if year_in_century <= 36 else 1900
    return 2000 if year_in_century <= 57 else 1800


def _digits(text: str) -> str:
    match = _CPR.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise InputError("cpr.format")
    return match.group(1) + match.group(2)


def _birthdate(digits: str) -> date:
    day, month, year_in_century = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    year = century(year_in_century, int(digits[6])) + year_in_century
    try:
        return date(year, month, day)
    except ValueError:
        raise InputError("cpr.date") from None  # "from None": the cause would repeat the numbers
