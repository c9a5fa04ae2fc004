"""The exit-rule engine: pure functions over one enrollment's facts (no database, no clock).

Every rule kind of the programme format is one :class:`RuleKind` in :data:`KINDS`, registered by
``@rule_kind`` on the function that evaluates it: met or not, and a detail a person can act on, as a
message key with parameters ("28.5 of 30 ordinary hours in April 2026 — 1.5 to go"). That function is
the one definition of the rule. Beside it the entry says what a programme file gives the rule, which
facts it reads, and on which days its verdict can change; :func:`ready_spans` derives from these the
days on which a phase is ready, which the agenda stores (see ``docs/rules.md``).

Decisions, so the numbers are explainable:

- Ordinary hours ("ordinære timer") are the ``ordinary`` kind only; practice, subsidised
  (løntilskud) and flex-job hours never count. Hours are monthly figures, so the calendar month in
  which the phase began counts in full; months after ``today``'s month never count.
- Continuous practice ("sammenhængende praktik"): the practice went on. Weeks are ISO weeks (Monday
  to Sunday) from the phase start. A week with an attended practice day counts. A week in which a
  practice placement ran but no day could be attended because each of its days was a public
  holiday, a closing day of the company, or recorded as sick keeps the run going and counts, and so
  does a single week with no attendance and no such reason. A week with no practice placement at
  all, or two such unexplained weeks in a row, breaks the run. A run begins and ends with an
  attended week; a week is judged once it is over (the running week only when attended). The
  longest run decides. (``domain.continuity.practice_run``; the report's KPI uses it too.)
- Effective weekly hours (``hours_increase``) come from the monthly flex-job hours: a month's hours
  × 7 / its number of days. At the start: the latest month up to the phase's first month with
  flex-job hours; now: the latest *complete* month after that with flex-job hours.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_right
from calendar import monthrange
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from fleksrun.domain.continuity import PracticeSpan, practice_run, week_monday

if TYPE_CHECKING:
    from fleksrun.domain.programs import Phase, Rule

__all__ = [
    "EARLIEST",
    "KINDS",
    "Facts",
    "RuleKind",
    "RuleResult",
    "Verdict",
    "evaluate_phase",
    "evaluate_rule",
    "longest_week_run",
    "month_key",
    "ready_spans",
    "week_monday",
    "weekly_hours",
]

# The first day fleksrun reads (dates typed must fall in 1900–2199); a Monday.
EARLIEST = _dt.date(1900, 1, 1)


class Facts(NamedTuple):
    """What the rules look at, for one enrollment in its current phase, as of ``today``.

    The facts are not cut at ``today``: each rule looks only at what lies on or before it, so
    ``facts.on(day)`` asks the same rows about another day. ``hours`` maps "YYYY-MM" to hours per
    kind (ordinary, practice, subsidised, flexjob) and may hold months before the phase began
    (``hours_increase`` needs them); ``practice`` holds the distinct days of attended practice from
    the phase start on, sorted.
    """

    phase_start: _dt.date
    today: _dt.date
    ticked: frozenset[str] = frozenset()
    hours: Mapping[str, Mapping[str, float]] = MappingProxyType({})
    practice: tuple[_dt.date, ...] = ()
    outcome: str | None = None
    placements: tuple[PracticeSpan, ...] = ()  # practice placements of the enrollment
    sick: frozenset[_dt.date] = frozenset()    # practice days recorded absent as sick

    def on(self, day: _dt.date) -> Facts:
        """The same facts, asked on ``day``."""
        return self._replace(today=day)

    @property
    def practice_so_far(self) -> tuple[_dt.date, ...]:
        """Attended practice days up to and including today."""
        return self.practice[: bisect_right(self.practice, self.today)]


class RuleResult(NamedTuple):
    """One rule's verdict; ``key`` and ``params`` make the detail in the user's language."""

    kind: str
    met: bool
    key: str
    params: dict[str, Any]

    def detail(self) -> str:
        from fleksrun.i18n import t

        return t(self.key, **self.params)


class Verdict(NamedTuple):
    """A phase's rules combined by its mode; ``ready`` means the citizen may move on."""

    phase: str
    mode: str
    ready: bool
    results: tuple[RuleResult, ...]

    @property
    def unmet(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if not r.met)


Evaluate = Callable[["Rule", "Phase", Facts], RuleResult]


class RuleKind(NamedTuple):
    """One kind of exit rule: its definition (``evaluate``) and what the rest of fleksrun needs of it.

    - ``params``: what a programme file gives it, ``{name: (check, required)}`` (checks: see
      ``domain.programs.subtables``);
    - ``reads``: the facts it looks at, so only those are read: ``ticked``, ``practice``, ``hours``
      (from the phase's first month), ``hours_before`` (also the year before it), ``outcome``,
      ``placements`` (the practice placements with their closing days, and the sick days);
    - ``turns(rule, facts)``: the days on which its verdict can change as "today" moves on, the rows
      staying as they are (between two of them it is the same);
    - ``lasting``: once met it stays met on every later day, with the same rows.
    """

    name: str
    evaluate: Evaluate
    params: Mapping[str, tuple[str, bool]]
    reads: frozenset[str]
    turns: Callable[[Rule, Facts], Iterable[_dt.date]]
    lasting: bool = True


KINDS: dict[str, RuleKind] = {}


def _never(rule: Rule, facts: Facts) -> Iterable[_dt.date]:
    return ()


def rule_kind(name: str, *, params: Mapping[str, tuple[str, bool]], reads: Iterable[str] = (),
              turns: Callable[[Rule, Facts], Iterable[_dt.date]] = _never,
              lasting: bool = True) -> Callable[[Evaluate], Evaluate]:
    """Register the decorated function as the definition of rule kind ``name``."""
    def register(evaluate: Evaluate) -> Evaluate:
        KINDS[name] = RuleKind(name, evaluate, params, frozenset(reads), turns, lasting)
        return evaluate
    return register


# -- small date helpers ------------------------------------------------------------------------------

def month_key(day: _dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _month_first(month: str) -> _dt.date:
    return _dt.date(int(month[:4]), int(month[5:7]), 1)


def _month_end(month: str) -> _dt.date:
    year, number = int(month[:4]), int(month[5:7])
    return _dt.date(year, number, monthrange(year, number)[1])


def _weeks_after(day: _dt.date, weeks: int) -> _dt.date | None:
    """``day`` plus ``weeks`` weeks, or None past the calendar's end (a programme may ask absurdly many)."""
    try:
        return day + _dt.timedelta(weeks=weeks)
    except OverflowError:
        return None


def weekly_hours(month: str, hours: float) -> float:
    """A month's hours as hours a week: hours × 7 / the month's days (30 h in April ≈ 7 h a week)."""
    return hours * 7 / _month_end(month).day


def longest_week_run(mondays: Iterable[_dt.date]) -> tuple[int, _dt.date | None, _dt.date | None]:
    """The longest run of consecutive ISO weeks: (length, first Monday, last Monday)."""
    best: tuple[int, _dt.date | None, _dt.date | None] = (0, None, None)
    run_start: _dt.date | None = None
    previous: _dt.date | None = None
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

@rule_kind("checklist", params={}, reads={"ticked"})
def _checklist(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    missing = [item for item in phase.checklist if item.id not in facts.ticked]
    if not missing:
        return RuleResult("checklist", True, "rules.checklist.met", {"count": len(phase.checklist_ids)})
    return RuleResult("checklist", False, "rules.checklist.missing",
                      {"missing": ", ".join(item.title() for item in missing), "count": len(missing)})


def _hour_months(rule: Rule, facts: Facts) -> Iterable[_dt.date]:
    """The first day of each month with a figure, from the phase's first month on."""
    first = month_key(facts.phase_start)
    return (_month_first(month) for month in facts.hours if month >= first)


@rule_kind("ordinary_hours_month", params={"min": ("positive_number", True)}, reads={"hours"}, turns=_hour_months)
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


def _practice_weeks_change(rule: Rule, facts: Facts) -> Iterable[_dt.date]:
    """A run grows on the first attended day of a week, and a week is judged on its Sunday."""
    firsts: dict[_dt.date, _dt.date] = {}
    for day in facts.practice:
        firsts.setdefault(week_monday(day), day)
    sundays = set()
    for span in facts.placements:
        monday = week_monday(max(span.start, facts.phase_start))
        while monday <= span.end:
            sundays.add(monday + _dt.timedelta(days=6))
            monday += _dt.timedelta(days=7)
    return [*firsts.values(), *sundays]


@rule_kind("continuous_practice_weeks", params={"min": ("positive_int", True)}, reads={"practice", "placements"},
           turns=_practice_weeks_change)
def _continuous_practice_weeks(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    need = int(rule.min or 0)
    run, run_first, run_last = practice_run(facts.phase_start, facts.today, facts.practice, facts.placements,
                                            facts.sick)
    if run == 0:
        return RuleResult("continuous_practice_weeks", False, "rules.continuous_practice_weeks.none",
                          {"min": need, "since": facts.phase_start})
    params = {"run": run, "min": need, "first": run_first, "last": run_last, "to_go": max(need - run, 0)}
    if run >= need:
        return RuleResult("continuous_practice_weeks", True, "rules.continuous_practice_weeks.met", params)
    return RuleResult("continuous_practice_weeks", False, "rules.continuous_practice_weeks.short", params)


def _nth_practice_day(rule: Rule, facts: Facts) -> Iterable[_dt.date]:
    need = int(rule.min or 0)
    return facts.practice[need - 1: need] if need > 0 else ()


@rule_kind("practice_days", params={"min": ("positive_int", True)}, reads={"practice"}, turns=_nth_practice_day)
def _practice_days(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    need = int(rule.min or 0)
    days = len(facts.practice_so_far)
    params = {"days": days, "min": need, "to_go": max(need - days, 0)}
    met = days >= need
    return RuleResult("practice_days", met, f"rules.practice_days.{'met' if met else 'short'}", params)


def _weeks_passed(rule: Rule, facts: Facts) -> Iterable[_dt.date]:
    day = _weeks_after(facts.phase_start, int(rule.min or 0))
    return () if day is None else (day,)


@rule_kind("weeks_in_phase", params={"min": ("positive_int", True)}, turns=_weeks_passed)
def _weeks_in_phase(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    need = int(rule.min or 0)
    weeks = max((facts.today - facts.phase_start).days // 7, 0)
    params = {"weeks": weeks, "min": need, "on": _weeks_after(facts.phase_start, need)}
    met = weeks >= need
    return RuleResult("weeks_in_phase", met, f"rules.weeks_in_phase.{'met' if met else 'short'}", params)


def _flex_months_end(rule: Rule, facts: Facts) -> Iterable[_dt.date]:
    """The last day of each month with flex-job hours after the phase's first: it is complete then."""
    start = month_key(facts.phase_start)
    return (_month_end(m) for m, kinds in facts.hours.items() if m > start and kinds.get("flexjob", 0.0) > 0)


@rule_kind("hours_increase", params={"min": ("nonneg_number", False)}, reads={"hours_before"},
           turns=_flex_months_end, lasting=False)  # this month's hours may fall below last month's
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


@rule_kind("outcome", params={"in": ("outcomes", True)}, reads={"outcome"})
def _outcome(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    from fleksrun.domain.choices import word
    from fleksrun.i18n import label, language

    if facts.outcome in rule.in_:
        return RuleResult("outcome", True, "rules.outcome.met", {"outcome": label("outcome", facts.outcome)})
    wanted = ", ".join(label("outcome", code) for code in rule.in_)
    first = word("outcome", rule.in_[0], language())  # as `end --outcome` takes it
    return RuleResult("outcome", False, "rules.outcome.short", {"outcomes": wanted, "first": first})


# -- phases --------------------------------------------------------------------------------------------

def evaluate_rule(rule: Rule, phase: Phase, facts: Facts) -> RuleResult:
    """One exit rule of ``phase`` over ``facts``."""
    return KINDS[rule.kind].evaluate(rule, phase, facts)


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


def facts_read(phase: Phase) -> frozenset[str]:
    """Every fact the phase's rules look at."""
    return frozenset().union(*(KINDS[rule.kind].reads for rule in phase.rules))


def ready_spans(phase: Phase, facts: Facts) -> list[tuple[_dt.date, _dt.date | None]]:
    """The days on which ``phase`` is ready, with the rows as they are: ``[(from, until)]``, ready on
    ``from <= day < until`` (``until`` None: from then on). Derived from :func:`evaluate_phase` alone:
    the verdict can change only on a day one of its rules names in ``turns``, so it is asked on each
    such day (and on :data:`EARLIEST`), and holds until the next. Where every rule is lasting, so is
    the phase, and the first ready day is found by bisection."""
    if not phase.rules:
        return []
    turns = sorted({day for rule in phase.rules for day in KINDS[rule.kind].turns(rule, facts) if day > EARLIEST})
    days = [EARLIEST, *turns]

    def ready(day: _dt.date) -> bool:
        return evaluate_phase(phase, facts.on(day)).ready

    if all(KINDS[rule.kind].lasting for rule in phase.rules):
        low, high = 0, len(days)  # the first index whose day is ready (len: none)
        while low < high:
            middle = (low + high) // 2
            if ready(days[middle]):
                high = middle
            else:
                low = middle + 1
        return [(days[low], None)] if low < len(days) else []
    spans: list[tuple[_dt.date, _dt.date | None]] = []
    opened: _dt.date | None = None
    for day in days:
        now = ready(day)
        if now and opened is None:
            opened = day
        elif not now and opened is not None:
            spans.append((opened, day))
            opened = None
    if opened is not None:
        spans.append((opened, None))
    return spans
