"""The exit-rule engine as plain functions: each rule kind at its edges."""

from __future__ import annotations

import datetime as dt

import pytest

from fleksrun import i18n
from fleksrun.domain.programs import Cadence, ChecklistItem, Phase, Rule
from fleksrun.domain.rules import Facts, evaluate_phase, evaluate_rule, longest_week_run, weekly_hours

D = dt.date


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")


def make_phase(*rules: Rule, checklist: tuple[str, ...] = (), mode: str = "all") -> Phase:
    return Phase(id="p", name="P", name_da="P", description="", mode=mode,
                 checklist=tuple(ChecklistItem(i, i, i) for i in checklist), rules=rules, sessions=None,
                 followup=Cadence(every_days=30), on_dropout="end")


def run(rule: Rule, facts: Facts, checklist: tuple[str, ...] = ()):
    return evaluate_rule(rule, make_phase(rule, checklist=checklist), facts)


def hours(**months: dict[str, float]) -> dict[str, dict[str, float]]:
    """hours(m2026_04={"ordinary": 28.5}) → {"2026-04": {...}}."""
    return {key[1:].replace("_", "-"): value for key, value in months.items()}


def mondays(first: dt.date, count: int, skip: tuple[int, ...] = ()) -> tuple[dt.date, ...]:
    return tuple(first + dt.timedelta(weeks=i) for i in range(count) if i not in skip)


# -- checklist ---------------------------------------------------------------------------------------

ITEMS = ("visitation", "cv", "job_goal", "jobformidler")


@pytest.mark.parametrize("ticked, met, detail", [
    (set(ITEMS), True, "all 4 checklist items ticked"),
    ({"visitation", "jobformidler"}, False, "missing: cv, job_goal"),
    (set(), False, "missing: visitation, cv, job_goal, jobformidler"),
    ({"cv", "job_goal", "jobformidler", "other"}, False, "missing: visitation"),
])
def test_checklist(ticked, met, detail):
    result = run(Rule("checklist"), Facts(D(2026, 1, 5), D(2026, 3, 30), ticked=frozenset(ticked)), ITEMS)
    assert (result.met, result.detail()) == (met, detail)


# -- ordinary_hours_month ------------------------------------------------------------------------------

THIRTY = Rule("ordinary_hours_month", min=30)


@pytest.mark.parametrize("start, today, data, met, detail", [
    # Seed 003's example: 28.5 ordinary and 16 practice hours in April are not yet enough.
    (D(2026, 4, 1), D(2026, 4, 30), hours(m2026_04={"ordinary": 28.5, "practice": 16}), False,
     "28.5 of 30 ordinary hours in April 2026 — 1.5 to go (16 practice, subsidised or flex-job hours do not count)"),
    (D(2026, 4, 1), D(2026, 6, 2), hours(m2026_04={"ordinary": 28.5, "practice": 16}, m2026_05={"ordinary": 30}),
     True, "30 of 30 ordinary hours in May 2026"),
    # exactly the minimum is enough; a hair below is not
    (D(2026, 4, 1), D(2026, 4, 30), hours(m2026_04={"ordinary": 30}), True, "30 of 30 ordinary hours in April 2026"),
    (D(2026, 4, 1), D(2026, 4, 30), hours(m2026_04={"ordinary": 29.75}), False,
     "29.75 of 30 ordinary hours in April 2026 — 0.25 to go"),
    # subsidised (løntilskud), practice and flex-job hours never count
    (D(2026, 4, 1), D(2026, 5, 30), hours(m2026_04={"subsidised": 40, "practice": 40, "flexjob": 40}), False,
     "0 of 30 ordinary hours in April 2026 — 30 to go (120 practice, subsidised or flex-job hours do not count)"),
    # a phase starting mid-month: that month counts in full (hours are monthly figures) ...
    (D(2026, 4, 15), D(2026, 5, 3), hours(m2026_04={"ordinary": 31}), True, "31 of 30 ordinary hours in April 2026"),
    # ... but the month before the phase began does not
    (D(2026, 4, 15), D(2026, 5, 3), hours(m2026_03={"ordinary": 40}), False,
     "no hours recorded since 15-04-2026 — 30 ordinary hours needed in one calendar month"),
    # the month boundary: the phase began on the last day of March, April's hours count from 1 April
    (D(2026, 3, 31), D(2026, 4, 1), hours(m2026_04={"ordinary": 30}), True, "30 of 30 ordinary hours in April 2026"),
    # a month after today's month never counts (a typo in the future must not make anyone ready)
    (D(2026, 4, 1), D(2026, 4, 30), hours(m2026_05={"ordinary": 30}), False,
     "no hours recorded since 01-04-2026 — 30 ordinary hours needed in one calendar month"),
    # no data at all
    (D(2026, 4, 1), D(2026, 4, 30), {}, False,
     "no hours recorded since 01-04-2026 — 30 ordinary hours needed in one calendar month"),
    # the best month shows how far there is to go, not the latest
    (D(2026, 1, 1), D(2026, 4, 30), hours(m2026_02={"ordinary": 25}, m2026_03={"ordinary": 10}), False,
     "25 of 30 ordinary hours in February 2026 — 5 to go"),
])
def test_ordinary_hours_month(start, today, data, met, detail):
    result = run(THIRTY, Facts(start, today, hours=data))
    assert (result.met, result.detail()) == (met, detail)


def test_ordinary_hours_cites_the_first_month_that_reached_the_minimum():
    data = hours(m2026_05={"ordinary": 30}, m2026_06={"ordinary": 45})
    result = run(THIRTY, Facts(D(2026, 4, 1), D(2026, 7, 1), hours=data))
    assert result.params["month"] == "2026-05"


# -- continuous_practice_weeks ---------------------------------------------------------------------------

THIRTEEN_WEEKS = Rule("continuous_practice_weeks", min=13)
MON = D(2026, 3, 30)  # week 14 of 2026


@pytest.mark.parametrize("start, today, weeks, met, detail", [
    (MON, D(2026, 7, 1), mondays(MON, 13), True, "practice in 13 consecutive weeks, week 14 to week 26"),
    (MON, D(2026, 7, 1), mondays(MON, 12), False, "practice in 12 consecutive weeks of 13, week 14 to week 25"),
    # a week with only absences (so no attended practice) breaks the run: 6 + 7 weeks, not 14
    (MON, D(2026, 7, 8), mondays(MON, 14, skip=(6,)), False,
     "practice in 7 consecutive weeks of 13, week 21 to week 27"),
    # weeks before the phase began do not count
    (D(2026, 4, 6), D(2026, 7, 1), mondays(MON, 13), False,
     "practice in 12 consecutive weeks of 13, week 15 to week 26"),
    # a phase starting mid-week: that week counts with a day attended from the phase start on
    (D(2026, 4, 1), D(2026, 7, 1), (D(2026, 4, 2), *mondays(MON + dt.timedelta(weeks=1), 12)), True,
     "practice in 13 consecutive weeks, week 14 to week 26"),
    # across the new year and ISO week 53 of 2026
    (D(2026, 11, 30), D(2027, 3, 1), mondays(D(2026, 11, 30), 13), True,
     "practice in 13 consecutive weeks, week 49 to week 8"),
    (MON, D(2026, 7, 1), (), False, "no attended practice since 30-03-2026 — 13 consecutive weeks needed"),
])
def test_continuous_practice_weeks(start, today, weeks, met, detail):
    result = run(THIRTEEN_WEEKS, Facts(start, today, practice=weeks))
    assert (result.met, result.detail()) == (met, detail)


@pytest.mark.parametrize("weeks, expected", [
    ((), (0, None, None)),
    ((D(2026, 1, 5),), (1, D(2026, 1, 5), D(2026, 1, 5))),
    ((D(2026, 1, 19), D(2026, 1, 5), D(2026, 1, 12), D(2026, 1, 12)), (3, D(2026, 1, 5), D(2026, 1, 19))),
    ((D(2026, 1, 5), D(2026, 1, 19), D(2026, 1, 26)), (2, D(2026, 1, 19), D(2026, 1, 26))),
])
def test_longest_week_run(weeks, expected):
    assert longest_week_run(weeks) == expected


# -- practice_days and weeks_in_phase ---------------------------------------------------------------------

@pytest.mark.parametrize("days, met, detail", [
    (26, True, "26 of 26 practice days attended"),
    (25, False, "25 of 26 practice days attended — 1 to go"),
    (0, False, "0 of 26 practice days attended — 26 to go"),
])
def test_practice_days(days, met, detail):
    result = run(Rule("practice_days", min=26), Facts(D(2026, 3, 31), D(2026, 7, 1),
                                                        practice=tuple(D(2026, 4, 1) + dt.timedelta(days=i) for i in range(days))))
    assert (result.met, result.detail()) == (met, detail)


@pytest.mark.parametrize("today, met, detail", [
    (D(2026, 6, 29), False, "12 of 13 weeks in the phase — met on 30-06-2026"),
    (D(2026, 6, 30), True, "13 of 13 weeks in the phase"),
    (D(2026, 3, 31), False, "0 of 13 weeks in the phase — met on 30-06-2026"),
    (D(2026, 3, 1), False, "0 of 13 weeks in the phase — met on 30-06-2026"),  # before the phase began
])
def test_weeks_in_phase(today, met, detail):
    result = run(Rule("weeks_in_phase", min=13), Facts(D(2026, 3, 31), today))
    assert (result.met, result.detail()) == (met, detail)


# -- hours_increase -------------------------------------------------------------------------------------

@pytest.mark.parametrize("rule, start, today, data, met, detail", [
    # 31 h in March (31 days) = 7 h a week; 40 h in April (30 days) ≈ 9.33 h a week
    (Rule("hours_increase"), D(2026, 3, 10), D(2026, 5, 1), hours(m2026_03={"flexjob": 31}, m2026_04={"flexjob": 40}),
     True, "9.33 hours a week in April 2026, up from 7 at the phase start"),
    # the running month is not complete yet: it does not count as "now"
    (Rule("hours_increase"), D(2026, 3, 10), D(2026, 4, 29), hours(m2026_03={"flexjob": 31}, m2026_04={"flexjob": 40}),
     False, "7 hours a week at the phase start (March 2026); no complete month since — record the next with `fleksrun hours`"),
    # ... but it does on its last day (month boundary)
    (Rule("hours_increase"), D(2026, 3, 10), D(2026, 4, 30), hours(m2026_03={"flexjob": 31}, m2026_04={"flexjob": 40}),
     True, "9.33 hours a week in April 2026, up from 7 at the phase start"),
    # the same weekly hours are no increase
    (Rule("hours_increase"), D(2026, 3, 10), D(2026, 5, 1), hours(m2026_03={"flexjob": 31}, m2026_04={"flexjob": 30}),
     False, "7 hours a week in April 2026, not above 7 at the phase start"),
    # with a minimum the increase must be at least that much a week
    (Rule("hours_increase", min=3), D(2026, 3, 10), D(2026, 5, 1),
     hours(m2026_03={"flexjob": 31}, m2026_04={"flexjob": 40}), False,
     "9.33 hours a week in April 2026, 7 at the phase start — 0.67 more a week to go"),
    # a phase starting mid-month with no hours that month: the latest earlier month is the baseline
    (Rule("hours_increase"), D(2026, 3, 15), D(2026, 5, 1), hours(m2026_02={"flexjob": 40}, m2026_04={"flexjob": 40}),
     False, "9.33 hours a week in April 2026, not above 10 at the phase start"),
    # no flex-job hours at the start: any hours now are an increase
    (Rule("hours_increase"), D(2026, 3, 15), D(2026, 5, 1), hours(m2026_04={"flexjob": 15, "ordinary": 99}),
     True, "3.5 hours a week in April 2026, up from 0 at the phase start"),
    (Rule("hours_increase"), D(2026, 3, 15), D(2026, 5, 1), {}, False,
     "no flex-job hours recorded — record them each month with `fleksrun hours`"),
    # a phase that begins after today: today's month, even complete, is not "after the start"
    (Rule("hours_increase"), D(2026, 5, 4), D(2026, 4, 30), hours(m2026_04={"flexjob": 40}, m2026_05={"flexjob": 20}),
     False, "4.52 hours a week at the phase start (May 2026); no complete month since — record the next with `fleksrun hours`"),
])
def test_hours_increase(rule, start, today, data, met, detail):
    result = run(rule, Facts(start, today, hours=data))
    assert (result.met, result.detail()) == (met, detail)


def test_weekly_hours_follow_the_month_length():
    assert weekly_hours("2026-02", 28) == 7  # 28 days
    assert weekly_hours("2028-02", 29) == 7  # a leap February
    assert round(weekly_hours("2026-04", 30), 2) == 7


# -- outcome and the mode -------------------------------------------------------------------------------

@pytest.mark.parametrize("outcome, met, detail", [
    ("job", True, "outcome: job"),
    ("education", True, "outcome: education"),
    ("dropout", False, "no outcome yet (job, education): record it with `fleksrun end --outcome job`"),
    (None, False, "no outcome yet (job, education): record it with `fleksrun end --outcome job`"),
])
def test_outcome(outcome, met, detail):
    result = run(Rule("outcome", in_=("job", "education")), Facts(D(2026, 4, 1), D(2026, 5, 1), outcome=outcome))
    assert (result.met, result.detail()) == (met, detail)


HOURS_OR_JOB = (Rule("ordinary_hours_month", min=30), Rule("outcome", in_=("job", "education")))


@pytest.mark.parametrize("mode, data, outcome, ready", [
    ("any", hours(m2026_04={"ordinary": 30}), None, True),
    ("any", {}, "job", True),
    ("any", {}, None, False),
    ("all", hours(m2026_04={"ordinary": 30}), None, False),
    ("all", hours(m2026_04={"ordinary": 30}), "job", True),
])
def test_mode_combines_the_rules(mode, data, outcome, ready):
    facts = Facts(D(2026, 4, 1), D(2026, 4, 30), hours=data, outcome=outcome)
    verdict = evaluate_phase(make_phase(*HOURS_OR_JOB, mode=mode), facts)
    assert verdict.ready is ready
    assert [r.kind for r in verdict.results] == ["ordinary_hours_month", "outcome"]


def test_a_phase_without_rules_is_never_ready():
    verdict = evaluate_phase(make_phase(), Facts(D(2026, 4, 1), D(2030, 1, 1)))
    assert verdict.ready is False and verdict.results == ()
