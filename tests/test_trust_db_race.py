"""An edit racing a forget never puts data back (issue 21, point 1): real processes, many rounds."""

from __future__ import annotations

import random
import sqlite3
import time

from conftest import Cli
from file_search import database_files, found
from processes import finished, go, ready

ROUNDS = 30
PHONE, NOTE = "55501234", "knows the night shift"


def _ended_citizen(cli: Cli) -> None:
    cli("enroll", "Rasmus Raceby", "--program", "ovebane", "--cpr", "010190-1234", "--phone", "44443333",
        "--note", "first note")
    cli("end", "1", "--outcome", "moved")


def test_an_edit_racing_a_forget_never_leaves_data_on_the_forgotten_citizen(tmp_path):
    rng = random.Random(21)
    outcomes = []
    for round_no in range(ROUNDS):
        cli = Cli(tmp_path / f"round{round_no}.db")
        _ended_citizen(cli)
        forget = ready(cli.db, "forget", "1", "--yes")
        edit = ready(cli.db, "edit", "1", "--notes", NOTE, "--phone", PHONE)
        # Mostly forget first and the edit a few ms later, as from two windows; now and then the other way.
        first, second = (forget, edit) if round_no % 5 else (edit, forget)
        go(first)
        time.sleep(rng.uniform(0, 0.03))
        go(second)
        forgot, edited = finished(forget), finished(edit)

        assert forgot.returncode == 0, forgot.stderr
        assert "Traceback" not in edited.stderr
        if edited.returncode == 0:  # the edit came first; forget then erased it too
            outcomes.append("edit first")
        else:  # the losing command says why, in one sentence, and wrote nothing
            assert edited.returncode in (2, 3), edited.stderr
            assert edited.stderr.count("\n") == 1, edited.stderr
            assert ("was forgotten in another window" in edited.stderr
                    or "There is no citizen number 1" in edited.stderr), edited.stderr
            outcomes.append("edit lost")
        conn = sqlite3.connect(str(cli.db))
        row = conn.execute("SELECT name, phone, notes, cpr, erased_at FROM citizens WHERE id = 1").fetchone()
        conn.close()
        assert row[:4] == ("erased #1", None, None, None) and row[4], (round_no, row, edited.stderr)
        assert found(database_files(cli.db), [PHONE, NOTE, "Raceby", "44443333", "first note"]) == [], round_no
    assert "edit lost" in outcomes  # the race was really run, not only one after the other


def test_the_store_itself_refuses_any_write_under_a_forgotten_citizen(cli):
    """The guard triggers (m011): whatever command forgets to look, the store refuses, and says so."""
    _ended_citizen(cli)
    cli("forget", "1", "--yes")
    conn = sqlite3.connect(str(cli.db))
    conn.execute("PRAGMA foreign_keys = ON")
    enrollment = conn.execute("SELECT id FROM enrollments WHERE citizen_id = 1").fetchone()[0]
    writes = [
        ("UPDATE citizens SET phone = '1' WHERE id = 1", ()),
        ("INSERT INTO followups (enrollment_id, date, kind, with_whom, note) VALUES (?, '2026-04-01', 'talk',"
         " 'citizen', 'x')", (enrollment,)),
        ("UPDATE phases SET reason = 'x' WHERE enrollment_id = ?", (enrollment,)),
        ("INSERT INTO hours (citizen_id, month, kind, hours, recorded_on) VALUES (1, '2026-04', 'ordinary', 1,"
         " '2026-04-30')", ()),
        ("INSERT INTO enrollments (citizen_id, program_id, program_def, start, status) VALUES (1, 'ovebane', 1,"
         " '2026-04-01', 'active')", ()),
    ]
    for sql, binds in writes:
        try:
            conn.execute(sql, binds)
        except sqlite3.IntegrityError as exc:
            assert str(exc) == "fleksrun: the citizen is forgotten"
        else:
            raise AssertionError(f"written to a forgotten citizen: {sql}")
    conn.close()


def test_a_command_that_found_her_before_forget_committed_is_refused_with_a_sentence(cli):
    """As a command in the other window: it found citizen 1, then waited for the write lock."""
    from fleksrun.services import open_database
    from fleksrun.store.tx import transaction

    _ended_citizen(cli)
    cli("forget", "1", "--yes")
    db = open_database(cli.db)
    try:
        from fleksrun.errors import Refused

        try:
            with transaction(db, "followup") as tx:
                tx.about(1)
        except Refused as exc:
            assert exc.message() == ("Citizen 1 was forgotten in another window while this command waited, so "
                                     "nothing was written: a forgotten citizen cannot be changed.")
        else:
            raise AssertionError("a write to a forgotten citizen went through")
        try:  # a command that never names her: the store's own refusal, in words
            with transaction(db, "attend") as tx:
                tx.update("phases", 1, {"reason": "late"})
        except Refused as exc:
            assert "touches a forgotten citizen, so nothing was written" in exc.message()
        else:
            raise AssertionError("a write to a forgotten citizen went through")
    finally:
        db.close()
