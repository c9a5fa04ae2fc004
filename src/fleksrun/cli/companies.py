"""Commands about companies: company add, company list."""

from __future__ import annotations

from typing import Annotated

import typer

from fleksrun.cli.options import JsonOpt, today


def company_add(
    name: Annotated[str, typer.Argument(help="The company's name.")],
    cvr: Annotated[str | None, typer.Option(help="CVR number (8 digits).")] = None,
    contact: Annotated[str | None, typer.Option(help="The fixed contact person (kontaktperson/mentor).")] = None,
    phone: Annotated[str | None, typer.Option(help="Phone number.")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail address.")] = None,
    employees: Annotated[int | None, typer.Option(min=0, max=1_000_000,
                                                  help="Ordinary employees (for the capacity warning).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a company."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.companies import add_company

    result = add_company(state().db(), name=name, cvr=cvr, contact=contact, phone=phone, email=email,
                         employees=employees)
    if as_json:
        print_json(result)
    else:
        say(t("company.added", **result))


def company_list(as_json: JsonOpt = False) -> None:
    """List companies and how many citizens are placed there now."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import print_json, print_table, say
    from fleksrun.services.companies import list_companies

    rows = list_companies(state().db(), today())
    if as_json:
        print_json({"today": today(), "items": rows})
    elif not rows:
        say(t("company.none"))
    else:
        print_table(t("company.title", count=len(rows)), [
            ("id", "#", "right"), ("name", t("col.name")), ("cvr", "CVR"), ("contact", t("col.contact")),
            ("phone", t("col.phone")), ("employees", t("col.employees"), "right"),
            ("placed_now", t("col.placed_now"), "right"),
        ], rows)


def register(app: typer.Typer) -> None:
    # A new group each time: a run builds only the app it needs, and tests build several.
    from fleksrun.cli.match import company_profile
    from fleksrun.cli.scheduling import company_close, company_closures

    company_app = typer.Typer(help="Companies where citizens practise or work.", no_args_is_help=True,
                              rich_markup_mode=None)
    company_app.command("add")(company_add)
    company_app.command("list")(company_list)
    company_app.command("close")(company_close)
    company_app.command("closures")(company_closures)
    company_app.command("profile")(company_profile)
    app.add_typer(company_app, name="company")
