"""A rule kind is defined in one place: adding one (here, in a test) is one registered function and its
messages, and a programme file, `check`, `program show` and the agenda's summaries all follow.

The kind added: at least ``min`` attended practice days in the 28 days up to today. Unlike every
built-in kind but one it can stop holding (a gap in the practice), so it also shows that the spans
of ready days come from the definition alone.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import Cli
from fleksrun import i18n
from fleksrun.domain.rules import KINDS, RuleResult, rule_kind

KIND = "recent_practice_days"
WINDOW = dt.timedelta(days=28)
MESSAGES = {
    f"rules.{KIND}.met": "{days} practice days in the last 4 weeks",
    f"rules.{KIND}.short": "{days} of {min} practice days in the last 4 weeks",
    f"rules.kind.{KIND}": "recent practice",
    f"rule.describe.{KIND}": "at least {min} practice days in the last 4 weeks",
}


def _turns(rule, facts):
    # A day counts from the day it was attended until 28 days later.
    return [day for attended in facts.practice for day in (attended, attended + WINDOW)]


@pytest.fixture
def recent_practice_days(monkeypatch):
    @rule_kind(KIND, params={"min": ("positive_int", True)}, reads={"practice"}, turns=_turns, lasting=False)
    def _recent(rule, phase, facts):
        recent = [day for day in facts.practice_so_far if facts.today - day < WINDOW]
        met = len(recent) >= int(rule.min)
        return RuleResult(KIND, met, f"rules.{KIND}.{'met' if met else 'short'}",
                          {"days": len(recent), "min": int(rule.min)})

    lookup = i18n._lookup
    monkeypatch.setattr(i18n, "_lookup", lambda lang, key: MESSAGES.get(key) or lookup(lang, key))
    yield
    del KINDS[KIND]


PROGRAM = f"""id = "recent"
name = "Recent practice"

[followup]
every_days = 30

[[phases]]
id = "practice"
name = "Practice"
rules = [{{ kind = "{KIND}", min = 3 }}]

[[phases]]
id = "job"
name = "Job search"
"""


def test_a_new_rule_kind_needs_only_its_definition(tmp_path: Path, recent_practice_days):
    path = tmp_path / "recent.toml"
    path.write_text(PROGRAM, encoding="utf-8")
    cli = Cli(tmp_path / "r.db", today="2026-03-02")
    cli("program", "add", str(path))
    assert "at least 3 practice days in the last 4 weeks" in cli("program", "show", "recent").stdout
    cli("enroll", "Ida Holm", "--program", "recent", "--start", "2026-03-02")
    cli("company", "add", "Bageriet")
    cli("schedule", "Ida", "--company", "Bageriet", "--start", "2026-03-02", "--weeks", "2", "--days", "mon,wed",
        "--hours", "4")
    for day in ("2026-03-02", "2026-03-04", "2026-03-09"):
        cli("attend", "Ida", day, env={"FLEKSRUN_TODAY": "2026-03-09"})

    def ready_on(day: str) -> bool:
        on = {"FLEKSRUN_TODAY": day}
        check = json.loads(cli("check", "--json", env=on).stdout)["items"][0]
        due = json.loads(cli("due", "--kind", "ready_to_advance", "--json", env=on).stdout)["items"]
        assert check["ready"] == bool(due), day  # the engine and the agenda's summaries agree
        return check["ready"]

    assert not ready_on("2026-03-08")   # two days so far
    assert ready_on("2026-03-09")       # the third
    assert ready_on("2026-03-29")       # 2 March is still within the 28 days
    assert not ready_on("2026-03-30")   # it is not: the span of ready days has ended
    text = cli("check", env={"FLEKSRUN_TODAY": "2026-03-30"}).stdout
    assert "recent practice" in text and "2 of 3 practice days in the last 4 weeks" in text
