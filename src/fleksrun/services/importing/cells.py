"""One cell as the value a field needs: text, a date, a number, a CPR number.

A spreadsheet gives dates as dates and numbers as floats (a phone number or a CPR number with its
leading zero lost); a CSV gives text. Both end here, and a cell that cannot be read raises an
InputError whose message names the cell's value (masked where it may hold a CPR number).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from fleksrun.domain.cpr import MASKED, contains_cpr, mask_cpr
from fleksrun.errors import InputError
from fleksrun.services.exports import FORMULA_STARTS


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    """A cell as text: a whole number without ".0" (a phone number Excel stored as a number)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]  # the quote an export puts before "+45…" so that Excel shows text, not a formula
    return text


def shown(value: Any, field: str) -> str:
    """A cell's value as an error may show it: never a CPR number in full."""
    if field == "cpr":
        return mask_cpr(cpr_text(value)) or MASKED
    text = as_text(value)
    return MASKED if contains_cpr(text) else text


def cpr_text(value: Any) -> str:
    """A CPR cell as text: a number lost its leading zero in the spreadsheet (0101901234 → 101901234)."""
    if isinstance(value, (int, float)) and float(value).is_integer() and 0 < value < 10**10:
        return f"{int(value):010d}"
    return as_text(value)


def as_date(value: Any, today: _dt.date, field: str) -> _dt.date:
    """A date cell, or text in any form the one date parser reads (domain.dates)."""
    from fleksrun.domain.dates import parse_date, plausible

    if isinstance(value, _dt.datetime):
        return plausible(value.date(), value.isoformat())
    if isinstance(value, _dt.date):
        return plausible(value, value.isoformat())
    text = as_text(value)
    if not isinstance(value, str):  # a bare number where a date belongs (a serial without a date format)
        raise InputError("import.not_date", value=shown(value, field))
    try:
        return plausible(parse_date(text, today), text)
    except InputError:
        raise InputError("import.not_date", value=shown(value, field)) from None


_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?", re.ASCII)


def as_number(value: Any, field: str) -> float:
    """A number cell, or text with a decimal comma (7,5) or point (7.5)."""
    if isinstance(value, bool):
        raise InputError("import.not_number", value=shown(value, field))
    if isinstance(value, (int, float)):
        return float(value)
    text = as_text(value).replace(" ", "")
    if not _NUMBER.fullmatch(text):
        raise InputError("import.not_number", value=shown(value, field))
    return float(text.replace(",", "."))
