"""Options shared by many commands, and small helpers to turn option text into values."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Annotated, overload

import typer
from typer._click.types import FloatParamType

if TYPE_CHECKING:
    from fleksrun.store.connection import Database

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table.")]


@overload
def date_arg(text: str, default: _dt.date | None = None) -> _dt.date: ...
@overload
def date_arg(text: str | None, default: _dt.date) -> _dt.date: ...
@overload
def date_arg(text: str | None, default: None = None) -> _dt.date | None: ...


def date_arg(text: str | None, default: _dt.date | None = None) -> _dt.date | None:
    """Parse a user's date with the one date parser, relative to the run's today."""
    if text is None:
        return default
    from fleksrun.cli.state import state
    from fleksrun.domain.dates import parse_date, plausible

    return plausible(parse_date(text, state().today), text)


@overload
def choice_arg(option: str, choice: str, text: str) -> str: ...
@overload
def choice_arg(option: str, choice: str, text: None) -> None: ...


def choice_arg(option: str, choice: str, text: str | None) -> str | None:
    """The code of a closed choice (``domain.choices``) from its English code or a Danish word; a
    value that is neither is refused with the choices in the user's language."""
    if text is None:
        return None
    from fleksrun.domain.choices import to_code

    code = to_code(choice, text)
    if code is None:
        from fleksrun.domain.choices import words
        from fleksrun.errors import InputError
        from fleksrun.i18n import language, t

        *rest, last = words(choice, language())
        raise InputError("choice.unknown", option=option, text=text.strip(),
                         allowed=t("choice.list", rest=", ".join(rest), last=last))
    return code


def today() -> _dt.date:
    from fleksrun.cli.state import state

    return state().today


class Decimal(FloatParamType):
    """A number as Danes write it too: 7,5 as well as 7.5 (hours, mostly)."""

    name = "number"

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201  (Click's signature)
        if not isinstance(value, str):
            return super().convert(value, param, ctx)
        text = value.replace(",", ".") if value.count(",") == 1 and "." not in value else value
        try:
            if "_" in text:  # Python reads 1_0 as 10; a person does not
                raise ValueError(text)
            return float(text)
        except ValueError:
            from fleksrun.i18n import t

            self.fail(t("cli.problem.not_number", text=value), param, ctx)  # the value as typed


DECIMAL = Decimal()


def db_as_of_today() -> Database:
    """The database for a command that reads what happened (due, check, report): in a what-if run
    into the past it is read as it stood at the end of today, and stderr says how much was left out."""
    from fleksrun.cli.state import state
    from fleksrun.i18n import t
    from fleksrun.render import aside

    run = state()
    db = run.db_as_of_today()
    if run.left_out:
        one = "_one" if run.left_out == 1 else ""
        aside(t(f"cli.as_of{one}", day=run.today, count=run.left_out))
    return db
