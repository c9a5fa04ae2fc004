"""history and undo: the journal read back, and the last command reversed exactly."""

from __future__ import annotations

import json
import sqlite3


from trust_helpers import data_dump, place, write


def _setup(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--cpr", "310385-1234", "--phone", "11223344")
    cli("company", "add", "Bageriet", "--employees", "12")


def test_a_schedule_then_undo_leaves_the_data_as_before_and_history_shows_both(cli):
    _setup(cli)
    before = data_dump(cli.db)
    place(cli.db, 1, 1, ["2026-03-31", "2026-04-02", "2026-04-07", "2026-04-09"], note="came on time")
    assert data_dump(cli.db) != before
    result = cli("undo")
    assert "Undid #3 (schedule" in result.stdout and "5." in result.stdout
    assert data_dump(cli.db) == before
    items = cli.json("history")["items"]
    assert [(i["id"], i["command"], i["undoes"], bool(i["undone_at"])) for i in items[:2]] == [
        (4, "undo", 3, False), (3, "schedule", None, True)]
    assert [c["action"] for c in items[0]["changes"]] == ["delete"] * 5
    assert [c["table"] for c in items[0]["changes"]] == ["days"] * 4 + ["placements"]
    text = cli("history").stdout
    assert "schedule (undone)" in text and "undo of #3" in text


def test_the_real_schedule_command_is_undone_exactly(cli):
    _setup(cli)
    before = data_dump(cli.db)
    cli("schedule", "Mette", "--company", "Bageriet", "--start", "2026-03-31", "--weeks", "8", "--days", "tue,thu")
    assert data_dump(cli.db) != before
    cli("undo")
    assert data_dump(cli.db) == before
    assert [i["command"] for i in cli.json("history")["items"][:2]] == ["undo", "schedule"]


def test_several_undos_step_back_one_command_at_a_time_to_an_empty_database(cli):
    cli("company", "add", "Bageriet")
    states = [data_dump(cli.db)]
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    states.append(data_dump(cli.db))
    cli("edit", "Mette", "--phone", "11223344", "--notes", "mornings")
    states.append(data_dump(cli.db))
    cli("edit", "Mette", "--phone", "55667788")
    for expected in reversed(states):
        cli("undo")
        assert data_dump(cli.db) == expected
    cli("undo")
    empty = data_dump(cli.db)
    assert all(rows == [] for rows in empty.values())
    result = cli("undo", code=3)
    assert result.stderr.startswith("There is nothing left to undo")
    assert result.stderr.count("\n") == 1


def test_undo_records_what_it_undid(cli):
    _setup(cli)
    doc = cli.json("undo")
    assert doc == {"undone": 2, "command": "company add", "at": doc["at"], "undo_id": 3, "rows": 1}
    conn = sqlite3.connect(str(cli.db))
    rows = conn.execute("SELECT id, command, undoes, undone_at IS NOT NULL FROM commands ORDER BY id").fetchall()
    assert rows == [(1, "enroll", None, 0), (2, "company add", None, 1), (3, "undo", 2, 0)]


def test_undo_refuses_when_a_row_changed_since_and_writes_nothing(cli):
    _setup(cli)
    cli("edit", "Mette", "--phone", "99999999")
    conn = sqlite3.connect(str(cli.db))
    conn.execute("UPDATE citizens SET phone = '12121212' WHERE id = 1")  # a change fleksrun did not make
    conn.commit()
    conn.close()
    cli("company", "add", "Other")
    cli("undo")  # the company add is independent and goes
    before = data_dump(cli.db)
    result = cli("undo", code=3)
    assert "citizens #1 has changed since" in result.stderr
    assert data_dump(cli.db) == before
    assert cli.json("citizens")["items"][0]["name"] == "Mette Hansen"


def test_undo_of_a_command_that_changed_one_row_twice_restores_the_first_state(cli):
    cli("company", "add", "Bageriet")
    before = data_dump(cli.db)
    write(cli.db, "test", None, [("update", "companies", 1, {"name": "B2"}), ("update", "companies", 1, {"name": "B3"}),
                                 ("insert", "companies", {"name": "X", "created_at": "now"}),
                                 ("delete", "companies", 2)])
    cli("undo")
    assert data_dump(cli.db) == before


def test_undo_puts_a_deleted_row_back_with_its_number(cli):
    cli("company", "add", "Bageriet", "--cvr", "12345678")
    before = data_dump(cli.db)
    write(cli.db, "remove", None, [("delete", "companies", 1)])
    assert data_dump(cli.db)["companies"] == []
    cli("undo")
    assert data_dump(cli.db) == before


def test_history_of_one_citizen_and_its_limit(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane")
    cli("enroll", "Jens Berg", "--program", "rampen")
    cli("edit", "Mette", "--phone", "11223344")
    cli("company", "add", "Bageriet")
    items = cli.json("history", "Mette")["items"]
    assert [(i["command"], i["citizen_id"]) for i in items] == [("edit", 1), ("enroll", 1)]
    assert items[0]["changes"] == [{"table": "citizens", "row_id": 1, "action": "update",
                                   "fields": {"phone": {"before": None, "after": "11223344"}}}]
    assert [i["id"] for i in cli.json("history", "--limit", "2")["items"]] == [4, 3]
    assert set(cli.json("history")["items"][0]) == {"id", "at", "command", "citizen_id", "undone_at", "undoes", "pruned_at",
                                                    "changes"}
    assert "--limit" in cli("history", "--limit", "0", code=2).stderr


def test_history_never_shows_a_cpr_in_full(cli):
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--cpr", "310385-1234")
    cli("edit", "Mette", "--cpr", "010203-4321")
    for text in (cli("history").stdout, cli("history", "--json").stdout):
        assert "1234" not in text and "4321" not in text
    assert "310385-xxxx" in cli("history").stdout


def test_history_of_an_empty_database_is_a_sentence(cli):
    cli("config")  # an empty database: `config`, a first command, made it (a read makes none)
    result = cli("history")
    assert result.stdout.startswith("Nothing has been changed yet")
    assert json.loads(cli("history", "--json").stdout)["items"] == []
