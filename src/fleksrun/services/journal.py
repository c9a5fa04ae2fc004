"""The change journal: `history` reads it, `undo` reverses the last command from it.

Both are generic over tables: they use only the journal rows (table, row id, before, after) and
the live schema, so every table a later capability writes through ``Tx`` is covered without a list
of commands here.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from fleksrun.domain.cpr import mask_cpr
from fleksrun.errors import InputError, Refused
from fleksrun.services.lookup import find_citizen
from fleksrun.services.privacy import clean_file, scrub_undone_creations
from fleksrun.store.connection import Database
from fleksrun.store.tx import record_stamp, transaction

# Commands whose effects must never come back: undo stops at them.
NOT_UNDOABLE = frozenset({"forget"})
UNDO_COMMAND = "undo"
# Columns shown masked in history, wherever they appear.
MASKED_COLUMNS = {"cpr": mask_cpr}



def _loads(text: str | None) -> dict[str, Any] | None:
    return None if text is None else json.loads(text)


def _shown(column: str, value: Any) -> Any:
    mask = MASKED_COLUMNS.get(column)
    return mask(value) if mask and value else value


def describe_change(action: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    """Which fields one journal row changed: ``{column: {"before": …, "after": …}}``, unchanged ones left out."""
    before, after = before or {}, after or {}
    fields: dict[str, Any] = {}
    for column in [*before, *(c for c in after if c not in before)]:
        old, new = before.get(column), after.get(column)
        if column == "id" or old == new or (action == "insert" and new is None) or (action == "delete" and old is None):
            continue
        fields[column] = {"before": _shown(column, old), "after": _shown(column, new)}
    return fields


def history(db: Database, citizen_ref: str | None = None, *, limit: int = 20) -> list[dict[str, Any]]:
    """The newest commands first, each with the rows it changed."""
    if limit < 1:
        raise InputError("history.bad_limit", limit=limit)
    where, binds = "", [limit]
    if citizen_ref is not None:
        citizen = find_citizen(db, citizen_ref)
        where, binds = "WHERE citizen_id = ?", [citizen["id"], limit]
    commands = list(db.query(
        f"SELECT id, at, command, citizen_id, undone_at, undoes FROM commands {where} ORDER BY id DESC LIMIT ?",
        binds))
    for command in commands:
        rows = db.query(
            "SELECT table_name, row_id, action, before, after FROM journal WHERE command_id = ? ORDER BY id",
            [command["id"]])
        command["changes"] = [
            {"table": r["table_name"], "row_id": r["row_id"], "action": r["action"],
             "fields": describe_change(r["action"], _loads(r["before"]), _loads(r["after"]))}
            for r in rows
        ]
    return commands


def _last_undoable(db: Database) -> dict[str, Any]:
    row = db.execute(
        "SELECT id, at, command, citizen_id FROM commands WHERE undone_at IS NULL AND undoes IS NULL"
        " ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        raise Refused("undo.nothing")
    command = dict(zip(("id", "at", "command", "citizen_id"), row, strict=True))
    if command["command"] in NOT_UNDOABLE:
        raise Refused("undo.not_undoable", id=command["id"], command=command["command"])
    return command


def _current(db: Database, table: str, row_id: int) -> dict[str, Any] | None:
    cursor = db.execute(f"SELECT * FROM [{table}] WHERE id = ?", [row_id])
    values = cursor.fetchone()
    return None if values is None else dict(zip([c[0] for c in cursor.description], values, strict=True))


def _same(current: dict[str, Any] | None, expected: dict[str, Any] | None) -> bool:
    """Is the row as the journal left it? Columns added later by a migration are not compared."""
    if current is None or expected is None:
        return current is None and expected is None
    return all(current.get(k) == v for k, v in expected.items() if k in current)


def undo(db: Database) -> dict[str, Any]:
    """Reverse the last command that is not undone yet, in one transaction, itself journalled.

    The command's journal rows are reversed newest first; before each step the row must be exactly
    as that journal row left it, so nothing changed later is silently overwritten. Rows it had added
    are removed, and with them their personal values in the journal (``scrub_undone_creations``).
    """
    target = _last_undoable(db)
    steps = list(db.query(
        "SELECT table_name, row_id, action, before, after FROM journal WHERE command_id = ? ORDER BY id DESC",
        [target["id"]]))
    try:
        with transaction(db, UNDO_COMMAND) as tx:
            tx.about(target["citizen_id"])
            for step in steps:
                table, row_id = step["table_name"], step["row_id"]
                before, after = _loads(step["before"]), _loads(step["after"])
                if not _same(_current(db, table, row_id), after):
                    raise Refused("undo.changed_since", id=target["id"], command=target["command"], table=table,
                                  row=row_id)
                columns = {c.name for c in db.columns(table)}
                if before is None:  # it inserted the row: remove it
                    tx.delete(table, row_id)
                elif after is None:  # it deleted the row: put it back, with its old id
                    tx.insert(table, {k: v for k, v in before.items() if k in columns})
                else:
                    tx.update(table, row_id, {k: v for k, v in before.items() if k in columns and k != "id"})
            removed = [(s["table_name"], s["row_id"]) for s in steps if s["before"] is None]
            wipe = scrub_undone_creations(db, removed)
            own_id = tx.command_id
            db.execute("UPDATE commands SET undoes = ? WHERE id = ?", [target["id"], own_id])
            db.execute("UPDATE commands SET undone_at = ? WHERE id = ?", [record_stamp(), target["id"]])
    except sqlite3.IntegrityError as exc:
        # A later row still points at what would be removed (e.g. a day on an undone placement).
        raise Refused("undo.still_used", id=target["id"], command=target["command"]) from exc
    if wipe:  # the removed rows' old bytes leave the file now; if another window reads, the next command
        clean_file(db, 0)
    return {"undone": target["id"], "command": target["command"], "at": target["at"], "undo_id": own_id,
            "rows": len(steps)}
