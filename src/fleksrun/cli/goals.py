"""Commands about sub-goals (delmål): goal add, goal update, goal list."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from fleksrun.cli.options import JsonOpt, date_arg, today

ProgramOpt = Annotated[str | None, typer.Option("--program", "-p", help="The programme, if she has several.")]


def goal_add(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    text: Annotated[str, typer.Argument(help="The sub-goal, e.g. \"4 hours on Tuesdays and Thursdays by May\".")],
    review: Annotated[str | None, typer.Option(help="When to look at it again: 30-04-2026, +4w, uge 18.")] = None,
    program: ProgramOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a sub-goal (delmål) to a citizen's enrollment."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.goals import add_goal

    result = add_goal(state().db(), citizen, text, today=today(), review=date_arg(review), program=program)
    if as_json:
        print_json(result)
    else:
        say(t("goal.added", **result) if result["review_on"] else t("goal.added_no_review", **result))


def goal_update(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    goal: Annotated[int, typer.Argument(help="The goal's number (see `goal list`).")],
    status: Annotated[str | None, typer.Option(help="open, met, partly, not_met or dropped.")] = None,
    review: Annotated[str | None, typer.Option(help="The next review date.")] = None,
    text: Annotated[str | None, typer.Option(help="New wording of the goal.")] = None,
    note: Annotated[str | None, typer.Option(help="A note on how it went.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a sub-goal: its status after a review, the next review date, its wording."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.goals import update_goal

    result = update_goal(state().db(), citizen, goal, status=status, review=date_arg(review), text=text, note=note)
    if as_json:
        print_json(result)
    else:
        say(t("goal.updated" if result["changed"] else "goal.unchanged", **result))


def goal_list(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    as_json: JsonOpt = False,
) -> None:
    """List a citizen's sub-goals with their review dates and status."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.goals import goals_of
    from fleksrun.services.lookup import find_citizen

    db = state().db()
    found = find_citizen(db, citizen)
    goals = goals_of(db, found["id"])
    if as_json:
        print_json({"today": today(), "citizen_id": found["id"], "citizen": found["name"], "items": goals})
    elif not goals:
        say(t("goal.none", citizen=found["name"]))
    else:
        print_goals(t("goal.title", citizen=found["name"]), goals)


def print_goals(title: str, goals: list[dict[str, Any]]) -> None:
    from fleksrun.i18n import format_date, label, t
    from fleksrun.render import print_table

    rows = [{"id": g["id"], "program": g["program"], "text": g["text"], "review": format_date(g["review_on"]),
             "status": label("goal_status", g["status"]), "note": g["note"]} for g in goals]
    print_table(title, [("id", "#", "right"), ("program", t("col.program")), ("text", t("goal.col_goal"), "wrap"),
                        ("review", t("goal.col_review")), ("status", t("goal.col_status")),
                        ("note", t("col.note"), "wrap")], rows)


def register(app: typer.Typer) -> None:
    goal_app = typer.Typer(help="Sub-goals (delmål) of a citizen's enrollment.", no_args_is_help=True,
                           rich_markup_mode=None)
    goal_app.command("add")(goal_add)
    goal_app.command("update")(goal_update)
    goal_app.command("list")(goal_list)
    app.add_typer(goal_app, name="goal")


def show_goals_and_progress(card: dict[str, Any]) -> None:
    """`show`'s last sections: the sub-goals, and the ordinary hours by month as a chart (progression)."""
    import datetime as _dt

    from fleksrun.cli.charts import hours_chart
    from fleksrun.i18n import t
    from fleksrun.render import out
    from fleksrun.services.reports import ORDINARY_HOURS_MONTH

    if card["goals"]:
        out().print()
        print_goals(t("goal.title", citizen=card["name"]), card["goals"])
    months = [(m["month"], m["ordinary"]) for m in card["hours"]]
    if any(hours for _, hours in months):
        out().print()
        first, last = months[0][0], months[-1][0]
        end = _dt.date.fromisoformat(f"{last}-01")
        end = (end.replace(day=28) + _dt.timedelta(days=4)).replace(day=1) - _dt.timedelta(days=1)
        hours_chart(out(), [{"name": card["name"], "months": months}], line=ORDINARY_HOURS_MONTH,
                    start=_dt.date.fromisoformat(f"{first}-01"), end=end)
