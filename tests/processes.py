"""fleksrun commands as real processes, started first and let go later, so a test decides the moment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import fleksrun

SRC = str(Path(fleksrun.__file__).resolve().parents[1])  # this worktree's code, not an installed copy

# The process loads fleksrun, says "ready", and runs its command when a line comes on stdin.
_WAITING = """
import runpy, sys
sys.argv = ["fleksrun", *sys.argv[1:]]
import fleksrun.cli.app, fleksrun.store.db, fleksrun.services.privacy, sqlite_utils, rich
print("ready", flush=True)
sys.stdin.readline()
runpy.run_module("fleksrun", run_name="__main__")
"""


def environment(db: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC, "FLEKSRUN_DB": str(db), "FLEKSRUN_TODAY": "2026-03-30",
            "FLEKSRUN_LANG": "en"}


def ready(db: Path, *args: str) -> subprocess.Popen:
    """A fleksrun process with ``args``, loaded and waiting for ``go``."""
    proc = subprocess.Popen([sys.executable, "-c", _WAITING, *args], env=environment(db), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def go(proc: subprocess.Popen) -> None:
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()


def finished(proc: subprocess.Popen) -> subprocess.CompletedProcess:
    out, err = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


# A second window that reads: it opens a read transaction, says "reading", and holds it until a line
# comes on stdin (a `due` left on screen while a long query runs, or a DB browser left open).
_READER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN")
conn.execute("SELECT COUNT(*) FROM citizens").fetchone()
print("reading", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
print("closed", flush=True)
"""


def reader(db: Path) -> subprocess.Popen:
    """Another process holding a read transaction open on ``db`` until ``go``."""
    proc = subprocess.Popen([sys.executable, "-c", _READER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "reading"
    return proc
