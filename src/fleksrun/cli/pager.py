"""Long output through a pager on a terminal, as git does: `less -FRX` unless FLEKSRUN_PAGER (or
PAGER) names another, and none with ``--no-pager``, ``--json``, or when stdout is not a terminal.

``less -F`` quits at once when everything fits on one screen, so a short answer reads as without
a pager. The pager gets the terminal's width, and Rich writes to it as to the terminal (colours
included, which ``-R`` shows). Only the commands that list things are paged; a command that asks a
question (forget, attend --week) never is.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from typing import Any

from fleksrun.cli.argv import CommandLine

PAGED = frozenset({"due", "check", "citizens", "show", "missing", "history", "report", "programs", "program",
                   "company"})

_running: tuple[subprocess.Popen[bytes], Any] | None = None  # the pager and the stdout it replaced


def pager_command() -> str | None:
    """The pager to run, or None for none (FLEKSRUN_PAGER or PAGER set empty, or to "cat")."""
    for name in ("FLEKSRUN_PAGER", "PAGER"):
        if name in os.environ:
            chosen = os.environ[name].strip()
            return None if chosen in ("", "cat") else chosen
    return "less" if shutil.which("less") else None


def start(line: CommandLine) -> None:
    """Send stdout through the pager, when this run should be paged."""
    global _running
    if line.command not in PAGED or line.json or line.no_pager or not _is_terminal(sys.stdout):
        return
    command = pager_command()
    if command is None:
        return
    from fleksrun.render import paged

    width = shutil.get_terminal_size().columns
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)  # noqa: S602 - the user's own pager setting
    except OSError:
        return  # no pager to be had: print as without one
    assert process.stdin is not None
    _running = (process, sys.stdout)
    sys.stdout = io.TextIOWrapper(process.stdin, encoding="utf-8", errors="replace", line_buffering=True)
    paged(width)


def stop() -> None:
    """Let the pager have the rest and wait until the user leaves it."""
    global _running
    if _running is None:
        return
    process, stdout = _running
    _running = None
    from fleksrun.render import paged

    with contextlib.suppress(BrokenPipeError):  # the user left the pager before the end
        sys.stdout.close()
    sys.stdout = stdout
    paged(None)
    process.wait()


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
