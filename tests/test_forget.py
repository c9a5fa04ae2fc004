"""forget: personal data erased everywhere, the journal and the file's free pages included."""

from __future__ import annotations

import json
import sqlite3


from fleksrun.store.db import open_db
from fleksrun.store.queries import monthly_hours
from trust_helpers import data_dump, end_enrollment, place, write

NAME, CPR = "Mette Kjærgaard", "310385-1234"
SECRETS = [NAME, "Kjærgaard", CPR, "3103851234", "11223344", "mette@example.dk", "SAG-4711", "no stairs",
           "baker apprentice", "likes mornings", "came late again", "sorting flour", "talked about sleep",
           "deleted note", "forced on purpose", "kjaergaard"]  # the last: her name's search key


def _file_bytes(path):
    data = path.read_bytes()
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")):
        if extra.exists():
            data += extra.read_bytes()
    return data


def _citizen_with_a_full_history(cli):
    cli("enroll", NAME, "--program", "ovebane", "--cpr", CPR, "--phone", "11223344", "--email", "mette@example.dk",
        "--ref", "SAG-4711", "--note", "likes mornings")
    cli("enroll", "Jens Berg", "--program", "rampen", "--phone", "87654321")
    cli("company", "add", "Bageriet", "--employees", "12")
    cli("edit", "Mette", "--accommodations", "no stairs", "--job-goal", "baker apprentice")
    cli("edit", "Mette", "--phone", "11223344 ")  # one more journal row holding the phone number
    place(cli.db, 1, 1, ["2026-02-03", "2026-02-05", "2026-03-03"], note="came late again", tasks="sorting flour")
    write(cli.db, "followup", 1, [("insert", "followups", {"enrollment_id": 1, "date": "2026-02-10", "kind": "talk",
                                                           "with_whom": "citizen", "note": "talked about sleep"})])
    write(cli.db, "followup", 1, [("insert", "followups", {"enrollment_id": 1, "date": "2026-02-11", "kind": "talk",
                                                           "with_whom": "citizen", "note": "deleted note"})])
    cli("undo")  # the second follow-up is gone, its note from the journal too
    write(cli.db, "hours", 1, [("insert", "hours", {"citizen_id": 1, "month": "2026-02", "kind": "ordinary",
                                                    "hours": 31.5, "source": "payslip", "recorded_on": "2026-03-01"})])
    write(cli.db, "advance", 1, [("update", "phases", 1, {"reason": "forced on purpose", "forced": 1})])
    end_enrollment(cli.db, 1, "2026-03-15", "job")


# What reports count must survive: everything but the personal columns (and the erasure stamp).
PERSONAL = {"citizens": {"name", "cpr", "case_ref", "phone", "email", "accommodations", "job_goal", "notes",
                         "erased_at"},
            "phases": {"reason"}, "placements": {"contact", "tasks", "goals", "extension_reason"},
            "days": {"note", "reason"}, "followups": {"note"}}


def test_forget_leaves_no_byte_of_the_personal_data_and_the_anonymous_facts_unchanged(cli):
    _citizen_with_a_full_history(cli)
    data = _file_bytes(cli.db)
    assert all(secret.encode() in data for secret in [NAME, CPR, "talked about sleep"])
    assert b"deleted note" not in data  # an undone creation leaves nothing personal behind, forget or not
    facts = data_dump(cli.db, skip_columns=PERSONAL)
    db = open_db(cli.db)
    hours = monthly_hours(db, 1, "2026-01", "2026-04")
    db.close()
    report = cli.json("report")

    result = cli("forget", "1", "--yes")
    assert result.stdout.startswith("Forgot citizen 1:")

    data = _file_bytes(cli.db)
    for secret in SECRETS:
        assert secret.encode("utf-8") not in data, secret
    assert data_dump(cli.db, skip_columns=PERSONAL) == facts
    db = open_db(cli.db)
    assert monthly_hours(db, 1, "2026-01", "2026-04") == hours
    name, cpr, phone, erased_at = db.execute("SELECT name, cpr, phone, erased_at FROM citizens WHERE id = 1").fetchone()
    db.close()
    assert (name, cpr, phone) == ("erased #1", None, None) and erased_at
    assert cli.json("report") == report
    # The other citizen is untouched.
    assert cli.json("show", "Jens")["phone"] == "87654321"


def test_forget_is_journalled_without_the_erased_values_and_cannot_be_undone(cli):
    _citizen_with_a_full_history(cli)
    cli("forget", "Mette", "--yes")
    conn = sqlite3.connect(str(cli.db))
    journal = " ".join(str(r) for r in conn.execute("SELECT before, after FROM journal"))
    assert NAME not in journal and "11223344" not in journal and "talked about sleep" not in journal
    forget_rows = conn.execute(
        "SELECT j.table_name, j.after FROM journal j JOIN commands c ON c.id = j.command_id WHERE c.command = 'forget'"
    ).fetchall()
    assert forget_rows and {t for t, _ in forget_rows} >= {"citizens", "days", "followups", "placements", "phases"}
    before = data_dump(cli.db)
    result = cli("undo", code=3)
    assert "cannot be undone" in result.stderr
    assert data_dump(cli.db) == before
    history = cli.json("history")["items"]
    assert history[0]["command"] == "forget"
    citizen_change = [c for c in history[0]["changes"] if c["table"] == "citizens"]
    assert [list(c["fields"]) for c in citizen_change] == [["erased_at"]]


def test_a_forgotten_citizen_is_gone_from_lists_and_lookups(cli):
    _citizen_with_a_full_history(cli)
    cli("forget", "Mette", "--yes")
    assert [i["name"] for i in cli.json("citizens", "--all")["items"]] == ["Jens Berg"]
    assert "No citizen matches" in cli("show", "Mette", code=2).stderr
    assert "no citizen number 1" in cli("forget", "1", "--yes", code=2).stderr


def test_forget_asks_first_and_no_means_nothing_is_written(cli):
    _citizen_with_a_full_history(cli)
    before = data_dump(cli.db)
    result = cli.runner.invoke(cli_app(), ["forget", "Mette"], input="n\n", env=cli.env())
    assert result.exit_code == 1
    assert f"Erase all personal data of {NAME} (citizen 1)" in result.stderr
    assert "nothing was written" in result.stderr
    assert data_dump(cli.db) == before
    result = cli.runner.invoke(cli_app(), ["forget", "Mette"], input="y\n", env=cli.env())
    assert result.exit_code == 0, result.stderr
    assert data_dump(cli.db)["citizens"][0][1] == "erased #1"


def test_an_active_citizen_must_be_ended_first(cli):
    cli("enroll", NAME, "--program", "ovebane")
    before = data_dump(cli.db)
    result = cli("forget", "Mette", "--yes", code=3)
    assert "still active in ovebane" in result.stderr
    assert data_dump(cli.db) == before


def test_forget_warns_about_older_copies_that_still_hold_the_data(cli, tmp_path):
    _citizen_with_a_full_history(cli)
    cli("backup")
    (cli.db.parent / "fleksrun.db.before-m009_x.bak").write_bytes(b"a copy kept before a migration")
    result = cli("forget", "Mette", "--yes")
    # The backup fleksrun wrote is named once, among the files it remembers; the migration's copy
    # beside the database, which it does not remember, among the older copies.
    assert "1 backup or export that fleksrun wrote still exists" in result.stderr
    assert "1 older copy beside the database" in result.stderr and "before-m009_x.bak" in result.stderr
    assert result.stderr.count("-backup-") == 1
    doc = json.loads(cli("forget", "Jens", "--yes", "--json", code=3).stdout)
    assert doc["error"]["code"] == "refused"


def test_ended_before_lists_who_has_ended_long_ago(cli):
    cli("enroll", "Anna Old", "--program", "ovebane")
    cli("enroll", "Bo Recent", "--program", "ovebane")
    cli("enroll", "Carl Active", "--program", "ovebane")
    cli("enroll", "Dorte Gone", "--program", "ovebane")
    end_enrollment(cli.db, 1, "2025-01-31", "job")
    end_enrollment(cli.db, 2, "2026-03-01", "dropout")
    end_enrollment(cli.db, 4, "2024-06-30", "moved")
    cli("forget", "Dorte", "--yes")
    items = cli.json("citizens", "--ended-before", "2025-03-30")["items"]
    assert [(i["name"], i["end"], i["outcome"]) for i in items] == [("Anna Old", "2025-01-31", "job")]
    assert [i["name"] for i in cli.json("citizens", "--ended-before", "2026-03-30")["items"]] == ["Anna Old", "Bo Recent"]
    assert "Nobody's enrollment ended" in cli("citizens", "--ended-before", "2020-01-01").stdout
    assert "ended (job)" in cli("citizens", "--ended-before", "30-03-2025").stdout


def cli_app():
    from fleksrun.cli.app import app

    return app


def test_every_text_column_of_a_citizens_rows_is_either_personal_or_anonymous(tmp_path):
    """A new column with text about a citizen must be classified in services/privacy.py, or forget misses it."""
    from fleksrun.services.privacy import ANONYMOUS_TEXT, PERSONAL_DATA, _references

    db = open_db(tmp_path / "f.db")
    tables, edges = {"citizens"}, _references(db)
    for _ in edges:  # every table that leads to citizens through foreign keys
        tables |= {child for child, _col, parent in edges if parent in tables}
    unclassified = []
    for table in sorted(tables):
        for column in db.columns(table):
            if column.type.upper() == "TEXT" and column.name not in PERSONAL_DATA.get(table, {}) \
                    and column.name not in ANONYMOUS_TEXT.get(table, set()):
                unclassified.append(f"{table}.{column.name}")
    db.close()
    assert unclassified == []
    assert set(PERSONAL_DATA) <= tables


def test_no_byte_remains_even_while_another_window_keeps_the_database_open(cli):
    _citizen_with_a_full_history(cli)
    other = sqlite3.connect(str(cli.db))  # an idle second fleksrun: the WAL file is not removed on close
    other.execute("SELECT COUNT(*) FROM citizens").fetchone()
    try:
        cli("forget", "Mette", "--yes")
        data = _file_bytes(cli.db)
        for secret in SECRETS:
            assert secret.encode("utf-8") not in data, secret
    finally:
        other.close()
