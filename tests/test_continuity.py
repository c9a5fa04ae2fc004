"""Continuous practice ("sammenhængende praktik") through the CLI: the practice went on.

Holidays, closing days and a sick week keep a run going; a week with no placement, or two weeks in a
row with no attendance and no reason, break it. Øvebane's exit needs the practice to have happened.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import Cli


def booked(cli: Cli, citizen: str) -> list[str]:
    """The citizen's booked days, in order."""
    return sorted(d["date"] for d in cli.json("show", citizen)["days"] if d["status"] == "planned")


def attend_all(cli: Cli, citizen: str, *, sick: tuple[str, ...] = (), no_show: tuple[str, ...] = ()) -> None:
    for day in booked(cli, citizen):
        on = {"FLEKSRUN_TODAY": day}
        if day in sick:
            cli("attend", citizen, day, "--absent", "sick", env=on)
        elif day in no_show:
            cli("attend", citizen, day, "--absent", "no-show", env=on)
        else:
            cli("attend", citizen, day, env=on)


def continuous(cli: Cli, today: str) -> dict:
    doc = json.loads(cli("check", "--json", env={"FLEKSRUN_TODAY": today}).stdout)
    return next(r for r in doc["items"][0]["rules"] if r["kind"] == "continuous_practice_weeks")


def virksomhedscenter(tmp_path: Path) -> Cli:
    cli = Cli(tmp_path / "c.db", today="2026-03-02")
    cli("enroll", "Ida Holm", "--program", "virksomhedscenter", "--start", "2026-03-02")
    cli("company", "add", "Bageriet")
    return cli


def test_easter_in_a_thursday_and_friday_placement_keeps_13_weeks(tmp_path: Path):
    cli = virksomhedscenter(tmp_path)
    # Thursdays and Fridays from 05-03-2026 for 13 weeks: Skærtorsdag and Langfredag (2 and 3 April)
    # are public holidays, so that week has no day to attend.
    cli("schedule", "Ida", "--company", "Bageriet", "--start", "2026-03-05", "--weeks", "13", "--days", "thu,fri",
        "--hours", "4")
    assert "2026-04-02" not in booked(cli, "Ida") and "2026-04-03" not in booked(cli, "Ida")
    attend_all(cli, "Ida")
    rule = continuous(cli, "2026-06-05")
    assert rule["met"] is True, rule
    assert rule["detail"] == "practice in 13 consecutive weeks, week 10 to week 22"


def test_a_sick_week_keeps_13_weeks(tmp_path: Path):
    cli = virksomhedscenter(tmp_path)
    cli("schedule", "Ida", "--company", "Bageriet", "--start", "2026-04-14", "--weeks", "13", "--days", "tue,thu",
        "--hours", "4")
    attend_all(cli, "Ida", sick=("2026-05-19", "2026-05-21"))
    assert continuous(cli, "2026-07-12")["met"] is True


def test_an_empty_week_between_two_placements_breaks_the_run(tmp_path: Path):
    cli = virksomhedscenter(tmp_path)
    cli("schedule", "Ida", "--company", "Bageriet", "--start", "2026-04-14", "--weeks", "6", "--days", "tue,thu",
        "--hours", "4")
    # The next placement begins two weeks after the first ended: week 22 has no placement at all.
    cli("schedule", "Ida", "--company", "Bageriet", "--start", "2026-06-02", "--weeks", "8", "--days", "tue,thu",
        "--hours", "4")
    attend_all(cli, "Ida")
    rule = continuous(cli, "2026-08-02")
    assert rule["met"] is False
    assert rule["detail"] == "practice in 8 consecutive weeks of 13, week 23 to week 30"


def test_two_weeks_without_attendance_or_reason_break_the_run(tmp_path: Path):
    cli = virksomhedscenter(tmp_path)
    cli("schedule", "Ida", "--company", "Bageriet", "--start", "2026-04-14", "--weeks", "13", "--days", "tue",
        "--hours", "4")
    attend_all(cli, "Ida", no_show=("2026-05-19",))  # one week: the run goes on
    assert continuous(cli, "2026-07-12")["met"] is True
    cli2 = virksomhedscenter(tmp_path / "two")
    cli2("schedule", "Ida", "--company", "Bageriet", "--start", "2026-04-14", "--weeks", "13", "--days", "tue",
         "--hours", "4")
    attend_all(cli2, "Ida", no_show=("2026-05-19", "2026-05-26"))  # two in a row: broken
    assert continuous(cli2, "2026-07-12") == {
        "kind": "continuous_practice_weeks", "met": False,
        "detail": "practice in 6 consecutive weeks of 13, week 23 to week 28"}


def test_an_ovebane_with_every_day_missed_is_not_ready(tmp_path: Path):
    cli = Cli(tmp_path / "o.db", today="2026-03-02")
    cli("enroll", "Ole Berg", "--program", "ovebane", "--start", "2026-03-02")
    cli("company", "add", "Bageriet")
    cli("schedule", "Ole", "--company", "Bageriet", "--start", "2026-03-03", "--weeks", "13", "--days", "tue,thu",
        "--hours", "4")
    days = booked(cli, "Ole")
    assert len(days) == 24  # 26 days less Skærtorsdag and Kristi himmelfart
    attend_all(cli, "Ole", no_show=tuple(days))
    cli("mark", "Ole", "competences")
    cli("mark", "Ole", "job_goal")
    late = {"FLEKSRUN_TODAY": "2026-06-15"}
    check = json.loads(cli("check", "--json", env=late).stdout)["items"][0]
    assert check["ready"] is False
    assert json.loads(cli("due", "--kind", "ready_to_advance", "--json", env=late).stdout)["items"] == []
    # Attended as booked, the same track is ready.
    cli2 = Cli(tmp_path / "o2.db", today="2026-03-02")
    cli2("enroll", "Ole Berg", "--program", "ovebane", "--start", "2026-03-02")
    cli2("company", "add", "Bageriet")
    cli2("schedule", "Ole", "--company", "Bageriet", "--start", "2026-03-03", "--weeks", "13", "--days", "tue,thu",
         "--hours", "4")
    attend_all(cli2, "Ole")
    cli2("mark", "Ole", "competences")
    cli2("mark", "Ole", "job_goal")
    assert json.loads(cli2("check", "--json", env=late).stdout)["items"][0]["ready"] is True


def test_the_week_of_a_day(tmp_path: Path):
    assert dt.date(2026, 4, 2).isocalendar()[1] == 14  # the Easter week of the first test


def test_a_day_off_the_file_sets_keeps_the_run_going(tmp_path: Path):
    """Fridays from 08-05-2026; Grundlovsdag (Friday 05-06-2026) is set as a day off, so that week is
    excused, and one missed Friday after it is a single unexplained week: the run goes on. Without
    the setting, the unattended Grundlovsdag and the missed Friday are two in a row: it breaks."""
    def run(with_day_off: bool) -> dict:
        cli = virksomhedscenter(tmp_path / str(with_day_off))
        if with_day_off:
            cli("config", "days-off", "grundlovsdag")
        cli("schedule", "Ida", "--company", "Bageriet", "--start", "2026-05-08", "--weeks", "8", "--days", "fri",
            "--hours", "4")
        attend_all(cli, "Ida", no_show=("2026-06-05", "2026-06-12"))
        return continuous(cli, "2026-07-05")

    assert run(True)["detail"] == "practice in 8 consecutive weeks of 13, week 19 to week 26"
    assert run(False)["detail"] == "practice in 4 consecutive weeks of 13, week 19 to week 22"
