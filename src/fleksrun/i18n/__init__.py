"""The message layer: every user-facing sentence is looked up here by key.

Catalogues are plain TOML files, one folder per language (``en/``, ``da/``), one file per area of
the tool; a third language is a folder of files, not a code change. Templates use ``str.format``
fields with a few extra format specs that follow the language:

- ``{x:h}``     hours / decimal numbers (``28.5`` or ``28,5``)
- ``{d:date}``  a ``datetime.date`` as ``31-03-2026``
- ``{m:month}`` a ``YYYY-MM`` text or date as ``April 2026`` / ``april 2026``
- ``{d:wday}``  a date's weekday name; ``{d:week}`` its ISO week ("week 14" / "uge 14")
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import string
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "da")
DEFAULT_LANGUAGE = "en"
_HERE = Path(__file__).parent
_current = DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    """Choose the language of every later message."""
    global _current
    _current = lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def language() -> str:
    return _current


def language_from_locale(environ: dict[str, str]) -> str:
    """The language a POSIX locale asks for (LC_ALL, LC_MESSAGES, LANG), else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var, "")
        if value:
            return "da" if value.lower().startswith("da") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, full + "."))
        else:
            out[full] = str(value)
    return out


def _files(lang: str) -> list[Path]:
    folder = _HERE / lang
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


@cache
def _file_messages(path: Path) -> dict[str, str]:
    import tomllib

    return _flatten(tomllib.loads(path.read_text(encoding="utf-8")))


_TABLE = re.compile(r'^\s*\[\s*"?([A-Za-z0-9_-]+)', re.MULTILINE)
_ANY = "*"  # files with keys outside a plain [table] header: searched for every key


@cache
def _index(lang: str) -> dict[str, list[Path]]:
    """Which files of a language hold which top-level tables, found without parsing them: a
    command looks up a few dozen messages and need not parse every catalogue file to do so."""
    index: dict[str, list[Path]] = {}
    for path in _files(lang):
        text = path.read_text(encoding="utf-8")
        first = _TABLE.search(text)
        preamble = text[: first.start()] if first else text
        if any("=" in line for line in preamble.splitlines() if not line.lstrip().startswith("#")):
            index.setdefault(_ANY, []).append(path)
        for head in set(_TABLE.findall(text)):
            index.setdefault(head, []).append(path)
    return index


def _lookup(lang: str, key: str) -> str | None:
    index = _index(lang)
    for path in [*index.get(key.split(".", 1)[0], ()), *index.get(_ANY, ())]:
        found = _file_messages(path).get(key)
        if found is not None:
            return found
    return None


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, from every TOML file in its folder."""
    merged: dict[str, str] = {}
    for path in _files(lang):
        merged.update(_file_messages(path))
    return merged


def help_catalogue(lang: str) -> dict[str, str]:
    """The help texts of one language alone (its help*.toml files): what `--help` reads, without
    the rest of the catalogue."""
    merged: dict[str, str] = {}
    for path in _files(lang):
        if path.name.startswith("help"):
            merged.update(_file_messages(path))
    return merged


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "h":
            return format_number(value, self.lang)
        if format_spec == "date":
            return format_date(value)
        if format_spec == "month":
            return format_month(value, self.lang)
        if format_spec == "wday":
            return weekday_name(value, self.lang)
        if format_spec == "week":
            return format_week(value, self.lang)
        if format_spec == "days":
            return format_days(value, self.lang)
        return super().format_field(value, format_spec)


# The number a message counts: when it is 1 and the catalogue has ``<key>_one``, that form is used
# ("1 row", "1 række"), so a call site needs no plural logic of its own.
_COUNTED = ("count", "rows")


def t(key: str, /, **params: object) -> str:
    """The message for ``key`` in the current language (English if it has none yet); its ``_one``
    form when the message counts exactly one."""
    if any(params.get(name) == 1 for name in _COUNTED) and _lookup(DEFAULT_LANGUAGE, key + "_one") is not None:
        key += "_one"
    template = _lookup(_current, key) or _lookup(DEFAULT_LANGUAGE, key)
    if template is None:
        raise KeyError(f"no message {key!r}")
    return _Formatter(_current).format(template, **params)


def has(key: str) -> bool:
    return _lookup(DEFAULT_LANGUAGE, key) is not None


def label(group: str, code: object) -> str:
    """The word for a stored code (``label("outcome", "job")``); the code itself when there is none."""
    if code is None:
        return "—"
    key = f"label.{group}.{code}"
    return t(key) if has(key) else str(code)


# -- formatting that follows the language ---------------------------------------------------------

def format_number(value: float | str | None, lang: str | None = None) -> str:
    """28.5 → "28.5" (en) or "28,5" (da): rounded to 2 decimals, then without trailing zeros or a
    trailing separator, so 29.999 is "30", 29.994 "29.99" and 0.001 "0", never "30." or "0."."""
    lang = lang or _current
    if value is None:
        return "—"
    number = float(value)
    if not math.isfinite(number) or abs(number) >= 1e9:
        return f"{number:.3g}"  # nonsense input still reads as one short word in an error message
    text = f"{round(number, 2):.2f}".rstrip("0").rstrip(".")
    if text == "-0":  # -0.001 rounds to -0.0
        text = "0"
    return text.replace(".", ",") if lang == "da" else text


def format_date(value: object) -> str:
    """A date as Danes write it, day first: 31-03-2026."""
    if value is None:
        return "—"
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value)
    assert isinstance(value, _dt.date)
    return value.strftime("%d-%m-%Y")


def month_name(month: int, lang: str | None = None) -> str:
    lang = lang or _current
    return t_lang(lang, f"calendar.month.{month}")


def weekday_name(value: _dt.date | str | int, lang: str | None = None, short: bool = False) -> str:
    lang = lang or _current
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value)
    index = value.isoweekday() if isinstance(value, _dt.date) else int(value)
    return t_lang(lang, f"calendar.{'wd' if short else 'weekday'}.{index}")


def format_month(value: object, lang: str | None = None) -> str:
    """'2026-04' → 'April 2026' (en) / 'april 2026' (da)."""
    lang = lang or _current
    if isinstance(value, _dt.date):
        year, month = value.year, value.month
    else:
        year, month = (int(p) for p in str(value).split("-")[:2])
    return f"{month_name(month, lang)} {year}"


def format_week(value: object, lang: str | None = None) -> str:
    lang = lang or _current
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value)
    assert isinstance(value, _dt.date)
    year, week, _ = value.isocalendar()
    return t_lang(lang, "calendar.week", week=week, year=year)


def format_days(value: object, lang: str | None = None) -> str:
    """A count of days with its unit in the right number: "1 day", "3 days"."""
    assert isinstance(value, int)
    key = "calendar.day_one" if value == 1 else "calendar.days"
    return t_lang(lang or _current, key, n=value)


def t_lang(lang: str, key: str, /, **params: object) -> str:
    template = _lookup(lang, key) or _lookup(DEFAULT_LANGUAGE, key)
    if template is None:
        raise KeyError(f"no message {key!r}")
    return _Formatter(lang).format(template, **params)
