"""Files the user names for output (CSV, calendar, backup): where they go, and writing them whole.

A name ending in a slash, or naming a folder that exists, means a file inside that folder. A folder
that does not exist is an input error with one sentence, never the operating system's English, and
a file is written whole or not at all (a temporary file beside it, then renamed).
"""

from __future__ import annotations

import os
from pathlib import Path

from fleksrun.errors import InputError


def output_path(text: str | None, default_name: str) -> Path:
    """The file to write for the user's ``text`` (None: ``default_name`` in the working folder)."""
    if text is None:
        return Path(default_name)
    path = Path(text).expanduser()
    if path.is_dir():
        return path / default_name
    if text.endswith(("/", os.sep)):
        raise InputError("files.no_folder", folder=str(path))
    folder = path.parent
    if not folder.is_dir():
        raise InputError("files.no_folder", folder=str(folder))
    return path


PRIVATE = 0o600  # exports hold names of the citizens: readable by the user only, as the database


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, replacing it at once: a failure leaves the old file (or none)."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, PRIVATE)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(partial, path)
    except PermissionError as exc:
        raise InputError("files.not_allowed", path=str(path)) from exc
    finally:
        partial.unlink(missing_ok=True)
