"""The journal's retention: `journal prune` and the default `doctor` reports (issue 21, point 7)."""

from __future__ import annotations

import sqlite3

from conftest import file_digest
from file_search import database_files, found

OLD_CPR, NEW_CPR, CLEARED = "150472-1234", "310385-1237", "owes the landlord money"


def _made_long_ago(cli, *command_ids: int, at: str = "2024-06-01T10:00:00+00:00") -> None:
    """As if those commands had been run long ago (the journal's stamps are the clock's, not --today)."""
    conn = sqlite3.connect(str(cli.db))
    conn.executemany("UPDATE commands SET at = ? WHERE id = ?", [(at, i) for i in command_ids])
    conn.commit()
    conn.close()


def _old_history(cli) -> None:
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--cpr", OLD_CPR, "--note", CLEARED)  # command 1
    cli("edit", "Mette", "--cpr", NEW_CPR)  # 2: replaces the CPR number
    cli("edit", "Mette", "--notes", "")  # 3: clears the note
    _made_long_ago(cli, 1, 2, 3)
    cli("edit", "Mette", "--phone", "11223344")  # 4: today's change


def test_doctor_reports_the_default_retention_and_what_is_older(cli):
    _old_history(cli)
    check = {c["check"]: c for c in cli.json("doctor")["checks"]}["journal"]
    assert check["ok"] is True
    assert check["detail"] == ("Journal: 3 changes older than 12 months (before 30-03-2025) still keep earlier "
                               "personal values (replaced CPR numbers, cleared notes): `fleksrun journal prune` "
                               "removes them.")
    cli("journal", "prune", "--yes")
    check = {c["check"]: c for c in cli.json("doctor")["checks"]}["journal"]
    assert check["detail"] == ("Journal: no change older than 12 months (before 30-03-2025) keeps earlier "
                               "personal values.")
    da = cli("doctor", env={"FLEKSRUN_LANG": "da"}).stdout
    assert "Journal: ingen ændring ældre end 12 måneder" in da


def test_prune_removes_replaced_and_cleared_values_of_old_changes_and_keeps_the_rest(cli):
    _old_history(cli)
    assert found(database_files(cli.db), [OLD_CPR, CLEARED]) != []
    result = cli("journal", "prune", "--yes")
    assert result.stdout.replace("\n", " ").startswith(
        "Removed the earlier personal values of 3 changes made before 30-03-2025 from the journal")
    assert found(database_files(cli.db), [OLD_CPR, OLD_CPR.replace("-", ""), CLEARED]) == []
    assert cli.json("show", "Mette")["name"] == "Mette Hansen"  # the data itself is untouched
    assert found(database_files(cli.db), [NEW_CPR]) != []  # (the search finds what is there)
    history = cli.json("history")["items"]
    assert [(c["id"], bool(c["pruned_at"])) for c in history] == [(4, False), (3, True), (2, True), (1, True)]
    assert history[0]["changes"][0]["fields"] == {"phone": {"before": None, "after": "11223344"}}
    assert history[2]["changes"][0]["table"] == "citizens"  # what was changed stays, its values do not
    assert "(earlier values pruned)" in cli("history").stdout
    cli("undo")  # today's change can still be undone
    result = cli("undo", code=3)
    assert "its earlier values were removed by `journal prune`" in result.stderr


def test_prune_before_a_given_day_and_nothing_to_prune(cli):
    _old_history(cli)
    assert "nothing to prune" in cli("journal", "prune", "--before", "2024-01-01", "--yes").stdout
    doc = cli.json("journal", "prune", "--before", "2024-06-02", "--yes")
    assert (doc["commands"], doc["before"], doc["file_clean"], doc["keep_months"]) == (3, "2024-06-02", True, 12)
    assert "nothing to prune" in cli("journal", "prune", "--before", "today", "--yes").stdout


def test_prune_asks_first_and_refuses_a_day_after_today(cli):
    from fleksrun.cli.app import app

    _old_history(cli)
    digest = file_digest(cli.db)
    result = cli.runner.invoke(app, ["journal", "prune"], input="n\n", env=cli.env())
    assert result.exit_code == 1
    assert "Remove the earlier personal values of 3 changes made before 30-03-2025" in result.stderr
    assert file_digest(cli.db) == digest
    result = cli("journal", "prune", "--before", "2026-04-01", "--yes", code=2)
    assert result.stderr == "01-04-2026 is after today: prune changes before today or an earlier day.\n"
    assert file_digest(cli.db) == digest
