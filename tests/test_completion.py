"""Tab completion: Typer's --install-completion is on, and a citizen's, a company's and a programme's
name complete from the database, read-only, as a shell asks (Click's completion variables)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Cli, file_digest


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Cli:
    cli = Cli(tmp_path_factory.mktemp("complete") / "demo.db")
    cli("demo")
    cli("enroll", "Åse Østergaard", "--program", "rampen")
    return cli


def tab(cli: Cli, line: str) -> list[str]:
    """What bash gets for the last word of ``line`` (as Typer's bash script asks for it)."""
    words = line.split(" ")
    env = {**os.environ, "FLEKSRUN_DB": str(cli.db), "_FLEKSRUN_COMPLETE": "complete_bash",
           "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    script = Path(sys.executable).parent / "fleksrun"  # the installed command: its name picks the variable
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]


def test_a_citizens_name_completes_whatever_its_case_and_letters(demo: Cli):
    before = file_digest(demo.db)
    assert tab(demo, "fleksrun show mette") == ["Mette Hansen", "Mette Madsen"]
    assert tab(demo, "fleksrun show aase") == ["Åse Østergaard"]
    assert tab(demo, "fleksrun attend øster") == ["Åse Østergaard"]  # a later word of the name
    assert file_digest(demo.db) == before  # a Tab writes nothing


def test_companies_programmes_and_commands_complete(demo: Cli):
    assert tab(demo, "fleksrun schedule x -c byg") == ["Byggemarkedet Syd"]
    assert tab(demo, "fleksrun enroll x --program jo") == ["jobgaranti"]
    assert "due" in tab(demo, "fleksrun du")


def test_a_file_that_cannot_be_read_completes_nothing(tmp_path):
    missing = Cli(tmp_path / "none.db")
    assert tab(missing, "fleksrun show me") == []
    assert not missing.db.exists()  # and is not made


def test_the_install_option_is_offered(demo: Cli):
    assert "--install-completion" in demo("--help").stdout
