"""A programme as output: a dict for ``--json`` and rules and cadences in words (current language)."""

from __future__ import annotations

from typing import Any

from fleksrun.domain.programs.model import Cadence, Phase, Program, Rule, Sessions
from fleksrun.i18n import t


def cadence_to_dict(c: Cadence) -> dict[str, Any]:
    return {
        "every_days": c.every_days,
        "intensive_every_days": c.intensive_every_days,
        "intensive_weeks": c.intensive_weeks,
        "until_weeks": c.until_weeks,
        "per_citizen": c.per_citizen,
        "choices_days": list(c.choices_days),
        "from_phase": c.from_phase,
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
        "periods": [{"name": q.name, "from": q.start.isoformat(), "to": q.end.isoformat(), "targets": dict(q.targets)}
                    for q in p.periods],
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
                "checklist_anytime": [item.id for item in ph.checklist if item.anytime],
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
    return t(f"rule.describe.{kind}", min=rule.min)  # a kind added since: its message takes its minimum


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


def describe_cadence(c: Cadence, phase_name: str | None = None) -> str:
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
        if c.from_phase:
            key = key.replace("until", "until_phase")
        text = t(key, cadence=text, weeks=c.until_weeks, phase=phase_name or c.from_phase or "")
    elif c.from_phase and c.intensive_weeks:
        text = t("cadence.counted_from_phase", cadence=text, phase=phase_name or c.from_phase)
    return text
