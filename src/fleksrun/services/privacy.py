"""Forgetting a citizen: erase her personal data everywhere, the journal included.

What stays are the anonymous facts reports need (programme, dates, hours, outcome, group); what goes
is listed in ONE place, ``PERSONAL_DATA``: a capability that adds a column with personal text adds it
there. Which rows belong to the citizen is found from the schema's foreign keys (any table that
points, directly or through others, at ``citizens``) and from the journal (rows since deleted).
"""

from __future__ import annotations

import json
import sqlite3
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
    # What she wishes and needs (`wish`), and her sub-goals (`goal`): personal, all of it.
    "citizen_wishes": {"companies": None, "tasks": None, "needs": None, "agreed_wording": None},
    "goals": {"text": "", "note": None},
}

# Text columns of the citizen's rows that are NOT personal: facts reports need, codes, dates. A test
# checks that every text column is in one of the two lists, so a new column gets a decision.
ANONYMOUS_TEXT: dict[str, set[str]] = {
    "citizens": {"citizen_group", "created_at", "erased_at"},
    "enrollments": {"program_id", "start", "end", "status", "outcome"},
    "phases": {"phase", "entered", "left", "how"},
    "checklist": {"phase", "item", "done_on"},
    "placements": {"kind", "start", "end", "weekdays", "holiday_policy", "created_at", "start_time"},
    "days": {"date", "status", "holiday"},
    "hours": {"month", "kind", "source", "recorded_on"},
    "followups": {"date", "kind", "with_whom", "next_due", "next_due_rule"},
    "citizen_wishes": {"weekdays"},
    "goals": {"review_on", "status", "set_on"},
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


def forget(db: Database, citizen_ref: str, *, reader_wait_s: float | None = None) -> dict[str, Any]:
    """Erase one citizen's personal data from every table and from the journal; then clean the file.

    She and her rows are found under the write lock, so a change another window made a moment ago
    is erased too, and a change waiting behind this one is refused by the store (migration m011).
    The erasure is journalled as a ``forget`` command without the erased values, and it cannot be
    undone. Then the file is cleaned (``clean_file``); what could not be cleaned yet is said in
    ``unfinished``, and the next command finishes it.
    """
    erased_at = record_stamp()
    touched = 0
    with transaction(db, FORGET_COMMAND) as tx:
        citizen_id = forget_preview(db, citizen_ref)["citizen_id"]
        tx.about(citizen_id)
        rows = rows_of_citizen(db, citizen_id)
        # Her own row last: once it says she is forgotten, the store refuses any write under her.
        for table in sorted(rows, key=lambda name: name == "citizens"):
            columns = {c.name for c in db.columns(table)}
            erased = _erased_values(table, citizen_id, columns)
            if table == "citizens":
                erased["erased_at"] = erased_at
            if not erased:
                continue
            for row_id in sorted(rows[table]):
                if tx.update(table, row_id, erased):
                    touched += 1
        scrub_journal(db, rows, citizen_id)  # the forget command's own rows included
        # The calendar's bookkeeping holds no name, but digests of events that showed her first name.
        from fleksrun.services.calendar_export import forget_sent  # only forget needs it (every open imports this)

        forget_sent(db, rows.get("days", set()), rows.get("enrollments", set()))
        db.execute("INSERT OR IGNORE INTO unfinished_erasure (id, since) VALUES (1, ?)", [erased_at])
    unfinished = clean_file(db, READER_WAIT_S if reader_wait_s is None else reader_wait_s)
    # Copies outside the file are not erased here (they are the user's files): they are named.
    return {"citizen_id": citizen_id, "rows": touched, "erased_at": erased_at, "file_clean": unfinished is None,
            "unfinished": unfinished, "copies": surviving_copies(db)}


def scrub_journal(db: Database, rows: dict[str, set[int]], citizen_id: int) -> None:
    """Replace the personal values in every journal row about ``rows`` (a citizen's, see
    ``rows_of_citizen``), as `forget` does; inside the caller's transaction."""
    for table, ids in rows.items():
        erased = _erased_values(table, citizen_id, set(PERSONAL_DATA.get(table, {})))
        if not erased:
            continue
        journal = db.execute(
            "SELECT id, before, after FROM journal WHERE table_name = ? AND row_id IN (SELECT value FROM json_each(?))",
            [table, json.dumps(sorted(ids))]).fetchall()
        for journal_id, before, after in journal:
            db.execute("UPDATE journal SET before = ?, after = ? WHERE id = ?", [
                _dumps(_scrub(_loads(before), erased)), _dumps(_scrub(_loads(after), erased)), journal_id])


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def scrub_undone_creations(db: Database, removed: list[tuple[str, int]]) -> bool:
    """Undoing a creation leaves nothing personal in the journal: for each row an `undo` removed
    (``(table, id)``, inside its transaction), the personal values of every journal row about it go, as
    with `forget`; for a citizen, those of all her rows. Her id is never given again (m011), so
    nothing else could be reached through it. True if anything personal was among them."""
    personal = False
    for table, row_id in removed:
        if table == "citizens":
            scrub_journal(db, rows_of_citizen(db, row_id), row_id)
        elif table in PERSONAL_DATA:
            scrub_journal(db, {table: {row_id}}, row_id)
        else:
            continue
        personal = True
    if personal:
        db.execute("INSERT OR IGNORE INTO unfinished_erasure (id, since) VALUES (1, ?)", [record_stamp()])
    return personal


# How long `forget` waits for another window's read to end before it says the old bytes remain.
READER_WAIT_S = 10.0


def clean_file(db: Database, wait_s: float) -> str | None:
    """Wipe erased bytes from the files: VACUUM (no free page keeps old text; ``secure_delete`` has
    zeroed them already) and a checkpoint that merges and truncates the WAL, which holds the pages as
    they were before. A reader in another window keeps the WAL until it ends: that is waited for up
    to ``wait_s`` seconds. None when done (the ``unfinished_erasure`` mark is then removed), else
    why not: ``reader`` (another window still reads), ``full`` (the disk is full) or ``failed``.
    """
    if db.read_only:
        return "failed"
    old_wait = db.execute("PRAGMA busy_timeout").fetchone()[0]
    db.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
    try:
        with db.ensure_autocommit_on():
            try:
                db.execute("VACUUM")
            except sqlite3.OperationalError as exc:
                # VACUUM needs room for a copy of the file; without it the freed pages are still zeroed
                # (secure_delete), so the checkpoint below is what matters.
                if _why(exc) != "full":
                    return _why(exc)
            if db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]:
                return "reader"
            db.execute("DELETE FROM unfinished_erasure")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the mark's removal leaves the WAL too
    except sqlite3.OperationalError as exc:
        return _why(exc)
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(old_wait)}")
    return None


def _why(exc: sqlite3.OperationalError) -> str:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "reader"
    return "full" if "full" in text else "failed"


def erasure_unfinished(db: Database) -> str | None:
    """When a committed `forget` has not yet wiped the old bytes from the file (UTC), else None."""
    try:
        row = db.execute("SELECT since FROM unfinished_erasure").fetchone()
    except sqlite3.OperationalError:  # a file from before m011, opened without migrating (doctor)
        return None
    return None if row is None else row[0]


def finish_erasure(db: Database) -> None:
    """Finish an erasure a `forget` could not (another window read, the disk was full, it was killed).

    Every command tries it on opening the file, without waiting: when the file is busy, a later
    command does it.
    """
    if not db.read_only and erasure_unfinished(db) is not None:
        clean_file(db, 0)
