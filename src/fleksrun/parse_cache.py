"""Parsed copies of the TOML files that ship with fleksrun (messages, built-in programmes), kept
between runs.

TOML is parsed in pure Python: the catalogues and programmes a command like `due` reads cost about
5 ms a run, a fifth of what fleksrun adds to starting Python with Typer and Rich. So the parsed form
is kept in the user's cache folder ($XDG_CACHE_HOME/fleksrun, else ~/.cache/fleksrun), one file per
source file, named by the source's path and a checksum of its text, and kept in a folder named by
fleksrun's version and the state of its own code (the newest modification of its modules): an
edited file, or a changed parser, is parsed afresh. It holds nothing but what ships with fleksrun, never a
citizen's data. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

from fleksrun import __version__

T = TypeVar("T")

# Turned off by FLEKSRUN_NO_CACHE=1 (tests that parse on purpose, a suspicious user).
_OFF = "FLEKSRUN_NO_CACHE"


@cache
def _code_stamp() -> str:
    """fleksrun's version and its modules' newest modification: a parser that changed (an editable
    install, a reinstall) never reads what an older one kept."""
    package = Path(__file__).resolve().parent
    newest = max((p.stat().st_mtime_ns for p in package.rglob("*.py")), default=0)
    return f"{__version__}-{newest:x}"


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fleksrun" / _code_stamp()


def _prefix(path: Path) -> str:
    """What every entry of one source file begins with: its name and where it lies."""
    return f"{path.stem}-{zlib.crc32(str(path.resolve()).encode('utf-8')):08x}-"


def _entry(path: Path, text: str) -> Path:
    return folder() / f"{_prefix(path)}{len(text)}-{zlib.crc32(text.encode('utf-8')):08x}.pickle"


def parsed(path: Path, parse: Callable[[str], T]) -> T:
    """``parse(text of path)``, from the cache when the file is unchanged since it was kept."""
    text = path.read_text(encoding="utf-8")
    if os.environ.get(_OFF):
        return parse(text)
    entry = _entry(path, text)
    try:
        with entry.open("rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, unreadable, or from another Python: parse it again
        pass
    value = parse(text)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        with partial.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, entry)  # whole or not at all, whatever runs beside it
        for old in entry.parent.glob(_prefix(path) + "*.pickle"):  # the file as it was before
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return value
