"""Commands about citizens: enroll, citizens, show, edit."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from fleksrun.cli.options import JsonOpt, date_arg, today


def _warn_same_cpr(others: list[dict[str, Any]]) -> None:
    """One warning on stderr per other citizen with the same CPR number (masked); the command succeeds."""
    from fleksrun.i18n import t
    from fleksrun.render import warn

    for other in others:
        warn(t("citizen.same_cpr", id=other["id"], name=other["name"], cpr=other["cpr"]))


def enroll(
    name: Annotated[str, typer.Argument(help="The citizen's full name (or, with --existing, a known citizen).")],
    program: Annotated[str, typer.Option("--program", "-p", help="Programme id (see `fleksrun programs`).")],
    start: Annotated[str | None, typer.Option(
        help="First day (default today): 31-03-2026, 2026-03-31, mon, uge 14.")] = None,
    group: Annotated[str | None, typer.Option(help="Target group, if the programme has groups.")] = None,
    cpr: Annotated[str | None, typer.Option(help="CPR number DDMMYY-SSSS (optional; always shown masked).")] = None,
    ref: Annotated[str | None, typer.Option("--ref", help="Case number in the municipality's system.")] = None,
    phone: Annotated[str | None, typer.Option(help="Phone number.")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail address.")] = None,
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    existing: Annotated[bool, typer.Option("--existing", help="Enroll a citizen who is already in fleksrun.")] = False,
    phase: Annotated[str | None, typer.Option(
        help="Start in this phase instead of the first (a group that starts later in the programme).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Enroll a citizen in a programme's first phase."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.enrollment import enroll as do_enroll

    result = do_enroll(state().db(), name=name, program_id=program, start=date_arg(start, today()), existing=existing,
                       group=group, cpr=cpr, case_ref=ref, phone=phone, email=email, note=note, today=today(),
                       phase=phase)
    _warn_same_cpr(result["same_cpr"])
    if as_json:
        print_json(result)
    else:
        from fleksrun.cli.names import Names

        say(t("enroll.done", id=result["citizen_id"], name=result["citizen"], program=result["program"],
              phase=Names(state().db()).phase(result["program"], result["phase"]), start=result["start"]))


LimitOpt = Annotated[int, typer.Option("--limit", "-n", min=0,
                                       help="Show at most this many rows in the table (0: all).")]


def citizens(
    show_all: Annotated[bool, typer.Option("--all", help="Also ended enrollments.")] = False,
    program: Annotated[str | None, typer.Option("--program", "-p", help="Only this programme.")] = None,
    phase: Annotated[str | None, typer.Option(help="Only this phase.")] = None,
    ended_before: Annotated[str | None, typer.Option(
        "--ended-before", help="Only enrollments ended before this date (for retention).")] = None,
    limit: LimitOpt = 200,
    as_json: JsonOpt = False,
) -> None:
    """List citizens (active enrollments by default) with phase, days in phase and next item."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import format_date, label, t
    from fleksrun.render import print_json_stream, print_table_limited, say
    from fleksrun.services.enrollment import count_citizens, list_citizens

    filters: dict[str, Any] = {"include_all": show_all, "program": program, "phase": phase,
                               "ended_before": date_arg(ended_before)}
    if as_json:
        keys = ("id", "name", "program", "phase", "start", "status", "enrollment_id", "end", "outcome",
                "days_in_phase", "next_day", "next_followup")
        rows = list_citizens(state().db(), today(), **filters)
        print_json_stream({"today": today()}, ({k: r[k] for k in keys} for r in rows))
        return
    # The table shows the first `limit` by name: only those are read; a COUNT tells how many more.
    total = count_citizens(state().db(), **filters) if limit else None
    rows = list_citizens(state().db(), today(), **filters, limit=limit or None)

    from fleksrun.cli.names import Names

    names = Names(state().db())

    def table_row(r: dict) -> dict:
        nexts = []
        if r["next_followup"]:
            nexts.append(t("citizens.next_followup", date=r["next_followup"]))
        if r["next_day"]:
            nexts.append(t("citizens.next_day", date=r["next_day"]))
        return {
            "id": r["id"], "name": r["name"], "program": r["program"],
            "phase": names.phase(r["program"], r["phase"]) if r["status"] == "active"
            else t("citizens.ended", outcome=label("outcome", r["outcome"])),
            "start": format_date(r["start"]), "days": r["days_in_phase"], "next": "; ".join(nexts) or None,
        }

    shown = print_table_limited(lambda total: t("citizens.title", count=total), [
        ("id", "#", "right"), ("name", t("col.name"), "wrap"), ("program", t("col.program")), ("phase", t("col.phase")),
        ("start", t("col.start")), ("days", t("col.days_in_phase"), "right"), ("next", t("col.next"), "wrap"),
    ], (table_row(r) for r in rows), limit, lambda hidden: t("table.more", count=hidden), total=total)
    if not shown:
        say(t("citizens.none_ended" if ended_before else ("citizens.none_all" if show_all else "citizens.none")))


def show(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    reveal: Annotated[bool, typer.Option("--reveal", help="Show the CPR number in full.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Show a citizen's card and timeline."""
    from fleksrun.cli.goals import show_goals_and_progress
    from fleksrun.cli.render_card import render_card
    from fleksrun.cli.state import state
    from fleksrun.render import print_json
    from fleksrun.services.card import citizen_card
    from fleksrun.services.goals import goals_of
    from fleksrun.services.profiles import citizen_wishes

    card = citizen_card(state().db(), citizen, today(), reveal=reveal)
    card["goals"] = goals_of(state().db(), card["id"])  # sub-goals and wishes (`goal`, `wish`)
    card["wishes"] = citizen_wishes(state().db(), card["id"])
    if as_json:
        print_json(card)
    else:
        render_card(card)
        show_goals_and_progress(card)


def edit(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    cpr: Annotated[str | None, typer.Option(help="CPR number (empty text removes it).")] = None,
    ref: Annotated[str | None, typer.Option("--ref", help="Case number.")] = None,
    group: Annotated[str | None, typer.Option(help="Target group.")] = None,
    phone: Annotated[str | None, typer.Option(help="Phone number.")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail address.")] = None,
    job_goal: Annotated[str | None, typer.Option("--job-goal", help="Job goal or direction.")] = None,
    accommodations: Annotated[str | None, typer.Option(
        help="Functional needs at work (skånehensyn) — not diagnoses.")] = None,
    notes: Annotated[str | None, typer.Option(help="Notes.")] = None,
    followup_every: Annotated[int | None, typer.Option(
        "--followup-every", help="This citizen's follow-up cadence in days (0 = the programme's).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a citizen's details, or set a per-citizen follow-up cadence."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import label, t
    from fleksrun.render import print_json, say
    from fleksrun.services.enrollment import edit as do_edit

    result = do_edit(state().db(), citizen, {
        "name": name, "cpr": cpr, "case_ref": ref, "citizen_group": group, "phone": phone, "email": email,
        "job_goal": job_goal, "accommodations": accommodations, "notes": notes, "followup_every": followup_every,
    }, today=today())
    _warn_same_cpr(result["same_cpr"])
    if as_json:
        print_json(result)
    else:
        key = "edit.done" if result["changed"] else "edit.unchanged"
        say(t(key, id=result["citizen_id"], fields=", ".join(label("field", f) for f in result["fields"])))


def register(app: typer.Typer) -> None:
    app.command()(enroll)
    app.command()(citizens)
    app.command()(show)
    app.command()(edit)
