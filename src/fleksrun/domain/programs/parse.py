"""Reading and checking a programme file (the format is described in the package docstring)."""

from __future__ import annotations

from pathlib import Path

from fleksrun.domain.programs.check import LARGEST, _Check, _syntax_error
from fleksrun.domain.programs.model import (
    DROPOUT_END,
    MODES,
    Cadence,
    ChecklistItem,
    Phase,
    Program,
)
from fleksrun.domain.programs.subtables import _cadence, _periods, _rule, _sessions, _targets
from fleksrun.errors import InputError

_TOP_KEYS = (
    "id", "name", "name_da", "description", "description_da", "source", "target_group",
    "target_group_da", "groups", "aftercare_phase", "period_from", "period_to", "followup",
    "targets", "periods", "phases",
)
_TOP_REQUIRED = ("id", "name", "followup", "phases")
_PHASE_KEYS = (
    "id", "name", "name_da", "description", "description_da", "mode", "on_dropout", "checklist",
    "rules", "sessions", "followup",
)
_PHASE_REQUIRED = ("id", "name")
_ITEM_KEYS = ("id", "label", "label_da", "anytime")
_ITEM_REQUIRED = ("id", "label")


def parse_program(text: str, source: str, *, largest: int | None = None) -> Program:
    """The programme in TOML ``text``, checked; ``source`` names the file in error messages, and no
    number may exceed ``largest`` (a new file's limit, check.LARGEST; None for stored definitions).

    Every problem raises ``InputError("program.invalid", file=source, phase=…, key=…, problem=…)``.
    """
    import tomllib  # pure Python to import: only a command that reads a programme pays for it

    check = _Check(source, largest)
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
    periods = _periods(check, data.get("periods", []), (period_from, period_to))

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
    _cadence_phase(check, followup, ids)
    for i, phase in enumerate(phases):
        check.phase = phase.id
        if phase.followup is not followup:  # the phase's own cadence
            _cadence_phase(check, phase.followup, ids)
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
        periods=periods,
    )


def _cadence_phase(check: _Check, cadence: Cadence, ids: list[str]) -> None:
    """A cadence's ``from_phase`` must name a phase of the programme."""
    if cadence.from_phase is not None and cadence.from_phase not in ids:
        check.fail("followup.from_phase", "no_such_phase", value=cadence.from_phase, allowed=", ".join(ids))


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
        anytime = check.boolean(entry.get("anytime", False), prefix + "anytime")
        checklist.append(ChecklistItem(item_id, label, check.text(entry, "label_da", prefix) or label, anytime))

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
    return parse_program(text, str(path), largest=LARGEST)
