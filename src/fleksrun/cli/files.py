"""Files the user names for output (CSV, calendar, backup): where they go, and writing them whole.

A name ending in a slash, or naming a folder that exists, means a file inside that folder. A folder
that does not exist is an input error with one sentence, never the operating system's English; the
database itself (or its -wal and -shm files) is never a target; and a file is written whole or not
at all: a private temporary file beside it, then renamed over it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from fleksrun.errors import InputError


def output_path(text: str | None, default_name: str, database: Path) -> Path:
    """The file to write for the user's ``text`` (None: ``default_name`` in the working folder)."""
    if text is None:
        path = Path(default_name)
    else:
        try:
            path = Path(text).expanduser()
        except RuntimeError:  # "~someone" with no such user: the name as typed
            path = Path(text)
        if path.is_dir():
            path = path / default_name
        elif text.endswith(("/", os.sep)):
            raise _no_folder(path)
        elif not path.parent.is_dir():
            raise _no_folder(path.parent)
    if _is_database(path, database):
        raise InputError("files.is_database", path=str(path))
    return path


def _no_folder(folder: Path) -> InputError:
    """The folder is missing, or a file stands where it (or a folder above it) should be."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            if not candidate.is_dir():
                return InputError("files.not_a_folder", folder=str(candidate))
            break
    return InputError("files.no_folder", folder=str(folder))


def _is_database(path: Path, database: Path) -> bool:
    """Whether ``path`` is the database or one of SQLite's files beside it, by name (they come and
    go while it runs) or as the same file under another name."""
    parts = [Path(f"{database}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    if path.resolve() in {part.resolve() for part in parts}:
        return True
    for part in parts:
        try:
            if os.path.samefile(path, part):
                return True
        except OSError:  # one of the two does not exist
            continue
    return False


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, replacing it at once: a failure leaves the old file (or none).

    The temporary file has a name of its own (two exports at once never meet), is created 0600
    (exports hold citizens' names, as the database does) and in binary mode (CRLF stays CRLF on
    Windows). A target that is not a regular file (a pipe, /dev/stdout) is written to directly.
    """
    import tempfile

    try:
        if path.exists() and not stat.S_ISREG(path.stat().st_mode):
            with path.open("wb") as out:
                out.write(data)
            return
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, path)
        finally:
            Path(partial).unlink(missing_ok=True)
    except PermissionError as exc:
        raise InputError("files.not_allowed", path=str(path)) from exc
    except OSError as exc:
        if exc.errno == errno.EROFS:  # a read-only disk or stick
            raise InputError("files.not_allowed", path=str(path)) from exc
        if exc.errno == errno.ENOSPC:
            raise InputError("files.disk_full", path=str(path)) from exc
        raise InputError("files.cannot_write", path=str(path)) from exc
