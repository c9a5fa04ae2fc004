"""The Typer app: global options, and the command modules joined onto it."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from fleksrun import __version__
from fleksrun.cli.boundary import BoundaryGroup

app = typer.Typer(
    cls=BoundaryGroup,
    name="fleksrun",
    help="Plan and follow company-based programmes for citizens far from the labour market.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain help: `--help` must not import Rich
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fleksrun {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Annotated[Optional[Path], typer.Option("--db", envvar="FLEKSRUN_DB", help="The database file (default: your user data folder).")] = None,
    today: Annotated[Optional[str], typer.Option("--today", envvar="FLEKSRUN_TODAY", help="Take this date as today (for what-if runs).")] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", envvar="FLEKSRUN_LANG", help="Language of the output: en or da (default: from the locale).")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and stop.")] = False,
) -> None:
    """fleksrun: enroll, schedule, follow up, check phase rules, see the week."""
    from fleksrun import i18n
    from fleksrun.cli.state import State, default_db_path, set_state
    from fleksrun.errors import InputError

    chosen = (lang or i18n.language_from_locale(dict(os.environ))).lower()
    if chosen not in i18n.LANGUAGES:
        i18n.set_language("en")
        raise InputError("cli.bad_lang", lang=chosen)
    i18n.set_language(chosen)
    real_today = _dt.date.today()  # the only clock read; everything below gets "today" passed in
    if today:
        from fleksrun.domain.dates import parse_date

        real_today = parse_date(today, real_today)
    set_state(State(db_path=db or default_db_path(), today=real_today, lang=chosen))


# The command modules, in the order their commands appear in --help. Each has register(app).
COMMAND_MODULES = (
    "citizens",
    "companies",
    "scheduling",
    "attendance",
    "followups",
    "phases",
    "agenda",
    "reports",
    "programs",
    "trust",
    "demo",
)


def _register() -> None:
    from importlib import import_module

    for name in COMMAND_MODULES:
        import_module(f"fleksrun.cli.{name}").register(app)


_register()


def main() -> None:
    app()
