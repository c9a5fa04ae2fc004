"""A follow-up's cadence date never falls on a weekend, a public holiday or a day off the file sets: it
moves to the working day before. A date the consultant chooses there is kept, with a warning, and
`due` names the holiday on its day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import Cli
from fleksrun.domain.calendar import day_off, is_public_holiday, working_day_before


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "f.db", today="2026-03-30")  # a Monday, the week before Easter
    cli("enroll", "Bo Holm", "--program", "ovebane", "--start", "2026-03-02")
    return cli


def test_a_cadence_date_on_easter_saturday_moves_back_past_the_holidays(cli: Cli):
    cli("edit", "Bo", "--followup-every", "5")  # 30-03 + 5 days = Saturday 04-04
    doc = cli.json("followup", "Bo", "--kind", "phone")
    # Friday 03-04 is Langfredag and Thursday 02-04 Skærtorsdag: Wednesday 01-04 is the day before.
    assert doc["next_due"] == "2026-04-01"
    assert doc["warnings"] == []


def test_a_day_off_the_file_sets_is_skipped_too(tmp_path: Path):
    cli = Cli(tmp_path / "f.db", today="2026-12-17")  # a Thursday
    cli("enroll", "Bo Holm", "--program", "ovebane", "--start", "2026-12-01")
    cli("edit", "Bo", "--followup-every", "8")  # 17-12 + 8 = Friday 25-12, Juledag
    assert cli.json("followup", "Bo")["next_due"] == "2026-12-24"
    cli("config", "days-off", "juleaftensdag")
    cli("edit", "Bo", "--followup-every", "9")  # 26-12, recomputed: Juleaftensdag is now a day off too
    doc = cli.json("due", "--from", "2026-12-21")
    assert [(i["kind"], i["date"]) for i in doc["items"] if i["kind"] == "followup"] == [("followup", "2026-12-23")]
    assert doc["days_off"] == {"2026-12-24": "Juleaftensdag", "2026-12-25": "Juledag", "2026-12-26": "Anden juledag"}


def test_next_on_a_holiday_is_kept_with_a_warning(cli: Cli):
    result = cli("followup", "Bo", "--next", "06-04-2026")
    assert "Next contact due 06-04-2026" in result.stdout
    assert "is a public holiday: kept as you chose it." in result.stderr
    doc = cli.json("followup", "Bo", "--next", "2026-04-04")
    assert doc["next_due"] == "2026-04-04"
    assert [w["key"] for w in doc["warnings"]] == ["followup.next_on_saturday"]


def test_due_names_the_holiday_on_its_day(cli: Cli):
    cli("followup", "Bo", "--next", "06-04-2026")
    page = cli("due", "--from", "2026-04-06").stdout
    assert "Monday 06-04-2026 — Anden påskedag (day off)" in page
    head = cli.json("due", "--week", "uge 15")
    assert head["days_off"]["2026-04-06"] == "Anden påskedag"
    assert "2026-04-07" not in head["days_off"]


def test_the_moved_date_is_never_on_or_before_the_contact():
    friday = dt.date(2026, 4, 17)
    assert working_day_before(dt.date(2026, 4, 18), friday) == dt.date(2026, 4, 20)  # Saturday: on to Monday
    for start in (dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(366)):
        for every in (1, 2, 5, 7, 14, 30):
            moved = working_day_before(start + dt.timedelta(days=every), start)
            assert moved > start and day_off(moved) is None and not is_public_holiday(moved)
            assert moved <= start + dt.timedelta(days=every) or all(
                day_off(start + dt.timedelta(days=k)) for k in range(1, every + 1))
