"""The one look at the command line before Click parses it.

Four things are needed before Click has read the options: the command (so that a run builds only
that command, see cli/app.py), ``--json`` (so that even a usage error is a JSON document),
``--lang`` (so that help and usage errors are in the user's language) and ``--no-pager`` (the pager
starts before the command runs, cli/pager.py). They are found here, in one
pass; nothing else reads ``sys.argv`` by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

# The app's own options that take a value: their value is never the command.
_GLOBAL_WITH_VALUE = ("--db", "--today", "--lang")
_HELP = ("-h", "--help")


class CommandLine(NamedTuple):
    command: str | None  # the first word past the global options; None when --help comes first
    json: bool  # --json anywhere
    lang: str | None  # the value of the first --lang X or --lang=X, as typed
    no_pager: bool = False  # --no-pager anywhere


def scan(argv: Sequence[str]) -> CommandLine:
    """What ``argv`` (without the program name) asks for, read without Click."""
    command: str | None = None
    lang: str | None = None
    as_json = seen_help = no_pager = False
    args = iter(argv)
    for arg in args:
        if arg == "--json":
            as_json = True
        elif arg == "--no-pager":
            no_pager = True
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1] if lang is None else lang
        elif arg in _GLOBAL_WITH_VALUE:
            value = next(args, None)
            if arg == "--lang" and lang is None:
                lang = value
        elif arg in _HELP:
            seen_help = True  # `fleksrun --help due` is the whole app's help
        elif command is None and not seen_help and not arg.startswith("-"):
            command = arg
    return CommandLine(command, as_json, lang, no_pager)
