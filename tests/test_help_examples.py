"""The examples at the end of each command's `--help` are true: every line, in both languages, runs
on the demo database (today 2026-03-30) and succeeds.

Each command's examples run in order on their own copy of the demo, in a folder of their own (some
write files there: backup, report --html, export, agreement --out). The examples of `import` and
`program add` read files a consultant would have; they are written here first (INPUT_FILES).
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
import typer.main

from conftest import Cli
from fleksrun import i18n
from fleksrun.cli.app import app
from fleksrun.cli.help_i18n import examples, walk
from fleksrun.programs import __file__ as _programs_init

PATHS = [path for path, _command in walk(typer.main.get_command(app))]
_RAMPEN = (Path(_programs_init).parent / "rampen.toml").read_text(encoding="utf-8")

# The files the examples name, as the consultant would have them beside her.
INPUT_FILES = {
    "my-programme.toml": _RAMPEN.replace('id = "rampen"', 'id = "rampen_local"'),
    "mit-program.toml": _RAMPEN.replace('id = "rampen"', 'id = "rampen_lokal"'),
    "caseload.csv": "name,program,start\nAnna Lund,rampen,2026-04-06\n",
    "borgere.csv": "Navn;Forløb;Startdato\nAnne Lund;rampen;06-04-2026\n",
    "liste.csv": "Borgernavn;Forløb;Startdato\nAnne Lund;rampen;06-04-2026\n",
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "fleksrun.db"
    Cli(db)("demo")
    return db


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("path", PATHS)
def test_each_example_runs_on_the_demo(path, lang, demo_db, tmp_path, monkeypatch):
    lines = examples(i18n.catalogue(lang), path)
    assert lines, f"help.{path}.examples is missing in i18n/{lang}"
    db = tmp_path / "fleksrun.db"
    shutil.copy(demo_db, db)
    for name, text in INPUT_FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cli = Cli(db, lang=lang)
    if path in ("fleksrun.encrypt", "fleksrun.decrypt"):  # the optional extra, with a passphrase set
        pytest.importorskip("sqlcipher3")
        monkeypatch.setenv("FLEKSRUN_PASSPHRASE", "a long secret")
        if path == "fleksrun.decrypt":
            cli("encrypt")
    for line in lines:
        words = shlex.split(line)
        assert words[0] == "fleksrun", line
        result = cli(*words[1:], code=None)
        assert result.exit_code == 0, f"{line}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        assert result.stdout.strip(), line  # it said what it did


@pytest.mark.parametrize(("lang", "heading"), [("en", "Examples:"), ("da", "Eksempler:")])
def test_the_help_ends_with_the_examples_unwrapped(cli, lang, heading):
    lines = examples(i18n.catalogue(lang), "fleksrun.schedule")
    result = cli("--lang", lang, "schedule", "--help", env={"COLUMNS": "60"})
    # A line wider than the terminal stays one line: a wrapped command would not paste.
    assert result.stdout.rstrip().endswith("\n".join([heading, *(f"  {line}" for line in lines)]))
    assert max(len(line) for line in lines) > 60


def test_a_group_and_the_app_show_their_examples(cli):
    assert cli("company", "--help").stdout.rstrip().endswith("  fleksrun company add Cykelværkstedet --employees 9")
    danish = cli("--lang", "da", "--help").stdout
    assert "Eksempler:\n  fleksrun due --week \"uge 14\"\n" in danish and "Examples:" not in danish
