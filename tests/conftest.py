"""Shared fixtures: every CLI test runs on its own temporary database with a fixed today."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fleksrun.cli.app import app

TODAY = "2026-03-30"

# FLEKSRUN_TEST_ENCRYPTED=1 (needs fleksrun[encrypted]): each Cli database is encrypted with
# TEST_PASSPHRASE as soon as a command has made it, so the suite's CLI checks run on an encrypted file
# (all but the first command of a test; a test that never makes the file sees none, as it should).
# The tests' own reads of the file (sqlite3.connect on a database path) get the key as fleksrun does.
ENCRYPTED = os.environ.get("FLEKSRUN_TEST_ENCRYPTED") == "1"
TEST_PASSPHRASE = "test passphrase"


def _encrypt_when_made(db: Path) -> bool:
    """Encrypt the Cli's database if a command has just made it; whether it is encrypted now."""
    from fleksrun.errors import FleksrunError
    from fleksrun.services.encryption import encrypt
    from fleksrun.store.connection import looks_encrypted

    if not db.is_file() or db.stat().st_size == 0 or looks_encrypted(db):
        return looks_encrypted(db)
    try:
        encrypt(db, TEST_PASSPHRASE)
    except FleksrunError:  # not (yet) a fleksrun database: try again after the next command
        return False
    return True


def _keyed_connect(real):
    """sqlite3.connect that opens an encrypted file with the key, as fleksrun itself does."""
    def connect(database, *args, **kwargs):
        uri = bool(kwargs.get("uri"))
        text = str(database)
        path = Path(text[5:].split("?")[0] if uri and text.startswith("file:") else text)
        from fleksrun.store.connection import connect as fleksrun_connect
        from fleksrun.store.connection import looks_encrypted

        if text == ":memory:" or not looks_encrypted(path):
            return real(database, *args, **kwargs)
        conn = fleksrun_connect(path, uri=text if uri else None, timeout=kwargs.get("timeout", 5.0))
        if "isolation_level" in kwargs:
            conn.isolation_level = kwargs["isolation_level"]
        return conn
    return connect


if ENCRYPTED:
    import fleksrun.services.encryption

    os.environ["FLEKSRUN_PASSPHRASE"] = TEST_PASSPHRASE  # for the CLI, helpers and subprocesses alike
    sqlite3.connect = _keyed_connect(sqlite3.connect)
    # One salt for every test file: the key is derived once per run, not once per test (~0.2 s each).
    fleksrun.services.encryption.new_salt = lambda: b"fleksrun-tests!!"


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
        self.encrypt_when_made = ENCRYPTED and not os.path.lexists(db)

    def env(self) -> dict[str, str]:
        return {"FLEKSRUN_DB": str(self.db), "FLEKSRUN_TODAY": self.today, "FLEKSRUN_LANG": self.lang,
                "COLUMNS": "160", "LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}

    def __call__(self, *args: str, code: int | None = 0, env: dict[str, str] | None = None) -> Any:
        result = self.runner.invoke(app, list(args), env={**self.env(), **(env or {})})
        if self.encrypt_when_made:
            self.encrypt_when_made = not _encrypt_when_made(self.db)
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
