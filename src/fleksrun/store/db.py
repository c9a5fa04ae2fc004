"""Open the database: create it private, migrate it, refuse one from a newer fleksrun."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from fleksrun.errors import StoreError, StorePathError
from fleksrun.store.connection import Database, connect, copy_target, looks_encrypted
from fleksrun.store.versions import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000


def _create_private(path: Path) -> None:
    """Create an empty file readable by the user only (0600) before SQLite opens it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreError("store.cannot_create", path=str(path), reason=exc.strerror or str(exc)) from exc


def _backup_copy(db: Database, target: Path) -> None:
    """A consistent copy through SQLite's backup API, readable by the user only (and encrypted when
    the database is)."""
    _create_private(target)
    dest = copy_target(db.conn, target)
    try:
        db.conn.backup(dest)
    finally:
        dest.close()


def _connect(path: Path, *, start_new: bool = True) -> Database:
    """Connect with our pragmas, once the file is known to be fleksrun's (or may become it: see
    ``_refuse_other_files``), for switching to WAL writes to the file; WAL set-up is retried, since
    SQLite can answer a brand-new file's journal-mode switch or WAL recovery with "busy" without
    calling the busy handler."""
    for attempt in range(_OPEN_TRIES):
        conn = connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            db = Database(conn)
            db.execute("PRAGMA foreign_keys = ON")
            # secure_delete overwrites freed pages, so erased personal data leaves no bytes behind.
            db.execute("PRAGMA secure_delete = ON")
            _refuse_other_files(db, path, start_new=start_new)
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                with db.ensure_autocommit_on():
                    db.execute("PRAGMA journal_mode = WAL")
            return db
        except StoreError:
            conn.close()
            raise
        except sqlite3.OperationalError as exc:
            conn.close()
            if "locked" not in str(exc).lower() and "busy" not in str(exc).lower() or attempt == _OPEN_TRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


_OPEN_TRIES = 8


def open_db(path: Path, *, migrate: bool = True, migration_set: Any = None, start_new: bool = True) -> Database:
    """Open (creating if needed) and migrate the database at ``path``.

    A file that is there but is no fleksrun database is never made one: one with tables of another
    program is refused, and an empty one (a copy cut short, a file made by hand) is refused unless
    ``start_new`` (a command that adds the first data). A missing file is always made.
    """
    if path.is_dir():
        raise StorePathError("store.is_folder", path=str(path), example=str(path / "fleksrun.db"))
    if path.is_symlink() and not path.exists():
        # A link to a file that is not there, most often on a drive that is not connected: making a
        # new, empty database at its far end would hide that the real one is missing.
        raise StorePathError("store.dangling_link", path=str(path), target=os.readlink(path))
    was_there = path.exists()
    existed = was_there and path.stat().st_size > 0
    _create_private(path)
    try:
        db = _connect(path, start_new=start_new or not was_there)
    except sqlite3.OperationalError as exc:
        error = translate_operational(exc, path)
        # A file (or folder) we may not write: SQLite says read-only, or cannot open the -shm file.
        read_only = error.key == "store.readonly" or error.key == "store.failed" and not _may_write(path)
        if not (existed and read_only):
            raise error from exc
        waiting = _waiting_beside(path)
        if waiting is not None:
            raise StoreError("store.readonly_waiting", path=str(path), beside=str(waiting)) from exc
        return _open_read_only(path, migrate=migrate, migration_set=migration_set, start_new=start_new)
    except sqlite3.DatabaseError as exc:
        raise StoreError("store.unreadable", path=str(path)) from exc
    if not migrate:
        return db
    try:
        applied, pending = _migration_state(db, path, migration_set)
        if pending and existed and applied:
            _backup_copy(db, migration_copy(path, pending[0]))
        if pending:
            _apply_alone(db, migration_set)
    except sqlite3.OperationalError as exc:
        raise translate_operational(exc, path) from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError("store.unreadable", path=str(path)) from exc
    return db


def migration_copy(path: Path, migration: str) -> Path:
    """Where the copy kept before ``migration`` changes the file at ``path`` is written."""
    return path.with_name(f"{path.name}.before-{migration}.bak")


def migration_copies(path: Path) -> list[Path]:
    """The copies kept before migrations of the file at ``path`` that are still there."""
    import glob

    return sorted(path.parent.glob(f"{glob.escape(path.name)}.before-*.bak"))


def _refuse_other_files(db: Database, path: Path, *, start_new: bool) -> None:
    """Refuse a file that is not a fleksrun database: tables of another program always, an empty file
    unless ``start_new``."""
    try:
        if applied_migrations(db):
            return
        tables = db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.OperationalError:  # busy or locked: the caller waits, retries or says so
        raise
    except sqlite3.DatabaseError as exc:  # not SQLite at all, or a file cut short
        raise StoreError("store.unreadable", path=str(path)) from exc
    if tables:
        raise StoreError("store.not_fleksrun", path=str(path))
    if not start_new:
        raise StoreError("store.empty", path=str(path))


def _may_write(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _waiting_beside(path: Path) -> Path | None:
    """The write-ahead log or rollback journal beside ``path`` that holds changes only a writer can
    merge into the file (or undo), if there is one."""
    for suffix in ("-wal", "-journal"):
        beside = Path(f"{path}{suffix}")
        if beside.exists() and beside.stat().st_size > 0:
            return beside
    return None


def _uri(path: Path, query: str) -> str:
    """A file: URI for SQLite; pathlib's as_uri() writes a network share (//server/share) as an
    authority, which SQLite refuses."""
    from urllib.parse import quote

    text = path.absolute().as_posix()
    lead = "//" if text.startswith("//") else "///" if text[1:2] == ":" else ""
    return f"file:{lead}{quote(text, safe='/:')}?{query}"


def _open_read_only(path: Path, *, migrate: bool, migration_set: Any, start_new: bool) -> Database:
    """A file we may not write (a backup on a locked stick, a colleague's copy): every read works,
    and a write says the file is read-only. The caller has made sure no log or journal beside it
    holds changes. A file in WAL mode is opened immutable, for SQLite would need to create its -shm
    file even to read it; such a read takes no locks, which is right for a file no one writes but
    would miss a writer working on it at the same moment. Any other file is opened read-only, with
    SQLite's locks (a backup is such a file)."""
    with path.open("rb") as raw:
        # The header's read version: 2 in WAL mode. An encrypted file's header is encrypted too: it is
        # taken for WAL (fleksrun keeps its files so), and is read with no locks.
        wal_mode = raw.read(20)[18:19] == b"\x02" or looks_encrypted(path)
    try:
        query = "mode=ro&immutable=1" if wal_mode else "mode=ro"
        db = Database(connect(path, uri=_uri(path, query)), read_only=True)
        _refuse_other_files(db, path, start_new=start_new)
        if migrate and _migration_state(db, path, migration_set)[1]:  # an older file: it cannot be updated
            raise StoreError("store.readonly", path=str(path))
        return db
    except sqlite3.DatabaseError as exc:
        raise StoreError("store.unreadable", path=str(path)) from exc


def _migration_state(db: Database, path: Path, migration_set: Any) -> tuple[list[str], list[str]]:
    """The migrations applied to the file and those still to apply; a file migrated by a newer
    fleksrun (one it does not know) is refused."""
    known = [m.name for m in migration_set._migrations] if migration_set is not None else list(MIGRATIONS)
    applied = applied_migrations(db)
    if set(applied) - set(known):
        raise StoreError("store.newer", path=str(path))
    return applied, [name for name in known if name not in applied]


def applied_migrations(db: Database) -> list[str]:
    """Names of fleksrun's migrations already applied to this file, in order."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'").fetchone():
        return []
    return [r[0] for r in db.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'fleksrun' ORDER BY rowid")]


def _apply_alone(db: Database, migration_set: Any = None) -> None:
    """Migrate under the write lock, so two fleksruns opening a new file at once do not both migrate.

    ``BEGIN IMMEDIATE`` waits on the busy timeout; each migration then runs in a savepoint inside it.
    sqlite-utils is imported here only: a database that is up to date never needs it.
    """
    import sqlite_utils

    from fleksrun.store.migrations import migrations as default_set

    migrations = migration_set or default_set
    schema = sqlite_utils.Database(db.conn, execute_plugins=False)
    db.execute("BEGIN IMMEDIATE")
    try:
        if migrations.pending(schema):  # another process may have migrated while this one waited
            migrations.apply(schema)
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


def translate_operational(exc: sqlite3.OperationalError, path: Path | str) -> StoreError:
    """Turn SQLite's operational errors into one sentence the user can act on."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError("store.locked", path=str(path))
    if "readonly" in text or "read-only" in text:
        return StoreError("store.readonly", path=str(path))
    if "disk is full" in text or "full" in text:
        return StoreError("store.full", path=str(path))
    return StoreError("store.failed", path=str(path))
