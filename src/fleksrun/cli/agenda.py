"""The `due` command: the consultant's week, grouped by day, overdue first."""

from __future__ import annotations

from datetime import date as _date
from typing import Annotated, Any

import typer

from fleksrun.cli.options import JsonOpt, choice_arg, date_arg, db_as_of_today, today

GROUP_LIMIT = 40  # lines per group in the table; --json always has every item
NAMES_PER_COMPANY = 12  # citizens named on a company's line for one day


def due(
    week: Annotated[str | None, typer.Option(help="An ISO week: 2026-W14, \"uge 14\", or a date in it.")] = None,
    days: Annotated[int | None, typer.Option(
        min=1, max=366, help="The window: this many days from today (default 7).")] = None,
    start: Annotated[str | None, typer.Option("--from", help="Start the window on this day instead of today.")] = None,
    citizen: Annotated[str | None, typer.Option(help="Only this citizen.")] = None,
    company: Annotated[str | None, typer.Option("--company", "-c", help="Only this company.")] = None,
    kind: Annotated[str | None, typer.Option(
        help="Only these kinds, comma-separated (followup, practice_day, …, or the Danish words).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The agenda: overdue and coming follow-ups, booked days, missing attendance, who may move on, limits near."""
    import datetime as _dt

    from fleksrun.errors import InputError
    from fleksrun.render import print_json_stream
    from fleksrun.services.agenda import agenda_items, agenda_lines
    from fleksrun.services.lookup import find_citizen, find_company

    if week is not None and (days is not None or start is not None):
        raise InputError("due.week_or_days")
    if week is not None:
        from fleksrun.domain.dates import parse_week, plausible

        first, last = parse_week(week, today())
        plausible(first, week)
    else:
        first = date_arg(start, today())
        last = first + _dt.timedelta(days=(days or 7) - 1)
    kinds = None
    if kind:
        kinds = {choice_arg("--kind", "agenda_kind", k) for k in kind.split(",") if k.strip()}
    db = db_as_of_today()
    citizen_id = find_citizen(db, citizen)["id"] if citizen else None
    company_id = find_company(db, company)["id"] if company else None
    if as_json:
        head, items = agenda_items(db, today(), first, last, citizen_id=citizen_id, company_id=company_id,
                                   kinds=kinds)
        print_json_stream(head, items)
    else:
        render(agenda_lines(db, today(), first, last, limit=GROUP_LIMIT, names=NAMES_PER_COMPANY,
                            citizen_id=citizen_id, company_id=company_id, kinds=kinds))


STYLE = {"followup": "", "aftercare": "", "practice_day": "cyan", "attendance_missing": "yellow",
         "ready_to_advance": "green", "hours_at_risk": "yellow", "placement_ending": "magenta",
         "practice_limit": "magenta", "data_missing": "yellow"}


def render(doc: dict[str, Any]) -> None:
    """The groups of ``agenda_lines``: a heading each, its first lines, and how many more there are."""
    import datetime as _dt
    import textwrap

    from rich.text import Text

    from fleksrun.i18n import format_date, t, weekday_name
    from fleksrun.render import out, say
    from fleksrun.services.agenda import OVERDUE

    start, end = _dt.date.fromisoformat(doc["from"]), _dt.date.fromisoformat(doc["to"])
    if not doc["groups"]:
        say(t("due.nothing", start=start, end=end))
        return
    console = out()
    # One Text, printed once: a print per line costs Rich more than the lines themselves. Lines are
    # wrapped by hand so that a long one continues under its own text, not under the bullet.
    width = max(console.width - 4, 20)
    page = Text()
    page.append(t("due.heading", week=window_weeks(start, end), start=start, end=end) + "\n", style="bold")
    for group in doc["groups"]:
        overdue = group["key"] == OVERDUE
        if overdue:
            title = t("due.overdue_heading", count=group["total_items"])
        else:
            title = f"{weekday_name(group['key'])} {format_date(group['key'])}"
            if group["key"] in doc["days_off"]:  # a public holiday, or a day off the file sets
                title += " — " + t("due.day_off", name=doc["days_off"][group["key"]])
        page.append("\n" + title + "\n", style="bold red" if overdue else "bold")
        for line in group["lines"]:
            wrapped = textwrap.wrap(line_text(line), width, break_on_hyphens=False) or [""]
            page.append("  • " + "\n    ".join(wrapped) + "\n", style=STYLE.get(line["kind"]) or None)
        more = group["total_lines"] - len(group["lines"])
        if more > 0:
            page.append("  " + t("due.more", count=more) + "\n", style="dim")
    page.rstrip()
    console.print(page, soft_wrap=True)


def window_weeks(start: _date, end: _date) -> str:
    """The ISO week(s) a window spans: "week 49", or "weeks 49–50" for a week from a Sunday."""
    from fleksrun.i18n import format_week, t

    first, last = start.isocalendar()[1], end.isocalendar()[1]
    return format_week(start) if (start.isocalendar()[:2] == end.isocalendar()[:2]) else \
        t("calendar.weeks", first=first, last=last)


def line_text(line: dict[str, Any]) -> str:
    """One line of a group: a company's bookings that day, a citizen's unrecorded days, or one item."""
    from fleksrun.i18n import format_date, t

    items = line["items"]
    if line["kind"] == "practice_day":
        texts = "; ".join(i["text"] for i in items[:NAMES_PER_COMPANY])
        if line["count"] > NAMES_PER_COMPANY:
            texts += " " + t("due.and_more", count=line["count"] - NAMES_PER_COMPANY)
        return t("due.company_day", company=items[0]["company"], count=line["count"], texts=texts)
    if line["kind"] == "attendance_missing" and len(items) > 1:
        dates = ", ".join(format_date(i["date"]) for i in items)
        return t("due.attendance_missing_many", citizen=items[0]["citizen"], company=items[0]["company"],
                 count=len(items), dates=dates)
    return items[0]["text"]


def register(app: typer.Typer) -> None:
    app.command()(due)
