"""Help texts in the user's language: `fleksrun --lang da citizens --help` is Danish.

Typer builds the help from docstrings and `help=` strings in English. Before the command line is
parsed, the boundary picks the language (the same order as the app's callback: `--lang`, then
FLEKSRUN_LANG, then the locale) and, for a language other than English, has each command's and
option's help replaced with the catalogue's text (keys under ``help.`` in ``i18n/<lang>/help*.toml``)
when a help text is first formatted; a run that prints no help reads no help catalogue. The examples
at the end of each help come from the catalogue in every language, English too:

- ``help.<path>.text``            a command's help, e.g. ``help.fleksrun.company.add.text``
- ``help.<path>.options.<param>`` an option's or argument's help (``param`` is its Python name)
- ``help.<path>.examples``        one or two command lines, one a line, shown last under "Examples:"
- ``help.options.<param>``        the same help for every command that has the option (``--json``)
- ``help.click.*``                Click's own words: "Usage:", "Options", "[env var: …]" …

Only the standard library and modules Typer has already loaded are used, so `--help` stays light.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from typer._click.formatting import HelpFormatter

from fleksrun import i18n


def language_for(flag: str | None, environ: Mapping[str, str]) -> str:
    """The language this run asks for: ``flag`` (`--lang X`, see cli/argv.py), FLEKSRUN_LANG, the locale."""
    chosen = (flag or environ.get("FLEKSRUN_LANG") or i18n.language_from_locale(dict(environ))).lower()
    return chosen if chosen in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def walk(command: Any, path: str = "fleksrun") -> Iterator[tuple[str, Any]]:
    """Every command of the tree with its dotted path (``fleksrun``, ``fleksrun.company.add``)."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from walk(sub, f"{path}.{name}")


def help_keys(path: str, param_name: str | None = None) -> tuple[str, ...]:
    """The catalogue keys that may hold a command's (or one of its options') help, most specific first."""
    if param_name is None:
        return (f"help.{path}.text",)
    return (f"help.{path}.options.{param_name}", f"help.options.{param_name}")


def examples_key(path: str) -> str:
    return f"help.{path}.examples"


def examples(messages: Mapping[str, str], path: str) -> list[str]:
    """A command's example lines from the catalogue (none when it has no examples)."""
    return [line.strip() for line in messages.get(examples_key(path), "").splitlines() if line.strip()]


def _lookup(messages: Mapping[str, str], keys: Sequence[str]) -> str | None:
    return next((messages[k] for k in keys if k in messages), None)


def localize_help(root: Any, lang: str) -> None:
    """Have every command and option under ``root`` show its help in ``lang``, each value named by a
    word (``CITIZEN``, ``DATE``; ``BORGER``, ``DATO`` in Danish) rather than by its type.

    Click makes a formatter for each help text it prints (``--help``, a usage error, and a group or
    the app run without a command). The first one made reads the catalogue and replaces the English
    texts of the whole tree, so a run that prints no help reads none of it."""
    formatter: type[HelpFormatter] | None = None

    def make_formatter(ctx: Any) -> HelpFormatter:
        nonlocal formatter
        if formatter is None:
            messages = i18n.help_catalogue(lang)
            if lang != i18n.DEFAULT_LANGUAGE:
                _replace_texts(root, messages)
            _name_metavars(root, messages)
            _add_examples(root, messages)
            formatter = _formatter_for(messages)
        return formatter(width=ctx.terminal_width, max_width=ctx.max_content_width)

    for _path, command in walk(root):
        # Each command makes its own context, so each gets the translating formatter.
        command.context_class = type("LocalContext", (command.context_class,), {"make_formatter": make_formatter})


def _replace_texts(root: Any, messages: Mapping[str, str]) -> None:
    for path, command in walk(root):
        text = _lookup(messages, help_keys(path))
        if text:
            command.help = text
        for param in command.params:
            text = _lookup(messages, help_keys(path, param.name))
            if text and hasattr(param, "help"):
                param.help = text


def _add_examples(root: Any, messages: Mapping[str, str]) -> None:
    """End each command's help with its examples, a section of its own, one unwrapped line each (a
    command line wrapped in two would not paste)."""
    for path, command in walk(root):
        lines = examples(messages, path)
        if lines:
            command.format_epilog = lambda _ctx, formatter, _lines=lines: _write_examples(formatter, _lines)


def _write_examples(formatter: HelpFormatter, lines: Sequence[str]) -> None:
    with formatter.section("Examples"):
        for line in lines:
            formatter.write(f"{'':>{formatter.current_indent}}{line}\n")


# The word that names a value, by the parameter's name (help.metavar.<word> in the catalogue); any
# other value is a number or a text, by its type.
_VALUE_WORDS = {
    "citizen": "citizen", "company": "company", "program": "programme", "program_id": "programme",
    "day": "date", "on": "date", "start": "date", "end": "date", "until": "date", "since": "date",
    "next_date": "date", "new_day": "date", "today": "date", "ended_before": "date", "before": "date",
    "week": "week", "month": "month", "db": "file", "csv_file": "file", "html_file": "file", "out_file": "file",
    "path": "file", "file": "file", "team": "file", "template": "file", "skip_bad": "file",
    "hours": "hours", "ordinary": "hours", "practice": "hours", "subsidised": "hours", "flexjob": "hours",
    "lang": "language", "kind": "kind", "outcome": "outcome", "absent": "reason", "with_whom": "who",
    "holidays": "policy", "chart": "chart", "days": "days", "phase": "phase", "to": "phase", "item": "item",
    "at": "time",
}


def _name_metavars(root: Any, messages: Mapping[str, str]) -> None:
    """Name each value by a word, where its command did not name it already."""
    for _path, command in walk(root):
        for param in command.params:
            if getattr(param, "is_flag", False) or (param.metavar and param.metavar[0] not in "<{"):
                continue
            number = getattr(param.type, "name", "").split()[0] in ("int", "integer", "float", "number")
            key = _VALUE_WORDS.get(param.name or "", "number" if number else "text")
            if param.name == "days" and number:  # due --days N, not schedule's weekdays
                key = "number"
            word = messages.get(f"help.metavar.{key}", key.upper())
            if param.param_type_name == "argument":
                # Typer writes a required argument as {NAME} in the usage line, which reads as if the
                # braces were to be typed: the word alone, in brackets when it may be left out.
                word = word if param.required else f"[{word}]"
                param.make_metavar = lambda *_args, _word=word, **_kwargs: _word
            param.metavar = word


def _formatter_for(messages: Mapping[str, str]) -> type[HelpFormatter]:
    def word(key: str, english: str) -> str:
        return messages.get(f"help.click.{key}", english)

    sections = {"Options": word("options", "Options"), "Arguments": word("arguments", "Arguments"),
                "Commands": word("commands", "Commands"), "Examples": word("examples", "Examples")}
    extras = [(re.compile(r"\[env var: ([^\]]*)\]"), f"[{word('env_var', 'env var')}: \\1]"),
              (re.compile(r"\[default: ([^\]]*)\]"), f"[{word('default', 'default')}: \\1]"),
              (re.compile(r"\[required\]"), f"[{word('required', 'required')}]")]
    show_help = word("show_help", "Show this message and exit.")

    class LocalFormatter(HelpFormatter):
        """Click's fixed English words (headings, [env var: …], the --help line) in the language."""

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, prefix if prefix is not None else word("usage", "Usage:") + " ")

        def write_heading(self, heading: str) -> None:
            super().write_heading(sections.get(heading, heading))

        def write_dl(self, rows: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
            super().write_dl([(term, _translate(text)) for term, text in rows], *args, **kwargs)

    def _translate(text: str) -> str:
        if text == "Show this message and exit.":
            return show_help
        for pattern, replacement in extras:
            text = pattern.sub(replacement, text)
        return text

    return LocalFormatter
