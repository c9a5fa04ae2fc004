"""A thin connection for every command's reads and writes.

sqlite-utils builds and migrates the schema; reading and the journalled writes need only a few
of its calls, and importing it costs a command ~45–65 ms (more where numpy is installed; measured by
``benchmarks/import_cost.py``). So commands use this small class with the same names, and
sqlite-utils is imported only to migrate.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple


class Column(NamedTuple):
    name: str
    type: str


class Database:
    """An open SQLite connection with sqlite-utils' names for what fleksrun uses; ``read_only`` when
    the file may only be read (store.db opens it so)."""

    def __init__(self, conn: sqlite3.Connection, *, read_only: bool = False) -> None:
        self.conn = conn
        self.read_only = read_only
        # Work every write transaction on this connection does last, before it commits (the
        # agenda's summaries: see services.open_database).
        self.before_commit: list[Callable[[Database], None]] = []

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters if parameters is not None else ())

    def query(self, sql: str, parameters: Any = None) -> Iterator[dict[str, Any]]:
        """Rows as dicts, read lazily."""
        cursor = self.execute(sql, parameters)
        keys = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    def table_names(self) -> list[str]:
        return [r[0] for r in self.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    def columns(self, table: str) -> list[Column]:
        return [Column(r[1], r[2]) for r in self.execute("SELECT * FROM pragma_table_info(?)", [table])]

    @contextmanager
    def ensure_autocommit_on(self) -> Iterator[None]:
        """No implicit transactions inside the block (for VACUUM and journal-mode changes)."""
        if self.conn.in_transaction:
            raise RuntimeError("cannot switch to autocommit inside a transaction")
        old = self.conn.isolation_level
        self.conn.isolation_level = None
        try:
            yield
        finally:
            self.conn.isolation_level = old

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
