"""A what-if run into the past reads the file as it stood at the end of its today: a contact, a tick,
a payslip, a phase move or an ending recorded later plays no part in due, check or report, and
nothing of the file changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Cli, file_digest

LEFT_OUT = "Read as of 14-04-2026"


@pytest.fixture
def contacts(tmp_path: Path) -> Cli:
    """Åse, enrolled in January, last contacted on 05-01 (next due 12-01) and then on 04-05."""
    cli = Cli(tmp_path / "f.db", today="2026-01-05")
    cli("enroll", "Åse Berg", "--program", "ovebane")
    cli("followup", "Åse", "--kind", "phone", "--with", "citizen")
    cli.today = "2026-05-04"
    cli("followup", "Åse", "--kind", "phone", "--with", "citizen")
    return cli


def test_a_later_contact_does_not_hide_an_overdue_follow_up(contacts: Cli):
    contacts.today = "2026-04-14"
    before = file_digest(contacts.db)
    result = contacts("due")
    assert "due 12-01-2026, 92 days overdue" in result.stdout
    assert f"{LEFT_OUT}: 1 fact recorded after that day is left out." in result.stderr
    items = contacts.json("due")["items"]
    assert [(i["kind"], i["overdue_days"]) for i in items] == [("followup", 92)]
    assert file_digest(contacts.db) == before  # a what-if run writes nothing


def test_on_the_day_after_the_contact_the_file_is_read_as_it_is(contacts: Cli):
    contacts.today = "2026-05-20"
    result = contacts("due")
    assert "due 11-05-2026, 9 days overdue" in result.stdout
    assert "Read as of" not in result.stderr


def test_a_later_tick_payslip_and_move_play_no_part_in_check(tmp_path: Path):
    cli = Cli(tmp_path / "f.db", today="2026-02-02")
    cli("enroll", "Bo Holm", "--program", "jobgaranti")
    cli("mark", "Bo", "visitation")
    cli.today = "2026-04-20"
    for item in ("cv", "job_goal", "jobformidler"):
        cli("mark", "Bo", item)
    cli("advance", "Bo")
    cli("advance", "Bo", "--force", "--reason", "tested")
    cli("hours", "Bo", "--month", "2026-04", "--ordinary", "31")
    now = cli.json("check")["items"][0]
    assert now["phase"] == "trin3"
    assert [r["met"] for r in now["rules"] if r["kind"] == "ordinary_hours_month"] == [True]

    cli.today = "2026-04-14"
    then = cli("check", "--json")
    (item,) = __import__("json").loads(then.stdout)["items"]
    assert item["phase"] == "trin1"  # the moves on 20-04 had not happened
    assert item["ready"] is False
    (checklist,) = [r for r in item["rules"] if r["kind"] == "checklist"]
    assert "CV made" in checklist["detail"] and "Visitation done" not in checklist["detail"]
    assert f"{LEFT_OUT}: 7 facts recorded after that day are left out." in then.stderr


def test_a_later_payslip_and_ending_play_no_part_in_the_report(tmp_path: Path):
    cli = Cli(tmp_path / "f.db", today="2026-02-02")
    cli("enroll", "Bo Holm", "--program", "jobgaranti")
    cli.today = "2026-04-20"
    cli("hours", "Bo", "--month", "2026-03", "--ordinary", "31")  # March's payslip, come in on 20-04
    cli("end", "Bo", "--outcome", "dropout", "--on", "2026-04-20")

    def figures() -> tuple[dict, dict]:
        item = cli.json("report", "--from", "2026-01-01", "--to", "2026-03-31")["items"][0]
        return item["outcomes"], {k["id"]: k["numerator"] for k in item["kpis"]}

    outcomes, now = figures()
    assert now["ordinary_hours"] == 1
    cli.today = "2026-04-14"
    outcomes, then = figures()
    assert then["ordinary_hours"] == 0  # the figure was not there yet
    assert outcomes == {}


def test_a_day_attended_later_was_still_planned(tmp_path: Path):
    cli = Cli(tmp_path / "f.db", today="2026-04-06")
    cli("company", "add", "Bageriet", "--employees", "12")
    cli("enroll", "Bo Holm", "--program", "ovebane")
    cli("schedule", "Bo", "--company", "Bageriet", "--start", "2026-04-07", "--weeks", "2", "--days", "tue,thu",
        "--hours", "4")
    cli.today = "2026-04-20"
    cli("attend", "Bo", "2026-04-16", "--hours", "3")
    cli.today = "2026-04-15"  # the day after tomorrow was still to come
    (day,) = [i for i in cli.json("due", "--days", "2")["items"] if i["kind"] == "practice_day"]
    assert day["date"] == "2026-04-16"
    assert day["text"] == "Bo Holm 4 h"
