"""A payslip settles its month: after `hours --month … --ordinary …`, the placement's days of that month
no longer ask for attendance. And a normal week is one command: `attend --week`, listed first,
undone in one step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Cli, file_digest
from fleksrun.cli.app import app


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """Bo in trin 3 of Jobgaranti with an ordinary job at Bageriet, Monday to Friday in April 2026."""
    cli = Cli(tmp_path / "f.db", today="2026-03-30")
    cli("company", "add", "Bageriet", "--employees", "12")
    cli("enroll", "Bo Holm", "--program", "jobgaranti", "--phase", "trin3")
    cli("schedule", "Bo", "--company", "Bageriet", "--kind", "ordinary", "--start", "2026-04-01",
        "--until", "2026-04-30", "--days", "mon-fri", "--hours", "1,5")
    return cli


def missing_lines(cli: Cli) -> list[dict]:
    return [i for i in cli.json("due")["items"] if i["kind"] == "attendance_missing"]


def test_a_payslip_settles_the_months_days(cli: Cli):
    cli.today = "2026-05-04"
    assert {i["date"][:7] for i in missing_lines(cli)} == {"2026-04"}
    assert "Record attendance" in cli("due").stdout
    assert len(cli.json("missing")["items"]) > 0

    cli("hours", "Bo", "--month", "2026-04", "--ordinary", "22,5")
    assert missing_lines(cli) == []
    assert cli.json("missing")["items"] == []
    assert "Record attendance" not in cli("due").stdout
    # A figure of another kind settles nothing: the days are ordinary work.
    cli("hours", "Bo", "--month", "2026-04", "--clear", "ordinary")
    cli("hours", "Bo", "--month", "2026-04", "--practice", "3")
    assert missing_lines(cli) != []


def test_attend_week_records_the_planned_days_after_listing_them(cli: Cli):
    cli.today = "2026-04-10"  # Friday of week 15
    before = file_digest(cli.db)
    declined = cli.runner.invoke(app, ["attend", "Bo", "--week", "uge 15"], input="n\n", env=cli.env())
    assert declined.exit_code == 1
    assert "Bo Holm: 4 planned days to record as attended" in declined.stdout
    assert "Monday 06-04-2026" not in declined.stdout  # Anden påskedag: never booked
    assert "Tuesday 07-04-2026  Bageriet  1.5 h" in declined.stdout
    assert file_digest(cli.db) == before  # said no: nothing written

    def missing_in_week() -> list[str]:
        return [i["date"] for i in cli.json("missing")["items"] if "2026-04-06" <= i["date"] <= "2026-04-12"]

    assert missing_in_week() == ["2026-04-07", "2026-04-08", "2026-04-09"]  # today's day is not missing yet
    done = cli("attend", "Bo", "--week", "uge 15", "--yes")
    assert "Recorded 4 days of Bo Holm as attended" in done.stdout
    assert missing_in_week() == []
    (today,) = [i for i in cli.json("due", "--days", "1")["items"] if i["kind"] == "practice_day"]
    assert today["text"] == "Bo Holm 1.5 h (attended)"
    assert "has no planned days left" in cli("attend", "Bo", "--week", "uge 15", "--yes").stdout

    cli("undo")
    assert missing_in_week() == ["2026-04-07", "2026-04-08", "2026-04-09"]


def test_attend_week_leaves_the_days_still_to_come(cli: Cli):
    cli.today = "2026-04-15"  # Wednesday of week 16
    doc = json.loads(cli("attend", "Bo", "--week", "2026-W16", "--yes", "--json").stdout)
    assert [d["date"] for d in doc["days"]] == ["2026-04-13", "2026-04-14", "2026-04-15"]
    assert doc["later"] == 2
    assert "2 planned days of the week are still to come" in cli("attend", "Bo", "--week", "uge 16", "--yes").stdout


def test_attend_week_is_refused_with_a_single_day_option(cli: Cli):
    cli.today = "2026-04-10"
    before = file_digest(cli.db)
    result = cli("attend", "Bo", "--week", "uge 15", "--hours", "3", code=2)
    assert "--week records a whole normal week" in result.stderr
    result = cli("attend", "Bo", "--week", "uge 15", "--json", code=2)
    assert "add --yes" in result.stdout + result.stderr
    assert file_digest(cli.db) == before
