"""The `agreement` command: the written agreement between citizen, company and consultant."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fleksrun.cli.options import JsonOpt, today


def agreement(
    citizen: Annotated[str, typer.Argument(help="Number or part of the name.")],
    out: Annotated[str | None, typer.Option("--out", "-o", help="Write it to this file (default: print it).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md or html.")] = "md",
    company: Annotated[str | None, typer.Option(
        "--company", "-c", help="The company (default: her placement now, else the next or the latest).")] = None,
    consultant: Annotated[str | None, typer.Option(help="Your name, as the consultant who signs.")] = None,
    template: Annotated[Path | None, typer.Option(help="Your own template file instead of the built-in one.")] = None,
    print_template: Annotated[bool, typer.Option(
        "--print-template", help="Print the built-in template of --format, to start your own from.")] = False,
    tick: Annotated[bool, typer.Option(
        "--tick", help="Also tick the phase's agreement checklist item (with --out).")] = False,
    program: Annotated[str | None, typer.Option("--program", "-p", help="The programme, if she has several.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Write the agreement on tasks, hours, sub-goals, considerations and follow-up, filled from the data."""
    from fleksrun.cli.agreement_render import FORMATS, TEMPLATES, render
    from fleksrun.cli.state import state
    from fleksrun.errors import InputError
    from fleksrun.i18n import t
    from fleksrun.render import print_json, say
    from fleksrun.services.agreement import agreement_data

    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise InputError("agreement.bad_format", format=fmt, formats=", ".join(FORMATS))
    if print_template:
        typer.echo(TEMPLATES[fmt], nl=False)
        return
    if tick and out is None:
        raise InputError("agreement.tick_needs_out")
    own = _read_template(template) if template is not None else None
    db = state().db()
    data = agreement_data(db, citizen, today(), company_ref=company, program=program, consultant=consultant)
    if tick and data["checklist_item"] is None:
        raise InputError("agreement.no_item", citizen=data["citizen"], phase=data["phase"])
    text = render(data, fmt, own)
    if out is None:
        if as_json:
            print_json({**data, "format": fmt, "text": text})
        else:
            typer.echo(text, nl=False)
        return
    from fleksrun.cli.files import output_path, write_whole

    path = output_path(out, f"agreement-{data['citizen_id']}.{fmt}", state().db_path)
    write_whole(path, text.encode("utf-8"))
    ticked = None
    if tick:
        from fleksrun.services.phases import mark_item

        ticked = mark_item(db, str(data["citizen_id"]), data["checklist_item"], today=today(),
                           program=data["program"])["action"]
    if as_json:
        print_json({**data, "format": fmt, "path": str(path), "ticked": ticked})
    else:
        say(t("agreement.written", path=str(path)))
        if ticked:
            say(t("agreement.ticked", item=data["checklist_item"], phase=data["phase"]))


def _read_template(path: Path) -> str:
    from fleksrun.errors import InputError

    try:
        return path.expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("agreement.template_unreadable", path=str(path)) from exc


def register(app: typer.Typer) -> None:
    app.command()(agreement)
