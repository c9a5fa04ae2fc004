"""Find a citizen or a company from what the user typed: a number or an unambiguous part of the name."""

from __future__ import annotations

from typing import Any

from fleksrun.errors import Ambiguous, InputError, NotFound
from fleksrun.store.connection import Database

MAX_CANDIDATES = 8


def _find(db: Database, table: str, text: str, extra_where: str, kind: str) -> dict[str, Any]:
    text = text.strip()
    if not text:
        raise InputError(f"{kind}.empty")
    number = text.lstrip("#")
    if number.isascii() and number.isdigit():  # "²" is a digit to Python, not a number to int()
        sql = f"SELECT * FROM [{table}] WHERE id = ? {extra_where}"
        rows = list(db.query(sql, [int(number)]))
        if not rows:
            raise NotFound(f"{kind}.no_number", number=int(number))
        return rows[0]
    sql = f"SELECT * FROM [{table}] WHERE instr(lower(name), lower(?)) > 0 {extra_where} ORDER BY name, id"
    rows = list(db.query(sql, [text]))
    exact = [r for r in rows if r["name"].casefold() == text.casefold()]
    if len(exact) == 1:
        return exact[0]
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFound(f"{kind}.unknown", text=text)
    shown = ", ".join(f"{r['id']} {r['name']}" for r in rows[:MAX_CANDIDATES])
    more = len(rows) - MAX_CANDIDATES
    if more > 0:
        shown += f", … (+{more})"
    raise Ambiguous(f"{kind}.ambiguous", text=text, candidates=shown)


def find_citizen(db: Database, text: str) -> dict[str, Any]:
    """A citizen row; erased (forgotten) citizens cannot be found by name."""
    return _find(db, "citizens", text, "AND erased_at IS NULL", "citizen")


def find_company(db: Database, text: str) -> dict[str, Any]:
    return _find(db, "companies", text, "", "company")
