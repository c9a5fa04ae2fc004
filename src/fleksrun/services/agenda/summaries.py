"""The agenda's summaries (``ready_state``, ``followup_state``, ``placement_state``): derived rows that
hold for any "today", remade for the citizens a change has marked, before the change commits.

Triggers mark a citizen in ``agenda_stale`` whenever a row the summaries are made from changes (see
``store.migrations.m005_agenda_state``), so no writer can forget to: a command, ``undo`` and
``forget`` alike. Every transaction of a database opened by :func:`fleksrun.services.open_database`
remakes the marked citizens' rows before it commits.

Each row holds whatever day it is: the spans of days on which a stay's phase is ready (worked out
by the rule engine, ``domain.rules.ready_spans``), the day a follow-up is due, the day a placement
ends or reaches its legal limit.

A read never writes them. Where they are not fresh (a refresh failed, or they were made by another
:data:`VERSION`), the agenda works the stale citizens' rows out into temporary tables of the same
names, which SQLite reads in place of the stored ones for that connection (``shadow``).
"""

from __future__ import annotations

import sqlite3

from fleksrun.services import as_of
from fleksrun.services.agenda.sql import SUMMARY_TABLES as TABLES
from fleksrun.store.connection import Database
from fleksrun.store.db import BUSY_TIMEOUT_MS

# What the summaries hold and how they are worked out: bump it by hand with any change to either,
# so that files made before are remade. tests/test_agenda_summaries.py pins the summaries of a fixed
# caseload, and fails to remind you.
VERSION = 3



def version(db: Database) -> int | None:
    """The version that made the stored summaries (None: none yet)."""
    row = db.execute("SELECT version FROM main.agenda_version").fetchone()
    return None if row is None else row[0]


def stale_count(db: Database) -> int:
    """How many citizens' summaries wait to be remade."""
    return db.execute("SELECT COUNT(*) FROM main.agenda_stale").fetchone()[0]


def is_fresh(db: Database) -> bool:
    """Whether the stored summaries hold for every citizen (no one marked, made by this version)."""
    row = db.execute("SELECT (SELECT version FROM main.agenda_version), "
                     "EXISTS (SELECT 1 FROM main.agenda_stale)").fetchone()
    return row[0] == VERSION and not row[1]


def refresh(db: Database) -> None:
    """Remake the marked citizens' rows (everyone's, when made by another version), inside the
    caller's transaction."""
    _drop_shadow(db)  # the stored tables, not a read's temporary stand-ins, are to be remade
    if version(db) != VERSION:
        db.execute("INSERT OR IGNORE INTO agenda_stale (citizen_id) SELECT id FROM citizens")
        db.execute("DELETE FROM agenda_version")
        db.execute("INSERT INTO agenda_version (version) VALUES (?)", [VERSION])
    _remake(db)


def refresh_before_commit(db: Database) -> None:
    """``refresh`` as a transaction's last step, in a savepoint: should a summary fail to be made (a
    stored programme this version cannot read), the change still commits with its citizens marked,
    the agenda works their rows out when it reads, and ``doctor`` tells. A summary never stops a
    consultant's change."""
    db.execute("SAVEPOINT agenda_summaries")
    try:
        refresh(db)
    except sqlite3.OperationalError:  # the disk or the lock: the transaction's own problem, said as such
        db.execute("ROLLBACK TO agenda_summaries")
        db.execute("RELEASE agenda_summaries")
        raise
    except Exception:  # noqa: BLE001 - reported by doctor (problem()), never in the way of the change
        db.execute("ROLLBACK TO agenda_summaries")
    db.execute("RELEASE agenda_summaries")


def problem(db: Database) -> str | None:
    """Why the summaries of the marked citizens cannot be made (for ``doctor``), tried as a read
    tries them, in temporary tables (no write lock, no wait), in a savepoint that is rolled back;
    None when they can, or when no one is marked."""
    if is_fresh(db):
        return None
    db.execute("SAVEPOINT agenda_try")
    try:
        prepare_read(db)
    except Exception as exc:  # noqa: BLE001 - the answer is the exception itself
        return f"{type(exc).__name__}: {exc}"
    finally:
        db.execute("ROLLBACK TO agenda_try")
        db.execute("RELEASE agenda_try")
    return None


def upgrade(db: Database) -> None:
    """Remake every summary once after an upgrade of fleksrun (another version made them), as a
    migration would, if the write lock is free at once; otherwise reads work them out until a
    change or a later run remakes them."""
    if db.read_only or db.conn.in_transaction or version(db) == VERSION:
        return
    db.execute("PRAGMA busy_timeout = 0")
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:  # another window writes: not now
        return
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        refresh(db)
        db.execute("COMMIT")
    except Exception:  # noqa: BLE001 - the summaries stay as they were; reads work them out, doctor tells
        db.rollback()


def prepare_read(db: Database, *, rebuild: bool = False) -> None:
    """Make the summaries this connection reads hold for everyone, without writing the file: when
    some are stale, the stale citizens' rows are worked out into temporary tables that stand in for
    the stored ones (SQLite resolves a name to ``temp`` first). ``rebuild`` works out everyone's, as
    a new version would (what the stored ones are tested against)."""
    _drop_shadow(db)  # made by an earlier read on this connection: the file may have changed since
    # Read as of an earlier day (services.as_of), every summary differs from the stored ones.
    rebuild = rebuild or as_of.is_active(db)
    if is_fresh(db) and not rebuild:
        return
    everyone = rebuild or version(db) != VERSION
    outside = not db.conn.in_transaction
    keep = "0" if everyone else "citizen_id NOT IN (SELECT citizen_id FROM main.agenda_stale)"
    for table in TABLES:  # names from this module, never from input
        (create,) = db.execute("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?",
                               [table]).fetchone()
        db.execute(create.replace("CREATE TABLE ", "CREATE TEMP TABLE ", 1))
        db.execute(f"INSERT INTO temp.{table} SELECT * FROM main.{table} WHERE {keep}")
        for (index,) in db.execute("SELECT sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                   "AND sql IS NOT NULL", [table]).fetchall():
            db.execute(index.replace("CREATE INDEX ", "CREATE INDEX temp.", 1))
    source = "main.citizens" if everyone else "main.agenda_stale"
    column = "id" if everyone else "citizen_id"
    db.execute(f"CREATE TEMP TABLE agenda_stale AS SELECT {column} AS citizen_id FROM {source}")
    _remake(db)
    if outside and db.conn.in_transaction:  # it wrote temporary tables only: nothing of the file
        db.conn.commit()


def _drop_shadow(db: Database) -> None:
    """Drop the temporary stand-ins a read made, so the names mean the stored tables again."""
    for table in (*TABLES, "agenda_stale"):  # names from this module, never from input
        db.execute(f"DROP TABLE IF EXISTS temp.{table}")


def _remake(db: Database) -> None:
    """Remake the rows of the citizens in ``agenda_stale`` (the stored one or a shadow) and clear it;
    the work itself (and the rule engine it needs) is loaded only when something is stale."""
    if not db.execute("SELECT EXISTS (SELECT 1 FROM agenda_stale)").fetchone()[0]:
        return
    from fleksrun.services.agenda.remake import remake

    remake(db)
