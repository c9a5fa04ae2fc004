"""The file's own settings (`fleksrun config`), kept in the ``settings`` table (key → value).

A setting without a row has its default. Today there is one: ``days-off``, the customary days off
(Grundlovsdag, 1 May, Juleaftensdag, Nytårsaftensdag) that `schedule` treats like public holidays for
every company; default none. The value is their codes, comma-separated, in the order of the year.

A change of a setting is not in the change journal (`history`, `undo`): the journal keeps rows with a
numeric id. Set the old value again to go back; `config` says what it was.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from fleksrun.domain.calendar import CUSTOMARY_CODES, CUSTOMARY_DAYS, parse_customary
from fleksrun.errors import InputError
from fleksrun.store.connection import Database
from fleksrun.store.tx import transaction

DAYS_OFF = "days-off"
SETTINGS = (DAYS_OFF,)

# What a user may type for a setting's name (lower case, "_" read as "-").
_NAMES = {"days-off": DAYS_OFF, "daysoff": DAYS_OFF, "fridage": DAYS_OFF, "fridag": DAYS_OFF}


def _value(db: Database, key: str) -> str | None:
    try:
        row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    except sqlite3.OperationalError:  # a file from before m007 read without migrating (doctor): the default
        return None
    return row[0] if row else None


def days_off(db: Database) -> tuple[str, ...]:
    """The codes of the customary days set as days off for the whole file (none by default)."""
    stored = set((_value(db, DAYS_OFF) or "").split(","))
    return tuple(code for code in CUSTOMARY_CODES if code in stored)


def day_names(codes: tuple[str, ...] | list[str]) -> list[str]:
    """The Danish names of customary days' codes, in the order of the year."""
    return [c.name for c in CUSTOMARY_DAYS if c.code in codes]


def setting_name(text: str) -> str:
    """The setting a user named, or an input error that lists the settings."""
    name = _NAMES.get(text.strip().lower().replace("_", "-"))
    if name is None:
        raise InputError("settings.unknown", name=text.strip(), known=", ".join(SETTINGS))
    return name


def _item(db: Database, name: str) -> dict[str, Any]:
    codes = days_off(db)
    return {"key": name, "value": list(codes), "names": day_names(codes), "default": []}


def list_settings(db: Database, name: str | None = None) -> list[dict[str, Any]]:
    """Every setting (or the one named) with its value, the value's names and its default."""
    names = [setting_name(name)] if name is not None else list(SETTINGS)
    return [_item(db, n) for n in names]


def set_setting(db: Database, name: str, value: str) -> dict[str, Any]:
    """Set ``name`` to ``value`` (for ``days-off``: day names, ``all`` or ``none``); none removes the row."""
    key = setting_name(name)
    codes = parse_customary(value)
    before = days_off(db)
    with transaction(db, "config") as tx:
        if codes:
            tx.db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                          "excluded.value", [key, ",".join(codes)])
        else:
            tx.db.execute("DELETE FROM settings WHERE key = ?", [key])
    return {**_item(db, key), "before": list(before)}
