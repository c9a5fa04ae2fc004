"""Concurrency and faults: many writers at once, kill -9 mid-write, read-only file, full disk, fuzzed input."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from processes import environment, finished, go, ready
from trust_helpers import count, data_dump

_env = environment


def _run_at_once(db: Path, commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    procs = [ready(db, *args) for args in commands]
    for proc in procs:  # the same moment, as near as a test can make it
        go(proc)
    return [finished(proc) for proc in procs]


def _assert_all_succeeded(results):
    for r in results:
        assert r.returncode == 0, r.stderr
        assert "locked" not in r.stderr and "busy" not in r.stderr
        assert "Traceback" not in r.stderr


def test_twenty_processes_adding_at_the_same_moment_all_succeed(cli):
    cli("company", "add", "Seed")  # an existing database, as on the consultant's laptop
    results = _run_at_once(cli.db, [["company", "add", f"Company {i}"] for i in range(20)])
    _assert_all_succeeded(results)
    assert count(cli.db, "companies") == 21
    assert count(cli.db, "commands") == 21


def test_ten_processes_enrolling_at_the_same_moment_all_succeed(cli):
    cli("company", "add", "Seed")
    results = _run_at_once(cli.db, [["enroll", f"Citizen {i}", "--program", "ovebane"] for i in range(10)])
    _assert_all_succeeded(results)
    assert len(cli.json("citizens")["items"]) == 10


def test_twenty_processes_on_a_database_that_does_not_exist_yet(cli):
    results = _run_at_once(cli.db, [["company", "add", f"Company {i}"] for i in range(20)])
    _assert_all_succeeded(results)
    assert count(cli.db, "companies") == 20


def test_twenty_processes_each_adding_a_follow_up_at_the_same_moment(cli):
    for i in range(20):
        cli("enroll", f"Citizen {i}", "--program", "ovebane")
    results = _run_at_once(cli.db, [["followup", str(i + 1), "--note", f"talk {i}"] for i in range(20)])
    _assert_all_succeeded(results)
    assert count(cli.db, "followups") == 20


# A long write in one transaction, through the store API, as `schedule` or `demo` would make it.
_LONG_WRITE = """
import sys
from pathlib import Path
from fleksrun.store.db import open_db
from fleksrun.store.tx import transaction
db = open_db(Path(sys.argv[1]))
rows = int(sys.argv[2])
with transaction(db, "bulk") as tx:
    for i in range(rows):
        tx.insert("companies", {"name": f"Bulk {i}", "contact": "x" * 200, "created_at": "now"})
        if i == 3000:
            print("writing", flush=True)
print("done", flush=True)
"""


def test_kill_9_in_the_middle_of_a_long_write_leaves_the_database_as_before(cli):
    cli("company", "add", "Bageriet")
    before = data_dump(cli.db)
    proc = subprocess.Popen([sys.executable, "-c", _LONG_WRITE, str(cli.db), "2000000"], env=_env(cli.db),
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    wal = cli.db.with_name(cli.db.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the killed write had reached the disk
    result = cli("doctor")
    assert "The database is in good health." in result.stdout
    assert data_dump(cli.db) == before  # not one of its rows, nor its journal
    cli("company", "add", "After")  # and the database is usable


def test_a_long_write_that_finishes_is_all_there(cli):
    proc = subprocess.run([sys.executable, "-c", _LONG_WRITE, str(cli.db), "5000"], env=_env(cli.db),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert count(cli.db, "companies") == 5000 and count(cli.db, "journal") == 5000
    assert "good health" in cli("doctor").stdout


def _opened_with(monkeypatch, *pragmas: str) -> None:
    """Open the database as usual, then make it behave like a read-only file or a full disk."""
    import fleksrun.store.db as store_db

    real = store_db.open_db

    def opened(path, **kwargs):
        db = real(path, **kwargs)
        for pragma in pragmas:
            db.execute(pragma)
        return db

    monkeypatch.setattr(store_db, "open_db", opened)


def test_a_read_only_database_gives_one_clear_sentence_and_writes_nothing(cli, monkeypatch):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    before = data_dump(cli.db)
    _opened_with(monkeypatch, "PRAGMA query_only = ON")
    for args in (("company", "add", "Bageriet"), ("edit", "Mette", "--phone", "1234"), ("undo",)):
        result = cli(*args, code=1)
        assert result.stderr == f"The database {cli.db} is read-only: check the file's permissions, or use --db for a writable copy.\n"
    doc = json.loads(cli("company", "add", "Bageriet", "--json", code=1).stdout)
    assert doc["error"]["code"] == "store"
    monkeypatch.undo()
    assert data_dump(cli.db) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes to a 0400 file anyway; the query_only test above covers the message")
def test_a_file_without_write_permission_gives_the_read_only_sentence(cli):
    cli("company", "add", "Bageriet")
    cli.db.chmod(0o400)
    cli.db.parent.chmod(0o500)
    try:
        result = cli("company", "add", "Other", code=1)
        assert "read-only" in result.stderr
    finally:
        cli.db.parent.chmod(0o700)
        cli.db.chmod(0o600)


def _file_read_only(monkeypatch) -> None:
    """Connecting for writing fails as it does on a file (and folder) we may not write: root may
    write anything, so the test says so instead of chmod."""
    import fleksrun.store.db as store_db

    def refused(path, **_):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(store_db, "_connect", refused)


def test_a_file_we_may_only_read_can_still_be_read_and_a_write_says_read_only(cli, monkeypatch):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    cli("company", "add", "Bageriet")
    before = data_dump(cli.db)
    _file_read_only(monkeypatch)
    assert [c["name"] for c in cli.json("citizens")["items"]] == ["Mette Hansen"]
    cli("due")
    cli("check")
    assert "✓ Write-ahead log: nothing waiting; the file is read-only" in cli("doctor", code=None).stdout
    result = cli("company", "add", "Other", code=1)
    assert result.stderr == f"The database {cli.db} is read-only: check the file's permissions, or use --db for a writable copy.\n"
    monkeypatch.undo()
    assert data_dump(cli.db) == before


def test_a_read_only_file_with_changes_waiting_in_its_log_is_not_read_without_them(cli, monkeypatch):
    cli("company", "add", "Bageriet")
    keep = sqlite3.connect(str(cli.db))  # an open reader keeps the log from being merged and removed
    keep.execute("BEGIN")
    keep.execute("SELECT count(*) FROM companies").fetchone()
    try:
        cli("company", "add", "Kantinen")
        assert Path(f"{cli.db}-wal").stat().st_size > 0
        _file_read_only(monkeypatch)
        result = cli("citizens", code=1)
        assert result.stderr == (f"Changes to {cli.db} wait in {cli.db}-wal, and the file may not be written: copy "
                                 "both files to a folder you can write, and use --db there.\n")
    finally:
        keep.close()


def test_a_read_only_backup_is_read_with_locks_and_refused_with_a_journal_left_beside_it(cli, monkeypatch, tmp_path):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    copy = tmp_path / "copy.db"
    cli("backup", str(copy))
    assert copy.read_bytes()[18] == 1  # a backup is not in WAL mode
    _file_read_only(monkeypatch)
    opened = []
    real_connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda target, *a, **k: opened.append(target) or real_connect(target, *a, **k))
    assert [c["name"] for c in cli.json("--db", str(copy), "citizens")["items"]] == ["Mette Hansen"]
    assert opened[-1].endswith("?mode=ro")  # with SQLite's locks: not immutable
    Path(f"{copy}-journal").write_bytes(b"an unfinished change")
    result = cli("--db", str(copy), "citizens", code=1)
    assert f"wait in {copy}-journal" in result.stderr


def test_a_full_disk_gives_one_clear_sentence_and_writes_nothing(cli, monkeypatch):
    cli("company", "add", "Bageriet")
    before = data_dump(cli.db)
    pages = sqlite3.connect(str(cli.db)).execute("PRAGMA page_count").fetchone()[0]
    _opened_with(monkeypatch, f"PRAGMA max_page_count = {pages}")  # the file may not grow: as a full disk
    result = cli("company", "add", "Big", "--contact", "x" * 200_000, code=1)
    assert result.stderr == "The disk is full, so nothing was written: free some space and try again.\n"
    monkeypatch.undo()
    assert data_dump(cli.db) == before


def test_bytes_the_terminal_could_not_decode_are_an_input_error(cli):
    result = subprocess.run([sys.executable, "-m", "fleksrun", "company", "add", os.fsdecode(b"Bag\xffer")],
                            env=_env(cli.db), capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert "is not valid text" in result.stderr and "Traceback" not in result.stderr


# -- fuzzing: whatever the input, an exit code of 0, 2 or 3, one sentence, and no half-written change --

_text = st.text(max_size=30)
_dateish = st.one_of(_text, st.sampled_from(["2026-03-31", "31-02-2026", "+3d", "+99999999d", "uge 53", "2026-W53",
                                             "0000-01-01", "9999-12-31", "31/3", "tir", "-1w", "i morgen"]))
_maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731


def _check_run(cli, args):
    before = data_dump(cli.db) if cli.db.exists() else None
    result = cli(*args, code=None)
    assert result.exit_code in (0, 2, 3), (args, result.exit_code, result.stderr, result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    if result.exit_code != 0:
        assert result.stderr.strip(), args  # a sentence (it may quote the input, newlines and all)
        if before is not None:
            assert data_dump(cli.db) == before, args


def _options(pairs):
    args = []
    for flag, value in pairs:
        if value is not None:
            args += [flag, value]
    return args


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(name=_text, program=st.one_of(st.sampled_from(["ovebane", "rampen", "jobgaranti", "fleksjob_aalborg"]), _text),
       start=_maybe(_dateish), group=_maybe(_text), cpr=_maybe(st.one_of(_text, st.from_regex(r"\d{6}-?\d{4}", fullmatch=True))),
       phone=_maybe(_text), note=_maybe(_text))
def test_fuzzed_enroll_never_fails_badly(cli, name, program, start, group, cpr, phone, note):
    _check_run(cli, ["enroll", name, "--program", program,
                     *_options([("--start", start), ("--group", group), ("--cpr", cpr), ("--phone", phone),
                                ("--note", note)])])


@FUZZ
@given(citizen=st.one_of(st.sampled_from(["1", "Mette", "#1", "0", "99"]), _text), name=_maybe(_text),
       cpr=_maybe(_text), followup=_maybe(st.integers(-10**6, 10**6).map(str)), notes=_maybe(_text))
def test_fuzzed_edit_never_fails_badly(cli, citizen, name, cpr, followup, notes):
    if not cli.db.exists():
        cli("enroll", "Mette Hansen", "--program", "rampen")
    _check_run(cli, ["edit", citizen, *_options([("--name", name), ("--cpr", cpr), ("--followup-every", followup),
                                                  ("--notes", notes)])])


@FUZZ
@given(name=_text, cvr=_maybe(_text), employees=_maybe(st.one_of(st.integers(-10**20, 10**20).map(str), _text)),
       email=_maybe(_text))
def test_fuzzed_company_add_never_fails_badly(cli, name, cvr, employees, email):
    _check_run(cli, ["company", "add", name, *_options([("--cvr", cvr), ("--employees", employees),
                                                        ("--email", email)])])
