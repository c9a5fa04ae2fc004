"""Shared fixtures: every CLI test runs on its own temporary database with a fixed today."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fleksrun.cli.app import app

TODAY = "2026-03-30"

def file_digest(path: Path) -> str:
    """The database file's bytes, hashed: equal before and after means nothing was written."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


class Cli:
    """Runs fleksrun commands through the front door, on one temporary database."""

    def __init__(self, db: Path, today: str = TODAY, lang: str = "en") -> None:
        self.db = db
        self.today = today
        self.lang = lang
        self.runner = CliRunner()

    def env(self) -> dict[str, str]:
        return {"FLEKSRUN_DB": str(self.db), "FLEKSRUN_TODAY": self.today, "FLEKSRUN_LANG": self.lang,
                "COLUMNS": "160", "LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}

    def __call__(self, *args: str, code: int | None = 0, env: dict[str, str] | None = None) -> Any:
        result = self.runner.invoke(app, list(args), env={**self.env(), **(env or {})})
        if code is not None:
            assert result.exit_code == code, (
                f"exit {result.exit_code} != {code} for {args}\nstdout: {result.stdout}\nstderr: {result.stderr}\n"
                f"exception: {result.exception!r}"
            )
        return result

    def json(self, *args: str, code: int = 0) -> Any:
        result = self(*args, "--json", code=code)
        return json.loads(result.stdout)


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A run in Danish sets the process's language; the next test must not inherit it."""
    yield
    from fleksrun import i18n

    i18n.set_language("en")


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "fleksrun.db")
