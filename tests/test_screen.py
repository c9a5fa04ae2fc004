"""An 80-column terminal: every table fits without breaking a word or cutting a cell; piped output is
not wrapped; long output on a terminal goes through a pager, never when piped."""

from __future__ import annotations

import os
import re
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import Cli

BOX = "┏┃┡│└┗━─┩╇┳┻┴┬┼╋"
COMMANDS = [("due",), ("check",), ("citizens",), ("missing",), ("show", "22"), ("report",), ("history",),
            ("programs",), ("company", "list")]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("screen") / "demo.db")
    cli("demo")
    return cli


def run(cli: Cli, lang: str, columns: str | None, *args: str) -> str:
    env = {"FLEKSRUN_LANG": lang, "COLUMNS": columns or ""}
    return cli(*args, env=env).stdout


def words(text: str) -> set[str]:
    """The words of a page, its box lines aside, and the numbers a row's block adds to its name."""
    return {w for w in text.translate({ord(c): " " for c in BOX}).split() if not re.fullmatch(r"\(#\d+\)", w)}


@pytest.mark.parametrize("lang", ["en", "da"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_80_columns_break_no_word_and_cut_no_cell(demo: Cli, lang: str, args: tuple[str, ...]):
    narrow = run(demo, lang, "80", *args)
    wide = run(demo, lang, "1000", *args)  # the same output with room for every line whole
    for line in narrow.splitlines():
        assert cell_len(line) <= 80, line
        if line and line[0] in "┏┃┡│└":  # a table's line ends with its border: nothing of it was cropped
            assert line.rstrip()[-1] in "┓┃┩│┘", line
    broken = words(narrow) - words(wide)
    assert not broken, f"words broken across lines at 80 columns: {sorted(broken)[:10]}"


def test_a_table_too_wide_for_the_screen_becomes_one_block_a_row(demo: Cli):
    page = run(demo, "da", "60", "check")
    assert "┃" not in page
    doc = demo.json("check")
    first = doc["items"][0]
    assert f"{first['citizen']} (#{first['citizen_id']})" in page


def test_piped_output_is_not_wrapped_and_has_no_trailing_spaces(demo: Cli):
    page = run(demo, "en", None, "due")  # CliRunner's stdout is no terminal; no COLUMNS
    lines = page.splitlines()
    assert max(cell_len(line) for line in lines) > 80  # a long line stays one line
    assert not [line for line in lines if line != line.rstrip()]


# -- the pager ---------------------------------------------------------------------------------------

def on_a_terminal(cli: Cli, tmp_path: Path, *args: str, pager_env: dict[str, str] | None = None,
                  pipe: bool = False) -> tuple[str, str | None]:
    """Run fleksrun in a real process with stdout on a pseudo-terminal (or a pipe); the pager is a
    small program that keeps what it was given. (stdout as read, what the pager got or None)."""
    kept = tmp_path / "paged.txt"
    kept.unlink(missing_ok=True)
    pager = f"{sys.executable} -c \"import sys; open(r'{kept}', 'w').write(sys.stdin.read())\""
    env = {**os.environ, **cli.env(), "FLEKSRUN_PAGER": pager, **(pager_env or {})}
    env.pop("COLUMNS")
    command = [sys.executable, "-m", "fleksrun", *args]
    if pipe:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        return done.stdout, kept.read_text() if kept.exists() else None
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, env=env, stdout=follower, stderr=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode(errors="replace"), kept.read_text() if kept.exists() else None


def test_long_output_on_a_terminal_goes_through_the_pager(demo: Cli, tmp_path: Path):
    shown, paged = on_a_terminal(demo, tmp_path, "due")
    assert paged is not None and "The agenda for" in paged
    assert "The agenda for" not in shown  # the terminal got it from the pager, not from fleksrun


@pytest.mark.parametrize("how", ["--no-pager", "--json", "pipe", "FLEKSRUN_PAGER=cat"])
def test_no_pager_when_asked_when_piped_or_for_json(demo: Cli, tmp_path: Path, how: str):
    args = ([how] if how == "--no-pager" else []) + ["due"] + ([how] if how == "--json" else [])
    shown, paged = on_a_terminal(demo, tmp_path, *args, pipe=how == "pipe",
                                 pager_env={"FLEKSRUN_PAGER": "cat"} if how.startswith("FLEKSRUN") else None)
    assert paged is None
    assert ("The agenda for" in shown) or ('"items"' in shown)
