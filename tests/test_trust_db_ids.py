"""Ids are never reused, an undone creation leaves nothing personal, and old files are upgraded with every
value kept (issue 21, point 2)."""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Migrations

from file_search import database_files, found
from trust_helpers import data_dump, write

WRONG = ["Wrong Person", "310385-1237", "3103851237", "mistaken note about her health", "22334455"]


def test_an_undone_enrollment_leaves_nothing_and_the_next_citizen_gets_a_new_number(cli):
    cli("enroll", "Wrong Person", "--program", "ovebane", "--cpr", WRONG[1], "--note", WRONG[3], "--phone", WRONG[4])
    cli("edit", "Wrong", "--accommodations", "mistaken skånehensyn")
    assert found(database_files(cli.db), WRONG) != []
    cli("undo")
    cli("undo")
    result = cli("enroll", "Right Person", "--program", "rampen")
    assert "(citizen 2)" in result.stdout

    history = cli.json("history", "Right")["items"]
    assert [c["command"] for c in history] == ["enroll"]
    assert "Wrong" not in json.dumps(history) and "mistaken" not in json.dumps(history)
    assert "There is no citizen number 1" in cli("history", "1", code=2).stderr
    everything = json.dumps(cli.json("history")["items"], ensure_ascii=False)
    assert [s for s in [*WRONG, "mistaken skånehensyn"] if s in everything] == []
    assert found(database_files(cli.db), [*WRONG, "mistaken skånehensyn"]) == []  # no forget needed
    conn = sqlite3.connect(str(cli.db))
    ids = {t: conn.execute(f"SELECT MIN(id) FROM {t}").fetchone()[0] for t in ("citizens", "enrollments", "phases")}
    conn.close()
    assert ids == {"citizens": 2, "enrollments": 2, "phases": 2}


def test_undo_of_something_not_created_keeps_its_values(cli):
    """Only creations are scrubbed: undoing an edit puts the old values back, and the journal keeps them."""
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--phone", "11223344")
    cli("edit", "Mette", "--phone", "55667788")
    cli("undo")
    assert cli.json("show", "Mette")["phone"] == "11223344"
    assert found(database_files(cli.db), ["Mette Hansen", "11223344", "55667788"]) != []


def _before_m011() -> Migrations:
    from fleksrun.store.migrations import migrations

    names = [m.name for m in migrations._migrations]
    older = Migrations("fleksrun")
    for migration in migrations._migrations[:names.index("m011_trust_db")]:
        older(name=migration.name)(migration.fn)
    return older


def _table_rows(path, table: str, skip: set[str] = frozenset()) -> list[tuple]:
    conn = sqlite3.connect(str(path))
    try:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])") if r[1] not in skip]
        return [tuple(r) for r in conn.execute(f"SELECT {', '.join(columns)} FROM [{table}] ORDER BY id")]
    finally:
        conn.close()


def test_an_old_database_is_upgraded_with_every_value_and_id_kept_and_seen_ids_not_given_again(cli, monkeypatch):
    import fleksrun.store.db as store_db
    import fleksrun.store.migrations as store_migrations

    older = _before_m011()
    monkeypatch.setattr(store_db, "MIGRATIONS", tuple(m.name for m in older._migrations))
    monkeypatch.setattr(store_migrations, "migrations", older)
    # That fleksrun kept no search keys of names (m014 makes them from the names there are).
    monkeypatch.setattr("fleksrun.store.tx.NAMED_TABLES", ())
    monkeypatch.setattr("fleksrun.services.demo.write_keys", lambda *args: None)
    cli("demo", "--size", "20")
    cli("enroll", "Last Person", "--program", "ovebane", "--note", "kept note")
    last = cli.json("citizens", "--all")["items"]
    top = max(c["id"] for c in last)
    # A citizen added and removed again, as undo did before: her number is in the journal only.
    write(cli.db, "enroll", None, [("insert", "citizens", {"name": "Gone Again", "created_at": "2026-03-30"})])
    write(cli.db, "undo", None, [("delete", "citizens", top + 1)])
    data, journal, commands = data_dump(cli.db), _table_rows(cli.db, "journal"), _table_rows(cli.db, "commands")
    monkeypatch.undo()

    assert "Last Person" in cli("citizens").stdout  # the first command of the new fleksrun migrates
    after = data_dump(cli.db, skip_columns={"commands": {"pruned_at"}})
    assert {table: rows for table, rows in after.items() if table in data} == data
    assert all(not after[table] for table in set(after) - set(data))  # tables of later migrations start empty
    assert _table_rows(cli.db, "journal") == journal
    assert _table_rows(cli.db, "commands", {"pruned_at"}) == commands
    conn = sqlite3.connect(str(cli.db))
    schema = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    conn.close()
    for table in ("citizens", "companies", "enrollments", "phases", "checklist", "placements", "days", "hours",
                  "followups", "commands", "journal"):
        assert "AUTOINCREMENT" in schema[table], table
    assert {"agenda_stale_citizens_insert", "agenda_stale_settings_update", "erased_guard_days_insert"} <= triggers
    assert (cli.db.parent / f"{cli.db.name}.before-m011_trust_db.bak").exists()
    assert "good health" in cli("doctor").stdout
    result = cli("enroll", "New Person", "--program", "ovebane")
    assert f"(citizen {top + 2})" in result.stdout  # not top + 1, which the journal has seen
    assert cli.json("show", "Last Person")["notes"] == "kept note"
