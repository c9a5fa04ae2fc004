"""The demo database: every programme and phase in use, repeatable, and never over real data."""

from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import Cli
from fleksrun.domain.programs import builtin_programs


def test_demo_fills_every_programme_and_phase(cli):
    result = cli("demo", "--json")
    doc = json.loads(result.stdout)
    assert doc["created"] is True and doc["citizens"] == 60
    rows = cli.json("citizens", "--all")["items"]
    seen = {(r["program"], r["phase"]) for r in rows}
    for program in builtin_programs().values():
        for phase in program.phases:
            assert (program.id, phase.id) in seen, (program.id, phase.id)
    assert any(r["status"] == "ended" for r in rows)
    assert not any("-" in (r.get("name") or "") and r["name"][:6].isdigit() for r in rows)


def test_demo_is_repeatable_with_the_same_seed(tmp_path):
    from conftest import Cli

    a, b = Cli(tmp_path / "a.db"), Cli(tmp_path / "b.db")
    a("demo", "--size", "25", "--seed", "7")
    b("demo", "--size", "25", "--seed", "7")
    assert a.json("citizens", "--all") == b.json("citizens", "--all")


def test_demo_leaves_a_database_with_data_alone(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    result = cli("demo")
    assert "already has data" in result.stdout
    assert [r["name"] for r in cli.json("citizens")["items"]] == ["Mette Hansen"]


def test_demo_has_no_cpr_numbers(cli):
    cli("demo")
    import sqlite3

    conn = sqlite3.connect(cli.db)
    assert conn.execute("SELECT COUNT(*) FROM citizens WHERE cpr IS NOT NULL").fetchone()[0] == 0


@pytest.mark.parametrize("today", [
    "2026-11-02", "2026-11-23",                                            # early and late in a month
    "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07",
    "2026-12-31", "2027-02-28", "2027-03-01",                            # a week's days; month edges
    "2026-04-01", "2026-05-13", "2027-03-24",     # the week's Thursday a holiday (Skærtorsdag, Kristi himmelfart)
    "2030-12-19",                                 # a December with only three working Wednesdays
])
def test_demo_then_due_shows_every_kind_of_agenda_item(tmp_path, today):
    from conftest import Cli

    from fleksrun.services.agenda import KINDS

    cli = Cli(tmp_path / "demo.db", today=today)
    cli("demo")
    assert {i["kind"] for i in cli.json("due")["items"]} == set(KINDS)


def test_demo_hours_at_risk_early_in_a_month_comes_from_the_days_booked(tmp_path):
    from conftest import Cli

    cli = Cli(tmp_path / "demo.db", today="2026-12-02")
    cli("demo")
    risky = [i for i in cli.json("due")["items"] if i["kind"] == "hours_at_risk"]
    assert [i["citizen"] for i in risky] == ["Laila Jensen"]
    # Wednesdays 02-12 … 30-12 at 4 h: 20 h booked, none yet worked.
    assert "has 0 of 30 ordinary hours in December 2026, and the days planned add 20 h — 10 h short" in risky[0]["text"]


def _schema(path):
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        conn.close()


def test_demo_leaves_the_schema_as_the_migrations_made_it(tmp_path):
    """The demo builds its big tables' indexes after the rows: the same indexes, by the same SQL."""
    import datetime as dt

    from fleksrun.services.demo import make_demo
    from fleksrun.store.db import open_db

    empty, demo = open_db(tmp_path / "empty.db"), open_db(tmp_path / "demo.db")
    make_demo(demo, dt.date(2026, 12, 2), size=40)
    assert demo.execute("PRAGMA ignore_check_constraints").fetchone()[0] == 0
    empty.close(), demo.close()
    schema = _schema(tmp_path / "demo.db")
    assert schema == _schema(tmp_path / "empty.db")
    assert {"idx_days_agenda", "idx_days_planned", "idx_followups_next_due"} <= {row[1] for row in schema}


@pytest.mark.parametrize("table, bad", [
    ("days", (10**6, 1, "1999-01-05", 4.0, "maybe", None, None)),       # a status the CHECK does not know
    ("hours", (10**6, 1, "2026-11", "overtime", 5.0, "payslip", "2026-12-02")),
    ("hours", (10**6, 1, "1999-01", "ordinary", -5.0, "payslip", "2026-12-02")),
    ("enrollments", (10**6, 1, "ovebane", 1, "2026-01-05", None, "paused", None)),
    ("placements", (10**6, 1, 1, "volunteer", "2026-01-06", "2026-03-31", "1,3", 4.0, "skip", "2026-01-01")),
])
def test_demo_rows_that_break_a_check_leave_nothing_behind(tmp_path, monkeypatch, table, bad):
    """Each row's CHECK is tested once the rows are in, and a failure rolls the whole demo back."""
    import datetime as dt

    from fleksrun.services import demo as demo_module
    from fleksrun.store.db import open_db

    write = demo_module._write

    def write_one_bad_row(db, rows):
        rows[table].append(bad)
        write(db, rows)

    monkeypatch.setattr(demo_module, "_write", write_one_bad_row)
    db = open_db(tmp_path / "demo.db")
    with pytest.raises(AssertionError, match=f"CHECK constraint failed in {table}"):
        demo_module.make_demo(db, dt.date(2026, 12, 2), size=40)
    assert db.execute("SELECT COUNT(*) FROM citizens").fetchone()[0] == 0
    assert db.execute("PRAGMA ignore_check_constraints").fetchone()[0] == 0
    db.close()
    open_db(tmp_path / "empty.db").close()
    assert _schema(tmp_path / "demo.db") == _schema(tmp_path / "empty.db")  # the indexes are back


def test_the_demo_tests_every_check_constraint_of_the_tables_it_bulk_loads(tmp_path):
    """Each table the bulk load writes that has a CHECK is tested once the rows are in."""
    import datetime as dt

    from fleksrun.services import demo as demo_module
    from fleksrun.store.db import open_db

    db = open_db(tmp_path / "empty.db")
    with_checks = {name for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
                   if "CHECK" in sql}
    db.close()
    written = set(demo_module._Builder(dt.date(2026, 12, 2), 1).rows)
    assert with_checks & written == set(demo_module.CHECKED) | {"days"}


@pytest.mark.parametrize("fault", ["duplicate_day", "interrupt"])
def test_a_demo_that_fails_while_writing_leaves_nothing_and_checks_on(tmp_path, monkeypatch, fault):
    """A failed insert, or Ctrl-C between batches, rolls back the rows and the dropped indexes, and the
    connection tests CHECK constraints again."""
    import datetime as dt

    from fleksrun.services import demo as demo_module
    from fleksrun.store.db import open_db

    monkeypatch.setattr(demo_module, "BATCH", 10)  # several batches in a small demo
    write, batches = demo_module._write, []

    def write_and_fail(db, rows):
        batches.append(1)
        if fault == "duplicate_day" and len(batches) == 3:
            rows["days"].append(rows["days"][0])
        write(db, rows)

    def progress(made, size):
        if fault == "interrupt" and made >= 30:
            raise KeyboardInterrupt

    monkeypatch.setattr(demo_module, "_write", write_and_fail)
    db = open_db(tmp_path / "demo.db")
    with pytest.raises(sqlite3.IntegrityError if fault == "duplicate_day" else KeyboardInterrupt):
        demo_module.make_demo(db, dt.date(2026, 12, 2), size=60, progress=progress)
    assert len(batches) == 3
    assert db.execute("SELECT COUNT(*) FROM citizens").fetchone()[0] == 0
    assert db.execute("PRAGMA ignore_check_constraints").fetchone()[0] == 0
    db.close()
    open_db(tmp_path / "empty.db").close()
    assert _schema(tmp_path / "demo.db") == _schema(tmp_path / "empty.db")


def test_the_bar_says_when_the_citizens_are_made_and_the_indexes_are_being_built(tmp_path, monkeypatch):
    """A big demo shows a bar; after the last citizen it names the seconds of index building that follow."""
    from rich.progress import Progress

    told = []
    update = Progress.update

    def recording(self, task_id, **fields):
        told.append((fields.get("completed"), fields.get("description")))
        return update(self, task_id, **fields)

    monkeypatch.setattr(Progress, "update", recording)
    Cli(tmp_path / "big.db")("demo", "--size", "4000")
    assert told == [(2000, "Making fictive citizens"), (4000, "Building indexes, checking the rows and summing up the agenda")]
