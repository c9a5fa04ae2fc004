"""Making tables again in a migration, every row and id kept: SQLite cannot add AUTOINCREMENT to a
table that exists (``store.migrations.m011_trust_db``)."""

from __future__ import annotations

import json
import re

from sqlite_utils import Database


def _foreign_parents(db: Database, table: str) -> set[str]:
    return {r[0] for r in db.execute("SELECT [table] FROM pragma_foreign_key_list(?)", [table])}


def _in_parent_order(db: Database, tables: set[str]) -> list[str]:
    """``tables`` with every parent (by foreign key) before its children."""
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = sorted(t for t in tables - set(ordered) if _foreign_parents(db, t) & tables <= set(ordered) | {t})
        assert ready, "a cycle of foreign keys"
        ordered.extend(ready)
    return ordered


def rebuild_with_autoincrement(db: Database, wanted: tuple[str, ...]) -> None:
    """Make the tables again with ``AUTOINCREMENT`` ids, every row and id kept.

    SQLite cannot add AUTOINCREMENT to a table, and foreign keys cannot be switched off inside the
    migration's transaction. So each table is made anew as ``<name>_new``, pointing at the other new
    tables, filled parents first, the old ones dropped children first (a dropped parent then has no
    child left to check), and the new ones renamed, which points every reference at the right name
    again. A table that points at a rebuilt one is rebuilt with it. Views, triggers and indexes are
    kept as written and made again afterwards.
    """
    tables = set(wanted)
    everything = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    while True:  # whoever points at a rebuilt table must be rebuilt too
        more = {t for t in everything - tables if _foreign_parents(db, t) & tables}
        if not more:
            break
        tables |= more
    order = _in_parent_order(db, tables)
    kept = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND (type IN ('view', 'trigger') OR"
        " (type = 'index' AND tbl_name IN (SELECT value FROM json_each(?)))) ORDER BY rowid",
        [json.dumps(order)]).fetchall()
    for kind, name, _sql in kept:
        if kind != "index":
            db.execute(f"DROP {kind.upper()} [{name}]")
    reference = re.compile(r'REFERENCES\s+"?(\w+)"?\s*\(')
    for table in order:
        sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
        sql, named = re.subn(r'^CREATE TABLE\s+"?\w+"?', f"CREATE TABLE [{table}_new]", sql)
        sql = re.sub(r"\bid INTEGER PRIMARY KEY\b(?! AUTOINCREMENT)", "id INTEGER PRIMARY KEY AUTOINCREMENT", sql)
        sql = reference.sub(lambda m: f"REFERENCES [{m[1]}_new](" if m[1] in tables else m[0], sql)
        assert named == 1, table
        db.execute(sql)
        db.execute(f"INSERT INTO [{table}_new] SELECT * FROM [{table}]")
    for table in reversed(order):
        db.execute(f"DROP TABLE [{table}]")
    for table in order:
        db.execute(f"ALTER TABLE [{table}_new] RENAME TO [{table}]")
    for _kind, _name, sql in kept:
        db.execute(sql)
    # Ids the journal has seen (rows since removed by undo) are given out no more either.
    for table in order:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = ? AND sql LIKE '%AUTOINCREMENT%'",
                          [table]).fetchone():
            continue
        high = db.execute(
            f"SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM [{table}]"
            " UNION ALL SELECT MAX(row_id) FROM journal WHERE table_name = ?)", [table]).fetchone()[0]
        db.execute("DELETE FROM sqlite_sequence WHERE name = ?", [table])
        if high is not None:
            db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", [table, high])
    broken = db.execute("SELECT COUNT(*) FROM pragma_foreign_key_check").fetchone()[0]
    assert broken == 0, "the rebuild broke a link between rows"
