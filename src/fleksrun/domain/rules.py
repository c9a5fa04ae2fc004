"""The exit-rule engine: pure functions over one enrollment's facts (no database, no clock).

Each rule kind of the programme format (see ``fleksrun.domain.programs``) has one function here that
takes the rule and a :class:`Facts` and returns a :class:`RuleResult`: met or not, and a detail a
person can act on, as a message key with parameters ("28.5 of 30 ordinary hours in April 2026 —
1.5 to go"). :func:`evaluate_phase` combines a phase's rules by its mode (all / any).

Decisions, so the numbers are explainable:

- Ordinary hours ("ordinære timer") are the ``ordinary`` kind only; practice, subsidised
  (løntilskud) and flex-job hours never count. Hours are monthly figures, so the calendar month in
  which the phase began counts in full; months after ``today``'s month never count.
- Continuous practice: a week (ISO, Monday to Sunday) counts when it holds at least one attended
  practice day on or after the phase start; any week without one — only absences, or nothing
  booked — breaks the run. The longest run decides.
- Effective weekly hours (``hours_increase``) come from the monthly flex-job hours: a month's hours
  × 7 / its number of days. At the start: the latest month up to the phase's first month with
  flex-job hours; now: the latest *complete* month after that with flex-job hours.
"""

from __future__ import annotations

import datetime as _dt
from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fleksrun.domain.programs import Phase, Rule

__all__ = [
    "Facts",
    "RuleResult",
    "Verdict",
    "evaluate_phase",
    "evaluate_rule",
    "longest_week_run",
    "month_key",
    "week_monday",
    "weekly_hours",
]


@dataclass(frozen=True)
class Facts:
    """What the rules look at, for one enrollment in its current phase, as of ``today``.

    ``hours`` maps "YYYY-MM" to hours per kind (ordinary, practice, subsidised, flexjob); it may
    hold months before the phase began (``hours_increase`` needs them). ``practice_weeks`` are the
    Mondays of the ISO weeks with attended practice; ``practice_days`` counts attended practice days;
    both only from the phase start to today.
    """

    phase_start: _dt.date
    today: _dt.date
    ticked: frozenset[str] = frozenset()
    hours: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    practice_weeks: tuple[_dt.date, ...] = ()
    practice_days: int = 0
    outcome: str | None = None


@dataclass(frozen=True)
class RuleResult:
    """One rule's verdict; ``key`` and ``params`` make the detail in the user's language."""

    kind: str
    met: bool
    key: str
    params: dict[str, Any]

    def detail(self) -> str:
        from fleksrun.i18n import t

        return t(self.key, **self.params)


@dataclass(frozen=True)
class Verdict:
    """A phase's rules combined by its mode; ``ready`` means the citizen may move on."""

    phase: str
    mode: str
    ready: bool
    results: tuple[RuleResult, ...]

    @property
    def unmet(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if not r.met)


# -- small date helpers ------------------------------------------------------------------------------

def month_key(day: _dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def week_monday(day: _dt.date) -> _dt.date:
    return day - _dt.timedelta(days=day.weekday())


def _month_end(month: str) -> _dt.date:
    year, number = int(month[:4]), int(month[5:7])
    return _dt.date(year, number, monthrange(year, number)[1])


def weekly_hours(month: str, hours: float) -> float:
    """A month's hours as hours a week: hours × 7 / the month's days (30 h in April ≈ 7 h a week)."""
    return hours * 7 / _month_end(month).day


def longest_week_run(mondays: tuple[_dt.date, ...] | list[_dt.date]) -> tuple[int, _dt.date | None, _dt.date | None]:
    """The longest run of consecutive ISO weeks: (length, first Monday, last Monday)."""
    best = (0, None, None)
    run_start = previous = None
    length = 0
    for monday in sorted(set(mondays)):
        if previous is not None and (monday - previous).days == 7:
            length += 1
        else:
            run_start, length = monday, 1
        previous = monday
        if length > best[0]:
            best = (length, run_start, monday)
    return best


# -- one function per rule kind --------------------------------------------------------------------

def _checklist(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    missing = [item for item in phase.checklist_ids if item not in facts.ticked]
    if not missing:
        return RuleResult("checklist", True, "rules.checklist.met", {"count": len(phase.checklist_ids)})
    return RuleResult("checklist", False, "rules.checklist.missing",
                      {"missing": ", ".join(missing), "count": len(missing)})


def _ordinary_hours_month(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    need = float(rule.min or 0)
    first, last = month_key(facts.phase_start), month_key(facts.today)
    months = sorted((m, kinds) for m, kinds in facts.hours.items() if first <= m <= last)
    for month, kinds in months:  # the first month that reaches the minimum is the one cited
        if kinds.get("ordinary", 0.0) >= need:
            return RuleResult("ordinary_hours_month", True, "rules.ordinary_hours_month.met",
                              {"hours": kinds["ordinary"], "min": need, "month": month})
    if not months:
        return RuleResult("ordinary_hours_month", False, "rules.ordinary_hours_month.none",
                          {"min": need, "since": facts.phase_start})
    # The best month so far (the latest on a tie) shows how far there is to go.
    month, kinds = max(months, key=lambda mk: (mk[1].get("ordinary", 0.0), mk[0]))
    ordinary = kinds.get("ordinary", 0.0)
    other = sum(h for k, h in kinds.items() if k != "ordinary")
    params = {"hours": ordinary, "min": need, "month": month, "to_go": need - ordinary, "other": other}
    key = "rules.ordinary_hours_month.short_other" if other > 0 else "rules.ordinary_hours_month.short"
    return RuleResult("ordinary_hours_month", False, key, params)


def _continuous_practice_weeks(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    need = int(rule.min or 0)
    first, last = week_monday(facts.phase_start), week_monday(facts.today)
    weeks = [w for w in facts.practice_weeks if first <= w <= last]
    run, run_first, run_last = longest_week_run(weeks)
    if run == 0:
        return RuleResult("continuous_practice_weeks", False, "rules.continuous_practice_weeks.none",
                          {"min": need, "since": facts.phase_start})
    params = {"run": run, "min": need, "first": run_first, "last": run_last, "to_go": max(need - run, 0)}
    if run >= need:
        return RuleResult("continuous_practice_weeks", True, "rules.continuous_practice_weeks.met", params)
    return RuleResult("continuous_practice_weeks", False, "rules.continuous_practice_weeks.short", params)


def _practice_days(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    need = int(rule.min or 0)
    params = {"days": facts.practice_days, "min": need, "to_go": max(need - facts.practice_days, 0)}
    met = facts.practice_days >= need
    return RuleResult("practice_days", met, f"rules.practice_days.{'met' if met else 'short'}", params)


def _weeks_in_phase(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    need = int(rule.min or 0)
    weeks = max((facts.today - facts.phase_start).days // 7, 0)
    params = {"weeks": weeks, "min": need, "on": facts.phase_start + _dt.timedelta(weeks=need)}
    met = weeks >= need
    return RuleResult("weeks_in_phase", met, f"rules.weeks_in_phase.{'met' if met else 'short'}", params)


def _hours_increase(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    start_month, today_month = month_key(facts.phase_start), month_key(facts.today)
    flex = sorted((m, kinds.get("flexjob", 0.0)) for m, kinds in facts.hours.items() if kinds.get("flexjob", 0.0) > 0)
    before = [(m, h) for m, h in flex if m <= start_month]
    # "now" is a complete month: the running month's figure is still growing.
    after = [(m, h) for m, h in flex
             if start_month < m and (m < today_month or (m == today_month and _month_end(m) <= facts.today))]
    start_weekly = weekly_hours(*before[-1]) if before else 0.0
    params: dict[str, Any] = {"start": start_weekly, "start_month": before[-1][0] if before else None,
                              "min": float(rule.min or 0)}
    if not after:
        key = "rules.hours_increase.no_later" if before else "rules.hours_increase.none"
        return RuleResult("hours_increase", False, key, params)
    month, hours = after[-1]
    now = weekly_hours(month, hours)
    need = start_weekly + float(rule.min or 0)
    met = now > start_weekly and now >= need
    params.update(now=now, month=month, to_go=max(need - now, 0.0))
    key = "rules.hours_increase." + ("met" if met else ("short_min" if rule.min else "short"))
    return RuleResult("hours_increase", met, key, params)


def _outcome(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    wanted = ", ".join(rule.in_)
    if facts.outcome in rule.in_:
        return RuleResult("outcome", True, "rules.outcome.met", {"outcome": facts.outcome})
    return RuleResult("outcome", False, "rules.outcome.short", {"outcomes": wanted, "first": rule.in_[0]})


_RULES = {
    "checklist": _checklist,
    "ordinary_hours_month": _ordinary_hours_month,
    "continuous_practice_weeks": _continuous_practice_weeks,
    "practice_days": _practice_days,
    "weeks_in_phase": _weeks_in_phase,
    "hours_increase": _hours_increase,
    "outcome": _outcome,
}


def evaluate_rule(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    """One exit rule of ``phase`` over ``facts``."""
    return _RULES[rule.kind](rule, phase, facts)


def evaluate_phase(phase: Phase, facts: Facts) -> Verdict:
    """All exit rules of ``phase``, combined by its mode; a phase without rules is never ready."""
    results = tuple(evaluate_rule(rule, phase, facts) for rule in phase.rules)
    if not results:
        ready = False
    elif phase.mode == "any":
        ready = any(r.met for r in results)
    else:
        ready = all(r.met for r in results)
    return Verdict(phase=phase.id, mode=phase.mode, ready=ready, results=results)
