"""The CLI reference in docs/cli.md, made from the commands' own `--help` (run by cog).

    cog -r -I docs docs/cli.md        # write it again after a change to a command
    cog --check -I docs docs/cli.md   # what tests/test_docs.py runs: fails when it has drifted
"""

from __future__ import annotations

from typing import Any

import typer
from typer.testing import CliRunner

from fleksrun.cli.app import app

ENV = {"COLUMNS": "100", "FLEKSRUN_LANG": "en", "LANG": "C.UTF-8", "NO_COLOR": "1"}


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group by its words, groups before their commands, in --help's order."""
    found: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        words = (*prefix, name)
        found.append(words)
        if hasattr(command, "commands"):
            found += _commands(command, words)
    return found


def reference() -> str:
    """Markdown: the app's help, then each command's, as `fleksrun … --help` prints them."""
    runner = CliRunner()
    parts = []
    for words in [(), *_commands(typer.main.get_command(app))]:
        result = runner.invoke(app, [*words, "--help"], env=ENV)
        title = " ".join(("fleksrun", *words))
        parts.append(f"## `{title}`\n\n```text\n{result.stdout.rstrip()}\n```\n")
    return "\n".join(parts)
