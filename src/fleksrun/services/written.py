"""The files fleksrun writes outside the database (backups, exports): remembered by path, kind and
time, never by content, so that `forget` can say which copies may still hold a forgotten person.

A path is remembered before the first byte of its file is written, so even a copy cut short (its
temporary file beside the target, ``.NAME.*.partial``) is found again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fleksrun.store.connection import Database
from fleksrun.store.tx import record_stamp, transaction


def remember(db: Database, path: Path, kind: str) -> None:
    """Note that fleksrun writes ``path`` now (``kind``: backup or export); a file that may only be
    read cannot note it, and a copy of it holds nothing that file does not."""
    if db.read_only:
        return
    values = [str(Path(path).absolute()), kind, record_stamp()]
    if db.conn.in_transaction:  # inside a writing command's change (export ics): part of it
        db.execute(_REMEMBER, values)
        return
    with transaction(db, kind):  # bookkeeping, not a change to undo: no journal, no history line
        db.execute(_REMEMBER, values)


_REMEMBER = ("INSERT INTO written_files (path, kind, written_at) VALUES (?, ?, ?) "
             "ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, written_at = excluded.written_at")


def partial_copies(path: Path) -> list[Path]:
    """Temporary files of writes to ``path`` that were cut short (fleksrun killed half-way)."""
    try:
        return sorted(path.parent.glob(f".{path.name}.*.partial"))
    except OSError:  # the folder is gone or may not be read
        return []


def surviving_copies(db: Database) -> list[dict[str, Any]]:
    """The remembered files that still exist, and temporary files left beside them, newest first."""
    found = []
    for path_text, kind, written_at in db.execute(
            "SELECT path, kind, written_at FROM written_files ORDER BY written_at DESC, id DESC"):
        path = Path(path_text)
        for copy in ([path] if _is_file(path) else []) + partial_copies(path):
            found.append({"path": str(copy), "kind": kind, "written_at": written_at})
    return found


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False
