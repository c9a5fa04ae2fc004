"""Options shared by many commands, and small helpers to turn option text into values."""

from __future__ import annotations

import datetime as _dt
from typing import Annotated

import typer

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table.")]


def date_arg(text: str | None, default: _dt.date | None = None) -> _dt.date | None:
    """Parse a user's date with the one date parser, relative to the run's today."""
    if text is None:
        return default
    from fleksrun.cli.state import state
    from fleksrun.domain.dates import parse_date

    return parse_date(text, state().today)


def today() -> _dt.date:
    from fleksrun.cli.state import state

    return state().today
