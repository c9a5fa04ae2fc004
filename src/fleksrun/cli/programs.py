"""Commands about programmes: programs, program show, program add."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fleksrun.cli.options import JsonOpt, today

program_app = typer.Typer(help="Programmes: phases, checklists, exit rules.", no_args_is_help=True,
                          rich_markup_mode=None)


def programs(as_json: JsonOpt = False) -> None:
    """List the built-in and your own programmes."""
    from fleksrun.cli.state import state
    from fleksrun.domain.programs import program_to_dict
    from fleksrun.i18n import language, t
    from fleksrun.render import print_json, print_table
    from fleksrun.services.programs import all_programs

    found = all_programs(state().db())
    if as_json:
        print_json({"today": today(), "items": [program_to_dict(p) for p in found.values()]})
        return
    lang = language()
    rows = [{"id": p.id, "name": p.title(lang), "phases": " → ".join(ph.title(lang) for ph in p.phases)}
            for p in found.values()]
    print_table(t("programs.title", count=len(rows)),
                [("id", t("col.id")), ("name", t("col.name")), ("phases", t("col.phases"))], rows)


@program_app.command("show")
def program_show(
    program_id: Annotated[str, typer.Argument(metavar="ID", help="Programme id.")],
    as_json: JsonOpt = False,
) -> None:
    """Explain a programme: each phase, its checklist, exit rules and follow-up cadence."""
    from fleksrun.cli.state import state
    from fleksrun.domain.programs import describe_cadence, describe_rule, program_to_dict
    from fleksrun.i18n import label, language, t
    from fleksrun.render import out, print_json
    from fleksrun.services.programs import get_program

    program = get_program(state().db(), program_id)
    if as_json:
        print_json(program_to_dict(program))
        return
    lang = language()
    console = out()
    console.print(f"[bold]{program.title(lang)}[/bold]  ({program.id})")
    description = program.summary(lang)
    if description:
        console.print(description, markup=False)
    if program.source:
        console.print(t("program.source", source=program.source), style="dim", markup=False)
    for number, phase in enumerate(program.phases, start=1):
        console.print()
        console.print(f"[bold]{number}. {phase.title(lang)}[/bold] ({phase.id})")
        if phase.summary(lang):
            console.print(phase.summary(lang), markup=False)
        if phase.checklist:
            # The name, then the id that `mark` takes, as the phase's heading gives the id `advance --to` takes.
            console.print(t("program.checklist", items=", ".join(f"{i.title(lang)} ({i.id})" for i in phase.checklist)),
                          markup=False)
        if phase.rules:
            joiner = t("program.mode_all") if phase.mode == "all" else t("program.mode_any")
            console.print(t("program.exit_when", joiner=joiner), markup=False)
            for rule in phase.rules:
                console.print(f"  • {describe_rule(rule)}", markup=False)
        else:
            console.print(t("program.no_rules"), markup=False)
        if phase.sessions:
            s = phase.sessions
            from fleksrun.i18n import weekday_name

            days = ", ".join(weekday_name(d + 1, lang) for d in s.weekdays)
            console.print(t("program.sessions", weeks=s.weeks, days=days, hours=s.hours,
                            kind=label("placement_kind", s.kind)), markup=False)
        counted_from = phase.followup.from_phase
        named = program.phase(counted_from).title(lang) if counted_from else None
        console.print(t("program.cadence", cadence=describe_cadence(phase.followup, named)), markup=False)
        if phase.on_dropout and phase.on_dropout != "end":
            console.print(t("program.dropout_to", phase=program.phase(phase.on_dropout).title(lang)), markup=False)
    if program.aftercare_phase:
        console.print()
        console.print(t("program.aftercare", phase=program.phase(program.aftercare_phase).title(lang)), markup=False)


@program_app.command("add")
def program_add(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A programme TOML file.")],
    as_json: JsonOpt = False,
) -> None:
    """Validate a programme file and keep it; new enrollments can then use it."""
    from fleksrun.cli.state import state
    from fleksrun.domain.programs import program_to_dict
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.programs import add_user_program
    from fleksrun.store.tx import transaction

    db = state().db()
    with transaction(db, "program add") as tx:
        program = add_user_program(db, tx, file)
    if as_json:
        print_json(program_to_dict(program))
    else:
        say(t("program.added", id=program.id, phases=len(program.phases)))


def register(app: typer.Typer) -> None:
    app.command()(programs)
    app.add_typer(program_app, name="program")
