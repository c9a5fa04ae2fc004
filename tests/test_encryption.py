"""Encryption at rest (issue 21, point 8): `encrypt` and `decrypt`, every command on an encrypted file,
a wrong passphrase said in one sentence, and no name or CPR number in the encrypted file's bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Cli, file_digest
from file_search import database_files, found
from processes import SRC, go, reader
from trust_helpers import data_dump

PASS = "correct horse battery"
NAME, CPR = "Søren Ørskov-Blæhr", "310385-1237"
NOTE, ACCOMMODATIONS = "sleeps badly since the divorce", "no heavy lifting, short days"
SECRETS = [NAME, "Ørskov", CPR, CPR.replace("-", ""), NOTE, ACCOMMODATIONS, "61234567"]
PLAIN_HEADER = b"SQLite format 3\x00"


@pytest.fixture
def cipher():
    return pytest.importorskip("sqlcipher3", reason="the optional extra fleksrun[encrypted] is not installed")


def _plain_cli(path: Path) -> Cli:
    """A Cli whose file stays as the test makes it (FLEKSRUN_TEST_ENCRYPTED does not encrypt it)."""
    cli = Cli(path)
    cli.encrypt_when_made = False
    return cli


def _with(passphrase: str) -> dict[str, str]:
    return {"FLEKSRUN_PASSPHRASE": passphrase}


NONE = _with("")  # no passphrase in the environment (an empty variable counts as none)


@pytest.fixture
def caseload(tmp_path) -> Cli:
    """The demo, and a citizen with a CPR number, a phone, a note and skånehensyn, in a plain file."""
    cli = _plain_cli(tmp_path / "fleksrun.db")
    cli("demo", env=NONE)
    cli("enroll", NAME, "--program", "ovebane", "--cpr", CPR, "--phone", "61234567", "--note", NOTE, env=NONE)
    cli("edit", NAME, "--accommodations", ACCOMMODATIONS, env=NONE)
    return cli


def test_the_encrypted_file_holds_no_name_or_cpr_in_any_encoding(cipher, caseload, tmp_path):
    secret_hits = found(database_files(caseload.db), SECRETS)
    assert {hit.split("'")[1] for hit in secret_hits} >= {NAME, CPR, NOTE, ACCOMMODATIONS}  # there to be found
    demo_names = [c["name"] for c in caseload.json("citizens", "--all")["items"]][:20]

    result = caseload("encrypt", env=_with(PASS))
    assert "Encrypted" in result.stdout
    assert caseload.db.read_bytes()[:16] != PLAIN_HEADER
    # Every file in the folder, the -wal and anything left beside the database included.
    files = [p for p in tmp_path.iterdir() if p.is_file()]
    assert found(files, SECRETS + demo_names) == []
    assert sorted(p.name for p in files) == ["fleksrun.db"]  # no plain copy, no temporary file left
    assert caseload("citizens", env=_with(PASS)).stdout.count(NAME) == 1


def test_the_old_plain_bytes_are_overwritten_not_only_unlinked(cipher, caseload, tmp_path):
    # A second name for the plain file shows what became of its bytes on the disk.
    peek = tmp_path / "peek"
    os.link(caseload.db, peek)
    assert found([peek], [NAME])
    caseload("encrypt", env=_with(PASS))
    data = peek.read_bytes()
    assert data and data == b"\0" * len(data)
    peek.unlink()


def _plain_twin(tmp_path: Path, caseload: Cli) -> Cli:
    """The same data in a second, plain file (a backup of the caseload)."""
    caseload("backup", str(tmp_path / "twin.db"), env=NONE)
    return _plain_cli(tmp_path / "twin.db")


# Reading commands, and then writing ones in an order that works on the demo: each must give the same
# output on the encrypted file as on the plain one.
READING = [("citizens", "--all"), ("show", "1"), ("due", "--days", "14"), ("check",), ("report",),
           ("company", "list"), ("programs",), ("program", "show", "ovebane"), ("citizens", "--json")]
WRITING = [("company", "add", "Testbageriet Nord", "--employees", "12"),
           ("enroll", "Ingrid Vestergaard", "--program", "ovebane", "--start", "2026-03-23"),
           ("schedule", "Ingrid Vestergaard", "--company", "Testbageriet Nord", "--start", "2026-03-24", "--weeks", "4",
            "--days", "tue,thu", "--hours", "4"),
           ("attend", "Ingrid Vestergaard", "2026-03-26", "--hours", "4"),
           ("followup", "Ingrid Vestergaard", "--on", "2026-03-30", "--kind", "visit"),
           ("hours", "Ingrid Vestergaard", "--month", "2026-03", "--ordinary", "3"),
           ("mark", "Ingrid Vestergaard", "job_goal"), ("edit", "Ingrid Vestergaard", "--phone", "22334455"),
           ("undo",), ("advance", NAME, "--force", "--reason", "test"),
           ("end", NAME, "--outcome", "moved"), ("forget", NAME, "--yes"), ("citizens", "--all"), ("due",)]


def test_every_command_works_unchanged_on_the_encrypted_file(cipher, caseload, tmp_path):
    twin = _plain_twin(tmp_path, caseload)
    caseload("encrypt", env=_with(PASS))
    for args in READING + WRITING:
        plain = twin(*args, env=NONE, code=None)
        encrypted = caseload(*args, env=_with(PASS), code=None)
        assert (encrypted.exit_code, encrypted.stdout) == (plain.exit_code, plain.stdout.replace("twin.db",
                                                                                                  "fleksrun.db")), args
        assert plain.exit_code == 0, (args, plain.stderr)
    assert caseload("doctor", env=_with(PASS)).exit_code == 0
    assert caseload("history", env=_with(PASS)).exit_code == 0
    assert caseload.db.read_bytes()[:16] != PLAIN_HEADER  # the writes kept it encrypted


def test_a_backup_of_an_encrypted_file_stays_encrypted_and_restores(cipher, caseload, tmp_path):
    caseload("encrypt", env=_with(PASS))
    copy = tmp_path / "copy.db"
    caseload("backup", str(copy), env=_with(PASS))
    assert copy.read_bytes()[:16] != PLAIN_HEADER and found([copy], SECRETS) == []
    restored = _plain_cli(copy)
    listing = [cli("citizens", "--all", "--json", env=_with(PASS)).stdout for cli in (restored, caseload)]
    assert listing[0] == listing[1] and NAME in listing[0]
    result = restored("citizens", env=_with("not the passphrase"), code=2)
    assert "passphrase does not open" in result.stderr


def test_a_wrong_passphrase_is_one_sentence_and_nothing_is_written(cipher, caseload):
    caseload("encrypt", env=_with(PASS))
    before = [file_digest(p) for p in database_files(caseload.db)]
    for args in [("citizens",), ("company", "add", "Bageriet"), ("doctor",), ("decrypt",), ("backup",)]:
        result = caseload(*args, env=_with("correct horse battery!"), code=None)
        assert result.exit_code in (1, 2), args
        assert f"The passphrase does not open {caseload.db}" in result.stderr, args
        assert "Traceback" not in result.stdout + result.stderr
        assert len(result.stderr.strip().splitlines()) <= 1
    assert [file_digest(p) for p in database_files(caseload.db)] == before


def test_without_a_passphrase_a_script_is_told_to_set_one(cipher, caseload):
    caseload("encrypt", env=_with(PASS))
    result = caseload("due", env=NONE, code=1)
    assert "set FLEKSRUN_PASSPHRASE" in result.stderr and "Traceback" not in result.stderr
    assert "FLEKSRUN_PASSPHRASE" in caseload("decrypt", env=NONE, code=2).stderr


def test_decrypt_gives_back_a_plain_file_with_the_same_data_and_both_can_be_repeated(cipher, caseload):
    dump = data_dump(caseload.db)
    caseload("encrypt", env=_with(PASS))
    result = caseload("encrypt", env=_with(PASS), code=3)
    assert "encrypted already" in result.stderr
    caseload("decrypt", env=_with(PASS))
    assert caseload.db.read_bytes()[:16] == PLAIN_HEADER
    assert data_dump(caseload.db) == dump
    assert "not encrypted" in caseload("decrypt", env=NONE, code=3).stderr
    # Undoable again: encrypt once more, with another passphrase.
    caseload("encrypt", env=_with("another passphrase"))
    caseload("decrypt", env=_with("another passphrase"))
    assert data_dump(caseload.db) == dump
    assert caseload("citizens", "--all", env=NONE).stdout.count(NAME) == 1


def test_encrypt_asks_twice_unseen_and_refuses_two_different_answers(cipher, caseload, monkeypatch):
    monkeypatch.setattr("fleksrun.cli.state.interactive", lambda: True)
    digest = file_digest(caseload.db)
    result = caseload.runner.invoke(_app(), ["encrypt"], input=f"{PASS}\n{PASS}x\n", env={**caseload.env(), **NONE})
    assert result.exit_code == 2 and "differ" in result.stderr
    assert PASS not in result.stdout + result.stderr  # hidden input is not echoed
    assert file_digest(caseload.db) == digest
    result = caseload.runner.invoke(_app(), ["encrypt"], input=f"{PASS}\n{PASS}\n", env={**caseload.env(), **NONE})
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("passphrase") >= 2  # two questions
    # A command on the encrypted file asks once, in a terminal.
    result = caseload.runner.invoke(_app(), ["citizens"], input=f"{PASS}\n", env={**caseload.env(), **NONE})
    assert result.exit_code == 0 and NAME in result.stdout


def test_a_short_passphrase_is_refused(cipher, caseload):
    digest = file_digest(caseload.db)
    assert "too easy to guess" in caseload("encrypt", env=_with("short"), code=2).stderr
    assert file_digest(caseload.db) == digest


def test_encrypt_waits_for_no_other_window_and_changes_nothing_while_one_reads(cipher, caseload):
    digest = file_digest(caseload.db)
    window = reader(caseload.db)
    try:
        result = caseload("encrypt", env=_with(PASS), code=1)
    finally:
        go(window)
        window.communicate(timeout=30)
    assert "Another fleksrun window" in result.stderr
    assert caseload.db.read_bytes()[:16] == PLAIN_HEADER and found([caseload.db], [NAME])
    assert [p.name for p in caseload.db.parent.iterdir() if p.name.startswith(".")] == []
    caseload("encrypt", env=_with(PASS))  # once the other window is closed
    assert file_digest(caseload.db) != digest


def test_encrypt_lists_the_plain_copies_it_leaves(cipher, caseload, tmp_path):
    caseload("backup", str(tmp_path / "before.db"), env=NONE)
    result = caseload("encrypt", env=_with(PASS))
    assert "not encrypted" in result.stderr and "before.db" in result.stderr
    refused = json.loads(caseload("encrypt", "--json", env=_with(PASS), code=3).stdout)
    assert refused["error"]["code"] == "refused" and "encrypted already" in refused["error"]["message"]


def test_a_garbage_file_is_not_taken_for_an_encrypted_one(cipher, tmp_path):
    cli = _plain_cli(tmp_path / "notes.db")
    cli.db.write_bytes(b"this is a spreadsheet, not a database" * 200)  # not whole pages
    result = cli("citizens", env=_with(PASS), code=1)
    assert "is not a fleksrun database or is damaged" in result.stderr


def test_without_the_extra_encrypt_is_refused_in_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # as if not installed
    cli = _plain_cli(tmp_path / "f.db")
    cli("company", "add", "Bageriet", env=NONE)
    digest = file_digest(cli.db)
    for command in ("encrypt", "decrypt"):
        result = cli(command, env=_with(PASS), code=1)
        assert 'install fleksrun[encrypted] (pip install "fleksrun[encrypted]")' in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert file_digest(cli.db) == digest
    cli.db.write_bytes(os.urandom(8192))  # what an encrypted file looks like to a fleksrun without the extra
    assert "fleksrun[encrypted] is installed" in cli("citizens", env=_with(PASS), code=1).stderr


def test_a_plain_run_does_not_import_the_extra(tmp_path):
    _plain_cli(tmp_path / "f.db")("demo", env=NONE)
    code = ("import sys; sys.argv = ['fleksrun', 'due']\n"
            "from fleksrun.cli.app import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "print('sqlcipher3' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": SRC, "FLEKSRUN_DB": str(tmp_path / "f.db"), "FLEKSRUN_TODAY": "2026-03-30",
           "FLEKSRUN_PASSPHRASE": PASS}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False"


def _app():
    from fleksrun.cli.app import app

    return app



def test_a_migration_of_an_encrypted_file_runs_and_keeps_an_encrypted_copy(cipher, tmp_path, monkeypatch):
    from sqlite_utils import Migrations

    from fleksrun.services.encryption import encrypt
    from fleksrun.store import connection
    from fleksrun.store.db import open_db
    from fleksrun.store.migrations import migrations

    monkeypatch.setattr(connection, "passphrase_source", lambda path: PASS)
    path = tmp_path / "f.db"
    db = open_db(path)
    db.execute("INSERT INTO companies (name, created_at) VALUES (?, 'now')", [NAME])
    db.conn.commit()
    db.close()
    encrypt(path, PASS)
    later = Migrations("fleksrun")
    for migration in migrations._migrations:
        later(name=migration.name)(migration.fn)

    @later()
    def m999_test(db):
        db["companies"].add_column("test", str)  # sqlite-utils itself, on the encrypted connection

    open_db(path, migration_set=later).close()
    kept = tmp_path / "f.db.before-m999_test.bak"
    assert kept.read_bytes()[:16] != PLAIN_HEADER and found([kept, path], [NAME]) == []
    copy = open_db(kept, migrate=False)
    assert [r["name"] for r in copy.query("SELECT name FROM companies")] == [NAME]
    copy.close()
    migrated = open_db(path, migration_set=later)
    assert "test" in {c.name for c in migrated.columns("companies")}
    migrated.close()


def test_an_encrypted_copy_cut_short_is_called_damaged_not_a_wrong_passphrase(cipher, caseload, tmp_path):
    caseload("encrypt", env=_with(PASS))
    cut = tmp_path / "cut.db"
    data = caseload.db.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    result = _plain_cli(cut)("citizens", env=_with(PASS), code=1)
    assert "is not a fleksrun database or is damaged" in result.stderr and "passphrase" not in result.stderr


def test_a_damaged_page_of_an_encrypted_file_is_found_by_doctor_not_an_internal_error(cipher, caseload):
    caseload("encrypt", env=_with(PASS))
    data = bytearray(caseload.db.read_bytes())
    for page in range(2, len(data) // 4096, 7):  # every seventh page after the first: the data's pages too
        data[page * 4096 + 100: page * 4096 + 200] = b"\xff" * 100
    caseload.db.write_bytes(bytes(data))
    result = caseload("doctor", env=_with(PASS), code=1)
    assert "✗" in result.stdout and "Something unexpected" not in result.stderr
    result = caseload("report", env=_with(PASS), code=1)
    # Damage met on opening says "is damaged"; met later, by a query, it sends the user to doctor.
    assert ("is damaged" in result.stderr or "run `fleksrun doctor`" in result.stderr) \
        and "Something unexpected" not in result.stderr
