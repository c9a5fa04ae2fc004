"""The one error every problem in a programme file becomes, and the checks of single values."""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import TYPE_CHECKING, NoReturn

from fleksrun.errors import InputError
from fleksrun.i18n import t

if TYPE_CHECKING:
    import tomllib

_ID = re.compile(r"[a-z0-9_]+\Z")
# The largest number of weeks, days or monthly hours a new programme file may hold. Higher is a
# typing error, and dates that many weeks on would pass the calendar's end for the whole caseload.
# Definitions stored before this limit are read without it: history is never refused.
LARGEST = 10_000


class _Check:
    """Raises the one InputError every problem in a programme file becomes."""

    def __init__(self, file: str, largest: int | None = None) -> None:
        self.file = file
        self.phase = "-"
        self.largest = largest

    def fail(self, key: str, problem: str, **params: object) -> NoReturn:
        error = InputError(
            "program.invalid",
            file=self.file,
            phase=self.phase,
            problem=t(f"program.problem.{problem}", **params),
            problem_key=problem,
        )
        # FleksrunError.__init__ takes the message key as its parameter ``key``, so the dotted key
        # of the file cannot be passed as a keyword; the message layer's t() takes it fine.
        error.params["key"] = key or "-"
        raise error

    def keys(self, table: dict, prefix: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
        for name in table:
            if name not in allowed:
                import difflib  # only a mistyped key pays for the suggestion

                hint = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
                if hint:
                    self.fail(prefix + str(name), "unknown_key_hint", hint=hint[0])
                self.fail(prefix + str(name), "unknown_key", allowed=", ".join(allowed))
        for name in required:
            if name not in table:
                self.fail(prefix + name, "required")

    def table(self, value: object, key: str) -> dict:
        if not isinstance(value, dict):
            self.fail(key, "not_table")
        return value

    def table_list(self, value: object, key: str) -> list[dict]:
        if not isinstance(value, list):
            self.fail(key, "not_list_of_tables")
        for i, entry in enumerate(value):
            if not isinstance(entry, dict):
                self.fail(f"{key}[{i}]", "not_table")
        return value

    def text(self, table: dict, name: str, prefix: str = "") -> str:
        """A non-empty text, stripped; "" when the (optional) key is absent."""
        if name not in table:
            return ""
        value = table[name]
        if not isinstance(value, str):
            self.fail(prefix + name, "not_text")
        value = value.strip()
        if not value:
            self.fail(prefix + name, "empty")
        return value

    def ident(self, value: object, key: str) -> str:
        if not isinstance(value, str):
            self.fail(key, "not_text")
        if not _ID.match(value):
            self.fail(key, "bad_id", value=value)
        return value

    def positive_int(self, value: object, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.fail(key, "positive_int")
        self._at_most_largest(value, key)
        return value

    def number(self, value: object, key: str, *, above_zero: bool, bounded: bool = True) -> int | float:
        """A finite number; ``bounded=False`` for one with its own limit, or none (hours a day,
        targets: counts of people), which ``largest`` is not about."""
        ok = (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(value)
            and (value > 0 if above_zero else value >= 0)
        )
        if not ok:
            self.fail(key, "positive_number" if above_zero else "nonneg_number")
        if bounded:
            self._at_most_largest(value, key)  # type: ignore[arg-type]
        return value  # type: ignore[return-value]

    def _at_most_largest(self, value: int | float, key: str) -> None:
        if self.largest is not None and value > self.largest:
            self.fail(key, "too_large", largest=self.largest)

    def boolean(self, value: object, key: str) -> bool:
        if not isinstance(value, bool):
            self.fail(key, "not_bool")
        return value

    def date(self, value: object, key: str) -> _dt.date:
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return _dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(key, "not_date")


def _syntax_error(check: _Check, exc: tomllib.TOMLDecodeError) -> NoReturn:
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "colno", None)
    detail = getattr(exc, "msg", None) or str(exc)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", detail)
    if found:
        line, column = int(found.group(1)), int(found.group(2))
        detail = detail[: found.start()]
    at_end = re.search(r"\s*\(at end of document\)\s*$", detail)
    if at_end:
        detail = detail[: at_end.start()]
    detail = detail[:1].lower() + detail[1:]
    if at_end:
        check.fail("-", "toml_syntax_end", detail=detail)
    if line:
        check.fail("-", "toml_syntax_at", line=line, column=column or 1, detail=detail)
    check.fail("-", "toml_syntax", detail=detail)
