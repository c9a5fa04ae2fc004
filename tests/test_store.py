"""The store: private file, migrations, refusal of newer databases, journalled transactions."""

from __future__ import annotations

import pytest
from sqlite_utils import Migrations

from fleksrun.errors import StoreError
from fleksrun.store.db import open_db
from fleksrun.store.migrations import migrations
from fleksrun.store.tx import transaction


def test_open_creates_a_private_wal_database_with_foreign_keys(tmp_path):
    db = open_db(tmp_path / "f.db")
    assert (tmp_path / "f.db").stat().st_mode & 0o777 == 0o600
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"citizens", "enrollments", "days", "hours", "followups", "journal"} <= set(db.table_names())


def test_a_database_from_a_newer_fleksrun_is_refused(tmp_path):
    db = open_db(tmp_path / "f.db")
    db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('fleksrun', 'm999_future', 'x')")
    db.conn.commit()
    db.close()
    with pytest.raises(StoreError) as info:
        open_db(tmp_path / "f.db")
    assert "newer fleksrun" in info.value.message()
    assert info.value.exit_code == 1


def test_a_copy_is_kept_before_a_migration_changes_an_existing_file(tmp_path):
    path = tmp_path / "f.db"
    db = open_db(path)
    db.execute("INSERT INTO companies (name, created_at) VALUES ('Bageriet', 'now')")
    db.conn.commit()
    db.close()
    later = Migrations("fleksrun")
    for migration in migrations._migrations:
        later(name=migration.name)(migration.fn)

    @later()
    def m002_test(db):
        db.execute("ALTER TABLE companies ADD COLUMN test TEXT")

    open_db(path, migration_set=later).close()
    backup = tmp_path / "f.db.before-m002_test.bak"
    assert backup.exists()
    assert backup.stat().st_mode & 0o777 == 0o600
    copy = open_db(backup, migrate=False)
    assert [r["name"] for r in copy.query("SELECT name FROM companies")] == ["Bageriet"]
    assert "test" not in {c.name for c in copy.columns("companies")}


def test_a_failing_command_writes_nothing_not_even_its_journal(tmp_path):
    db = open_db(tmp_path / "f.db")
    with pytest.raises(RuntimeError):
        with transaction(db, "test") as tx:
            tx.insert("companies", {"name": "Bageriet", "created_at": "now"})
            raise RuntimeError("boom")
    assert db.execute("SELECT COUNT(*) FROM companies").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM journal").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM commands").fetchone()[0] == 0


def test_every_change_is_journalled_with_before_and_after(tmp_path):
    db = open_db(tmp_path / "f.db")
    with transaction(db, "company add") as tx:
        cid = tx.insert("companies", {"name": "Bageriet", "created_at": "now"})
    with transaction(db, "edit") as tx:
        assert tx.update("companies", cid, {"name": "Bageriet ApS"})
        assert not tx.update("companies", cid, {"name": "Bageriet ApS"})  # no change, no journal row
    rows = list(db.query("SELECT c.command, j.action, j.before, j.after FROM journal j JOIN commands c ON c.id = j.command_id ORDER BY j.id"))
    assert [(r["command"], r["action"]) for r in rows] == [("company add", "insert"), ("edit", "update")]
    assert '"Bageriet"' in rows[1]["before"] and '"Bageriet ApS"' in rows[1]["after"]


def test_the_light_list_of_migration_names_matches_the_migrations():
    from fleksrun.store.versions import MIGRATIONS

    assert list(MIGRATIONS) == [m.name for m in migrations._migrations]


def test_a_command_on_an_up_to_date_database_does_not_import_sqlite_utils(tmp_path):
    import subprocess
    import sys

    open_db(tmp_path / "f.db").close()
    code = ("import sys; from pathlib import Path; from fleksrun.store.db import open_db; "
            f"open_db(Path({str(tmp_path / 'f.db')!r})); print('sqlite_utils' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
