"""The one check of what was typed, as Click reads it and before any value is converted or used.

Every command (and the app's own options) parses through ``CheckedInput.make_parser``: each value
typed for an option or an argument is refused when it holds a control character (domain.text), and
a free-text note or case reference is refused when it holds what looks like a CPR number, as a
name is (domain.cpr): there it would be shown and exported in full. Values come from the parser
before their types convert them, so a NUL never reaches the file system or SQLite either.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

# Parameters that are free text kept as typed and shown in full: no CPR number in them.
NO_CPR = {"note", "notes", "ref"}


def field_name(param: Any) -> str:
    """How the user knows the parameter: its long option (--note) or its argument's name (NAME)."""
    opts = getattr(param, "opts", None) or []
    if opts and opts[0].startswith("-"):
        return max(opts, key=len)
    return (getattr(param, "metavar", None) or param.name).strip("[]").upper()


def check_values(params: list[Any], opts: dict[str, Any]) -> None:
    """Refuse the first typed value that holds a control character, or a CPR number in free text."""
    from fleksrun.domain.cpr import contains_cpr
    from fleksrun.domain.text import refuse_control
    from fleksrun.errors import InputError

    for param in params:
        value = opts.get(param.name)
        values = value if isinstance(value, (list, tuple)) else [value]
        for text in values:
            if not isinstance(text, str):
                continue
            refuse_control(text, field_name(param))
            if param.name in NO_CPR and contains_cpr(text):
                raise InputError("text.cpr_in_field", field=field_name(param))


class CheckedInput:
    """Mixin for Click commands and groups: their parser's values are checked as they are read."""

    def make_parser(self, ctx: Any) -> Any:
        parser = super().make_parser(ctx)  # type: ignore[misc]
        parse = parser.parse_args
        params = self.get_params(ctx)  # type: ignore[attr-defined]

        def checked(args: list[str]) -> Any:
            opts, rest, order = parse(args=args)
            check_values(params, opts)
            return opts, rest, order

        parser.parse_args = checked
        return parser


class CheckedCommand(CheckedInput, TyperCommand):
    pass


class CheckedGroup(CheckedInput, TyperGroup):
    pass


def check_every_command(app: typer.Typer) -> None:
    """Let every command and group of ``app`` (sub-apps too) parse through the check."""
    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):  # Typer's default; a command of its own class keeps it
            info.cls = CheckedCommand
    for group in app.registered_groups:
        if not group.cls:  # unset: Typer's placeholder for its default
            group.cls = CheckedGroup
        if group.typer_instance is not None:
            check_every_command(group.typer_instance)
