"""The one error boundary: every failure becomes one sentence (or a JSON error) and an exit code.

0 done · 2 the input is wrong · 3 refused by a rule · 1 anything else.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import Any

from typer.core import TyperGroup

from fleksrun.cli.input import CheckedInput
from fleksrun.errors import FleksrunError, StoreError


def _emit(code: str, message: str, exit_code: int, as_json: bool) -> int:
    if as_json:
        import json

        sys.stdout.write(json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False) + "\n")
    else:  # an error may echo what was typed or stored: never a raw control character to the terminal
        from fleksrun.domain.text import visible

        sys.stderr.write(visible(message) + "\n")
    return exit_code


def _usage_message(exc: Any) -> str:
    from fleksrun.i18n import t

    command = exc.ctx.command_path if getattr(exc, "ctx", None) is not None else "fleksrun"
    return t("cli.usage", problem=_usage_problem(exc).rstrip("."), command=command)


def _usage_problem(exc: Any) -> str:
    """Click's complaint in the user's language where we know its shape; Click's English otherwise."""
    import re

    from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption

    from fleksrun.i18n import t

    if isinstance(exc, NoSuchOption):
        return t("cli.problem.no_such_option", option=exc.option_name)
    if isinstance(exc, (MissingParameter, BadParameter)) and exc.param is not None and exc.ctx is not None:
        hint = exc.param.get_error_hint(exc.ctx)
        if isinstance(exc, MissingParameter):
            return t("cli.problem.missing", what=hint)
        return t("cli.problem.bad_value", what=hint, detail=_value_detail(exc.message.rstrip(".")))
    for key, pattern in (("no_such_command", r"No such command '(.*)'\.?"),
                         ("extra_args", r"Got unexpected extra argument\(s\) \((.*)\)")):
        found = re.fullmatch(pattern, exc.message)
        if found:
            return t(f"cli.problem.{key}", text=found.group(1))
    return exc.format_message()


# Click's words for a number it could not read, or one out of its range, and ours for them.
_VALUE_DETAILS = (("not_whole", r"(?P<q>['\"])(?P<text>.*)(?P=q) is not a valid (?:integer|int)(?: range)?"),
                  ("not_number", r"(?P<q>['\"])(?P<text>.*)(?P=q) is not a valid (?:number|float)(?: range)?"),
                  ("not_between", r"(?P<text>.*) is not in the range (?P<low>[-0-9.]+)<=x<=(?P<high>[-0-9.]+)"),
                  ("not_at_least", r"(?P<text>.*) is not in the range x>=(?P<low>[-0-9.]+)"),
                  ("not_at_most", r"(?P<text>.*) is not in the range x<=(?P<high>[-0-9.]+)"))


def _value_detail(message: str) -> str:
    """Why Click refused a value, in the user's language where we know its shape."""
    import re

    from fleksrun.i18n import t

    for key, pattern in _VALUE_DETAILS:
        found = re.fullmatch(pattern, message)
        if found:
            return t(f"cli.problem.{key}", **{k: v for k, v in found.groupdict().items() if k != "q"})
    return message


class BoundaryGroup(CheckedInput, TyperGroup):
    """The root command group; it runs everything inside the boundary, and checks its own options
    (--db, --today, --lang) as every command checks its values (cli/input.py)."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any) -> Any:
        from typer._click.exceptions import NoArgsIsHelpError

        from fleksrun import i18n
        from fleksrun.cli.argv import scan
        from fleksrun.cli.help_i18n import language_for, localize_help

        argv = list(sys.argv[1:] if args is None else args)
        line = scan(argv)
        as_json = line.json
        # Before parsing: `--help` and usage errors come before the app's callback chooses the language.
        lang = language_for(line.lang, os.environ)
        i18n.set_language(lang)
        localize_help(self, lang)
        if any(name.endswith("_COMPLETE") and name.startswith("_") for name in os.environ):  # a Tab: cli/completion.py
            from fleksrun.cli.completion import attach

            attach(self)
        from fleksrun.cli import pager

        try:
            _refuse_undecodable(argv)
            pager.start(line)
            result = super().main(args=argv, prog_name=prog_name, complete_var=complete_var,
                                  standalone_mode=False, windows_expand_args=windows_expand_args, **extra)
            code = result if isinstance(result, int) else 0
        except NoArgsIsHelpError as exc:
            exc.show()  # a bare `fleksrun` or `fleksrun company` prints its help
            code = 0
        except BrokenPipeError:
            code = 0  # the reader (a pager, `head`) stopped reading: there is no one to tell
        except (Exception, KeyboardInterrupt) as exc:
            parts = error_parts(exc)
            if parts is None:  # a bug: its traceback only on request
                if os.environ.get("FLEKSRUN_DEBUG"):
                    raise
                parts = ("internal", _t("cli.internal"), 1)
            code = _emit(*parts, as_json)
        finally:
            from fleksrun.cli.state import close_state

            pager.stop()
            close_state()
        if standalone_mode:
            sys.exit(code)
        return code


def error_parts(exc: BaseException) -> tuple[str, str, int] | None:
    """(code, message, exit code) of an exception, as the user reads it; None for one that is a bug
    ("internal"). The one mapping, for the boundary and for a listing that fails half-way."""
    from typer._click.exceptions import ClickException
    from typer.exceptions import Abort

    if isinstance(exc, FleksrunError):
        return exc.code, _message_of(exc), exc.exit_code
    if isinstance(exc, ClickException):
        return "usage", _usage_message(exc), 2
    if isinstance(exc, (Abort, KeyboardInterrupt)):
        return "aborted", _t("cli.aborted"), 1
    if isinstance(exc, sqlite3.OperationalError):
        from fleksrun.store.db import translate_operational

        store_error = translate_operational(exc, _db_path())
        return store_error.code, store_error.message(), store_error.exit_code
    if isinstance(exc, sqlite3.DatabaseError):
        store_error = StoreError("store.failed", path=_db_path())
        return store_error.code, store_error.message(), store_error.exit_code
    if isinstance(exc, OverflowError):
        return "bad_input", _t("cli.out_of_range"), 2
    if isinstance(exc, OSError):
        return "os", _t("cli.os_error", reason=exc.strerror or str(exc)), 1
    return None


def _refuse_undecodable(argv: list[str]) -> None:
    """Bytes the terminal's encoding could not decode reach Python as lone surrogates; SQLite cannot store them."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            from fleksrun.errors import InputError

            raise InputError("fault.bad_text", text=arg.encode("utf-8", "replace").decode("utf-8")) from None


def _db_path() -> str:
    """The database this run used, for a store error's sentence."""
    from fleksrun.cli import state as run_state

    return str(run_state._current.db_path) if run_state._current is not None else "(none)"


def _message_of(exc: FleksrunError) -> str:
    """The error's sentence; a message that cannot be formatted must not become a traceback."""
    try:
        return exc.message()
    except Exception:
        return _t("cli.internal")


def _t(key: str, **params: Any) -> str:
    from fleksrun.i18n import t

    return t(key, **params)
