"""The Typer app: global options, and the command modules joined onto it."""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
from pathlib import Path
from typing import Annotated

import typer
from typer.models import CommandInfo

from fleksrun import __version__
from fleksrun.cli.boundary import BoundaryGroup
from fleksrun.cli.input import check_every_command


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fleksrun {__version__}")
        raise typer.Exit()


def _iso_day(text: str) -> _dt.date | None:
    """A plain ISO date (2026-03-30), read without loading the date parser and its patterns."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.replace("-", "").isdigit():
        return None
    try:
        day = _dt.date.fromisoformat(text)
    except ValueError:
        return None  # the date parser says what is wrong
    return day if 1900 <= day.year <= 2199 else None  # domain.dates.plausible's years; outside, it says so


def _parsed_day(text: str, today: _dt.date) -> _dt.date:
    from fleksrun.domain.dates import parse_date, plausible

    return plausible(parse_date(text, today), text)


def main_options(
    db: Annotated[Path | None, typer.Option("--db", envvar="FLEKSRUN_DB",
                                            help="The database file (default: your user data folder).")] = None,
    today: Annotated[str | None, typer.Option("--today", envvar="FLEKSRUN_TODAY",
                                              help="Take this date as today (for what-if runs).")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", envvar="FLEKSRUN_LANG", help="Language of the output: en or da (default: from the locale).")] = None,
    demo: Annotated[bool, typer.Option(
        "--demo", help="Use the demo's own file (beside your database), not your real one.")] = False,
    no_pager: Annotated[bool, typer.Option(
        "--no-pager", help="Print long output straight, not through a pager.")] = False,  # read by cli/pager.py
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and stop.")] = False,
) -> None:
    """fleksrun: enroll, schedule, follow up, check phase rules, see the week."""
    from fleksrun import i18n
    from fleksrun.cli.state import State, default_db_path, demo_db_path, set_state
    from fleksrun.errors import InputError

    chosen = (lang or i18n.language_from_locale(dict(os.environ))).lower()
    if chosen not in i18n.LANGUAGES:
        i18n.set_language("en")
        raise InputError("cli.bad_lang", lang=chosen)
    i18n.set_language(chosen)
    clock = _dt.date.today()  # the only clock read; everything below gets "today" passed in
    chosen_day = (_iso_day(today) or _parsed_day(today, clock)) if today else clock
    if db is not None:
        # FLEKSRUN_DB="~/…" in a profile: no shell expands it there. "~someone" with no such user
        # raises RuntimeError: the name is kept as typed.
        with contextlib.suppress(RuntimeError):
            db = db.expanduser()
    if demo and db is not None:
        raise InputError("cli.demo_or_db")
    # The demo fills its own file unless --db names one: fictive citizens never land beside real ones.
    if demo or (db is None and _subcommand() == "demo"):
        db = demo_db_path()
    set_state(State(db_path=db or default_db_path(), today=chosen_day, lang=chosen, clock=clock))


def _subcommand() -> str | None:
    """The command this run runs (the callback runs before it)."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    return None if ctx is None else ctx.invoked_subcommand


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
    "encryption",
    "config",
    "demo",
    "importing",
    "match",
    "goals",
    "agreement",
)


def build_app(command: str | None = None) -> typer.Typer:
    """The fleksrun app: only ``command`` when that is one of its commands, else every command.

    A run builds only the command it runs. Typer turns every registered function into a Click command
    (reading its parameters) on each run, before it knows which one runs: ~27 ms for all of them.
    Importing every command module and letting each ``register`` its commands costs ~2 ms, so all
    of them do, and the registrations are then cut down to the command named on the command line
    (cli/argv.py finds it). Each command is declared once, by its module's ``register``: importing
    only the one module a run needs would save those ~2 ms but needs a command → module table kept
    beside the modules. A word that is no command keeps them all, so that Click can say so.
    """
    from importlib import import_module

    built = typer.Typer(
        cls=BoundaryGroup,
        name="fleksrun",
        help="Plan and follow company-based programmes for citizens far from the labour market.",
        no_args_is_help=True,
        add_completion=True,  # --install-completion; values from the file: cli/completion.py
        rich_markup_mode=None,  # plain help: `--help` must not import Rich
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    built.callback()(main_options)
    for name in COMMAND_MODULES:
        import_module(f"fleksrun.cli.{name}").register(built)
    check_every_command(built)
    if command is not None:
        commands = [info for info in built.registered_commands if _name_of(info) == command]
        groups = [info for info in built.registered_groups if info.name == command]
        if commands or groups:
            built.registered_commands, built.registered_groups = commands, groups
    return built


def _name_of(info: CommandInfo) -> str | None:
    """A registered command's name as Typer gives it (its function's name unless it was named)."""
    if info.name or info.callback is None:
        return info.name
    return typer.main.get_command_name(info.callback.__name__)


_full_app: typer.Typer | None = None


def __getattr__(name: str) -> typer.Typer:
    """``app``: every command (for --help, tests and anything that asks for the whole app)."""
    global _full_app
    if name != "app":
        raise AttributeError(name)
    if _full_app is None:
        _full_app = build_app()
    return _full_app


def main() -> None:
    import sys

    from fleksrun.cli.argv import scan

    build_app(scan(sys.argv[1:]).command)()
