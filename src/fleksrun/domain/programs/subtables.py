"""The small tables of a programme file: exit rules, sessions, a follow-up cadence, targets."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.domain.programs.check import _ID, _Check
from fleksrun.domain.programs.model import (
    OUTCOMES,
    RULE_REGISTRY,
    SESSION_KINDS,
    Cadence,
    Period,
    Rule,
    Sessions,
)

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

_SESSION_KEYS = ("weeks", "weekdays", "hours", "kind")
_SESSION_REQUIRED = ("weeks", "weekdays")
_CADENCE_KEYS = (
    "every_days", "intensive_every_days", "intensive_weeks", "until_weeks", "per_citizen",
    "choices_days", "from_phase",
)
_CADENCE_REQUIRED = ("every_days",)


def _rule(check: _Check, entry: dict, key: str, has_checklist: bool) -> Rule:
    if "kind" not in entry:
        check.fail(key + ".kind", "required")
    kind = entry["kind"]
    if not isinstance(kind, str) or kind not in RULE_REGISTRY:
        import difflib  # only a mistyped kind pays for the suggestion

        hint = difflib.get_close_matches(str(kind), list(RULE_REGISTRY), n=1, cutoff=0.6)
        check.fail(
            key + ".kind",
            "bad_kind_hint" if hint else "bad_kind",
            value=kind,
            hint=hint[0] if hint else "",
            allowed=", ".join(RULE_REGISTRY),
        )
    params = RULE_REGISTRY[kind].params  # {param: (check, required)}
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
        hours = check.number(table["hours"], "sessions.hours", above_zero=True, bounded=False)  # 24: below
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
    from_phase = check.ident(table["from_phase"], prefix + "from_phase") if "from_phase" in table else None
    return Cadence(
        every_days=every,
        intensive_every_days=intensive_every,
        intensive_weeks=intensive_weeks,
        until_weeks=until,
        per_citizen=per_citizen,
        choices_days=tuple(choices),
        from_phase=from_phase,
    )


def _targets(check: _Check, raw: object, prefix: str = "") -> dict[str, int | float]:
    table = check.table(raw, f"{prefix}targets")
    targets: dict[str, int | float] = {}
    for name, value in table.items():
        key = f"{prefix}targets.{name}"
        if not _ID.match(name):
            check.fail(key, "bad_id", value=name)
        targets[name] = check.number(value, key, above_zero=False, bounded=False)
        if (name.endswith("_pct") or name.endswith("_pct_baseline")) and value > 100:
            check.fail(key, "percentage")
    for name in targets:
        if name.endswith("_baseline") and name.removesuffix("_baseline") not in targets:
            check.fail(f"{prefix}targets.{name}", "baseline_without_target", target=name.removesuffix("_baseline"))
    return targets


_PERIOD_KEYS = ("name", "from", "to", "targets")
_PERIOD_REQUIRED = ("from", "to")


def _periods(check: _Check, raw: object, whole: tuple[_dt.date | None, _dt.date | None]) -> tuple[Period, ...]:
    """The ``[[periods]]``: each inside the project period ``whole`` (when given), none overlapping."""
    periods: list[Period] = []
    for i, entry in enumerate(check.table_list(raw, "periods")):
        prefix = f"periods[{i}]."
        check.keys(entry, prefix, _PERIOD_KEYS, _PERIOD_REQUIRED)
        start = check.date(entry["from"], prefix + "from")
        end = check.date(entry["to"], prefix + "to")
        if end < start:
            check.fail(prefix + "to", "period_part_order")
        if (whole[0] and start < whole[0]) or (whole[1] and end > whole[1]):
            check.fail(prefix + "from" if whole[0] and start < whole[0] else prefix + "to", "period_outside")
        for j, other in enumerate(periods):
            if start <= other.end and other.start <= end:
                check.fail(prefix + "from", "period_overlap", other=f"periods[{j}]")
        name = check.text(entry, "name", prefix)
        periods.append(Period(start, end, _targets(check, entry.get("targets", {}), prefix), name))
    return tuple(periods)
