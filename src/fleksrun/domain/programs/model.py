"""The programme model: immutable records and the closed vocabularies (format: see the package).

The records are NamedTuples, not frozen dataclasses: a dataclass costs ~0.5 ms to create at import,
and every command that reads a programme imports these six."""

from __future__ import annotations

import datetime as _dt
from typing import Any, NamedTuple

from fleksrun.domain.rules import KINDS as RULE_REGISTRY
from fleksrun.errors import NotFound
from fleksrun.i18n import language

# The exit-rule kinds: those registered in domain.rules, where each is defined.
RULE_KINDS = tuple(RULE_REGISTRY)
OUTCOMES = ("flexjob", "job", "education", "dropout", "rehab", "moved", "other")
MODES = ("all", "any")
SESSION_KINDS = ("practice", "ordinary", "flexjob", "subsidised")
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = date.weekday()
DROPOUT_END = "end"


def _lang(lang: str | None) -> str:
    return lang or language()


class Rule(NamedTuple):
    """One exit rule: ``kind`` from RULE_KINDS, ``min`` for the numeric kinds, ``in_`` for outcome."""

    kind: str
    min: int | float | None = None
    in_: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.min is not None:
            out["min"] = self.min
        if self.in_:
            out["in"] = list(self.in_)
        return out


class ChecklistItem(NamedTuple):
    id: str
    label: str
    label_da: str
    anytime: bool = False  # may be ticked in any phase, and after the enrollment ended (`mark`)

    def title(self, lang: str | None = None) -> str:
        return self.label_da if _lang(lang) == "da" and self.label_da else self.label


class Cadence(NamedTuple):
    """How often a follow-up contact is due (see the module docstring, ``[followup]``)."""

    every_days: int
    intensive_every_days: int | None = None
    intensive_weeks: int | None = None
    until_weeks: int | None = None
    per_citizen: bool = False
    choices_days: tuple[int, ...] = ()
    from_phase: str | None = None  # intensive_weeks and until_weeks count from this phase's start

    def next_due(
        self, last: _dt.date, start: _dt.date, chosen_days: int | None = None
    ) -> _dt.date | None:
        """The date the next contact is due after one on ``last``, the cadence counted from ``start``.

        ``start`` is the enrollment's start, or with ``from_phase`` the day the enrollment last
        entered that phase (the caller looks it up: ``services.followups.cadence_start``).
        ``chosen_days`` is the consultant's own cadence for this citizen (``edit --followup-every``):
        it wins over the programme's. A contact within the first ``intensive_weeks`` weeks is
        followed after ``intensive_every_days``. None when the due date would fall more than
        ``until_weeks`` weeks after ``start`` (the programme asks for no more follow-up then).
        """
        if chosen_days:
            interval = chosen_days
        elif (
            self.intensive_every_days
            and self.intensive_weeks
            and last < start + _dt.timedelta(weeks=self.intensive_weeks)
        ):
            interval = self.intensive_every_days
        else:
            interval = self.every_days
        due = last + _dt.timedelta(days=interval)
        if self.until_weeks is not None and due > start + _dt.timedelta(weeks=self.until_weeks):
            return None
        return due


class Sessions(NamedTuple):
    """A default session pattern: ``weeks`` weeks on ``weekdays`` (Monday = 0), ``hours`` a day."""

    weeks: int
    weekdays: tuple[int, ...]
    hours: int | float | None = None
    kind: str = "practice"

    @property
    def weekday_names(self) -> tuple[str, ...]:
        return tuple(WEEKDAY_NAMES[d] for d in self.weekdays)

    @property
    def days(self) -> int:
        """Sessions in the whole pattern before holidays: weeks × weekdays (13 × 2 = 26)."""
        return self.weeks * len(self.weekdays)


class Period(NamedTuple):
    """A part of the project period with its own KPI targets (``[[periods]]``)."""

    start: _dt.date
    end: _dt.date
    targets: dict[str, int | float]
    name: str = ""


class Phase(NamedTuple):
    id: str
    name: str
    name_da: str
    description: str
    mode: str
    checklist: tuple[ChecklistItem, ...]
    rules: tuple[Rule, ...]
    sessions: Sessions | None
    followup: Cadence  # the phase's own cadence, else the programme's
    on_dropout: str  # a phase id or "end"
    description_da: str = ""

    def title(self, lang: str | None = None) -> str:
        return self.name_da if _lang(lang) == "da" and self.name_da else self.name

    def summary(self, lang: str | None = None) -> str:
        return self.description_da if _lang(lang) == "da" and self.description_da else self.description

    @property
    def checklist_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.checklist)

    def item(self, item_id: str, program: str = "") -> ChecklistItem:
        """The checklist item ``item_id``; NotFound (exit 2) naming the items there are."""
        for item in self.checklist:
            if item.id == item_id:
                return item
        if not self.checklist:
            raise NotFound("program.no_checklist", program=program, phase=self.id, item=item_id)
        raise NotFound(
            "program.unknown_item",
            program=program,
            phase=self.id,
            item=item_id,
            items=", ".join(self.checklist_ids),
        )


class Program(NamedTuple):
    id: str
    name: str
    name_da: str
    description: str
    description_da: str
    source: str
    target_group: str
    groups: tuple[str, ...]
    aftercare_phase: str | None
    followup: Cadence
    targets: dict[str, int | float]
    phases: tuple[Phase, ...]
    toml_text: str  # the file as read: stored with each enrollment, so history never changes
    target_group_da: str = ""
    period_from: _dt.date | None = None
    period_to: _dt.date | None = None
    periods: tuple[Period, ...] = ()

    def title(self, lang: str | None = None) -> str:
        return self.name_da if _lang(lang) == "da" and self.name_da else self.name

    def summary(self, lang: str | None = None) -> str:
        return self.description_da if _lang(lang) == "da" and self.description_da else self.description

    def target_group_in(self, lang: str | None = None) -> str:
        return self.target_group_da if _lang(lang) == "da" and self.target_group_da else self.target_group

    @property
    def phase_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.phases)

    @property
    def first_phase(self) -> Phase:
        return self.phases[0]

    @property
    def last_phase(self) -> Phase:
        return self.phases[-1]

    def phase_index(self, phase_id: str) -> int:
        for i, phase in enumerate(self.phases):
            if phase.id == phase_id:
                return i
        raise NotFound(
            "program.unknown_phase", program=self.id, phase=phase_id, phases=", ".join(self.phase_ids)
        )

    def phase(self, phase_id: str) -> Phase:
        """The phase ``phase_id``; NotFound (an InputError, exit 2) naming the phases there are."""
        return self.phases[self.phase_index(phase_id)]

    def next_phase(self, phase_id: str) -> Phase | None:
        """The phase after ``phase_id`` in order, or None after the last."""
        i = self.phase_index(phase_id)
        return self.phases[i + 1] if i + 1 < len(self.phases) else None

    def anytime_item(self, item_id: str) -> tuple[Phase, ChecklistItem] | None:
        """The phase and item of an ``anytime`` checklist item ``item_id``, or None."""
        for phase in self.phases:
            for item in phase.checklist:
                if item.id == item_id and item.anytime:
                    return phase, item
        return None

    def dropout_phase(self, phase_id: str) -> Phase | None:
        """Where a dropout from ``phase_id`` goes: a phase, or None when the enrollment ends."""
        target = self.phase(phase_id).on_dropout
        return None if target == DROPOUT_END else self.phase(target)

    def targets_for(self, start: _dt.date, end: _dt.date) -> dict[str, int | float]:
        """The targets for a report from ``start`` to ``end``: a ``[[periods]]`` entry's own targets
        over ``[targets]`` when the report covers exactly that part, else ``[targets]``."""
        for period in self.periods:
            if (period.start, period.end) == (start, end):
                return {**self.targets, **period.targets}
        return self.targets

    def is_aftercare(self, phase_id: str) -> bool:
        return self.aftercare_phase is not None and phase_id == self.aftercare_phase
