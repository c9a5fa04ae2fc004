"""The change journal: `history` reads it, `undo` reverses the last command from it.

Both are generic over tables: they use only the journal rows (table, row id, before, after) and
the live schema, so every table a later capability writes through ``Tx`` is covered without a list
of commands here.
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from typing import Any

from fleksrun.domain.cpr import mask_cpr
from fleksrun.errors import InputError, Refused
from fleksrun.services.lookup import find_citizen
from fleksrun.services.privacy import PERSONAL_DATA, READER_WAIT_S, clean_file, scrub_undone_creations
from fleksrun.store.connection import Database
from fleksrun.store.tx import record_stamp, transaction

# Commands whose effects must never come back: undo stops at them.
NOT_UNDOABLE = frozenset({"forget"})
UNDO_COMMAND = "undo"
# How long the journal keeps the earlier values of personal data by default: `journal prune` removes
# those of older changes, and `doctor` says when there are some.
JOURNAL_KEEP_MONTHS = 12
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
        f"SELECT id, at, command, citizen_id, undone_at, undoes, pruned_at FROM commands {where}"
        " ORDER BY id DESC LIMIT ?",
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
        "SELECT id, at, command, citizen_id, pruned_at FROM commands WHERE undone_at IS NULL AND undoes IS NULL"
        " ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        raise Refused("undo.nothing")
    command = dict(zip(("id", "at", "command", "citizen_id", "pruned_at"), row, strict=True))
    if command["command"] in NOT_UNDOABLE:
        raise Refused("undo.not_undoable", id=command["id"], command=command["command"])
    if command["pruned_at"]:  # its earlier values are gone: undoing it would write blanks
        raise Refused("undo.pruned", id=command["id"], command=command["command"])
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


def default_prune_day(today: _dt.date) -> _dt.date:
    """The day before which the journal keeps no earlier values by default (``JOURNAL_KEEP_MONTHS``)."""
    from fleksrun.domain.dates import add_months

    return add_months(today, -JOURNAL_KEEP_MONTHS)


def _older(before: _dt.date) -> tuple[str, list[Any]]:
    """The WHERE of the commands made before the day (UTC) whose journal still holds personal values."""
    tables = json.dumps(sorted(PERSONAL_DATA))
    return ("c.at < ? AND c.pruned_at IS NULL AND EXISTS (SELECT 1 FROM journal j WHERE j.command_id = c.id"
            " AND j.table_name IN (SELECT value FROM json_each(?)))", [before.isoformat(), tables])


def prunable(db: Database, before: _dt.date) -> int:
    """How many commands made before the day still keep personal values in the journal."""
    where, binds = _older(before)
    return int(db.execute(f"SELECT COUNT(*) FROM commands c WHERE {where}", binds).fetchone()[0])


def _without_personal(image: str | None, columns: dict[str, Any]) -> str | None:
    if image is None:
        return None
    values = json.loads(image)
    return json.dumps({k: (None if k in columns else v) for k, v in values.items()}, ensure_ascii=False)


def prune(db: Database, before: _dt.date, *, reader_wait_s: float | None = None) -> dict[str, Any]:
    """Remove the personal values (PERSONAL_DATA's columns: names, CPR numbers, notes, skånehensyn …)
    from the journal rows of every command made before ``before``: what a change replaced or cleared
    is then gone, while what was changed, when and by which command stays for `history`. Such a
    command can no longer be undone. Not journalled itself (it changes only the journal); each
    pruned command says when. The old bytes then leave the file as after `forget`."""
    where, binds = _older(before)
    with transaction(db, "journal prune"):
        ids = [r[0] for r in db.execute(f"SELECT c.id FROM commands c WHERE {where} ORDER BY c.id", binds)]
        rows = db.execute(
            "SELECT id, table_name, before, after FROM journal WHERE command_id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)]).fetchall()
        changed = 0
        for journal_id, table, old, new in rows:
            columns = PERSONAL_DATA.get(table)
            if not columns:
                continue
            db.execute("UPDATE journal SET before = ?, after = ? WHERE id = ?",
                       [_without_personal(old, columns), _without_personal(new, columns), journal_id])
            changed += 1
        db.execute("UPDATE commands SET pruned_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                   [record_stamp(), json.dumps(ids)])
        if ids:
            db.execute("INSERT OR IGNORE INTO unfinished_erasure (id, since) VALUES (1, ?)", [record_stamp()])
    unfinished = clean_file(db, READER_WAIT_S if reader_wait_s is None else reader_wait_s) if ids else None
    return {"before": before, "commands": len(ids), "rows": changed, "file_clean": unfinished is None,
            "unfinished": unfinished}
