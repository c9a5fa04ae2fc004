"""backup (a consistent private copy) and doctor (checks said in words); private files."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time

import pytest

from fleksrun.store.db import open_db
from fleksrun.store.tx import transaction
from trust_helpers import data_dump

POSIX = sys.platform != "win32"


def _mode(path):
    return path.stat().st_mode & 0o777


def test_backup_beside_the_database_is_a_private_complete_single_file(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    cli("company", "add", "Bageriet")
    result = cli("backup")
    match = re.search(r"Backed up to (\S+) \(", result.stdout)
    assert match, result.stdout
    copy = cli.db.parent / match.group(1).split("/")[-1]
    assert re.fullmatch(r"fleksrun-backup-\d{8}-\d{6}\.db", copy.name)
    if POSIX:
        assert _mode(copy) == 0o600
    assert data_dump(copy) == data_dump(cli.db)
    conn = sqlite3.connect(str(copy))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file, nothing beside it
    conn.close()


def test_backup_to_a_path_or_a_folder_and_never_over_an_existing_file(cli, tmp_path):
    cli("company", "add", "Bageriet")
    target = tmp_path / "copy.db"
    doc = cli.json("backup", str(target))
    assert doc["path"] == str(target) and doc["bytes"] == target.stat().st_size
    result = cli("backup", str(target), code=2)
    assert "exists already" in result.stderr
    folder = tmp_path / "usb"
    folder.mkdir()
    cli("backup", str(folder))
    assert len(list(folder.glob("fleksrun-backup-*.db"))) == 1


_WRITER = """
import sys
from pathlib import Path
from fleksrun.store.db import open_db
from fleksrun.store.tx import transaction
db = open_db(Path(sys.argv[1]))
print("go", flush=True)
for i in range(100000):
    with transaction(db, "company add") as tx:
        tx.insert("companies", {"name": f"C{i}", "created_at": "now"})
"""


def test_backup_is_consistent_while_another_process_writes(cli, tmp_path):
    cli("company", "add", "Bageriet")
    writer = subprocess.Popen([sys.executable, "-c", _WRITER, str(cli.db)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "go"
        time.sleep(0.2)
        counts = []
        for n in range(5):
            copy = tmp_path / f"b{n}.db"
            cli("backup", str(copy))
            conn = sqlite3.connect(str(copy))
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            companies, commands, journal = (conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                                            for t in ("companies", "commands", "journal"))
            conn.close()
            # Each command wrote one company, one command row and one journal row: never half of one.
            assert companies == commands == journal
            counts.append(companies)
            time.sleep(0.05)
    finally:
        writer.kill()
        writer.wait()
    assert counts[-1] > counts[0] > 1  # the writer really was writing during the copies


@pytest.mark.skipif(not POSIX, reason="file modes are POSIX")
def test_database_wal_and_shm_files_are_private(tmp_path):
    path = tmp_path / "f.db"
    db = open_db(path)
    with transaction(db, "company add") as tx:
        tx.insert("companies", {"name": "Bageriet", "created_at": "now"})
    wal, shm = tmp_path / "f.db-wal", tmp_path / "f.db-shm"
    assert wal.exists() and shm.exists()
    assert [_mode(p) for p in (path, wal, shm)] == [0o600] * 3
    db.close()


def test_doctor_on_a_sound_database_says_so(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    result = cli("doctor")
    assert "The database is in good health." in result.stdout
    doc = cli.json("doctor")
    assert doc["ok"] is True and doc["path"] == str(cli.db)
    assert [c["check"] for c in doc["checks"]] == ["integrity", "foreign_keys", "migrations", "wal", "permissions",
                                                  "summaries", "days_off", "journal"]
    assert all(c["ok"] and c["detail"] for c in doc["checks"])


def test_doctor_without_a_database_creates_none(cli):
    result = cli("doctor")
    assert "There is no database" in result.stdout
    assert not cli.db.exists()


def test_doctor_names_broken_links_in_words(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    conn = sqlite3.connect(str(cli.db))  # foreign keys are off by default: a foreign tool could do this
    conn.execute("INSERT INTO days (placement_id, date, status) VALUES (99, '2026-04-01', 'planned')")
    conn.commit()
    conn.close()
    result = cli("doctor", code=1)
    assert "✗ 1 rows in days point at a missing row of placements" in result.stdout
    assert "problems" in result.stderr
    assert json.loads(cli("doctor", "--json", code=1).stdout)["ok"] is False


@pytest.mark.skipif(not POSIX, reason="file modes are POSIX")
def test_doctor_tells_how_to_fix_loose_permissions(cli):
    cli("company", "add", "Bageriet")
    cli.db.chmod(0o644)
    result = cli("doctor", code=1)
    assert "others can read fleksrun.db (644)" in result.stdout and "chmod 600" in result.stdout


def test_doctor_on_a_file_that_is_not_a_database(cli):
    cli.db.write_bytes(b"this is a spreadsheet, not a database" * 200)
    result = cli("doctor", code=1)
    assert "is not a fleksrun database or is damaged" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_doctor_finds_a_damaged_page(cli):
    for n in range(40):
        cli("company", "add", f"Company number {n}", "--contact", "x" * 300)
    conn = sqlite3.connect(str(cli.db))
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'companies'").fetchone()[0]
    conn.close()
    data = bytearray(cli.db.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    # Scribble over the companies table's first page, leaving the header and schema intact.
    start = (root - 1) * page_size + 8
    data[start:start + 100] = b"\xff" * 100
    cli.db.write_bytes(bytes(data))
    result = cli("doctor", code=1)
    assert "✗" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_doctor_says_when_the_database_is_from_a_newer_fleksrun(cli):
    cli("company", "add", "Bageriet")
    conn = sqlite3.connect(str(cli.db))
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('fleksrun', 'm999_x', 'x')")
    conn.commit()
    conn.close()
    assert "newer fleksrun" in cli("doctor", code=1).stdout


def test_backup_to_a_folder_that_does_not_exist_is_refused_not_a_file_named_like_it(cli, tmp_path):
    cli("company", "add", "Bageriet")
    result = cli("backup", str(tmp_path / "usb") + "/", code=2)
    assert f"The folder {tmp_path / 'usb'} does not exist" in result.stderr
    result = cli("backup", str(tmp_path / "usb" / "copy.db"), code=2, env={"FLEKSRUN_LANG": "da"})
    assert f"Mappen {tmp_path / 'usb'} findes ikke" in result.stderr
    assert not (tmp_path / "usb").exists()


def test_a_folder_given_as_the_database_is_named_as_a_folder_with_a_file_to_give(cli, tmp_path):
    for command in (("citizens",), ("doctor",)):
        result = cli("--db", str(tmp_path), *command, code=None)
        assert result.exit_code == (2 if command == ("citizens",) else 1)  # doctor: 1, its check failed
        assert f"{tmp_path} is a folder, not a database file: give a file with --db, e.g. {tmp_path / 'fleksrun.db'}." \
            in " ".join(result.output.split())
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing made in it


def test_a_backup_that_cannot_be_written_is_one_sentence_without_the_systems_english(cli, tmp_path, monkeypatch):
    import fleksrun.services.maintenance as maintenance

    cli("company", "add", "Bageriet")

    class RefusingOs:  # the os module as the backup sees it, with open() refused: the database opens as usual
        def __getattr__(self, name):
            return getattr(os, name)

        def open(self, *args, **kwargs):
            raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(maintenance, "os", RefusingOs())
    result = cli("backup", str(tmp_path / "copy.db"), code=2, env={"FLEKSRUN_LANG": "da"})
    assert result.stderr == (f"Kan ikke skrive sikkerhedskopien til {tmp_path / 'copy.db'}: vælg et sted, hvor du må "
                             "skrive, og hvor der er plads til kopien.\n")
