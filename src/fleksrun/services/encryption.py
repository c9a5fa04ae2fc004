"""Encryption at rest (the optional extra fleksrun[encrypted]): `encrypt` and `decrypt` the database file.

Either way the whole file is converted at once, never page by page in place: SQLCipher's
``sqlcipher_export`` writes the data into a new private file beside the database, the new file is
checked (integrity, every table's rows counted, the header it should have), and only then renamed over
the database. A conversion cut short leaves the database as it was.

The old plain file must not stay on the disk as a readable copy. Before the conversion the file leaves
WAL mode, which copies everything from the -wal file into the file and removes the -wal and -shm files,
and takes the lock no other connection can share: a window still reading is told to close first. After
the rename, the old plain bytes, still reachable through a second name (a hard link) made before it,
are overwritten with zeros and flushed before that name is removed. A drive without hard links (FAT
sticks) cannot do that; the result says so. Backups and exports are separate files: encrypting the
database does not touch them, and the result lists those still there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fleksrun.errors import InputError, Refused, StoreError
from fleksrun.store.connection import PLAIN_HEADER, cipher, keyed, keyspec, looks_encrypted, new_salt, standard

MIN_PASSPHRASE = 8
LOCK_WAIT_S = 2.0  # a window that keeps the file open is told so soon, not after the usual 10 s


def encrypt(path: Path, passphrase: str) -> dict[str, Any]:
    """Turn the plain database at ``path`` into one encrypted with ``passphrase``."""
    dbapi2 = cipher()
    if len(passphrase) < MIN_PASSPHRASE:
        raise InputError("encryption.too_short", min=MIN_PASSPHRASE)
    _require_file(path)
    if looks_encrypted(path):
        raise Refused("encryption.already", path=str(path))
    copies = _up_to_date(path)
    wiped = _convert(path, dbapi2.connect, source_key=None, target_key=keyspec(passphrase, new_salt()))
    return {"path": str(path), "encrypted": True, "old_file_wiped": wiped, "plain_copies": copies}


def decrypt(path: Path, passphrase: str) -> dict[str, Any]:
    """Turn the encrypted database at ``path`` back into a plain one."""
    dbapi2 = cipher()
    _require_file(path)
    if not looks_encrypted(path):
        raise Refused("encryption.not_encrypted", path=str(path))
    _up_to_date(path)  # a wrong passphrase is refused here, before anything is written
    with open(path, "rb") as raw:
        key = keyspec(passphrase, raw.read(16))
    _convert(path, dbapi2.connect, source_key=key, target_key="")
    return {"path": str(path), "encrypted": False}


def _require_file(path: Path) -> None:
    if not path.is_file() or path.stat().st_size == 0:
        raise InputError("encryption.no_file", path=str(path))


def _up_to_date(path: Path) -> list[str]:
    """Open the file as every command does: a file that is no fleksrun database, or that the passphrase
    does not open, is refused, and one from an older fleksrun is migrated before it is converted.
    The copies of it fleksrun wrote that are not encrypted and still there: backups and exports
    (remembered for `forget`) and the copies kept before migrations."""
    from fleksrun.services import open_database
    from fleksrun.services.written import surviving_copies
    from fleksrun.store.db import migration_copies

    with open_database(path, start_new=False) as db:
        remembered = [(Path(c["path"]), c["kind"]) for c in surviving_copies(db)]
    copies = remembered + [(p, "backup") for p in migration_copies(path)]
    return [str(p) for p, kind in copies if kind != "backup" or not looks_encrypted(p)]


def _convert(path: Path, connect: Any, *, source_key: str | None, target_key: str) -> bool:
    """Export the database at ``path`` into a new file with ``target_key`` ("" for plain), check it and
    put it in place; the old file's bytes are wiped when they were plain. Whether they were wiped."""
    partial = path.with_name(f".{path.name}.converting")
    side = path.with_name(f".{path.name}.plain")
    raw = connect(str(path), timeout=LOCK_WAIT_S)
    source = keyed(raw, source_key) if source_key else standard(raw)
    try:
        source.isolation_level = None
        _take_alone(source, path)
        _wipe(side)  # left by a conversion cut short: plain bytes under a name nobody looks for
        _remove(partial)
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        counts = _export(source, partial, target_key)
    except BaseException:
        _remove(partial)
        raise
    finally:
        source.close()
    seen = _stamp(path)
    try:
        _check(partial, path, connect, target_key, counts)
        if _stamp(path) != seen:  # another window wrote since the export: that change must not be lost
            raise StoreError("encryption.busy", path=str(path))
        wiped = _swap(partial, path, side, wipe=source_key is None)
    finally:
        _remove(partial)  # gone already once renamed
    return wiped


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _remove(partial: Path) -> None:
    for name in (str(partial), f"{partial}-journal", f"{partial}-wal", f"{partial}-shm"):
        Path(name).unlink(missing_ok=True)


def _take_alone(source: Any, path: Path) -> None:
    """Leave WAL mode (its -wal file merged into the file and removed): SQLite allows that only to the
    one connection to the file, so another window still open is found here."""
    import sqlite3

    try:
        mode = source.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        raise StoreError("encryption.busy", path=str(path)) from exc
    if str(mode).lower() != "delete":
        raise StoreError("encryption.busy", path=str(path))


def _export(source: Any, partial: Path, target_key: str) -> dict[str, int]:
    """Write every table into ``partial`` under the exclusive lock; each table's rows, counted then."""
    source.execute("ATTACH DATABASE ? AS converted KEY ?", [str(partial), target_key])
    try:
        source.execute("BEGIN EXCLUSIVE")
        try:
            counts = _counts(source, "main")
            source.execute("SELECT sqlcipher_export('converted')")
            version = source.execute("PRAGMA main.user_version").fetchone()[0]
            source.execute(f"PRAGMA converted.user_version = {int(version)}")
            source.execute("COMMIT")
        except BaseException:
            source.execute("ROLLBACK")
            raise
    finally:
        source.execute("DETACH DATABASE converted")
    return counts


def _counts(conn: Any, schema: str) -> dict[str, int]:
    tables = [r[0] for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")]
    return {table: conn.execute(f"SELECT COUNT(*) FROM {schema}.[{table}]").fetchone()[0] for table in tables}


def _check(partial: Path, path: Path, connect: Any, target_key: str, counts: dict[str, int]) -> None:
    """The new file opens with its key, passes SQLite's integrity check, holds every table with as many
    rows as the old one, and starts as it should (SQLite's header, or none when encrypted)."""
    import sqlite3

    with open(partial, "rb") as head:
        plain = head.read(len(PLAIN_HEADER)) == PLAIN_HEADER
    raw = connect(str(partial))
    conn = keyed(raw, target_key) if target_key else standard(raw)
    try:
        sound = (plain == (not target_key)
                 and conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                 and _counts(conn, "main") == counts)
        if sound:
            with_wal = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]  # as fleksrun keeps its files
            sound = str(with_wal).lower() == "wal"
    except sqlite3.DatabaseError:  # a copy that cannot be read is not sound
        sound = False
    finally:
        conn.close()
    if not sound:
        raise StoreError("encryption.failed_check", path=str(path))


def _swap(partial: Path, path: Path, side: Path, *, wipe: bool) -> bool:
    """Rename ``partial`` over ``path`` in one step; with ``wipe``, overwrite the old file's bytes first
    kept reachable through ``side``. Whether they were wiped."""
    from fleksrun.services.maintenance import flush

    linked = False
    if wipe:
        try:
            os.link(path, side)
            linked = True
        except OSError:  # no hard links on this drive: the old bytes go with the name, not wiped
            linked = False
    flush(partial)
    os.replace(partial, path)
    flush(path.parent)
    if linked:
        _wipe(side)
    return linked


def _wipe(path: Path) -> None:
    """Overwrite the file's bytes with zeros, flush them to the disk, then remove the file."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with open(path, "r+b") as raw:
        block = b"\0" * 65536
        for _ in range(0, size, len(block)):
            raw.write(block)
        raw.flush()
        os.fsync(raw.fileno())
    path.unlink()

