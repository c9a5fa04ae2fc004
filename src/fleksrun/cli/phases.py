"""Commands about phases: mark, check, advance, end."""

from __future__ import annotations

from typing import Annotated

import typer

from fleksrun.cli.options import JsonOpt, choice_arg, date_arg, db_as_of_today, today

CitizenArg = Annotated[str, typer.Argument(help="Number or part of the name.")]
ProgramOpt = Annotated[str | None, typer.Option("--program", "-p",
                                                help="The programme, when the citizen is active in several.")]
OnOpt = Annotated[str | None, typer.Option("--on",
                                           help="The day it happened (default today): 31-03-2026, 2026-03-31, -2d.")]


def mark(
    citizen: CitizenArg,
    item: Annotated[str, typer.Argument(
        help="A checklist item of the current phase, e.g. cv or job_goal, or one any phase may tick, "
             "e.g. end_questionnaire (see `fleksrun program show`).")],
    on: OnOpt = None,
    undo: Annotated[bool, typer.Option("--undo", help="Untick the item.")] = False,
    program: ProgramOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Tick (or untick) a checklist item of the current phase, or one any phase may tick (also after end)."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.phases import mark_item

    result = mark_item(state().db(), citizen, item, today=today(), on=date_arg(on), undo=undo, program=program)
    if as_json:
        print_json(result)
    else:
        from fleksrun.cli.names import Names

        names = Names(state().db())
        say(t(f"mark.{result['action']}", item=names.item(result["program"], result["item"]),
              citizen=result["citizen"], phase=names.phase(result["program"], result["phase"]), on=result["on"]))


def check(
    citizen: Annotated[str | None, typer.Argument(help="One citizen (default: every active enrollment).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0,
                                       help="Show at most this many rows in the table (0: all).")] = 200,
    as_json: JsonOpt = False,
) -> None:
    """Each active enrollment's exit rules: met or not, by how much, and whether the citizen may move on."""
    from fleksrun.i18n import t
    from fleksrun.render import print_json_stream, print_table_limited, say
    from fleksrun.services.phases import check as do_check
    from fleksrun.services.phases import check_page

    if as_json:
        print_json_stream({"today": today()}, do_check(db_as_of_today(), today(), citizen))
        return
    from fleksrun.cli.names import Names

    db = db_as_of_today()
    names = Names(db)
    total, items = check_page(db, today(), citizen, limit=limit)

    def table_row(item: dict) -> dict:
        lines = [f"{t('check.met_mark' if r['met'] else 'check.unmet_mark')} "
                 f"{t('rules.kind.' + r['kind'])}: {r['detail']}" for r in item["rules"]]
        verdict = t("check.ready") if item["ready"] else t("check.not_yet") if item["rules"] else t("check.no_rules")
        return {"id": item["citizen_id"], "citizen": item["citizen"], "program": item["program"],
                "phase": names.phase(item["program"], item["phase"]), "verdict": verdict,
                "rules": "\n".join(lines) or None}

    shown = print_table_limited(lambda total: t("check.title", count=total), [
        ("id", "#", "right"), ("citizen", t("col.name")), ("program", t("col.program")), ("phase", t("col.phase")),
        ("verdict", t("check.verdict")), ("rules", t("check.rules"), "wrap"),
    ], (table_row(item) for item in items), limit, lambda hidden: t("table.more", count=hidden), total=total)
    if not shown:
        say(t("check.none"))


def advance(
    citizen: CitizenArg,
    to: Annotated[str | None, typer.Option("--to", help="The phase to move to (default: the next one).")] = None,
    on: OnOpt = None,
    force: Annotated[bool, typer.Option("--force",
                                        help="Move on although the rules are not met (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why: kept in the phase history.")] = None,
    program: ProgramOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Move the citizen to the next phase; refused (exit 3) while its exit rules are unmet, unless forced."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.phases import advance as do_advance

    result = do_advance(state().db(), citizen, today=today(), to=to, on=date_arg(on), force=force, reason=reason,
                        program=program)
    if as_json:
        print_json(result)
    else:
        from fleksrun.cli.names import Names

        names = Names(state().db())
        say(t("advance.forced" if result["forced"] else "advance.done", citizen=result["citizen"],
              from_phase=names.phase(result["program"], result["from_phase"]),
              to_phase=names.phase(result["program"], result["to_phase"]), on=result["on"], reason=result["reason"]))


def end(
    citizen: CitizenArg,
    outcome: Annotated[str, typer.Option(
        "--outcome", help="flexjob, job, education, dropout, rehab, moved or other (or frafald, …).")],
    on: OnOpt = None,
    program: ProgramOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Close the enrollment with its outcome; a dropout or a job may instead move the citizen, per programme."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.phases import end_enrollment

    result = end_enrollment(state().db(), citizen, choice_arg("--outcome", "outcome", outcome), today=today(),
                            on=date_arg(on), program=program)
    if as_json:
        print_json(result)
    else:
        from fleksrun.cli.names import Names, outcome_name

        names = Names(state().db())
        say(t(f"end.{result['action']}", citizen=result["citizen"], program=result["program"], on=result["on"],
              outcome=outcome_name(result["outcome"]), from_phase=names.phase(result["program"], result["from_phase"]),
              to_phase=names.phase(result["program"], result["to_phase"])))
        if result["cancelled_days"]:
            one = "_one" if result["cancelled_days"] == 1 else ""
            say(t(f"end.cancelled_days{one}", count=result["cancelled_days"], on=result["on"]))


def register(app: typer.Typer) -> None:
    app.command()(mark)
    app.command()(check)
    app.command()(advance)
    app.command()(end)
