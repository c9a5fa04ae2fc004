"""Keeping the file safe: `backup` (a consistent private copy) and `doctor` (checks, said in words)."""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from pathlib import Path
from typing import Any

from fleksrun.errors import InputError, StoreError
from fleksrun.i18n import t
from fleksrun.store.connection import Database, connect, copy_target
from fleksrun.store.db import applied_migrations
from fleksrun.store.versions import MIGRATIONS

PRIVATE = 0o600


def default_backup_path(db_path: Path, stamp: str) -> Path:
    """Beside the database: ``fleksrun-backup-20260330-141500.db``."""
    return db_path.with_name(f"{db_path.stem}-backup-{stamp}{db_path.suffix or '.db'}")


def backup(db: Database, target: Path) -> dict[str, Any]:
    """Copy the database with SQLite's backup API: one consistent snapshot even while others write.

    The copy is written to a private temporary file beside ``target``, checked (integrity, and each
    table's rows counted against the snapshot it was copied from), flushed to the disk and only then
    renamed to ``target``: a backup cut short (kill -9, power) leaves no file under the backup's name,
    only the temporary file, which the next backup to that name removes. The copy is one
    self-contained file (not WAL), readable by the user only; its path is remembered for `forget`.
    """
    from fleksrun.services.written import remember

    if os.path.lexists(target):
        raise InputError("backup.exists", path=str(target))
    _remove_dead_partials(target)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE)
    except OSError as exc:  # the place, not the database: an input error, said without the OS's English
        raise InputError("backup.cannot_write", path=str(target)) from exc
    os.close(fd)
    try:
        remember(db, target, "backup")  # before a byte of data is copied: a copy cut short is found too
        counts = _copy(db, partial)
        if not _sound_copy(partial, counts):
            raise StoreError("backup.damaged", path=str(target))
        flush(partial)
        os.replace(partial, target)
        flush(target.parent)
    except sqlite3.OperationalError as exc:
        from fleksrun.store.db import translate_operational

        raise translate_operational(exc, target) from exc
    finally:
        partial.unlink(missing_ok=True)  # gone already once renamed
    return {"path": str(target), "bytes": target.stat().st_size}


def _copy(db: Database, partial: Path) -> dict[str, int]:
    """Copy into ``partial`` and count each table's rows, both in one read snapshot of the source."""
    dest = copy_target(db.conn, partial)  # encrypted like the database
    try:
        db.execute("BEGIN")  # a read transaction: the counts and the copy see the same state
        try:
            counts = {table: db.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0]
                      for table in db.table_names()}
            # One step (pages=-1): the copy is taken under that snapshot, so a writer in another
            # window neither blocks it nor makes it inconsistent (WAL readers see a fixed state).
            db.conn.backup(dest, pages=-1)
        finally:
            db.rollback()
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    return counts


def _sound_copy(path: Path, counts: dict[str, int]) -> bool:
    """Whether the copy passes SQLite's integrity check and holds as many rows as the source did."""
    conn = connect(path, uri=f"file:{path}?mode=ro")
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return False
        copied = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return copied == set(counts) and all(
            conn.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0] == n for table, n in counts.items())
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def flush(path: Path) -> None:
    """Make a file's bytes (or a folder's entries, on POSIX) durable before going on."""
    folder = path.is_dir()
    if folder and os.name != "posix":
        return  # Windows cannot open a folder to flush it
    fd = os.open(path, os.O_RDONLY if folder else os.O_RDWR)  # Windows flushes only what it may write
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_dead_partials(target: Path) -> None:
    """Remove temporary files of earlier backups to ``target`` whose process is gone (killed half-way):
    they hold personal data under a name nobody looks for."""
    from fleksrun.services.written import partial_copies

    for partial in partial_copies(target):
        pid = partial.name[len(target.name) + 2:-len(".partial")]
        if pid.isdigit() and not _running(int(pid)):
            partial.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if os.name != "posix":  # no safe way to ask on Windows without opening the process: keep the file
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _check(check: str, ok: bool, detail: str) -> dict[str, Any]:
    return {"check": check, "ok": ok, "detail": detail}


def _private_files(db_path: Path) -> dict[str, Any]:
    if os.name != "posix":
        return _check("permissions", True, t("doctor.permissions_skipped"))
    loose = []
    for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        if path.exists() and path.stat().st_mode & 0o077:
            loose.append(f"{path.name} ({oct(path.stat().st_mode & 0o777)[2:]})")
    if loose:
        return _check("permissions", False, t("doctor.permissions_loose", files=", ".join(loose), path=str(db_path)))
    return _check("permissions", True, t("doctor.permissions_ok"))


def doctor(db_path: Path, today: _dt.date) -> dict[str, Any]:
    """Check the file: integrity, foreign keys, migrations, WAL, permissions; each result in words.
    Also said: the file's days off, and how much of the journal is older than it keeps by default."""
    from fleksrun.store.db import open_db

    result: dict[str, Any] = {"path": str(db_path), "checks": []}
    checks = result["checks"]
    if not db_path.exists():
        checks.append(_check("file", True, t("doctor.no_file", path=str(db_path))))
        result["ok"], result["exists"] = True, False  # nothing wrong, and nothing to call healthy
        return result
    try:
        db = open_db(db_path, migrate=False, start_new=False)
    except StoreError as exc:
        checks.append(_check("file", False, exc.message()))
        result["ok"] = False
        return result
    runs = [("integrity", lambda: _integrity(db)), ("foreign_keys", lambda: _foreign_keys(db)),
            ("migrations", lambda: _migrations(db)), ("wal", lambda: _wal(db, db_path)),
            ("permissions", lambda: _private_files(db_path)), ("summaries", lambda: _summaries(db)),
            ("days_off", lambda: _days_off(db)), ("journal", lambda: _journal_retention(db, today))]
    try:
        for check, run in runs:
            try:
                checks.append(run())
            except sqlite3.DatabaseError:  # a damaged page can stop a check half-way: that is its finding
                checks.append(_check(check, False, t("doctor.could_not_check", check=t(f"doctor.name.{check}"))))
    finally:
        db.close()
    result["ok"] = all(c["ok"] for c in checks)
    return result


def _integrity(db: Database) -> dict[str, Any]:
    # SQLite returns several findings per row at times, after a "*** in database main ***" header.
    problems = [line.strip() for row in db.execute("PRAGMA integrity_check(20)").fetchall()
                for line in str(row[0]).splitlines() if line.strip() and not line.startswith("***")]
    if problems == ["ok"]:
        return _check("integrity", True, t("doctor.integrity_ok"))
    return _check("integrity", False, t("doctor.integrity_bad", count=len(problems), first=problems[0]))


def _foreign_keys(db: Database) -> dict[str, Any]:
    broken = db.execute(
        "SELECT [table], [parent], COUNT(*) FROM pragma_foreign_key_check GROUP BY 1, 2 ORDER BY 1, 2").fetchall()
    if not broken:
        return _check("foreign_keys", True, t("doctor.foreign_keys_ok"))
    text = "; ".join(t("doctor.foreign_key_broken", count=n, table=child, parent=parent) for child, parent, n in broken)
    return _check("foreign_keys", False, text)


def _migrations(db: Database) -> dict[str, Any]:
    known = list(MIGRATIONS)
    applied = set(applied_migrations(db))
    unknown = sorted(applied - set(known))
    if unknown:
        return _check("migrations", False, t("store.newer", path=db.conn.execute("PRAGMA database_list").fetchone()[2]))
    pending = [name for name in known if name not in applied]
    if pending:
        return _check("migrations", False, t("doctor.migrations_pending", count=len(pending), names=", ".join(pending)))
    return _check("migrations", True, t("doctor.migrations_ok", count=len(known), last=known[-1]))


def _days_off(db: Database) -> dict[str, Any]:
    """The file's setting of customary days off (`config days-off`): said, never a problem."""
    from fleksrun.services.settings import day_names, days_off

    names = ", ".join(day_names(days_off(db))) or t("settings.none")
    return _check("days_off", True, t("doctor.days_off", names=names))


def _journal_retention(db: Database, today: _dt.date) -> dict[str, Any]:
    """Changes older than the journal keeps by default that still hold earlier values: said, with the
    command that removes them, never a problem (the consultant decides; see `journal prune`)."""
    from fleksrun.services.journal import JOURNAL_KEEP_MONTHS, default_prune_day, prunable

    if "pruned_at" not in {c.name for c in db.columns("commands")}:  # a file from before m011, not migrated
        return _check("journal", True, t("doctor.journal_unknown"))
    day = default_prune_day(today)
    count = prunable(db, day)
    key = "doctor.journal_old" if count else "doctor.journal_ok"
    return _check("journal", True, t(key, count=count, months=JOURNAL_KEEP_MONTHS, day=day))


def _summaries(db: Database) -> dict[str, Any]:
    """The agenda's summaries: current, or why some citizens' cannot be made (the agenda then works
    theirs out on each read, which is slower at scale)."""
    from fleksrun.services.agenda import summaries

    if not applied_migrations(db) or summaries.is_fresh(db):
        return _check("summaries", True, t("doctor.summaries_ok"))
    if db.read_only:
        return _check("summaries", True, t("doctor.summaries_read_only", count=summaries.stale_count(db)))
    reason = summaries.problem(db)
    if reason is None:
        return _check("summaries", True, t("doctor.summaries_stale", count=summaries.stale_count(db)))
    return _check("summaries", False, t("doctor.summaries_failed", count=summaries.stale_count(db), reason=reason))


def _wal(db: Database, db_path: Path) -> dict[str, Any]:
    if db.read_only:  # opened so only when nothing waits in the log
        return _check("wal", True, t("doctor.wal_read_only"))
    mode = db.execute("PRAGMA journal_mode").fetchone()[0].lower()
    if mode != "wal":
        return _check("wal", False, t("doctor.wal_off", mode=mode))
    wal = Path(f"{db_path}-wal")
    size = wal.stat().st_size if wal.exists() else 0
    return _check("wal", True, t("doctor.wal_ok", kib=round(size / 1024)))
