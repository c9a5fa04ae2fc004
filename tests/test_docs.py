"""The README documents every command and option (in the spirit of sqlite-utils' test_docs).

Each command and sub-command registered in the app needs a `### \\`NAME …\\`` heading in README.md,
and each of its options must be named in that command's section (heading and text up to the next
heading of level 3 or higher). `--help` and `--json` are documented once, for all commands.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from fleksrun.cli.app import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
DOCUMENTED_ONCE = {"--help", "-h", "--json"}


# Typer 0.28 ships its own copy of Click, so commands and groups are told apart by what they have.
def _commands(group: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf command by its full name ("company add"), walking sub-groups."""
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if hasattr(command, "commands"):
            found.update(_commands(command, f"{full} "))
        else:
            found[full] = command
    return found


ROOT = typer.main.get_command(app)
COMMANDS = _commands(ROOT)


def _heading(name: str) -> re.Pattern[str]:
    # "### `program show ID`" is program show's heading; "### `programs`" is not "program"'s.
    return re.compile(rf"^### `{re.escape(name)}[ `]", re.MULTILINE)


def _section(name: str) -> str:
    """The README text of a command: its heading line down to the next heading of level <= 3."""
    match = _heading(name).search(README)
    assert match, name
    rest = README[match.end():]
    end = re.search(r"^#{1,3} ", rest, re.MULTILINE)
    return README[match.start(): match.end() + (end.start() if end else len(rest))]


def _mentions(text: str, option: str) -> bool:
    """`option` appears as itself, not as the start of a longer option (--to in --today)."""
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def _options(command: Any) -> list[str]:
    return [opt for p in command.params if p.param_type_name == "option" for opt in p.opts + p.secondary_opts]


def test_the_walk_finds_every_command_and_sub_command() -> None:
    # A check on the check: the app has all its groups, so a missing heading cannot go unnoticed.
    assert {"enroll", "due", "company add", "company closures", "export csv", "export ics", "program add",
            "programs", "demo"} <= set(COMMANDS)
    assert len(COMMANDS) >= 33


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_a_heading(name: str) -> None:
    assert _heading(name).search(README), f"README.md has no '### `{name} …`' heading"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_is_named_in_its_commands_section(name: str) -> None:
    section = _section(name)
    missing = [opt for opt in _options(COMMANDS[name])
               if opt.startswith("--") and opt not in DOCUMENTED_ONCE and not _mentions(section, opt)]
    assert not missing, f"README.md's section on `{name}` does not mention {', '.join(missing)}"


def test_every_option_name_appears_in_the_readme() -> None:
    # Short forms (-p, -c, …), --help and --json are explained once, not in every section.
    names = {opt for command in [ROOT, *COMMANDS.values()] for opt in _options(command)}
    missing = sorted(opt for opt in names if not _mentions(README, opt))
    assert not missing, f"README.md never mentions {', '.join(missing)}"


def test_the_global_options_are_documented() -> None:
    for option in ("--db", "--today", "--lang", "--version"):
        assert _mentions(README.split("## Global options", 1)[1].split("\n## ", 1)[0], option), option


def test_the_section_check_catches_an_option_mentioned_only_elsewhere() -> None:
    # --extension-reason is named under schedule, not under attend: the helpers must tell them apart.
    assert _mentions(_section("schedule"), "--extension-reason")
    assert not _mentions(_section("attend"), "--extension-reason")
    assert not _mentions("--today", "--to")


def test_the_first_week_in_the_readme_is_what_the_example_prints(tmp_path):
    """The README shows the output of examples/first-week.sh; run it, and the two must agree."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    start = README.index("`COLUMNS=100 bash examples/first-week.sh`):\n\n```\n")
    shown = README[README.index("```\n", start) + 4:]
    shown = shown[:shown.index("\n```\n")]
    env = {**os.environ, "COLUMNS": "100", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "FLEKSRUN_LANG": "en", "HOME": str(tmp_path)}
    env.pop("FLEKSRUN_DB", None)
    done = subprocess.run(["bash", str(root / "examples" / "first-week.sh")], capture_output=True, text=True,
                          env=env, timeout=120, check=True)
    assert done.stdout.rstrip("\n") == shown


def test_the_command_reference_is_what_the_commands_say():
    """docs/cli.md is each command's --help (made with cog); a change to a command must remake it:
    `cog -r -I docs docs/cli.md`."""
    from cogapp import Cog

    root = Path(__file__).resolve().parent.parent
    status = Cog().main(["cog", "--check", "-I", str(root / "docs"), str(root / "docs" / "cli.md")])
    assert status == 0, "docs/cli.md has drifted from the commands: run `cog -r -I docs docs/cli.md`"
