"""Commands about the match between citizen and company: match, wish (and `company profile`,
which cli/companies.py registers in its group)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from fleksrun.cli.options import DECIMAL, JsonOpt, today

DaysOpt = Annotated[str | None, typer.Option("--days", help="Weekdays, e.g. tue,thu or man-fre (empty text clears).")]


def _weekdays(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    if not text.strip():
        return ()
    from fleksrun.domain.dates import parse_weekdays

    return parse_weekdays(text)


def company_profile(
    company: Annotated[str, typer.Argument(help="Number or part of the name.")],
    tasks: Annotated[str | None, typer.Option(
        help="Trades and tasks it offers, comma-separated: lager,rengøring.")] = None,
    mentor: Annotated[str | None, typer.Option(help="The mentor's name.")] = None,
    strengths: Annotated[str | None, typer.Option(help="What the mentor is good at.")] = None,
    places: Annotated[int | None, typer.Option(
        min=0, max=1000, help="Citizens it can take now (the legal capacity stays the limit).")] = None,
    days: DaysOpt = None,
    hours: Annotated[float | None, typer.Option(click_type=DECIMAL, help="Hours a day it can offer.")] = None,
    cannot: Annotated[str | None, typer.Option(
        help="What it cannot accommodate, comma-separated: \"tunge løft,tidlige morgener\".")] = None,
    address: Annotated[str | None, typer.Option(help="The workplace's address (for the agreement).")] = None,
    notes: Annotated[str | None, typer.Option(help="Your notes on the company.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Set what a company offers; with no option, show it."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.lookup import find_company
    from fleksrun.services.profiles import company_profile as read_profile
    from fleksrun.services.profiles import set_company_profile

    db = state().db()
    given = (tasks, mentor, strengths, places, days, hours, cannot, address, notes)
    if all(value is None for value in given):
        found = find_company(db, company)
        result = {"company_id": found["id"], "company": found["name"], "profile": read_profile(db, found["id"])}
    else:
        result = set_company_profile(db, company, tasks=tasks, mentor=mentor, strengths=strengths, places=places,
                                     weekdays=_weekdays(days), hours=hours, cannot=cannot, address=address,
                                     notes=notes)
    if as_json:
        print_json(result)
        return
    if "changed" in result:
        say(t("profile.done" if result["changed"] else "profile.unchanged", company=result["company"]))
    _print_fields(t("profile.title", company=result["company"]), result["profile"], "profile")


def _print_fields(title: str, values: dict[str, Any] | None, prefix: str) -> None:
    """A profile or wishes as "label: value" lines; nothing recorded says so."""
    from fleksrun.i18n import format_number, t, weekday_name
    from fleksrun.render import out, say

    if not values:
        say(t(f"{prefix}.empty"))
        return
    console = out()
    console.print(f"[bold]{title}[/bold]", highlight=False)
    for key, value in values.items():
        if value in (None, "", []):
            continue
        if key == "weekdays":
            value = ", ".join(weekday_name(d + 1, short=True) for d in value)
        elif isinstance(value, list):
            value = ", ".join(value)
        elif isinstance(value, float):
            value = format_number(value)
        console.print(f"  {t(f'{prefix}.field.{key}')}: {value}", markup=False, highlight=False)


def wish(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    companies: Annotated[str | None, typer.Option(
        help="3–5 companies she would like to work at, comma-separated (also ones not in the file yet).")] = None,
    tasks: Annotated[str | None, typer.Option(help="Tasks she wants, comma-separated.")] = None,
    needs: Annotated[str | None, typer.Option(
        help="Skånehensyn as tags, comma-separated: \"tunge løft,tidlige morgener\" — never a diagnosis.")] = None,
    agreed: Annotated[str | None, typer.Option(
        help="The skånehensyn as worded with her for the written agreement.")] = None,
    days: DaysOpt = None,
    hours: Annotated[float | None, typer.Option(click_type=DECIMAL, help="Hours a day she can manage now.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Set what a citizen wishes and needs; with no option, show it."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.lookup import find_citizen
    from fleksrun.services.profiles import citizen_wishes, set_wishes

    db = state().db()
    if all(value is None for value in (companies, tasks, needs, agreed, days, hours)):
        found = find_citizen(db, citizen)
        result = {"citizen_id": found["id"], "citizen": found["name"], "wishes": citizen_wishes(db, found["id"])}
    else:
        result = set_wishes(db, citizen, companies=companies, tasks=tasks, needs=needs, agreed=agreed,
                            weekdays=_weekdays(days), hours=hours)
    if as_json:
        print_json(result)
        return
    if "changed" in result:
        say(t("wish.done" if result["changed"] else "wish.unchanged", citizen=result["citizen"]))
    _print_fields(t("wish.title", citizen=result["citizen"]), result["wishes"], "wish")


def match(
    citizen: Annotated[str | None, typer.Argument(help="Number or part of the name.")] = None,
    company: Annotated[str | None, typer.Option(
        "--company", "-c", help="List the citizens who fit this company.")] = None,
    limit: Annotated[int, typer.Option(
        "--limit", "-n", min=0, help="Show at most this many in the table (0: all).")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Companies that fit a citizen, best first, with reasons and conflicts (or citizens for --company)."""
    from fleksrun.cli.state import state
    from fleksrun.errors import InputError
    from fleksrun.render import print_json
    from fleksrun.services.match import match_citizen, match_company

    if (citizen is None) == (company is None):
        raise InputError("match.citizen_or_company")
    db = state().db()
    if citizen is not None:
        result = match_citizen(db, citizen, today())
    else:
        assert company is not None
        result = match_company(db, company, today())
    if as_json:
        print_json(result)
    elif citizen is not None:
        _render_companies(result, limit)
    else:
        _render_citizens(result, limit)


def _notes(item: dict[str, Any]) -> str:
    parts = [f"+ {r['text']}" for r in item["reasons"]] + [f"! {c['text']}" for c in item["conflicts"]]
    return "\n".join(parts) or "—"


def _render_companies(result: dict[str, Any], limit: int) -> None:
    from fleksrun.i18n import t
    from fleksrun.render import print_table, say

    if result["job_goal"]:
        say(t("match.job_goal", goal=result["job_goal"]))
    if not any(result["wishes"].values()):
        say(t("match.no_wishes", citizen=result["citizen"], id=result["citizen_id"]))
    if result["not_in_file"]:
        say(t("match.not_in_file", names=", ".join(result["not_in_file"])))
    rows = [{"rank": i["rank"], "company": i["company"], "notes": _notes(i)}
            for i in result["items"][: limit or None]]
    if not rows:
        say(t("match.no_companies"))
        return
    print_table(t("match.title", citizen=result["citizen"], count=len(result["items"])),
                [("rank", "#", "right"), ("company", t("col.company")), ("notes", t("match.col_notes"), "wrap")], rows)


def _render_citizens(result: dict[str, Any], limit: int) -> None:
    from fleksrun.i18n import t
    from fleksrun.render import print_table, say

    for note in result["room"]:
        say(note["text"])
    rows = [{"rank": i["rank"], "citizen": f"{i['citizen']} (#{i['citizen_id']})", "notes": _notes(i)}
            for i in result["items"][: limit or None]]
    if not rows:
        say(t("match.no_citizens", company=result["company"]))
        return
    print_table(t("match.title_company", company=result["company"], count=len(result["items"])),
                [("rank", "#", "right"), ("citizen", t("col.name")), ("notes", t("match.col_notes"), "wrap")], rows)


def register(app: typer.Typer) -> None:
    app.command()(match)
    app.command()(wish)
