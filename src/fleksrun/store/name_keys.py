"""The search keys of citizens' and companies' names (``domain.names``), kept in ``name_keys`` so a
name is found by an index, whatever its case and however its æ, ø and å are typed.

Each name has one row per key (the whole name, then from each later word on). ``Tx`` refreshes them
on every write of a name, undo and `forget` included; the demo's bulk load writes its own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from fleksrun.domain.names import word_keys
from fleksrun.store.connection import Database

NAMED_TABLES = ("citizens", "companies")

# Everything that starts with a key sorts below the key followed by the highest code point.
_AFTER_ALL = "\U0010ffff"


def key_rows(table: str, rows: Iterable[tuple[int, str]]) -> Iterator[tuple[str, int, str, int]]:
    """The ``name_keys`` rows of (id, name) pairs: (owner, owner_id, key, whole)."""
    for row_id, name in rows:
        for index, key in enumerate(word_keys(name)):
            yield table, row_id, key, int(index == 0)


def write_keys(conn: sqlite3.Connection, table: str, rows: Iterable[tuple[int, str]]) -> None:
    """Add the keys of (id, name) pairs that have none yet (a bulk load, the migration)."""
    conn.executemany("INSERT INTO name_keys (owner, owner_id, key, whole) VALUES (?, ?, ?, ?)",
                        key_rows(table, rows))


def refresh_keys(db: Database, table: str, row_id: int) -> None:
    """Make the keys of one row's name match its name now: none once the row is gone, or once the
    citizen is forgotten (her name is not to be found, nor kept in a key)."""
    db.execute("DELETE FROM name_keys WHERE owner = ? AND owner_id = ?", [table, row_id])
    still_named = " AND erased_at IS NULL" if table == "citizens" else ""
    found = db.execute(f"SELECT name FROM [{table}] WHERE id = ?{still_named}", [row_id]).fetchone()
    if found is not None:
        write_keys(db.conn, table, [(row_id, found[0])])


# The ids of the rows whose name has a key starting with :key (the start of the whole name or of a
# later word), and of those whose whole name has the key :key; both read the index alone.
MATCHING_IDS = "SELECT owner_id FROM name_keys WHERE owner = :owner AND key >= :key AND key < :key || :after"
EXACT_IDS = "SELECT owner_id FROM name_keys WHERE owner = :owner AND key = :key AND whole = 1"


def key_binds(table: str, key: str) -> dict[str, str]:
    return {"owner": table, "key": key, "after": _AFTER_ALL}
