"""Every closed choice takes its Danish word as well as its English code, in either language of the output."""

from __future__ import annotations

import pytest

from conftest import Cli, file_digest
from fleksrun.domain.choices import DANISH, to_code

LANGS = ("en", "da")


@pytest.fixture(params=LANGS)
def mette(request, tmp_path) -> Cli:
    cli = Cli(tmp_path / "fleksrun.db", lang=request.param)
    cli("enroll", "Mette Hansen", "--program", "ovebane", "--start", "2026-03-02")
    cli("company", "add", "Bageriet")
    cli("schedule", "Mette", "-c", "Bageriet", "--start", "2026-03-03", "--count", "6", "--days", "tue,thu")
    return cli


def test_the_codes_are_those_of_the_domain():
    from fleksrun.domain.calendar import POLICIES
    from fleksrun.domain.placements import ABSENCE_REASONS, KINDS
    from fleksrun.domain.programs.model import OUTCOMES
    from fleksrun.services.agenda.lines import KINDS as AGENDA_KINDS
    from fleksrun.services.followups import KINDS as FOLLOWUP_KINDS
    from fleksrun.services.followups import WITH
    from fleksrun.store.queries import HOUR_KINDS

    assert tuple(DANISH["outcome"]) == OUTCOMES
    assert tuple(DANISH["followup_kind"]) == FOLLOWUP_KINDS and tuple(DANISH["with"]) == WITH
    assert tuple(DANISH["absence"]) == ABSENCE_REASONS and tuple(DANISH["holidays"]) == POLICIES
    assert set(DANISH["work_kind"]) == set(KINDS) == set(HOUR_KINDS)
    assert tuple(DANISH["agenda_kind"]) == AGENDA_KINDS


@pytest.mark.parametrize("choice", sorted(DANISH))
def test_each_word_and_code_names_one_code(choice):
    for code, danish in DANISH[choice].items():
        for word in (code, code.upper(), *danish, *(w.upper().replace(" ", "-") for w in danish)):
            assert to_code(choice, word) == code, (choice, word)
    assert to_code(choice, "nonsense") is None


def test_followup_with_danish_words(mette):
    result = mette.json("followup", "Mette", "--kind", "telefon", "--with", "begge")
    assert (result["kind"], result["with"]) == ("phone", "both")
    result = mette.json("followup", "Mette", "--kind", "MØDE", "--with", "virksomhed", "--on", "2026-03-20")
    assert (result["kind"], result["with"]) == ("meeting", "company")


def test_attend_absent_syg_and_udeblevet(mette):
    assert mette.json("attend", "Mette", "2026-03-03", "--absent", "syg")["reason"] == "sick"
    assert mette.json("attend", "Mette", "2026-03-05", "--absent", "udeblevet")["reason"] == "no-show"


def test_schedule_kind_and_holidays_in_danish(mette):
    mette("enroll", "Ole Berg", "--program", "rampen")
    result = mette.json("schedule", "Ole", "-c", "Bageriet", "--start", "2026-03-31", "--count", "3", "--days",
                        "thu", "--kind", "løntilskud", "--holidays", "spring over")
    assert result["kind"] == "subsidised" and result["holidays"] == "skip"
    assert "2026-04-02" not in [d["date"] for d in result["days"] if d["status"] == "booked"]  # Skærtorsdag
    result = mette.json("schedule", "Ole", "-c", "Bageriet", "--start", "2026-04-27", "--count", "3", "--days",
                        "thu", "--kind", "praktik", "--holidays", "Læg-til-sidst", "--dry-run")
    assert result["kind"] == "practice" and result["holidays"] == "extend"


def test_hours_clear_takes_the_danish_kind(mette):
    mette("hours", "Mette", "--month", "2026-03", "--ordinary", "12")
    assert mette.json("hours", "Mette", "--month", "2026-03", "--clear", "ordinær")["cleared"] == ["ordinary"]


def test_due_kind_and_report_chart_in_danish(mette):
    items = mette.json("due", "--kind", "opfølgning, manglende fremmøde", "--from", "2026-03-01", "--days", "31")
    assert {i["kind"] for i in items["items"]} == {"followup", "attendance_missing"}
    items = mette.json("due", "--kind", "Manglende-Fremmøde", "--from", "2026-03-01", "--days", "31")
    assert {i["kind"] for i in items["items"]} == {"attendance_missing"}
    assert mette("report", "--chart", "tragt").stdout == mette("report", "--chart", "funnel").stdout


def test_end_with_the_outcome_in_danish(mette):
    assert mette.json("end", "Mette", "--outcome", "fraflyttet")["outcome"] == "moved"


def test_a_word_that_is_no_choice_is_refused_in_the_users_language_and_nothing_is_written(mette):
    before = file_digest(mette.db)
    result = mette("followup", "Mette", "--kind", "brev", code=2)
    assert file_digest(mette.db) == before
    assert "'brev'" in result.stderr and "--kind" in result.stderr
    if mette.lang == "da":
        assert "samtale, telefon, besøg, mail eller møde" in result.stderr
    else:
        assert "talk, phone, visit, mail or meeting" in result.stderr


@pytest.mark.parametrize(("command", "english", "danish"), [
    (("followup",), "talk, phone, visit, mail or meeting", "samtale, telefon, besøg, mail eller møde"),
    (("attend",), "sick, other or no-show", "syg, andet eller udeblevet"),
    (("end",), "flexjob, job, education, dropout", "fleksjob, job, uddannelse, frafald"),
    (("schedule",), "skip (default), shift, extend or keep", "\"spring over\" (standard), flyt"),
    (("report",), "hours (ordinary hours by month) or funnel", "timer (ordinære timer pr. måned) eller tragt"),
])
def test_help_lists_the_choices_in_the_users_language(cli, command, english, danish):
    flat = lambda text: " ".join(text.replace("│", " ").split())  # noqa: E731  (Rich wraps the help)
    assert english in flat(cli("--lang", "en", *command, "--help").stdout)
    shown = flat(cli("--lang", "da", *command, "--help").stdout)
    assert danish in shown
    for word in danish.replace('"', "").replace(" (standard)", "").replace(" eller ", ", ").split(", "):
        assert word.startswith("timer") or to_code(_choice_of(command), word.split(" (")[0]) is not None, word


def _choice_of(command: tuple[str, ...]) -> str:
    return {"followup": "followup_kind", "attend": "absence", "end": "outcome", "schedule": "holidays",
            "report": "chart"}[command[0]]
