"""Commands that plan days: schedule, extend, cancel, move, company close, company closures."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from fleksrun.cli.options import DECIMAL, JsonOpt, choice_arg, date_arg, today

CompanyOpt = Annotated[str | None, typer.Option("--company", "-c", help="The company (number or part of the name).")]
PlacementOpt = Annotated[int | None, typer.Option("--placement", help="The placement number (see `show`).")]
WeeksOpt = Annotated[int | None, typer.Option("--weeks", help="Length in ISO weeks (the start's week is week 1).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Last possible day (included).")]
CountOpt = Annotated[int | None, typer.Option("--count", help="Number of pattern days.")]
ReasonOpt = Annotated[str | None, typer.Option(
    "--extension-reason", help="Practice beyond 13 weeks: who decided the extension and why (recorded).")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show the plan and write nothing.")]


def warnings_out(warnings: list[Any]) -> list[dict[str, str]]:
    """Print each legal warning on stderr (they never block) and give them for --json."""
    from fleksrun.render import warn

    shown = [{"key": w.key, "message": w.message()} for w in warnings]
    for w in shown:
        warn(w["message"])
    return shown


def _plan_out(result: dict[str, Any], as_json: bool, done_key: str) -> None:
    from fleksrun.i18n import label, t
    from fleksrun.render import print_json, say

    warnings = warnings_out(result.pop("warnings"))
    if as_json:
        print_json({**result, "warnings": warnings, "today": today()})
        return
    key = done_key + ("_dry" if result["dry_run"] else "")
    say(t(key, **{**result, "kind": label("placement_kind", result["kind"])},
          first=result["days"][0]["date"] if result["days"] else result["start"]))
    for met in result["met"]:
        say("  " + t(f"schedule.met.{met['outcome']}", **met))
    if result.get("start_time"):
        say("  " + t("scheduling.at", at=result["start_time"]))
    if result["dry_run"]:
        _weeks_table(result["days"])


def _weeks_table(days: list[dict[str, Any]]) -> None:
    from fleksrun.domain.placements import week_monday
    from fleksrun.i18n import format_date, t, weekday_name
    from fleksrun.render import print_table

    weeks: dict[Any, list[str]] = {}
    for d in days:
        if d["status"] == "skipped":
            continue
        text = f"{weekday_name(d['date'], short=True)} {format_date(d['date'])}"
        if d["status"] == "flagged":
            text += " " + t("scheduling.flag", name=d["holiday"])
        weeks.setdefault(week_monday(d["date"]), []).append(text)
    rows = [{"week": t("scheduling.week_label", monday=m, year=m.isocalendar().year), "days": ", ".join(v)}
            for m, v in sorted(weeks.items())]
    print_table(t("scheduling.plan_title"), [("week", t("col.week")), ("days", t("col.days"))], rows)


def schedule(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    company: Annotated[str, typer.Option("--company", "-c", help="The company (number or part of the name).")],
    start: Annotated[str, typer.Option("--start", help="First day: 31-03-2026, 2026-03-31, tue, uge 14.")],
    weeks: WeeksOpt = None,
    until: UntilOpt = None,
    count: CountOpt = None,
    days: Annotated[str | None, typer.Option(
        "--days", help="Weekdays, e.g. tue,thu or man-fre (default: the phase's pattern).")] = None,
    hours: Annotated[float | None, typer.Option("--hours", click_type=DECIMAL,
                                                help="Planned hours a day (0-24).")] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", help="practice, ordinary, flexjob or subsidised (or praktik, …).")] = None,
    holidays: Annotated[str | None, typer.Option(
        "--holidays", help="On a holiday or closing day: skip (default), shift, extend or keep"
                                 " (or spring over, flyt, læg til sidst, behold).")] = None,
    program: Annotated[str | None, typer.Option("--program", "-p",
                                                help="The enrollment, if the citizen has several.")] = None,
    extension_reason: ReasonOpt = None,
    at: Annotated[str | None, typer.Option(
        "--at", help="When the days begin, e.g. 08:30 (Danish time): the calendar shows them from then "
                     "for the planned hours.")] = None,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Book a placement and its days from a weekday pattern, around holidays and closing days."""
    from fleksrun.cli.state import state
    from fleksrun.domain.dates import parse_clock, parse_weekdays
    from fleksrun.services.scheduling import schedule as do_schedule

    result = do_schedule(
        state().db(), citizen, company_ref=company, start=date_arg(start), weeks=weeks, until=date_arg(until),
        count=count, weekdays=parse_weekdays(days) if days is not None else None, hours=hours,
        kind=choice_arg("--kind", "work_kind", kind),
        policy=choice_arg("--holidays", "holidays", holidays), program=program, extension_reason=extension_reason,
        start_time=parse_clock(at) if at is not None else None, dry_run=dry_run)
    _plan_out(result, as_json, "scheduling.booked")


def extend(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    weeks: WeeksOpt = None,
    until: UntilOpt = None,
    count: CountOpt = None,
    company: CompanyOpt = None,
    placement: PlacementOpt = None,
    extension_reason: ReasonOpt = None,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Add days after a placement's last day, on its own weekdays and holiday policy."""
    from fleksrun.cli.state import state
    from fleksrun.services.scheduling import extend_placement

    result = extend_placement(state().db(), citizen, placement_id=placement, company_ref=company, weeks=weeks,
                              until=date_arg(until), count=count, extension_reason=extension_reason,
                              dry_run=dry_run)
    _plan_out(result, as_json, "scheduling.extended")


def cancel(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    day: Annotated[str | None, typer.Argument(metavar="[DATE]", help="The day (default today).")] = None,
    rest: Annotated[bool, typer.Option("--rest",
                                       help="Cancel this day and every later booked day of the placement.")] = False,
    company: CompanyOpt = None,
    placement: PlacementOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Cancel a booked day, or with --rest the rest of a placement (recorded days are kept)."""
    from fleksrun.cli.state import state
    from fleksrun.errors import InputError
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.plan_changes import cancel_day, cancel_rest

    when = date_arg(day, today())
    if rest:
        result = cancel_rest(state().db(), citizen, when, placement_id=placement, company_ref=company)
    elif placement is not None:
        raise InputError("scheduling.placement_needs_rest")
    else:
        result = cancel_day(state().db(), citizen, when, company_ref=company)
    if as_json:
        print_json({**result, "today": today()})
        return
    say(t("scheduling.cancelled" if rest else "scheduling.cancelled_day", count=len(result["cancelled"]),
          first=result["cancelled"][0], **result))
    if result["kept"]:
        say(t("scheduling.kept_recorded", count=len(result["kept"])))


def move(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    day: Annotated[str, typer.Argument(metavar="DATE", help="The booked day to move.")],
    to: Annotated[str, typer.Argument(metavar="NEW_DATE", help="The day it moves to.")],
    company: CompanyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Move one booked day to another date."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.plan_changes import move_day

    result = move_day(state().db(), citizen, date_arg(day), date_arg(to), company_ref=company)
    warnings = warnings_out(result.pop("warnings"))
    if as_json:
        print_json({**result, "warnings": warnings, "today": today()})
    else:
        say(t("scheduling.moved", **result))


def company_close(
    company: Annotated[str, typer.Argument(help="Number or part of the name.")],
    day: Annotated[str, typer.Argument(metavar="DATE", help="The (first) closing day.")],
    until: Annotated[str | None, typer.Option("--until", help="The last closing day, for a closed period.")] = None,
    reason: Annotated[str | None, typer.Option("--reason",
                                               help="Why, e.g. \"Juleaften\" or \"Summer closing\".")] = None,
    remove: Annotated[bool, typer.Option("--remove",
                                         help="Remove the closing day(s) again: the company is open.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Record a company's own closing day(s); schedule then treats them like holidays."""
    from fleksrun.cli.state import state
    from fleksrun.errors import InputError
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say, warn
    from fleksrun.services.closures import close_company, reopen_company

    if remove:
        if reason is not None:
            raise InputError("closures.remove_with_reason")
        removed = reopen_company(state().db(), company, date_arg(day), date_arg(until))
        if as_json:
            print_json({**removed, "today": today()})
        else:
            say(t("closures.removed", **{**removed, "count": len(removed["removed"])}))
        return
    result = close_company(state().db(), company, date_arg(day), date_arg(until), reason=reason)
    for b in result["booked"]:
        warn(t("closures.booked_there", **b, company=result["company"]))
    if as_json:
        print_json({**result, "today": today()})
    else:
        say(t("closures.added", **{**result, "count": len(result["added"]), "known": len(result["known"])}))


def company_closures(
    company: Annotated[str | None, typer.Argument(help="Only this company.")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Also closing days in the past.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """List companies' closing days (from today on, unless --all)."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import format_date, t, weekday_name
    from fleksrun.render import print_json, print_table, say
    from fleksrun.services.closures import list_closures

    rows = list_closures(state().db(), company, None if show_all else today())
    if as_json:
        print_json({"today": today(), "items": rows})
    elif not rows:
        say(t("closures.none"))
    else:
        print_table(t("closures.title", count=len(rows)), [
            ("date", t("col.date")), ("day", t("col.weekday")), ("company", t("col.company")),
            ("reason", t("col.reason"))],
            [{**r, "day": weekday_name(r["date"]), "date": format_date(r["date"])} for r in rows])


def register(app: typer.Typer) -> None:
    app.command()(schedule)
    app.command()(extend)
    app.command()(cancel)
    app.command()(move)
    # `company close` and `company closures` join the company group in cli/companies.py.
