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

from fleksrun.errors import FleksrunError, InputError

# "-" for a file to write means standard output, as for most command-line tools.
STDOUT = Path("-")


def output_path(text: str | None, default_name: str, database: Path) -> Path:
    """The file to write for the user's ``text`` (None: ``default_name`` in the working folder;
    ``-``: standard output, ``STDOUT``)."""
    if text == "-":
        return STDOUT
    if text is None:
        path = Path(default_name)
    else:
        try:
            path = Path(text).expanduser()
        except RuntimeError:  # "~someone" with no such user: the name as typed
            path = Path(text)
        try:
            if path.is_dir():
                path = path / default_name
            elif text.endswith(("/", os.sep)):
                raise _no_folder(path)
            elif not path.parent.is_dir():
                raise _no_folder(path.parent)
        except PermissionError as exc:  # a folder on the way may not be looked into
            raise InputError("files.folder_not_allowed", folder=str(path.parent)) from exc
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


def _stream(path: Path) -> bool:
    """Whether ``path`` is a stream rather than a file to replace: a pipe, a terminal, or a name for
    an open descriptor (/dev/stdout, /proc/self/fd/1), which must be written into, never replaced."""
    target = Path(os.path.realpath(path))
    if str(target).startswith(("/proc/", "/dev/")) or str(path).startswith(("/dev/", "/proc/")):
        return True
    return target.exists() and not stat.S_ISREG(target.stat().st_mode)


def write_whole(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path``, replacing it at once: a failure leaves the old file (or none).
    Returns whether a file was written (False: a stream, written into as it is).

    The temporary file has a name of its own (two exports at once never meet), is created 0600
    (exports hold citizens' names, as the database does) and in binary mode (CRLF stays CRLF on
    Windows). A symbolic link keeps pointing where it did: the file it names is replaced. The path
    is remembered (services.written), so `forget` can name the file later; a stream is not.
    """
    import tempfile

    try:
        if path == STDOUT:
            import sys

            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return False
        if _stream(path):
            with path.open("wb") as out:
                out.write(data)
            return False
        path = Path(os.path.realpath(path))
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
        try:
            with os.fdopen(fd, "wb") as out:
                _remember(path)  # once the place is known to take a file, before its first byte
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, path)
        finally:
            Path(partial).unlink(missing_ok=True)
        return True
    except OSError as exc:
        raise _write_error(exc, path) from exc


def _remember(path: Path) -> None:
    """Note the export's path in the database before its first byte is written, for `forget`."""
    from fleksrun.cli.state import state
    from fleksrun.services.written import remember

    remember(state().db(), path, "export")


def _write_error(exc: OSError, path: Path) -> FleksrunError:
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        if path.exists():  # the file itself: most often open in Excel, which locks it on Windows
            return InputError("files.not_allowed", path=str(path))
        return InputError("files.folder_not_allowed", folder=str(path.parent))
    if exc.errno == errno.ENOSPC:
        return FleksrunError("files.disk_full", path=str(path))
    return FleksrunError("files.cannot_write", path=str(path))
