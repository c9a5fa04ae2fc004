"""Programmes are data: one TOML file per programme, read and checked here.

Pure code: no database, no terminal, no clock; the standard library's ``tomllib`` only. The built-in
programmes (one per seed document) ship in ``fleksrun/programs/*.toml``; a consultant can add her own
file with ``fleksrun program add FILE``, which goes through the same :func:`parse_program`.

The file format
===============

A programme file is UTF-8 TOML (a byte-order mark is tolerated). Ids are lower-case ASCII
(``[a-z0-9_]+``). Texts ending in ``_da`` are the Danish versions; each falls back to the English
text when it is left out. Only ``id``, ``name``, ``[followup]`` and ``[[phases]]`` (each with ``id``
and ``name``) are required. Any key not listed here is an error, so a typo never passes silently::

    id = "jobgaranti"                    # required
    name = "Education and job guarantee — 3 steps"            # required
    name_da = "Uddannelses- og jobgaranti — 3 trin"
    description = "One or two sentences."
    description_da = "…"
    source = "seed 003: Indsatsmodel i …"      # where the model comes from (the built-ins all say)
    target_group = "Who the programme is for."
    target_group_da = "…"
    groups = ["newly_approved", "dismissed"]   # optional: the allowed values of a citizen's --group
    aftercare_phase = "eftervaern"   # optional: `end --outcome job|flexjob` moves the citizen into this
                                     # phase instead of ending; it must be the last phase
    period_from = 2021-03-01         # optional: the project period (TOML dates)
    period_to = 2022-12-31

    [followup]                       # required: the programme's follow-up cadence
    every_days = 30                  # required: next contact due this many days after the last one
    intensive_every_days = 14        # optional, together with intensive_weeks: a tighter cadence
    intensive_weeks = 4              #   for contacts in the first weeks of the enrollment
    until_weeks = 52                 # optional: no due date beyond this many weeks of the enrollment
    per_citizen = false              # true: the consultant picks a cadence per citizen (Rampen);
                                     #   every_days is then the default until she does
    choices_days = [7, 14, 21]       # optional, only with per_citizen = true: the usual choices

    [targets]                        # optional: the KPI targets the seed states, numbers >= 0
    participants = 180               # a name ending in _pct is a percentage (at most 100)
    ledighedsydelse_share_pct = 13.0
    ledighedsydelse_share_pct_baseline = 15.3   # NAME_baseline: the starting value of target NAME

    [[phases]]                       # at least one; in order
    id = "trin3"                     # required, unique
    name = "Step 3: Company placement"                         # required
    name_da = "Trin 3: Virksomhedsforløb"
    description = "…"
    description_da = "…"
    mode = "any"                     # all | any: how the exit rules combine (default all)
    on_dropout = "trin2"             # a phase id, or "end" (the default)
    checklist = [ { id = "agreement", label = "Agreement signed", label_da = "Aftale indgået" } ]
    rules = [
      { kind = "ordinary_hours_month", min = 30 },
      { kind = "outcome", in = ["job", "education"] },
    ]
    [phases.sessions]                # optional: the default session pattern for `schedule`
    weeks = 13                       # required
    weekdays = ["tue", "thu"]        # required: mon tue wed thu fri sat sun (Danish names work too)
    hours = 4                        # optional: hours a day, above 0 and at most 24
    kind = "practice"                # practice | ordinary | flexjob | subsidised (default practice)
    [phases.followup]                # optional: this phase's own cadence, replacing the programme's
    every_days = 14                  #   (same keys as [followup])

Checklist items may also be written as ``[[phases.checklist]]`` tables with ``id``, ``label`` and an
optional ``label_da``; rules as ``[[phases.rules]]``.

Exit rules (a closed vocabulary: validated here, evaluated by pure code elsewhere, never eval'd):

=============================  =============================================================
``checklist``                  every checklist item of the phase ticked (the phase needs items)
``ordinary_hours_month`` min   at least ``min`` (> 0) ordinary hours in one calendar month since
                               the phase began
``continuous_practice_weeks``  ``min`` (whole, > 0) consecutive weeks with attended practice
``practice_days`` min          at least ``min`` (whole, > 0) attended practice days in the phase
``weeks_in_phase`` min         at least ``min`` (whole, > 0) weeks since the phase began
``hours_increase`` [min]       effective weekly hours above those at the phase start; with ``min``
                               (>= 0) the increase must also be at least ``min`` hours a week
``outcome`` in                 the enrollment's outcome is one of ``in`` (flexjob, job, education,
                               dropout, rehab, moved, other)
=============================  =============================================================

A phase with no rules is allowed only as the last phase or the aftercare phase: it lasts until the
enrollment ends. Every problem in a file raises ``InputError("program.invalid", file=…, phase=…,
key=…, problem=…)`` (exit 2), e.g. "Programme file my.toml, phase trin3, key rules[0].min: must be a
number above 0." ``phase`` is "-" for keys outside a phase; ``key`` is dotted, relative to the phase.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import math
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from fleksrun.errors import InputError, NotFound
from fleksrun.i18n import language, t

__all__ = [
    "MODES",
    "OUTCOMES",
    "RULE_KINDS",
    "SESSION_KINDS",
    "WEEKDAY_NAMES",
    "Cadence",
    "ChecklistItem",
    "Phase",
    "Program",
    "Rule",
    "Sessions",
    "builtin_programs",
    "cadence_to_dict",
    "describe_cadence",
    "describe_exit",
    "describe_rule",
    "load_program_file",
    "parse_program",
    "program_to_dict",
]

RULE_KINDS = (
    "checklist",
    "ordinary_hours_month",
    "continuous_practice_weeks",
    "practice_days",
    "weeks_in_phase",
    "hours_increase",
    "outcome",
)
OUTCOMES = ("flexjob", "job", "education", "dropout", "rehab", "moved", "other")
MODES = ("all", "any")
SESSION_KINDS = ("practice", "ordinary", "flexjob", "subsidised")
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = date.weekday()
DROPOUT_END = "end"

# Spellings accepted in a file (Monday = 0); the canonical name is WEEKDAY_NAMES[index].
_WEEKDAY_SPELLINGS = (
    ("mon", "monday", "man", "mandag"),
    ("tue", "tuesday", "tir", "tirsdag"),
    ("wed", "wednesday", "ons", "onsdag"),
    ("thu", "thursday", "tor", "torsdag"),
    ("fri", "friday", "fre", "fredag"),
    ("sat", "saturday", "lør", "lørdag", "lor", "lordag"),
    ("sun", "sunday", "søn", "søndag", "son", "sondag"),
)
_WEEKDAYS = {name: i for i, names in enumerate(_WEEKDAY_SPELLINGS) for name in names}

_ID = re.compile(r"[a-z0-9_]+\Z")

# kind -> {param: (check, required)}
_RULE_PARAMS: dict[str, dict[str, tuple[str, bool]]] = {
    "checklist": {},
    "ordinary_hours_month": {"min": ("positive_number", True)},
    "continuous_practice_weeks": {"min": ("positive_int", True)},
    "practice_days": {"min": ("positive_int", True)},
    "weeks_in_phase": {"min": ("positive_int", True)},
    "hours_increase": {"min": ("nonneg_number", False)},
    "outcome": {"in": ("outcomes", True)},
}

_TOP_KEYS = (
    "id", "name", "name_da", "description", "description_da", "source", "target_group",
    "target_group_da", "groups", "aftercare_phase", "period_from", "period_to", "followup",
    "targets", "phases",
)
_TOP_REQUIRED = ("id", "name", "followup", "phases")
_PHASE_KEYS = (
    "id", "name", "name_da", "description", "description_da", "mode", "on_dropout", "checklist",
    "rules", "sessions", "followup",
)
_PHASE_REQUIRED = ("id", "name")
_ITEM_KEYS = ("id", "label", "label_da")
_ITEM_REQUIRED = ("id", "label")
_SESSION_KEYS = ("weeks", "weekdays", "hours", "kind")
_SESSION_REQUIRED = ("weeks", "weekdays")
_CADENCE_KEYS = (
    "every_days", "intensive_every_days", "intensive_weeks", "until_weeks", "per_citizen",
    "choices_days",
)
_CADENCE_REQUIRED = ("every_days",)


def _lang(lang: str | None) -> str:
    return lang or language()


# -- the model -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
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


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: str
    label_da: str

    def title(self, lang: str | None = None) -> str:
        return self.label_da if _lang(lang) == "da" and self.label_da else self.label


@dataclass(frozen=True)
class Cadence:
    """How often a follow-up contact is due (see the module docstring, ``[followup]``)."""

    every_days: int
    intensive_every_days: int | None = None
    intensive_weeks: int | None = None
    until_weeks: int | None = None
    per_citizen: bool = False
    choices_days: tuple[int, ...] = ()

    def next_due(
        self, last: _dt.date, start: _dt.date, chosen_days: int | None = None
    ) -> _dt.date | None:
        """The date the next contact is due after one on ``last``, in an enrollment begun ``start``.

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


@dataclass(frozen=True)
class Sessions:
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


@dataclass(frozen=True)
class Phase:
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


@dataclass(frozen=True)
class Program:
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

    def dropout_phase(self, phase_id: str) -> Phase | None:
        """Where a dropout from ``phase_id`` goes: a phase, or None when the enrollment ends."""
        target = self.phase(phase_id).on_dropout
        return None if target == DROPOUT_END else self.phase(target)

    def is_aftercare(self, phase_id: str) -> bool:
        return self.aftercare_phase is not None and phase_id == self.aftercare_phase


# -- reading and checking a file --------------------------------------------------------------------

class _Check:
    """Raises the one InputError every problem in a programme file becomes."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.phase = "-"

    def fail(self, key: str, problem: str, **params: object) -> NoReturn:
        error = InputError(
            "program.invalid",
            file=self.file,
            phase=self.phase,
            problem=t(f"program.problem.{problem}", **params),
            problem_key=problem,
        )
        # FleksrunError.__init__ takes the message key as its parameter ``key``, so the dotted key
        # of the file cannot be passed as a keyword; the message layer's t() takes it fine.
        error.params["key"] = key or "-"
        raise error

    def keys(self, table: dict, prefix: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
        for name in table:
            if name not in allowed:
                hint = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
                if hint:
                    self.fail(prefix + str(name), "unknown_key_hint", hint=hint[0])
                self.fail(prefix + str(name), "unknown_key", allowed=", ".join(allowed))
        for name in required:
            if name not in table:
                self.fail(prefix + name, "required")

    def table(self, value: object, key: str) -> dict:
        if not isinstance(value, dict):
            self.fail(key, "not_table")
        return value

    def table_list(self, value: object, key: str) -> list[dict]:
        if not isinstance(value, list):
            self.fail(key, "not_list_of_tables")
        for i, entry in enumerate(value):
            if not isinstance(entry, dict):
                self.fail(f"{key}[{i}]", "not_table")
        return value

    def text(self, table: dict, name: str, prefix: str = "") -> str:
        """A non-empty text, stripped; "" when the (optional) key is absent."""
        if name not in table:
            return ""
        value = table[name]
        if not isinstance(value, str):
            self.fail(prefix + name, "not_text")
        value = value.strip()
        if not value:
            self.fail(prefix + name, "empty")
        return value

    def ident(self, value: object, key: str) -> str:
        if not isinstance(value, str):
            self.fail(key, "not_text")
        if not _ID.match(value):
            self.fail(key, "bad_id", value=value)
        return value

    def positive_int(self, value: object, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.fail(key, "positive_int")
        return value

    def number(self, value: object, key: str, *, above_zero: bool) -> int | float:
        ok = (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and math.isfinite(value)
            and (value > 0 if above_zero else value >= 0)
        )
        if not ok:
            self.fail(key, "positive_number" if above_zero else "nonneg_number")
        return value  # type: ignore[return-value]

    def boolean(self, value: object, key: str) -> bool:
        if not isinstance(value, bool):
            self.fail(key, "not_bool")
        return value

    def date(self, value: object, key: str) -> _dt.date:
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return _dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(key, "not_date")


def _syntax_error(check: _Check, exc: tomllib.TOMLDecodeError) -> NoReturn:
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "colno", None)
    detail = getattr(exc, "msg", None) or str(exc)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", detail)
    if found:
        line, column = int(found.group(1)), int(found.group(2))
        detail = detail[: found.start()]
    at_end = re.search(r"\s*\(at end of document\)\s*$", detail)
    if at_end:
        detail = detail[: at_end.start()]
    detail = detail[:1].lower() + detail[1:]
    if at_end:
        check.fail("-", "toml_syntax_end", detail=detail)
    if line:
        check.fail("-", "toml_syntax_at", line=line, column=column or 1, detail=detail)
    check.fail("-", "toml_syntax", detail=detail)


def parse_program(text: str, source: str) -> Program:
    """The programme in TOML ``text``, checked; ``source`` names the file in error messages.

    Every problem raises ``InputError("program.invalid", file=source, phase=…, key=…, problem=…)``.
    """
    check = _Check(source)
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        _syntax_error(check, exc)

    check.keys(data, "", _TOP_KEYS, _TOP_REQUIRED)
    program_id = check.ident(data["id"], "id")
    name = check.text(data, "name")
    name_da = check.text(data, "name_da") or name
    description = check.text(data, "description")
    description_da = check.text(data, "description_da") or description
    source_text = check.text(data, "source")
    target_group = check.text(data, "target_group")
    target_group_da = check.text(data, "target_group_da") or target_group

    groups: list[str] = []
    if "groups" in data:
        if not isinstance(data["groups"], list):
            check.fail("groups", "not_list")
        for i, group in enumerate(data["groups"]):
            group = check.ident(group, f"groups[{i}]")
            if group in groups:
                check.fail(f"groups[{i}]", "duplicate", value=group)
            groups.append(group)

    period_from = check.date(data["period_from"], "period_from") if "period_from" in data else None
    period_to = check.date(data["period_to"], "period_to") if "period_to" in data else None
    if period_from and period_to and period_to < period_from:
        check.fail("period_to", "period_order")

    followup = _cadence(check, data["followup"], "followup.")
    targets = _targets(check, data.get("targets", {}))

    raw_phases = data["phases"]
    if not isinstance(raw_phases, list):
        check.fail("phases", "not_list_of_tables")
    if not raw_phases:
        check.fail("phases", "no_phases")
    phases: list[Phase] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_phases):
        check.phase = "-"
        phase = _phase(check, raw, i, followup)
        if phase.id in seen:
            check.fail("id", "duplicate", value=phase.id)
        seen.add(phase.id)
        phases.append(phase)

    ids = [p.id for p in phases]
    aftercare = None
    check.phase = "-"
    if "aftercare_phase" in data:
        aftercare = check.ident(data["aftercare_phase"], "aftercare_phase")
        if aftercare not in ids:
            check.fail("aftercare_phase", "no_such_phase", value=aftercare, allowed=", ".join(ids))
        if aftercare != ids[-1]:
            check.fail("aftercare_phase", "aftercare_not_last", last=ids[-1])
    for i, phase in enumerate(phases):
        check.phase = phase.id
        if phase.on_dropout != DROPOUT_END and phase.on_dropout not in ids:
            check.fail(
                "on_dropout", "no_such_dropout", value=phase.on_dropout, allowed=", ".join(ids)
            )
        if not phase.rules and i != len(phases) - 1 and phase.id != aftercare:
            check.fail("rules", "no_rules")

    return Program(
        id=program_id,
        name=name,
        name_da=name_da,
        description=description,
        description_da=description_da,
        source=source_text,
        target_group=target_group,
        groups=tuple(groups),
        aftercare_phase=aftercare,
        followup=followup,
        targets=targets,
        phases=tuple(phases),
        toml_text=text,
        target_group_da=target_group_da,
        period_from=period_from,
        period_to=period_to,
    )


def _phase(check: _Check, raw: object, index: int, default_followup: Cadence) -> Phase:
    table = check.table(raw, f"phases[{index}]")
    if "id" not in table:
        check.fail(f"phases[{index}].id", "required")
    phase_id = check.ident(table["id"], f"phases[{index}].id")
    check.phase = phase_id
    check.keys(table, "", _PHASE_KEYS, _PHASE_REQUIRED)

    mode = table.get("mode", "all")
    if mode not in MODES:
        check.fail("mode", "bad_mode", value=mode)
    on_dropout = table.get("on_dropout", DROPOUT_END)
    if not isinstance(on_dropout, str) or not on_dropout.strip():
        check.fail("on_dropout", "not_text")
    on_dropout = on_dropout.strip()

    checklist: list[ChecklistItem] = []
    for i, entry in enumerate(check.table_list(table.get("checklist", []), "checklist")):
        prefix = f"checklist[{i}]."
        check.keys(entry, prefix, _ITEM_KEYS, _ITEM_REQUIRED)
        item_id = check.ident(entry["id"], prefix + "id")
        if item_id in (item.id for item in checklist):
            check.fail(prefix + "id", "duplicate", value=item_id)
        label = check.text(entry, "label", prefix)
        checklist.append(ChecklistItem(item_id, label, check.text(entry, "label_da", prefix) or label))

    rules = tuple(
        _rule(check, entry, f"rules[{i}]", bool(checklist))
        for i, entry in enumerate(check.table_list(table.get("rules", []), "rules"))
    )
    sessions = _sessions(check, table["sessions"]) if "sessions" in table else None
    followup = (
        _cadence(check, table["followup"], "followup.") if "followup" in table else default_followup
    )
    name = check.text(table, "name")
    description = check.text(table, "description")
    return Phase(
        id=phase_id,
        name=name,
        name_da=check.text(table, "name_da") or name,
        description=description,
        mode=mode,
        checklist=tuple(checklist),
        rules=rules,
        sessions=sessions,
        followup=followup,
        on_dropout=on_dropout,
        description_da=check.text(table, "description_da") or description,
    )


def _rule(check: _Check, entry: dict, key: str, has_checklist: bool) -> Rule:
    if "kind" not in entry:
        check.fail(key + ".kind", "required")
    kind = entry["kind"]
    if not isinstance(kind, str) or kind not in RULE_KINDS:
        hint = difflib.get_close_matches(str(kind), RULE_KINDS, n=1, cutoff=0.6)
        check.fail(
            key + ".kind",
            "bad_kind_hint" if hint else "bad_kind",
            value=kind,
            hint=hint[0] if hint else "",
            allowed=", ".join(RULE_KINDS),
        )
    params = _RULE_PARAMS[kind]
    for name in entry:
        if name != "kind" and name not in params:
            if params:
                check.fail(f"{key}.{name}", "rule_param", kind=kind, allowed=", ".join(params))
            check.fail(f"{key}.{name}", "rule_param_none", kind=kind)
    values: dict[str, Any] = {}
    for name, (how, required) in params.items():
        pkey = f"{key}.{name}"
        if name not in entry:
            if required:
                check.fail(pkey, "required")
            continue
        value = entry[name]
        if how == "positive_int":
            values[name] = check.positive_int(value, pkey)
        elif how == "positive_number":
            values[name] = check.number(value, pkey, above_zero=True)
        elif how == "nonneg_number":
            values[name] = check.number(value, pkey, above_zero=False)
        else:  # outcomes
            if not isinstance(value, list):
                check.fail(pkey, "not_list")
            if not value:
                check.fail(pkey, "no_outcomes")
            chosen: list[str] = []
            for i, outcome in enumerate(value):
                if not isinstance(outcome, str) or outcome not in OUTCOMES:
                    check.fail(f"{pkey}[{i}]", "bad_outcome", value=outcome, allowed=", ".join(OUTCOMES))
                if outcome in chosen:
                    check.fail(f"{pkey}[{i}]", "duplicate", value=outcome)
                chosen.append(outcome)
            values[name] = tuple(chosen)
    if kind == "checklist" and not has_checklist:
        check.fail(key + ".kind", "checklist_rule_needs_items")
    return Rule(kind=kind, min=values.get("min"), in_=values.get("in", ()))


def _sessions(check: _Check, raw: object) -> Sessions:
    table = check.table(raw, "sessions")
    check.keys(table, "sessions.", _SESSION_KEYS, _SESSION_REQUIRED)
    weeks = check.positive_int(table["weeks"], "sessions.weeks")
    raw_days = table["weekdays"]
    if not isinstance(raw_days, list):
        check.fail("sessions.weekdays", "not_list")
    if not raw_days:
        check.fail("sessions.weekdays", "no_weekdays")
    days: list[int] = []
    for i, name in enumerate(raw_days):
        key = f"sessions.weekdays[{i}]"
        index = _WEEKDAYS.get(name.strip().lower()) if isinstance(name, str) else None
        if index is None:
            check.fail(key, "bad_weekday", value=name)
        if index in days:
            check.fail(key, "duplicate", value=name)
        days.append(index)
    hours = None
    if "hours" in table:
        hours = check.number(table["hours"], "sessions.hours", above_zero=True)
        if hours > 24:
            check.fail("sessions.hours", "hours_per_day")
    kind = table.get("kind", "practice")
    if kind not in SESSION_KINDS:
        check.fail("sessions.kind", "bad_session_kind", value=kind, allowed=", ".join(SESSION_KINDS))
    return Sessions(weeks=weeks, weekdays=tuple(sorted(days)), hours=hours, kind=kind)


def _cadence(check: _Check, raw: object, prefix: str) -> Cadence:
    table = check.table(raw, prefix.rstrip("."))
    check.keys(table, prefix, _CADENCE_KEYS, _CADENCE_REQUIRED)
    every = check.positive_int(table["every_days"], prefix + "every_days")
    intensive_every = intensive_weeks = until = None
    if ("intensive_every_days" in table) != ("intensive_weeks" in table):
        missing = "intensive_weeks" if "intensive_every_days" in table else "intensive_every_days"
        check.fail(prefix + missing, "intensive_pair")
    if "intensive_every_days" in table:
        intensive_every = check.positive_int(table["intensive_every_days"], prefix + "intensive_every_days")
        intensive_weeks = check.positive_int(table["intensive_weeks"], prefix + "intensive_weeks")
        if intensive_every >= every:
            check.fail(prefix + "intensive_every_days", "intensive_not_tighter", every=every)
    if "until_weeks" in table:
        until = check.positive_int(table["until_weeks"], prefix + "until_weeks")
    per_citizen = check.boolean(table.get("per_citizen", False), prefix + "per_citizen")
    choices: list[int] = []
    if "choices_days" in table:
        if not per_citizen:
            check.fail(prefix + "choices_days", "choices_need_per_citizen")
        raw_choices = table["choices_days"]
        if not isinstance(raw_choices, list):
            check.fail(prefix + "choices_days", "not_list")
        if not raw_choices:
            check.fail(prefix + "choices_days", "empty")
        for i, value in enumerate(raw_choices):
            key = f"{prefix}choices_days[{i}]"
            value = check.positive_int(value, key)
            if value in choices:
                check.fail(key, "duplicate", value=value)
            choices.append(value)
    return Cadence(
        every_days=every,
        intensive_every_days=intensive_every,
        intensive_weeks=intensive_weeks,
        until_weeks=until,
        per_citizen=per_citizen,
        choices_days=tuple(choices),
    )


def _targets(check: _Check, raw: object) -> dict[str, int | float]:
    table = check.table(raw, "targets")
    targets: dict[str, int | float] = {}
    for name, value in table.items():
        key = f"targets.{name}"
        if not _ID.match(name):
            check.fail(key, "bad_id", value=name)
        targets[name] = check.number(value, key, above_zero=False)
        if (name.endswith("_pct") or name.endswith("_pct_baseline")) and value > 100:
            check.fail(key, "percentage")
    for name in targets:
        if name.endswith("_baseline") and name.removesuffix("_baseline") not in targets:
            check.fail(f"targets.{name}", "baseline_without_target", target=name.removesuffix("_baseline"))
    return targets


# -- where programmes come from --------------------------------------------------------------------

# In the order of the source documents (seeds 000–004).
BUILTIN_FILES = ("ovebane.toml", "rampen.toml", "virksomhedscenter.toml", "jobgaranti.toml", "fleksjob_aalborg.toml")


@cache
def builtin_text(program_id: str) -> str | None:
    """The shipped TOML text of a built-in programme (ids are the file names), or None."""
    from importlib import resources

    name = f"{program_id}.toml"
    if name not in BUILTIN_FILES:
        return None
    return resources.files("fleksrun.programs").joinpath(name).read_text(encoding="utf-8")


@cache
def builtin_program(program_id: str) -> Program | None:
    """One built-in programme, parsed on first use (a command rarely needs all five)."""
    text = builtin_text(program_id)
    return None if text is None else parse_program(text, f"{program_id}.toml")


def builtin_programs() -> dict[str, Program]:
    """The programmes that ship with fleksrun, by id, in the order of the source documents."""
    found = (builtin_program(name.removesuffix(".toml")) for name in BUILTIN_FILES)
    return {program.id: program for program in found if program is not None}


def load_program_file(path: str | Path) -> Program:
    """A user's programme file, read and checked (exit 2 with file, phase and key on a problem)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("program.file_missing", file=str(path)) from None
    except OSError as exc:
        raise InputError("program.file_unreadable", file=str(path), reason=exc.strerror or str(exc)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _Check(str(path)).fail("-", "not_utf8")
    return parse_program(text, str(path))


# -- output ----------------------------------------------------------------------------------------

def cadence_to_dict(c: Cadence) -> dict[str, Any]:
    return {
        "every_days": c.every_days,
        "intensive_every_days": c.intensive_every_days,
        "intensive_weeks": c.intensive_weeks,
        "until_weeks": c.until_weeks,
        "per_citizen": c.per_citizen,
        "choices_days": list(c.choices_days),
    }


def _sessions_to_dict(s: Sessions | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"weeks": s.weeks, "weekdays": list(s.weekday_names), "hours": s.hours, "kind": s.kind}


def program_to_dict(p: Program) -> dict[str, Any]:
    """The programme for ``--json``: snake_case keys; a contract with scripts (add, never rename)."""
    return {
        "id": p.id,
        "name": p.name,
        "name_da": p.name_da,
        "description": p.description,
        "description_da": p.description_da,
        "source": p.source,
        "target_group": p.target_group,
        "target_group_da": p.target_group_da,
        "groups": list(p.groups),
        "aftercare_phase": p.aftercare_phase,
        "period": (
            {
                "from": p.period_from.isoformat() if p.period_from else None,
                "to": p.period_to.isoformat() if p.period_to else None,
            }
            if p.period_from or p.period_to
            else None
        ),
        "followup": cadence_to_dict(p.followup),
        "targets": dict(p.targets),
        "phases": [
            {
                "id": ph.id,
                "name": ph.name,
                "name_da": ph.name_da,
                "description": ph.description,
                "description_da": ph.description_da,
                "checklist": list(ph.checklist_ids),
                "checklist_labels": {
                    item.id: {"label": item.label, "label_da": item.label_da} for item in ph.checklist
                },
                "mode": ph.mode,
                "rules": [rule.to_dict() for rule in ph.rules],
                "sessions": _sessions_to_dict(ph.sessions),
                "followup": cadence_to_dict(ph.followup),
                "on_dropout": ph.on_dropout,
                "aftercare": p.is_aftercare(ph.id),
            }
            for ph in p.phases
        ],
    }


def _join_or(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return t("rule.describe.or_list", first=", ".join(parts[:-1]), last=parts[-1])


def describe_rule(rule: Rule) -> str:
    """A rule as a person reads it, in the current language."""
    kind = rule.kind
    if kind == "checklist":
        return t("rule.describe.checklist")
    if kind == "ordinary_hours_month":
        return t("rule.describe.ordinary_hours_month", min=rule.min)
    if kind in ("continuous_practice_weeks", "practice_days", "weeks_in_phase"):
        suffix = "_one" if rule.min == 1 else ""
        return t(f"rule.describe.{kind}{suffix}", min=rule.min)
    if kind == "hours_increase":
        if rule.min:
            return t("rule.describe.hours_increase_min", min=rule.min)
        return t("rule.describe.hours_increase")
    if kind == "outcome":
        names = [t(f"rule.describe.outcomes.{o}") for o in rule.in_]
        return t("rule.describe.outcome", outcomes=_join_or(names))
    raise ValueError(f"unknown rule kind {kind!r}")  # parse_program lets none through


def describe_exit(phase: Phase) -> str:
    """How a phase is left: its rules joined by its mode, or that it lasts until the end."""
    if not phase.rules:
        return t("rule.describe.none")
    rules = [describe_rule(r) for r in phase.rules]
    if len(rules) == 1:
        return rules[0]
    return t(f"rule.describe.mode_{phase.mode}", rules="; ".join(rules))


def _every(days: int) -> str:
    if days % 7 == 0:
        weeks = days // 7
        return t("cadence.every_week") if weeks == 1 else t("cadence.every_weeks", weeks=weeks)
    return t("cadence.every_day") if days == 1 else t("cadence.every_days", days=days)


def describe_cadence(c: Cadence) -> str:
    """A follow-up cadence as a person reads it, e.g. "every 2 weeks in the first 4 weeks, then …"."""
    text = _every(c.every_days)
    if c.intensive_every_days and c.intensive_weeks:
        key = "cadence.intensive_one" if c.intensive_weeks == 1 else "cadence.intensive"
        text = t(key, intensive=_every(c.intensive_every_days), weeks=c.intensive_weeks, normal=text)
    if c.per_citizen:
        if c.choices_days:
            choices = _join_or([_every(d) for d in c.choices_days])
            text = t("cadence.per_citizen_choices", choices=choices, default=text)
        else:
            text = t("cadence.per_citizen", default=text)
    if c.until_weeks:
        key = "cadence.until_one" if c.until_weeks == 1 else "cadence.until"
        text = t(key, cadence=text, weeks=c.until_weeks)
    return text
