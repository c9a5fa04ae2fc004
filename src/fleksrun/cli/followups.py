"""The followup command: record a contact and see when the next one is due."""

from __future__ import annotations

from typing import Annotated

import typer

from fleksrun.cli.options import JsonOpt, choice_arg, date_arg, today


def followup(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    on: Annotated[str | None, typer.Option("--on", help="The day of the contact (default today).")] = None,
    kind: Annotated[str, typer.Option("--kind", help="talk, phone, visit, mail or meeting (or samtale, …).")] = "talk",
    with_whom: Annotated[str, typer.Option("--with", help="citizen, company or both (or borger, …).")] = "citizen",
    note: Annotated[str | None, typer.Option("--note", help="What was said or agreed.")] = None,
    next_date: Annotated[str | None, typer.Option("--next",
                                                  help="The next contact's day, instead of the cadence.")] = None,
    program: Annotated[str | None, typer.Option("--program", "-p",
                                                help="The programme, when the citizen is active in several.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a contact with the citizen and/or the company; the next one is due by the cadence or --next."""
    from fleksrun.cli.scheduling import warnings_out
    from fleksrun.cli.state import state
    from fleksrun.i18n import label, t
    from fleksrun.render import print_json, say
    from fleksrun.services.followups import record_followup

    result = record_followup(state().db(), citizen, today=today(), on=date_arg(on),
                             kind=choice_arg("--kind", "followup_kind", kind),
                             with_whom=choice_arg("--with", "with", with_whom), note=note,
                             next_date=date_arg(next_date), program=program)
    warnings = warnings_out(result.pop("warnings"))
    if as_json:
        print_json({**result, "warnings": warnings})
        return
    say(t("followup.done", citizen=result["citizen"], kind=label("followup_kind", result["kind"]),
          with_whom=label("with", result["with"]), on=result["date"]))
    if result["next_due"] is None:
        say(t("followup.no_next"))
    else:
        say(t(f"followup.next_{result['next_due_rule']}", next=result["next_due"]))


def register(app: typer.Typer) -> None:
    app.command()(followup)
