"""Forgetting a citizen: erase her personal data everywhere, the journal included.

What stays are the anonymous facts reports need (programme, dates, hours, outcome, group); what goes
is listed in ONE place, ``PERSONAL_DATA``: a capability that adds a column with personal text adds it
there. Which rows belong to the citizen is found from the schema's foreign keys (any table that
points, directly or through others, at ``citizens``) and from the journal (rows since deleted).
"""

from __future__ import annotations

import json
from typing import Any

from fleksrun.errors import Refused
from fleksrun.services.lookup import find_citizen
from fleksrun.services.written import surviving_copies
from fleksrun.store.connection import Database
from fleksrun.store.tx import record_stamp, transaction

FORGET_COMMAND = "forget"


def erased_name(citizen_id: int) -> str:
    return f"erased #{citizen_id}"


# table -> columns that hold personal data, and what they become ("name" keeps a placeholder
# because it is NOT NULL and lists still need a label).
PERSONAL_DATA: dict[str, dict[str, Any]] = {
    "citizens": {"name": erased_name, "cpr": None, "case_ref": None, "phone": None, "email": None,
                 "accommodations": None, "job_goal": None, "notes": None},
    "phases": {"reason": None},
    "placements": {"contact": None, "tasks": None, "goals": None, "extension_reason": None},
    "days": {"note": None, "reason": None},
    "followups": {"note": None},
}

# Text columns of the citizen's rows that are NOT personal: facts reports need, codes, dates. A test
# checks that every text column is in one of the two lists, so a new column gets a decision.
ANONYMOUS_TEXT: dict[str, set[str]] = {
    "citizens": {"citizen_group", "created_at", "erased_at"},
    "enrollments": {"program_id", "start", "end", "status", "outcome"},
    "phases": {"phase", "entered", "left", "how"},
    "checklist": {"phase", "item", "done_on"},
    "placements": {"kind", "start", "end", "weekdays", "holiday_policy", "created_at"},
    "days": {"date", "status", "holiday"},
    "hours": {"month", "kind", "source", "recorded_on"},
    "followups": {"date", "kind", "with_whom", "next_due", "next_due_rule"},
}

# Tables that are bookkeeping, not data about anyone.
_NOT_DATA = {"commands", "journal", "_sqlite_migrations"}



def _references(db: Database) -> list[tuple[str, str, str]]:
    """(child table, column, parent table) for every foreign key in the live schema."""
    edges = []
    for table in db.table_names():
        if table in _NOT_DATA or table.startswith("sqlite_"):
            continue
        for fk in db.execute("SELECT [table], [from] FROM pragma_foreign_key_list(?)", [table]).fetchall():
            edges.append((table, fk[1], fk[0]))
    return edges


def rows_of_citizen(db: Database, citizen_id: int) -> dict[str, set[int]]:
    """Every row id, per table, that belongs to the citizen — now, or once according to the journal."""
    found: dict[str, set[int]] = {"citizens": {citizen_id}}
    edges = _references(db)
    changed = True
    while changed:  # follow foreign keys outwards until nothing new turns up (enrollments → placements → days)
        changed = False
        for child, column, parent in edges:
            parents = found.get(parent)
            if not parents:
                continue
            ids = json.dumps(sorted(parents))
            live = db.execute(
                f"SELECT id FROM [{child}] WHERE [{column}] IN (SELECT value FROM json_each(?))", [ids])
            journalled = db.execute(
                "SELECT row_id FROM journal WHERE table_name = ? AND ("
                " json_extract(before, ?) IN (SELECT value FROM json_each(?))"
                " OR json_extract(after, ?) IN (SELECT value FROM json_each(?)))",
                [child, f'$."{column}"', ids, f'$."{column}"', ids])
            new = {r[0] for r in live} | {r[0] for r in journalled}
            if not new <= found.get(child, set()):
                found.setdefault(child, set()).update(new)
                changed = True
    return found


def _erased_values(table: str, citizen_id: int, columns: set[str]) -> dict[str, Any]:
    spec = PERSONAL_DATA.get(table, {})
    return {c: (v(citizen_id) if callable(v) else v) for c, v in spec.items() if c in columns}


def _scrub(values: dict[str, Any] | None, erased: dict[str, Any]) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: erased.get(k, v) for k, v in values.items()}


def forget_preview(db: Database, citizen_ref: str) -> dict[str, Any]:
    """Who would be forgotten (for the confirmation question); refuses while she is still active."""
    citizen = find_citizen(db, citizen_ref)
    active = db.execute("SELECT program_id FROM enrollments WHERE citizen_id = ? AND status = 'active' LIMIT 1",
                        [citizen["id"]]).fetchone()
    if active:
        raise Refused("forget.active", citizen=citizen["name"], id=citizen["id"], program=active[0])
    return {"citizen_id": citizen["id"], "name": citizen["name"]}


def forget(db: Database, citizen_ref: str) -> dict[str, Any]:
    """Erase one citizen's personal data from every table and from the journal; then clean the file.

    The erasure is journalled as a ``forget`` command without the erased values, and it cannot be
    undone. Afterwards the file is vacuumed and the WAL checkpointed and truncated, so no freed page
    still holds the old bytes (``secure_delete`` is on as well).
    """
    preview = forget_preview(db, citizen_ref)
    citizen_id = preview["citizen_id"]
    rows = rows_of_citizen(db, citizen_id)
    erased_at = record_stamp()
    touched = 0
    with transaction(db, FORGET_COMMAND) as tx:
        tx.about(citizen_id)
        for table, ids in rows.items():
            columns = {c.name for c in db.columns(table)}
            erased = _erased_values(table, citizen_id, columns)
            if table == "citizens":
                erased["erased_at"] = erased_at
            if not erased:
                continue
            for row_id in sorted(ids):
                if tx.update(table, row_id, erased):
                    touched += 1
        # The journal, the forget command's own rows included, keeps no erased value either.
        for table, ids in rows.items():
            erased = _erased_values(table, citizen_id, set(PERSONAL_DATA.get(table, {})))
            if not erased:
                continue
            journal = db.execute(
                "SELECT id, before, after FROM journal"
                " WHERE table_name = ? AND row_id IN (SELECT value FROM json_each(?))",
                [table, json.dumps(sorted(ids))]).fetchall()
            for journal_id, before, after in journal:
                db.execute("UPDATE journal SET before = ?, after = ? WHERE id = ?", [
                    _dumps(_scrub(_loads(before), erased)), _dumps(_scrub(_loads(after), erased)), journal_id])
    checkpoint = clean_file(db)
    # Copies outside the file are not erased here (they are the user's files): they are named.
    return {"citizen_id": citizen_id, "rows": touched, "erased_at": erased_at, "file_clean": checkpoint,
            "copies": surviving_copies(db)}


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def clean_file(db: Database) -> bool:
    """VACUUM and truncate the WAL, so erased bytes leave the file; False if another window kept the WAL."""
    with db.ensure_autocommit_on():
        db.execute("VACUUM")
        busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    return busy == 0
