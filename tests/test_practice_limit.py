"""The 13-week practice limit (LAB § 61) counts the practice of one citizen at one company: placements
there with less than 4 weeks between them are one practice. It warns, it never blocks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import Cli
from fleksrun.domain.law import practice_start

D = dt.date


def test_placements_with_a_short_pause_are_one_practice():
    first = (D(2026, 3, 3), D(2026, 5, 5))
    assert practice_start([first], D(2026, 5, 12)) == D(2026, 3, 3)      # back to back
    assert practice_start([first], D(2026, 6, 1)) == D(2026, 3, 3)       # 26 days between: still one
    assert practice_start([first], D(2026, 6, 3)) == D(2026, 6, 3)       # 28 days between: a new practice
    chain = [first, (D(2026, 5, 12), D(2026, 7, 14))]
    assert practice_start(chain, D(2026, 7, 20)) == D(2026, 3, 3)        # through two placements


def limit_lines(cli: Cli, today: str) -> list[dict]:
    doc = json.loads(cli("due", "--days", "14", "--json", env={"FLEKSRUN_TODAY": today}).stdout)
    return [item for item in doc["items"] if item["kind"] == "practice_limit"]


def two_placements(path: Path, second_company: str) -> Cli:
    """Ten weeks of Tuesdays at Bageriet from 03-03-2026, then ten more at ``second_company`` right after."""
    cli = Cli(path, today="2026-03-02")
    cli("enroll", "Ida Holm", "--program", "virksomhedscenter", "--start", "2026-03-02")
    cli("company", "add", "Bageriet")
    cli("company", "add", "Kantinen")
    for company, start in (("Bageriet", "2026-03-03"), (second_company, "2026-05-12")):
        cli("schedule", "Ida", "--company", company, "--start", start, "--weeks", "10", "--days", "tue", "--hours", "4")
    return cli


def test_two_back_to_back_placements_at_one_company_reach_the_limit(tmp_path: Path):
    # 13 weeks from the week of 03-03-2026 end with week 22: the limit is reached on Monday 01-06-2026.
    lines = limit_lines(two_placements(tmp_path / "l.db", "Bageriet"), "2026-05-20")
    assert len(lines) == 1 and "01-06-2026" in lines[0]["text"] and lines[0]["company"] == "Bageriet", lines
    # At another company the weeks start afresh: no warning.
    assert limit_lines(two_placements(tmp_path / "l2.db", "Kantinen"), "2026-05-20") == []


def test_schedule_warns_when_a_second_placement_at_one_company_passes_the_limit(tmp_path: Path):
    cli = Cli(tmp_path / "s.db", today="2026-03-02")
    cli("enroll", "Ida Holm", "--program", "virksomhedscenter", "--start", "2026-03-02")
    cli("company", "add", "Bageriet")
    first = cli("schedule", "Ida", "--company", "Bageriet", "--start", "2026-03-03", "--weeks", "10", "--days", "tue",
                "--hours", "4")
    assert "13 weeks" not in first.stderr
    second = cli("schedule", "Ida", "--company", "Bageriet", "--start", "2026-05-12", "--weeks", "10", "--days",
                 "tue", "--hours", "4")
    assert "03-03-2026" in second.stderr and "13" in second.stderr, second.stderr  # counted from the first
    assert len(json.loads(cli("show", "Ida", "--json").stdout)["placements"]) == 2  # it warns, never blocks
