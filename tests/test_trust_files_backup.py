"""Backups that restore: written whole or not at all, even under kill -9; a file that is no fleksrun
database is never made one by a command that reads; and the files fleksrun wrote, named by `forget`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_faults import _env
from trust_helpers import data_dump

POSIX = sys.platform != "win32"


def _grow(path: Path, megabytes: int = 40) -> None:
    """Make the database big enough that copying and checking it takes a noticeable while."""
    conn = sqlite3.connect(str(path))
    filler = "x" * 1000
    conn.executemany("INSERT INTO companies (name, contact, created_at) VALUES (?, ?, 'now')",
                     ((f"Filler {n}", filler) for n in range(megabytes * 1000)))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _partials(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f".{name}.*.partial"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.skipif(not POSIX, reason="SIGKILL is POSIX")
def test_a_backup_killed_half_way_leaves_no_file_under_its_name_and_a_rerun_restores_everything(cli, tmp_path):
    cli("demo")
    _grow(cli.db)
    target = tmp_path / "b.db"
    backup = subprocess.Popen([sys.executable, "-m", "fleksrun", "backup", str(target)], env=_env(cli.db),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not _partials(tmp_path, "b.db") and backup.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    os.kill(backup.pid, signal.SIGKILL)
    backup.communicate()
    assert backup.returncode == -signal.SIGKILL
    # Killed while the copy was being written or checked: its temporary file is there, the backup is not.
    assert _partials(tmp_path, "b.db"), "the backup finished before it was killed: grow the database"
    assert not os.path.lexists(target)

    # The cut copy is never taken for a database by a command that reads it.
    partial = _partials(tmp_path, "b.db")[0]
    result = cli("--db", str(partial), "citizens", code=None)
    if result.exit_code == 0:  # killed during the check, after a complete copy: then it holds everything
        assert data_dump(partial) == data_dump(cli.db)
    else:
        assert result.exit_code == 1 and "Traceback" not in result.stderr
        assert "is empty" in result.stderr or "is not a fleksrun database" in result.stderr, result.stderr

    # A rerun works, and removes what the killed one left.
    cli("backup", str(target))
    assert _partials(tmp_path, "b.db") == []
    # Restore: the backup copied into place is the whole database.
    restored = tmp_path / "restored.db"
    shutil.copy(target, restored)  # as cp does: the file's mode with it
    assert data_dump(restored) == data_dump(cli.db)
    assert cli.json("--db", str(restored), "citizens") == cli.json("citizens")
    cli("--db", str(restored), "doctor")


def test_a_backup_is_checked_before_it_gets_its_name(cli, tmp_path, monkeypatch):
    import fleksrun.services.maintenance as maintenance

    cli("company", "add", "Bageriet")
    monkeypatch.setattr(maintenance, "_sound_copy", lambda path, counts: False)  # as if a page came out wrong
    result = cli("backup", str(tmp_path / "b.db"), code=1)
    assert result.stderr == f"The copy at {tmp_path / 'b.db'} failed its check: run `fleksrun doctor` on the database.\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("b.db", ".b.db"))) == []


def test_the_check_compares_every_tables_rows_with_the_source(cli, tmp_path):
    from fleksrun.services.maintenance import _sound_copy

    cli("enroll", "Mette Hansen", "--program", "ovebane")
    copy = tmp_path / "b.db"
    cli("backup", str(copy))
    conn = sqlite3.connect(str(copy))
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM [{t}]").fetchone()[0]
              for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    conn.close()
    assert _sound_copy(copy, counts)
    assert not _sound_copy(copy, {**counts, "citizens": counts["citizens"] + 1})  # a row short
    assert not _sound_copy(copy, {**counts, "a_table_not_copied": 0})
    copy.write_bytes(copy.read_bytes()[: len(copy.read_bytes()) // 2])  # cut in half
    assert not _sound_copy(copy, counts)


@pytest.mark.skipif(not POSIX, reason="file modes are POSIX")
def test_a_backup_over_a_link_is_refused_like_any_existing_name(cli, tmp_path):
    cli("company", "add", "Bageriet")
    link = tmp_path / "b.db"
    link.symlink_to(tmp_path / "elsewhere.db")  # dangling
    assert "exists already" in cli("backup", str(link), code=2).stderr
    assert not (tmp_path / "elsewhere.db").exists()


READING = [("due",), ("citizens",), ("show", "1"), ("check",), ("report",), ("history",), ("company", "list"),
           ("export", "csv", "citizens", "--out", "{tmp}/c.csv"), ("backup", "{tmp}/b.db")]


def _other_programs_database(path: Path) -> None:
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO recipes (title) VALUES ('Rugbrød')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", ["empty", "other_program", "cut_in_half", "not_sqlite"])
def test_a_file_that_is_no_fleksrun_database_is_never_made_one_by_a_reading_command(cli, tmp_path, kind):
    source = tmp_path / "source.db"
    cli("--db", str(source), "demo")
    path = tmp_path / "file.db"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "other_program":
        _other_programs_database(path)
    elif kind == "cut_in_half":
        data = source.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_bytes(b"Navn;Telefon\nMette;12345678\n" * 100)
    before = _digest(path)
    for args in READING:
        result = cli("--db", str(path), *(a.format(tmp=tmp_path) for a in args), code=None)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
        expected = {"empty": f"The file {path} is empty, so it holds no fleksrun data",
                    "other_program": f"The file {path} is a database of another program, not of fleksrun"}
        if kind in expected:
            assert result.stderr.startswith(expected[kind]), (args, result.stderr)
        assert _digest(path) == before, args
    assert not (tmp_path / "c.csv").exists() and not (tmp_path / "b.db").exists()
    doctor = cli("--db", str(path), "doctor", code=1)
    assert "✗" in doctor.stdout and _digest(path) == before
    if kind == "other_program":  # a writing command changes nothing in another program's file either
        assert "another program" in cli("--db", str(path), "company", "add", "Bageriet", code=1).stderr
        assert _digest(path) == before


def test_an_empty_file_becomes_a_database_only_by_a_command_that_adds_data(cli, tmp_path):
    path = tmp_path / "new.db"
    path.write_bytes(b"")
    cli("--db", str(path), "due", code=1)
    cli("--db", str(path), "company", "add", "Bageriet")
    assert [c["name"] for c in cli.json("--db", str(path), "company", "list")["items"]] == ["Bageriet"]


def test_a_missing_file_is_made_by_a_first_command_and_never_by_a_read(cli):
    assert not cli.db.exists()
    for reading in (("citizens",), ("due",), ("history",), ("check",)):
        result = cli(*reading, code=1)
        assert "There is no fleksrun database at" in result.stderr and "fleksrun demo" in result.stderr
        assert not cli.db.exists()
    said = cli("doctor").stdout  # doctor checks the place, and says so
    assert "There is no database at" in said and "good health" not in said
    assert not cli.db.exists()
    cli("company", "add", "Bageriet")
    assert cli.db.exists()


# -- the files fleksrun wrote, and forget --------------------------------------------------------

def _ended_citizen(cli) -> None:
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-01-05", "--note", "skånehensyn: ryg")
    cli("company", "add", "Bageriet")
    cli("schedule", "Mette", "--company", "Bageriet", "--start", "2026-04-06", "--weeks", "2", "--days", "tue")
    cli("end", "Mette", "--outcome", "moved")


def test_forget_names_the_backups_and_exports_fleksrun_wrote_that_still_exist(cli, tmp_path):
    _ended_citizen(cli)
    cli("enroll", "Jens Berg", "--program", "rampen")  # active: the calendar has his days
    cli("schedule", "Jens", "--company", "Bageriet", "--start", "2026-04-06", "--weeks", "2", "--days", "tue")
    out = tmp_path / "out"
    out.mkdir()
    cli("backup", str(out / "b.db"))
    cli("export", "csv", "citizens", "--out", str(out / "citizens.csv"))
    cli("export", "ics", "--out", str(out / "plan.ics"), "--from", "2026-04-01")
    cli("report", "--csv", str(out / "report.csv"))
    cli("export", "csv", "days", "--out", str(out / "gone.csv"))
    (out / "gone.csv").unlink()  # deleted by the user already: not named
    (out / ".plan.ics.abc123.partial").write_text("a write cut short")  # left by an export killed half-way
    doc = cli.json("forget", "Mette", "--yes")
    named = {Path(c["path"]).name: c["kind"] for c in doc["copies"]}
    assert named == {"b.db": "backup", "citizens.csv": "export", "plan.ics": "export",
                     ".plan.ics.abc123.partial": "export", "report.csv": "export"}
    assert all(set(c) == {"path", "kind", "written_at"} and Path(c["path"]).is_absolute() for c in doc["copies"])


def test_forget_says_what_to_do_with_the_copies_in_one_sentence(cli, tmp_path):
    _ended_citizen(cli)
    cli("backup", str(tmp_path / "b.db"))
    cli("export", "csv", "citizens", "--out", str(tmp_path / "c.csv"))
    result = cli("forget", "Mette", "--yes")
    assert (f"2 backups and exports that fleksrun wrote still exist and may hold the citizen's data "
            f"({tmp_path / 'c.csv'}, {tmp_path / 'b.db'}): delete them, or make them again now") in result.stderr
    cli("enroll", "Jens Berg", "--program", "ovebane")
    cli("end", "Jens", "--outcome", "moved")
    (tmp_path / "b.db").unlink()
    (tmp_path / "c.csv").unlink()
    result = cli("forget", "Jens", "--yes", env={"FLEKSRUN_LANG": "da"})
    assert "sikkerhedskopier og eksporter" not in result.stderr  # nothing left to name


def test_what_is_remembered_is_where_and_when_never_the_content(cli, tmp_path):
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--note", "ryg")
    cli("export", "csv", "citizens", "--out", str(tmp_path / "c.csv"))
    cli("export", "csv", "citizens", "--out", str(tmp_path / "c.csv"))  # again: still one row
    conn = sqlite3.connect(str(cli.db))
    columns = [r[1] for r in conn.execute("PRAGMA table_info(written_files)")]
    rows = conn.execute("SELECT path, kind FROM written_files").fetchall()
    conn.close()
    assert columns == ["id", "path", "kind", "written_at"]
    assert rows == [(str(tmp_path / "c.csv"), "export")]
    # Remembering is bookkeeping, not a change: no line in history, nothing to undo.
    assert [c["command"] for c in cli.json("history")["items"]] == ["enroll"]


def test_an_export_to_a_stream_is_not_remembered(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    cli("export", "csv", "citizens", "--out", "/dev/stdout")
    conn = sqlite3.connect(str(cli.db))
    assert conn.execute("SELECT COUNT(*) FROM written_files").fetchone()[0] == 0
    conn.close()


def test_json_of_forget_keeps_its_keys(cli, tmp_path):
    _ended_citizen(cli)
    doc = cli.json("forget", "Mette", "--yes")
    assert {"citizen_id", "rows", "erased_at", "file_clean", "copies", "backups_remaining"} <= set(doc)
    assert doc["copies"] == [] and json.dumps(doc)


def test_a_backup_that_cannot_be_written_remembers_nothing(cli, tmp_path, monkeypatch):
    import fleksrun.services.maintenance as maintenance

    cli("company", "add", "Bageriet")

    class RefusingOs:  # the os module as the backup sees it, with open() refused
        def __getattr__(self, name):
            return getattr(os, name)

        def open(self, *args, **kwargs):
            raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(maintenance, "os", RefusingOs())
    cli("backup", str(tmp_path / "b.db"), code=2)
    conn = sqlite3.connect(str(cli.db))
    assert conn.execute("SELECT COUNT(*) FROM written_files").fetchone()[0] == 0
    conn.close()


def test_the_demo_lives_in_its_own_file_and_an_earlier_database_is_moved_once(tmp_path, monkeypatch):
    """`fleksrun demo` without --db fills demo.db in the user data folder, never the real database;
    `--demo` reads it; a database in the earlier place (~/.config/fleksrun) moves to the data folder."""
    from fleksrun.cli.app import app
    from typer.testing import CliRunner

    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "FLEKSRUN_TODAY": "2026-03-30", "FLEKSRUN_LANG": "en", "COLUMNS": "160", "FLEKSRUN_DB": ""}
    monkeypatch.delenv("FLEKSRUN_DB", raising=False)
    runner = CliRunner()

    def run(*args: str, code: int = 0):
        result = runner.invoke(app, list(args), env=env)
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        return result

    made = run("demo")
    data = tmp_path / "data" / "fleksrun"
    assert (data / "demo.db").exists() and not (data / "fleksrun.db").exists()
    assert "fleksrun --demo due" in made.stdout
    assert "The agenda for" in run("--demo", "due").stdout
    assert "There is no fleksrun database" in run("citizens", code=1).stderr  # the real one stays unmade
    assert not (data / "fleksrun.db").exists()
    run("--demo", "--db", str(tmp_path / "x.db"), "citizens", code=2)

    earlier = tmp_path / "config" / "fleksrun"
    earlier.mkdir(parents=True)
    (data / "demo.db").rename(earlier / "fleksrun.db")
    moved = run("citizens")
    assert "Moved your database from" in moved.stderr
    assert (data / "fleksrun.db").exists() and not (earlier / "fleksrun.db").exists()
    assert "Moved your database" not in run("citizens").stderr  # once
