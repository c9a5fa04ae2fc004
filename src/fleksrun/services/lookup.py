"""Find a citizen or a company from what the user typed: a number or an unambiguous part of the name.

A part of the name is the start of the name or of one of its words (``mette``, ``hans`` for Mette
Hansen), matched by its search key (``domain.names``: any case, å = aa, æ = ae, ø = oe), through
the index of ``name_keys``. A whole name typed in full wins over longer names that start with it.
"""

from __future__ import annotations

from typing import Any

from fleksrun.domain.names import name_key
from fleksrun.errors import Ambiguous, InputError, NotFound
from fleksrun.store.connection import Database
from fleksrun.store.name_keys import EXACT_IDS, MATCHING_IDS, key_binds

MAX_CANDIDATES = 8


def _rows(db: Database, table: str, ids_sql: str, binds: dict[str, Any], extra_where: str,
          limit: int) -> list[dict[str, Any]]:
    sql = f"SELECT * FROM [{table}] WHERE id IN ({ids_sql}) {extra_where} ORDER BY name, id LIMIT :limit"
    return list(db.query(sql, {**binds, "limit": limit}))


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
    key = name_key(text)
    if not key:  # only spaces and hyphens: nothing to look for
        raise NotFound(f"{kind}.unknown", text=text)
    binds = key_binds(table, key)
    exact = _rows(db, table, EXACT_IDS, binds, extra_where, 2)
    if len(exact) == 1:
        return exact[0]
    rows = _rows(db, table, MATCHING_IDS, binds, extra_where, MAX_CANDIDATES + 1)
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFound(f"{kind}.unknown", text=text)
    shown = ", ".join(f"{r['id']} {r['name']}" for r in rows[:MAX_CANDIDATES])
    if len(rows) > MAX_CANDIDATES:
        count_sql = f"SELECT COUNT(*) FROM [{table}] WHERE id IN ({MATCHING_IDS}) {extra_where}"
        shown += f", … (+{db.execute(count_sql, binds).fetchone()[0] - MAX_CANDIDATES})"
    raise Ambiguous(f"{kind}.ambiguous", text=text, candidates=shown)


def find_citizen(db: Database, text: str) -> dict[str, Any]:
    """A citizen row; erased (forgotten) citizens cannot be found by name."""
    return _find(db, "citizens", text, "AND erased_at IS NULL", "citizen")


def find_company(db: Database, text: str) -> dict[str, Any]:
    return _find(db, "companies", text, "", "company")
