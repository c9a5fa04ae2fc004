"""One command, one transaction, every change journalled.

Services write only through ``Tx``: each insert, update and delete is applied and recorded in the
append-only ``journal`` (before and after as JSON) in the same transaction, under one ``commands``
row. That journal feeds ``history`` and ``undo``. If anything fails, nothing is written.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from fleksrun.errors import Refused
from fleksrun.store.connection import Database
from fleksrun.store.db import BUSY_TIMEOUT_MS, translate_operational
from fleksrun.store.name_keys import NAMED_TABLES, refresh_keys

# What the store's guard triggers (migration m011) raise when a command writes to a forgotten citizen.
ERASED_GUARD = "fleksrun: the citizen is forgotten"


def record_stamp() -> str:
    """When a row was written (UTC): bookkeeping for the journal and `created_at` columns.

    The one wall-clock read below the CLI, on purpose: it is never "today" for a rule or a date
    the user sees (that comes from --today / FLEKSRUN_TODAY and is passed down).
    """
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _row(db: Database, table: str, row_id: int) -> dict[str, Any] | None:
    sql = f"SELECT * FROM [{table}] WHERE id = ?"
    cursor = db.execute(sql, [row_id])
    values = cursor.fetchone()
    if values is None:
        return None
    return dict(zip([c[0] for c in cursor.description], values, strict=True))


def _inserted(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just wrote (sqlite3 types it as optional)."""
    assert cursor.lastrowid is not None
    return cursor.lastrowid


class Tx:
    """The writing half of one command."""

    def __init__(self, db: Database, command: str) -> None:
        self.db = db
        self.command = command
        self._command_id: int | None = None
        self.citizen_id: int | None = None

    def _command_row(self) -> int:
        if self._command_id is None:
            cursor = self.db.execute(
                "INSERT INTO commands (at, command, citizen_id) VALUES (?, ?, ?)",
                [record_stamp(), self.command, self.citizen_id],
            )
            self._command_id = _inserted(cursor)
        return self._command_id

    def about(self, citizen_id: int | None) -> None:
        """Say which citizen this command is about, for ``history CITIZEN``.

        Commands find their citizen before the write lock is theirs; here, under it, she is looked at
        again, so a `forget` in another window that came first is never undone by a late write. (Ids
        are never reused, so the number found still names the same person.)
        """
        if citizen_id is not None:
            row = self.db.execute("SELECT erased_at FROM citizens WHERE id = ?", [citizen_id]).fetchone()
            if row is not None and row[0] is not None:
                raise Refused("citizen.forgotten_meanwhile", id=citizen_id)
        self.citizen_id = citizen_id
        if self._command_id is not None:
            self.db.execute("UPDATE commands SET citizen_id = ? WHERE id = ?", [citizen_id, self._command_id])

    def _journal(self, table: str, row_id: int, action: str, before: Any, after: Any) -> None:
        import json  # a command that only reads never journals

        self.db.execute(
            "INSERT INTO journal (command_id, table_name, row_id, action, before, after) VALUES (?, ?, ?, ?, ?, ?)",
            [
                self._command_row(),
                table,
                row_id,
                action,
                None if before is None else json.dumps(before, ensure_ascii=False),
                None if after is None else json.dumps(after, ensure_ascii=False),
            ],
        )

    def insert(self, table: str, values: Mapping[str, Any]) -> int:
        columns = list(values)
        sql = "INSERT INTO [{}] ({}) VALUES ({})".format(
            table, ", ".join(f"[{c}]" for c in columns), ", ".join("?" for _ in columns)
        )
        row_id = _inserted(self.db.execute(sql, [values[c] for c in columns]))
        if table in NAMED_TABLES:
            refresh_keys(self.db, table, row_id)
        self._journal(table, row_id, "insert", None, _row(self.db, table, row_id))
        return row_id

    def update(self, table: str, row_id: int, changes: Mapping[str, Any]) -> bool:
        """Change one row; journalled only if a value really changes."""
        before = _row(self.db, table, row_id)
        if before is None:
            return False
        changed = {k: v for k, v in changes.items() if before.get(k) != v}
        if not changed:
            return False
        sql = "UPDATE [{}] SET {} WHERE id = ?".format(table, ", ".join(f"[{c}] = ?" for c in changed))
        self.db.execute(sql, [*changed.values(), row_id])
        if table in NAMED_TABLES and "name" in changed:
            refresh_keys(self.db, table, row_id)
        self._journal(table, row_id, "update", before, _row(self.db, table, row_id))
        return True

    def delete(self, table: str, row_id: int) -> bool:
        before = _row(self.db, table, row_id)
        if before is None:
            return False
        self.db.execute(f"DELETE FROM [{table}] WHERE id = ?", [row_id])
        if table in NAMED_TABLES:
            refresh_keys(self.db, table, row_id)
        self._journal(table, row_id, "delete", before, None)
        return True

    @property
    def command_id(self) -> int | None:
        return self._command_id


def _path_of(db: Database) -> str:
    """The database's file name, for an error message."""
    try:
        return db.execute("PRAGMA database_list").fetchone()[2] or "(memory)"
    except sqlite3.Error:
        return "(unknown)"


# How often a command asks again for the write lock another window holds.
_LOCK_POLL_S = 0.002


def begin_immediate(db: Database) -> None:
    """``BEGIN IMMEDIATE``, waiting up to the busy timeout for another window's write lock, asking
    every 2 ms. SQLite's own wait sleeps up to 100 ms between tries, so a window that writes again
    and again takes the lock first each time, and a backup or a short change waits in vain."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    db.execute("PRAGMA busy_timeout = 0")
    try:
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not str(exc).startswith("database is locked") or time.monotonic() > deadline:
                    raise
                time.sleep(_LOCK_POLL_S)
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


@contextmanager
def transaction(db: Database, command: str) -> Iterator[Tx]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; any exception rolls everything back.

    IMMEDIATE takes the write lock up front, so a second writer waits on the busy timeout
    instead of failing on a lock upgrade half-way through.
    """
    try:
        begin_immediate(db)
    except sqlite3.OperationalError as exc:
        raise translate_operational(exc, _path_of(db)) from exc
    try:
        yield Tx(db, command)
        for hook in db.before_commit:
            hook(db)
    except sqlite3.OperationalError as exc:  # read-only file, full disk, lock lost: one clear sentence
        db.rollback()
        raise translate_operational(exc, _path_of(db)) from exc
    except sqlite3.IntegrityError as exc:
        db.rollback()
        if str(exc) == ERASED_GUARD:  # the store refused a write to a forgotten citizen
            raise Refused("citizen.forgotten_write") from exc
        raise
    except BaseException:
        db.rollback()
        raise
    try:
        db.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        db.rollback()
        raise translate_operational(exc, _path_of(db)) from exc
